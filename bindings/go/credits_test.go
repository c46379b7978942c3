package synap_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

const redeemCode = "SYN-TEST-CODE-0001-A" // the emulator's, worth 500 credits

func num64(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func TestCreditBalanceRedeemAndLedger(t *testing.T) {
	knobs(t, map[string]interface{}{"credit_balance": 250})
	client := newClient(t)
	balance, err := client.CreditBalance(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if balance.Credits != 250 || str(balance.ClientID) != "cli_9b2f4d6a8c0e1357" || balance.WarningLow ||
		len(balance.Buckets) != 1 || str(balance.Buckets[0].SourceType) != "grant" ||
		num64(balance.Buckets[0].Credits) != 250 || balance.Buckets[0].ExpiresAt != nil {
		t.Fatalf("%+v", balance)
	}

	before := time.Now().Add(-time.Second)
	redeemed, err := client.RedeemCredits(context.Background(), "  "+strings.ToLower(redeemCode)+" ")
	if err != nil {
		t.Fatal(err)
	}
	if redeemed.RedemptionID == nil || num64(redeemed.CreditsGranted) != 500 || num64(redeemed.NewBalance) != 750 ||
		redeemed.ExpiresAt != nil {
		t.Fatalf("%+v", redeemed)
	}
	if body := sentBody(t, "/v1/credits/redeem"); body["code"] != strings.ToLower(redeemCode) {
		t.Fatalf("sent %v", body)
	}
	balance, err = client.CreditBalance(context.Background())
	if err != nil || balance.Credits != 750 || len(balance.Buckets) != 2 || str(balance.Buckets[1].SourceType) != "redeem" {
		t.Fatalf("%+v %v", balance, err)
	}

	// Newest first: the redeem, then the balance set for the test.
	page, err := client.CreditLedger(context.Background(), synap.LedgerQuery{Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 2 || page.Limit == nil || *page.Limit != 2 || page.Offset == nil || *page.Offset != 0 ||
		page.Total == nil || *page.Total < 2 {
		t.Fatalf("%+v", page)
	}
	top := page.Entries[0]
	if str(top.EntryType) != "redeem" || num64(top.Delta) != 500 || top.ID == nil || top.CreatedAt == nil ||
		top.CreatedAt.Before(before) || str(page.Entries[1].EntryType) != "adjustment" {
		t.Fatalf("%+v", page.Entries)
	}

	// One entry type, within a time range, a page further on.
	page, err = client.CreditLedger(context.Background(), synap.LedgerQuery{
		EntryType: "redeem", From: before, To: time.Now().Add(time.Minute), Limit: 10,
	})
	if err != nil || len(page.Entries) != 1 || *page.Total != 1 || str(page.Entries[0].ID) != str(top.ID) {
		t.Fatalf("%+v %v", page, err)
	}
	requests := sent(t, "/v1/credits/ledger")
	query, _ := requests[len(requests)-1]["query"].(string)
	for _, part := range []string{"entry_type=redeem", "limit=10", "from=", "to="} {
		if !strings.Contains(query, part) {
			t.Fatalf("query %q has no %s", query, part)
		}
	}
	page, err = client.CreditLedger(context.Background(), synap.LedgerQuery{Limit: 1, Offset: 1})
	if err != nil || len(page.Entries) != 1 || *page.Offset != 1 || str(page.Entries[0].EntryType) != "adjustment" {
		t.Fatalf("%+v %v", page, err)
	}
	page, err = client.CreditLedger(context.Background(), synap.LedgerQuery{EntryType: "none-such"})
	if err != nil || page.Entries == nil || len(page.Entries) != 0 {
		t.Fatalf("%+v %v", page, err)
	}

	// A code already redeemed, an unknown one, a malformed one.
	_, err = client.RedeemCredits(context.Background(), redeemCode)
	if e := asError(t, err, synap.ErrInsufficientCredits); e.HTTPStatus != 402 {
		t.Fatalf("%#v", e)
	}
	_, err = client.RedeemCredits(context.Background(), "SYN-NOPE-NOPE-NOPE-N")
	asError(t, err, synap.ErrInvalidRequest)
	_, err = client.RedeemCredits(context.Background(), "not a code")
	asError(t, err, synap.ErrInvalidRequest)
	_, err = client.RedeemCredits(context.Background(), redeemCode+"\x00")
	if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "NUL") {
		t.Fatalf("%#v", e)
	}
}

func TestALowBalanceWarnsAndAnEmptyOneRefusesIngestion(t *testing.T) {
	knobs(t, map[string]interface{}{"credit_balance": 0.5})
	client := newClient(t)
	balance, err := client.CreditBalance(context.Background())
	if err != nil || balance.Credits != 0.5 || !balance.WarningLow {
		t.Fatalf("%+v %v", balance, err)
	}
	_, err = client.Upload(context.Background(), synap.UploadRequest{Text: "I like rain.", UserID: "u",
		CustomerID: lifecycleCustomer})
	if e := asError(t, err, synap.ErrInsufficientCredits); e.HTTPStatus != 402 {
		t.Fatalf("%#v", e)
	}
}

func TestEstimateCredits(t *testing.T) {
	client := newClient(t)
	credits, err := client.EstimateCredits(context.Background(), synap.EstimateRequest{
		MetricType: "llm_input_tokens", Units: 1500, ItemCount: 3, Endpoint: "/v1/context/user/fetch", Mode: "fast",
	})
	if err != nil || credits != 1.5 {
		t.Fatalf("%v %v", credits, err)
	}
	want := `{"endpoint":"/v1/context/user/fetch","item_count":3,"metric_type":"llm_input_tokens","mode":"fast",` +
		`"units":1500}`
	if got := jsonOf(t, sentBody(t, "/v1/credits/estimate")); got != want {
		t.Fatalf("sent %s", got)
	}
	// Units are always sent, 0 included; the optional fields are null
	// unless set.
	credits, err = client.EstimateCredits(context.Background(), synap.EstimateRequest{MetricType: "documents"})
	if err != nil || credits != 0 {
		t.Fatalf("%v %v", credits, err)
	}
	want = `{"endpoint":null,"item_count":null,"metric_type":"documents","mode":null,"units":0}`
	if got := jsonOf(t, sentBody(t, "/v1/credits/estimate")); got != want {
		t.Fatalf("sent %s", got)
	}

	before := len(sent(t, "/v1/credits/estimate"))
	for _, req := range []synap.EstimateRequest{
		{Units: 1},
		{MetricType: "documents", Units: -1},
		{MetricType: "documents", Units: math.NaN()},
		{MetricType: "documents", Units: math.Inf(1)},
		{MetricType: "docu\x00ments", Units: 1},
		{MetricType: "documents", Units: 1, Mode: "fa\x00st"},
	} {
		_, err := client.EstimateCredits(context.Background(), req)
		asError(t, err, synap.ErrInvalidArgument)
	}
	if after := len(sent(t, "/v1/credits/estimate")); after != before {
		t.Fatalf("%d refused estimates were sent", after-before)
	}
}

func TestCreditLedgerRefusals(t *testing.T) {
	client := newClient(t)
	for _, q := range []synap.LedgerQuery{
		{Limit: 501},
		{EntryType: "usa\x00ge"},
		{From: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{To: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		_, err := client.CreditLedger(context.Background(), q)
		asError(t, err, synap.ErrInvalidArgument)
	}
}
