package synap

// #include <stdlib.h>
// #include "shim_credits.h"
import "C"

import (
	"context"
	"time"
	"unsafe"
)

// CreditBalance is the account's credit balance, copied out of libsynap.
type CreditBalance struct {
	// Credits is how many credits are left.
	Credits float64
	// ClientID is the account; nil when absent.
	ClientID *string
	// WarningLow is the service warning that the balance is low.
	WarningLow bool
	// Buckets are the sources of the credits; never nil.
	Buckets []CreditBucket
}

// CreditBucket is one source of credits. Every pointer is nil when the
// service left the value out.
type CreditBucket struct {
	// SourceType is what granted them ("grant", "purchase", ...).
	SourceType *string
	// Credits is how many are left in it.
	Credits *float64
	// ExpiresAt is when they expire, UTC.
	ExpiresAt *time.Time
}

// LedgerQuery is which ledger rows CreditLedger reads; the zero value is
// the first 100 rows of any type.
type LedgerQuery struct {
	// EntryType keeps rows of this type only ("usage", "redeem", ...);
	// "" keeps every type.
	EntryType string
	// From keeps rows at or after it, To rows before it (years 1 to 9999,
	// microsecond precision); zero bounds nothing.
	From, To time.Time
	// Limit is the page size, 1 to 500; 0 is 100.
	Limit uint32
	// Offset is how many rows to skip.
	Offset uint64
}

// LedgerPage is one page of the credit ledger, newest first. Every
// pointer is nil when the service left the value out.
type LedgerPage struct {
	// Entries are the page's rows; never nil.
	Entries []LedgerEntry
	// Total is how many rows match the query over all pages.
	Total *int64
	// Limit is the page size the service used.
	Limit *int64
	// Offset is the offset of this page.
	Offset *int64
}

// LedgerEntry is one row of the credit ledger. Every pointer is nil when
// the service left the value out.
type LedgerEntry struct {
	// ID is the row's id.
	ID *string
	// EntryType is its type ("usage", "redeem", "grant", ...).
	EntryType *string
	// Delta is the credits it added (positive) or spent (negative).
	Delta *float64
	// MetricType is what it metered.
	MetricType *string
	// Category is its usage category.
	Category *string
	// CreatedAt is when it was written, UTC.
	CreatedAt *time.Time
}

// EstimateRequest is a usage to price. MetricType is required; Units is
// always sent, 0 included.
type EstimateRequest struct {
	// MetricType is what is metered, e.g. "llm_input_tokens".
	MetricType string
	// Units is how many units: finite and not negative.
	Units float64
	// ItemCount is how many items the units are spread over; 0 sends none.
	ItemCount uint64
	// Endpoint is the route the usage would go to; "" sends none.
	Endpoint string
	// Mode is the mode the usage would run in (e.g. "fast"); "" sends none.
	Mode string
}

// Redemption is what a redeemed credit code granted. Every pointer is nil
// when the service left the value out.
type Redemption struct {
	// RedemptionID is the redemption's id.
	RedemptionID *string
	// CreditsGranted is the credits the code granted.
	CreditsGranted *float64
	// NewBalance is the balance after the code.
	NewBalance *float64
	// ExpiresAt is when the granted credits expire, UTC.
	ExpiresAt *time.Time
}

// CreditBalance reads the account's credit balance; it is retried as reads
// are. Unconfirmed wire format (see the package documentation). If ctx
// ends first, CreditBalance returns its error at once, as MemoryStatus
// does.
func (c *Client) CreditBalance(ctx context.Context) (*CreditBalance, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	return inBackground(ctx, c.creditBalance)
}

func (c *Client) creditBalance() (*CreditBalance, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapCreditBalance
	var v C.synapgo_balance_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_credits_balance(c.handle, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_balance_release(out, &v)
	buckets := unsafe.Slice(v.buckets, int(v.bucket_count))
	balance := &CreditBalance{
		Credits:    float64(v.credits),
		ClientID:   optionalString(v.client_id),
		WarningLow: bool(v.warning_low),
		Buckets:    make([]CreditBucket, len(buckets)),
	}
	for i := range buckets {
		b := &buckets[i]
		balance.Buckets[i] = CreditBucket{
			SourceType: optionalString(b.source_type),
			Credits:    optionalFloat(b.has_credits, b.credits),
			ExpiresAt:  optionalTime(b.has_expires_at, b.expires_at_us),
		}
	}
	return balance, nil
}

// CreditLedger reads one page of the credit ledger, newest first; it is
// retried as reads are. A limit out of range or a time outside the years
// 1 to 9999 is ErrInvalidArgument before any request. Unconfirmed wire
// format (see the package documentation). If ctx ends first,
// CreditLedger returns its error at once, as MemoryStatus does.
func (c *Client) CreditLedger(ctx context.Context, query LedgerQuery) (*LedgerPage, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_ledger_query
	in.entry_type = m.optional("EntryType", query.EntryType)
	if !query.From.IsZero() {
		in.has_from = true
		in.from_us = m.micros("From", query.From)
	}
	if !query.To.IsZero() {
		in.has_to = true
		in.to_us = m.micros("To", query.To)
	}
	in.limit = C.uint32_t(query.Limit)
	in.offset = C.uint64_t(query.Offset)
	if m.err != nil {
		m.free()
		return nil, m.err
	}
	return inBackground(ctx, func() (*LedgerPage, error) {
		defer m.free()
		return c.creditLedger(&in)
	})
}

func (c *Client) creditLedger(in *C.synapgo_ledger_query) (*LedgerPage, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapLedgerPage
	var v C.synapgo_ledger_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_credits_ledger(c.handle, in, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synapgo_ledger_release(out, &v)
	entries := unsafe.Slice(v.entries, int(v.entry_count))
	page := &LedgerPage{
		Entries: make([]LedgerEntry, len(entries)),
		Total:   optionalInt(v.has_total, v.total),
		Limit:   optionalInt(v.has_limit, v.limit),
		Offset:  optionalInt(v.has_offset, v.offset),
	}
	for i := range entries {
		e := &entries[i]
		page.Entries[i] = LedgerEntry{
			ID:         optionalString(e.id),
			EntryType:  optionalString(e.entry_type),
			Delta:      optionalFloat(e.has_delta, e.delta),
			MetricType: optionalString(e.metric_type),
			Category:   optionalString(e.category),
			CreatedAt:  optionalTime(e.has_created_at, e.created_at_us),
		}
	}
	return page, nil
}

// EstimateCredits says what a usage would cost, in credits. It changes
// nothing, so it is retried as reads are. A missing metric type or units
// that are negative or not finite are ErrInvalidArgument before any
// request. Unconfirmed wire format (see the package documentation). If
// ctx ends first, EstimateCredits returns its error at once.
func (c *Client) EstimateCredits(ctx context.Context, req EstimateRequest) (float64, error) {
	if err := ctx.Err(); err != nil {
		return 0, contextError(err)
	}
	m := new(cMemory)
	var in C.synapgo_estimate_request
	in.metric_type = m.optional("MetricType", req.MetricType)
	in.units = C.double(req.Units)
	if req.ItemCount > 0 {
		in.has_item_count = true
		in.item_count = C.uint64_t(req.ItemCount)
	}
	in.endpoint = m.optional("Endpoint", req.Endpoint)
	in.mode = m.optional("Mode", req.Mode)
	if m.err != nil {
		m.free()
		return 0, m.err
	}
	return inBackground(ctx, func() (float64, error) {
		defer m.free()
		return c.estimateCredits(&in)
	})
}

func (c *Client) estimateCredits(in *C.synapgo_estimate_request) (float64, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return 0, ErrClosed
	}
	var credits C.double
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_credits_estimate(c.handle, in, &credits, &cerr) != C.SYNAP_OK {
		return 0, takeError(&cerr)
	}
	return float64(credits), nil
}

// RedeemCredits redeems a credit code (e.g. "SYN-XXXX-XXXX-XXXX-X"; white
// space around it is ignored). A malformed or unknown code is
// ErrInvalidRequest; one already redeemed, expired or exhausted is
// ErrInsufficientCredits. It is not idempotent: libsynap resends it only
// when the failure proves it had no effect. Unconfirmed wire format (see
// the package's credits notes). If ctx ends first, RedeemCredits returns
// its error at once, but the code may still be redeemed.
func (c *Client) RedeemCredits(ctx context.Context, code string) (*Redemption, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	ccode, refused := cID("credit code", code)
	if refused != nil {
		return nil, refused
	}
	return inBackground(ctx, func() (*Redemption, error) {
		defer C.free(unsafe.Pointer(ccode))
		return c.redeemCredits(ccode)
	})
}

func (c *Client) redeemCredits(code *C.char) (*Redemption, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	var out *C.SynapRedemption
	var v C.synapgo_redemption_view
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_credits_redeem(c.handle, code, &out, &v, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_redemption_free(out)
	return &Redemption{
		RedemptionID:   optionalString(v.id),
		CreditsGranted: optionalFloat(v.has_credits_granted, v.credits_granted),
		NewBalance:     optionalFloat(v.has_new_balance, v.new_balance),
		ExpiresAt:      optionalTime(v.has_expires_at, v.expires_at_us),
	}, nil
}
