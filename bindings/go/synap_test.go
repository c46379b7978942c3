package synap_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

const unknownID = "00000000-0000-4000-8000-000000000000"

// newClient is a client for the emulator with one attempt per call, so a
// scripted fault is the call's result.
func newClient(t *testing.T, opts ...synap.Option) *synap.Client {
	t.Helper()
	opts = append([]synap.Option{synap.WithBaseURL(emulatorURL), synap.WithMaxAttempts(1)}, opts...)
	client, err := synap.NewClient(devKey, opts...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}

func asError(t *testing.T, err error, want *synap.Error) *synap.Error {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("got %v, want %v", err, want)
	}
	var e *synap.Error
	if !errors.As(err, &e) {
		t.Fatalf("%v is not a *synap.Error", err)
	}
	return e
}

func TestVersionIsTheLibrarys(t *testing.T) {
	if v := synap.Version(); len(strings.Split(v, ".")) != 3 {
		t.Fatalf("Version() = %q", v)
	}
}

func TestCompletedJobIsCopiedOut(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"document_id": "go-doc", "memories": 3})
	before := time.Now()
	status, err := client.MemoryStatus(context.Background(), strings.ToUpper(id))
	if err != nil {
		t.Fatal(err)
	}
	if status.IngestionID != id || status.DocumentID != "go-doc" || status.State != synap.StateCompleted {
		t.Fatalf("%+v", status)
	}
	if !status.State.IsTerminal() || status.MemoriesCreated != 3 || len(status.MemoryIDs) != 3 {
		t.Fatalf("%+v", status)
	}
	if status.StartedAt == nil || status.CompletedAt == nil || status.ErrorMessage != nil {
		t.Fatalf("%+v", status)
	}
	if status.QueuedAt.Location() != time.UTC || status.QueuedAt.After(before.Add(time.Second)) ||
		status.QueuedAt.Before(before.Add(-time.Minute)) || status.CompletedAt.Before(status.QueuedAt) {
		t.Fatalf("times: %v %v %v (now %v)", status.QueuedAt, status.StartedAt, status.CompletedAt, before)
	}
	for _, m := range status.MemoryIDs {
		if m == "" {
			t.Fatalf("empty memory id in %v", status.MemoryIDs)
		}
	}
}

func TestQueuedAndFailedJobs(t *testing.T) {
	client := newClient(t)
	queued := job(t, map[string]interface{}{"processing_after_ms": 3600000, "done_after_ms": 7200000})
	status, err := client.MemoryStatus(context.Background(), queued)
	if err != nil {
		t.Fatal(err)
	}
	if status.State != synap.StateQueued || status.State.IsTerminal() || status.StartedAt != nil ||
		status.CompletedAt != nil || status.MemoryIDs == nil || len(status.MemoryIDs) != 0 {
		t.Fatalf("%+v", status)
	}

	failed := job(t, map[string]interface{}{"final_status": "failed", "memories": 0, "error_message": "boom"})
	status, err = client.MemoryStatus(context.Background(), failed)
	if err != nil {
		t.Fatal(err)
	}
	if status.State != synap.StateFailed || status.ErrorMessage == nil || *status.ErrorMessage != "boom" {
		t.Fatalf("%+v", status)
	}
}

func TestNotFoundHasItsDetails(t *testing.T) {
	client := newClient(t)
	_, err := client.MemoryStatus(context.Background(), unknownID)
	e := asError(t, err, synap.ErrNotFound)
	if e.Code != synap.CodeNotFound || e.HTTPStatus != 404 || !strings.HasPrefix(e.CorrelationID, "syn__") ||
		e.Message != "HTTP 404: Ingestion job not found" || e.RetryAfter != nil {
		t.Fatalf("%#v", e)
	}
	if errors.Is(err, synap.ErrAuth) {
		t.Fatal("a not-found error is not ErrAuth")
	}
	if want := "synap: SYNAP_NOT_FOUND: HTTP 404: Ingestion job not found (correlation id syn__"; !strings.HasPrefix(err.Error(), want) {
		t.Fatalf("Error() = %q", err.Error())
	}
}

func TestInvalidIDIsRefusedBeforeAnyRequest(t *testing.T) {
	client := newClient(t)
	_, err := client.MemoryStatus(context.Background(), "../../x")
	e := asError(t, err, synap.ErrInvalidArgument)
	if e.HTTPStatus != 0 || e.CorrelationID != "" || !strings.Contains(e.Message, "not a UUID") {
		t.Fatalf("%#v", e)
	}
	// C would read the id only up to the NUL: a valid id with a tail.
	id := job(t, map[string]interface{}{"memories": 1})
	_, err = client.MemoryStatus(context.Background(), id+"\x00tail")
	if e := asError(t, err, synap.ErrInvalidArgument); e.Message != "ingestion id contains a NUL byte" {
		t.Fatalf("%#v", e)
	}
	_, err = client.Wait(context.Background(), id+"\x00tail")
	asError(t, err, synap.ErrInvalidArgument)
}

func TestWrongKeyIsErrAuth(t *testing.T) {
	client, err := synap.NewClient("synap_wrong_key", synap.WithBaseURL(emulatorURL))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	_, err = client.MemoryStatus(context.Background(), unknownID)
	if e := asError(t, err, synap.ErrAuth); e.HTTPStatus != 401 || strings.Contains(e.Error(), "synap_wrong_key") {
		t.Fatalf("%#v", e)
	}
}

func TestRateLimitCarriesRetryAfter(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"memories": 1})
	fault(t, id, 1, map[string]interface{}{"kind": "respond", "status": 429,
		"headers": map[string]string{"Retry-After": "7"}, "body": `{"detail":"Rate limit exceeded"}`})
	_, err := client.MemoryStatus(context.Background(), id)
	e := asError(t, err, synap.ErrRateLimited)
	if e.HTTPStatus != 429 || e.RetryAfter == nil || *e.RetryAfter != 7*time.Second {
		t.Fatalf("%#v", e)
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	client := newClient(t, synap.WithMaxAttempts(3), synap.WithRetryBackoff(time.Millisecond, 5*time.Millisecond))
	id := job(t, map[string]interface{}{"memories": 1})
	fault(t, id, 2, map[string]interface{}{"kind": "respond", "status": 503, "body": "{}"})
	if status, err := client.MemoryStatus(context.Background(), id); err != nil || status.State != synap.StateCompleted {
		t.Fatalf("%+v %v", status, err)
	}
	fault(t, id, 3, map[string]interface{}{"kind": "respond", "status": 503, "body": "{}"})
	_, err := client.MemoryStatus(context.Background(), id)
	if e := asError(t, err, synap.ErrServer); e.HTTPStatus != 503 {
		t.Fatalf("%#v", e)
	}
}

func TestRefusedOptionsFailNewClient(t *testing.T) {
	cases := []struct {
		option synap.Option
		inMsg  string
	}{
		{synap.WithBaseURL("not a url"), "base_url"},
		{synap.WithCAFile("/nonexistent/ca.pem"), "/nonexistent/ca.pem"},
		{synap.WithMaxAttempts(0), "attempts"},
		{synap.WithConnectTimeout(0), "connect"},
		{synap.WithRequestTimeout(-time.Second), "request timeout"},
	}
	for _, c := range cases {
		client, err := synap.NewClient(devKey, c.option)
		if client != nil {
			t.Fatalf("a client despite a refused option")
		}
		if e := asError(t, err, synap.ErrInvalidArgument); !strings.Contains(e.Message, c.inMsg) {
			t.Errorf("message %q does not mention %q", e.Message, c.inMsg)
		}
	}
	if _, err := synap.NewClient("key with spaces"); !errors.Is(err, synap.ErrInvalidArgument) {
		t.Fatalf("got %v", err)
	}
}

// C reads a string up to its first NUL byte, so a string option or key
// holding one would be cut short, maybe to a valid value.
func TestNULInAStringOptionIsRefused(t *testing.T) {
	ca := writeCA(t)
	cases := []struct {
		key    string
		option func(string) synap.Option
		value  string // cut short at the NUL, a value NewClient accepts
		want   string
	}{
		{devKey, synap.WithBaseURL, emulatorURL + "\x00.example.com", "base URL contains a NUL byte"},
		{devKey, synap.WithProxy, emulatorURL + "\x00tail", "proxy URL contains a NUL byte"},
		{devKey, synap.WithCAFile, ca + "\x00.bak", "CA file path contains a NUL byte"},
		{devKey + "\x00tail", synap.WithBaseURL, emulatorURL, "API key contains a NUL byte"},
	}
	before := len(sentAll(t))
	for _, c := range cases {
		base, once := synap.WithBaseURL(emulatorURL), synap.WithMaxAttempts(1)
		prefix := func(s string) string { return strings.SplitN(s, "\x00", 2)[0] }
		if client, err := synap.NewClient(prefix(c.key), base, once, c.option(prefix(c.value))); err != nil {
			t.Fatalf("%s: the value before the NUL byte is refused: %v", c.want, err)
		} else {
			client.Close()
		}
		client, err := synap.NewClient(c.key, base, once, c.option(c.value))
		if client != nil {
			// What a cut-short value does: a request, which the check below sees.
			client.MemoryStatus(context.Background(), unknownID)
			client.Close()
			t.Errorf("%s: a client despite the NUL byte", c.want)
			continue
		}
		if e := asError(t, err, synap.ErrInvalidArgument); e.Message != c.want || e.HTTPStatus != 0 || e.CorrelationID != "" {
			t.Errorf("%#v, want %q", e, c.want)
		}
	}
	for _, r := range sentAll(t)[before:] {
		t.Errorf("the emulator received %s %s", r["method"], r["path"])
	}
}

// writeCA writes a self-signed CA certificate as a PEM file and returns its path.
func writeCA(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "synap Go test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNilOptionIsRefused(t *testing.T) {
	if _, err := synap.NewClient(devKey, synap.WithBaseURL(emulatorURL), nil); !errors.Is(err, synap.ErrInvalidArgument) {
		t.Fatalf("NewClient: got %v", err)
	}
	client := newClient(t)
	if _, err := client.Wait(context.Background(), unknownID, nil); !errors.Is(err, synap.ErrInvalidArgument) {
		t.Fatalf("Wait: got %v", err)
	}
}

func TestDeadlineBoundsACall(t *testing.T) {
	client := newClient(t, synap.WithDeadline(300*time.Millisecond))
	id := job(t, map[string]interface{}{"memories": 1})
	fault(t, id, 1, map[string]interface{}{"kind": "delay", "ms": 3000})
	started := time.Now()
	_, err := client.MemoryStatus(context.Background(), id)
	asError(t, err, synap.ErrTimeout)
	if took := time.Since(started); took > 2*time.Second {
		t.Fatalf("took %v despite a 300 ms deadline", took)
	}
}

// Goroutines move between OS threads, and libsynap's error details are per
// thread: each error must still be the one of its own call.
func TestManyGoroutinesShareOneClient(t *testing.T) {
	const goroutines, calls = 32, 50
	client := newClient(t)
	id := job(t, map[string]interface{}{"memories": 2})
	var wg sync.WaitGroup
	failures := make(chan string, goroutines*calls)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				switch (g + i) % 3 {
				case 0:
					status, err := client.MemoryStatus(context.Background(), id)
					if err != nil || status.IngestionID != id || len(status.MemoryIDs) != 2 {
						failures <- fmt.Sprintf("ok call: %+v %v", status, err)
					}
				case 1:
					_, err := client.MemoryStatus(context.Background(), unknownID)
					var e *synap.Error
					if !errors.As(err, &e) || e.Code != synap.CodeNotFound || e.HTTPStatus != 404 || e.CorrelationID == "" {
						failures <- fmt.Sprintf("not found call: %#v", err)
					}
				default:
					_, err := client.MemoryStatus(context.Background(), fmt.Sprintf("bad-%d-%d", g, i))
					var e *synap.Error
					if !errors.As(err, &e) || e.Code != synap.CodeInvalidArgument || e.HTTPStatus != 0 ||
						e.CorrelationID != "" || !strings.Contains(e.Message, "not a UUID") {
						failures <- fmt.Sprintf("invalid call: %#v", err)
					}
				}
			}
		}(g)
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}

func TestWaitReportsProgressUntilDone(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"processing_after_ms": 200, "done_after_ms": 600, "memories": 1})
	var seen []synap.State
	status, err := client.Wait(context.Background(), id, synap.WithPollInterval(50*time.Millisecond),
		synap.WithWaitTimeout(10*time.Second), synap.WithProgress(func(s *synap.MemoryStatus) bool {
			if len(seen) == 0 || seen[len(seen)-1] != s.State {
				seen = append(seen, s.State)
			}
			return true
		}))
	if err != nil || status.State != synap.StateCompleted || status.MemoriesCreated != 1 {
		t.Fatalf("%+v %v", status, err)
	}
	want := []synap.State{synap.StateQueued, synap.StateProcessing, synap.StateCompleted}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Fatalf("states seen %v, want %v", seen, want)
	}
}

func TestWaitStopsWhenTheContextIsCancelled(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"done_after_ms": 3600000})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	started := time.Now()
	_, err := client.Wait(ctx, id, synap.WithPollInterval(50*time.Millisecond))
	took := time.Since(started)
	if !errors.Is(err, synap.ErrCancelled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if took < 150*time.Millisecond || took > 2*time.Second {
		t.Fatalf("returned after %v, cancelled after 200 ms", took)
	}
	// A cancelled context stops the next call before it starts.
	if _, err := client.Wait(ctx, id); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
}

func TestWaitEndsAtTheContextDeadline(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"done_after_ms": 3600000})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := client.Wait(ctx, id, synap.WithPollInterval(50*time.Millisecond), synap.WithWaitTimeout(time.Minute))
	if !errors.Is(err, synap.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(started); took < 250*time.Millisecond || took > 2*time.Second {
		t.Fatalf("returned after %v, deadline 300 ms", took)
	}
	// Its own timeout, with no context deadline, is libsynap's ErrTimeout.
	_, err = client.Wait(context.Background(), id, synap.WithWaitTimeout(200*time.Millisecond))
	if e := asError(t, err, synap.ErrTimeout); errors.Is(err, context.DeadlineExceeded) || e.Message == "" {
		t.Fatalf("got %#v", err)
	}
}

func TestProgressReturningFalseCancels(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"done_after_ms": 3600000})
	polls := 0
	_, err := client.Wait(context.Background(), id, synap.WithPollInterval(10*time.Millisecond),
		synap.WithProgress(func(*synap.MemoryStatus) bool { polls++; return polls < 3 }))
	if !errors.Is(err, synap.ErrCancelled) || errors.Is(err, context.Canceled) || polls != 3 {
		t.Fatalf("got %v after %d polls", err, polls)
	}
}

func TestProgressPanicReachesTheCaller(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"done_after_ms": 3600000})
	defer func() {
		if got := recover(); got != "from progress" {
			t.Fatalf("recovered %v", got)
		}
	}()
	client.Wait(context.Background(), id, synap.WithPollInterval(10*time.Millisecond),
		synap.WithProgress(func(*synap.MemoryStatus) bool { panic("from progress") }))
	t.Fatal("Wait returned")
}

func TestWaitPassesOnAPollError(t *testing.T) {
	client := newClient(t)
	_, err := client.Wait(context.Background(), unknownID, synap.WithWaitTimeout(5*time.Second))
	if e := asError(t, err, synap.ErrNotFound); e.HTTPStatus != 404 {
		t.Fatalf("%#v", e)
	}
}

func TestStatusReturnsWhenTheContextEnds(t *testing.T) {
	client := newClient(t)
	id := job(t, map[string]interface{}{"memories": 1})
	fault(t, id, 1, map[string]interface{}{"kind": "delay", "ms": 1500})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	_, err := client.MemoryStatus(ctx, id)
	if !errors.Is(err, synap.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
	if took := time.Since(started); took > time.Second {
		t.Fatalf("returned after %v", took)
	}
	// Close waits for the abandoned request rather than freeing under it.
	client.Close()
	if took := time.Since(started); took < time.Second {
		t.Fatalf("Close returned after %v, while the request takes 1.5 s", took)
	}
}

func TestCallsAfterCloseFail(t *testing.T) {
	client := newClient(t)
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	client.Close()
	if _, err := client.MemoryStatus(context.Background(), unknownID); err != synap.ErrClosed {
		t.Fatalf("got %v", err)
	}
	if _, err := client.Wait(context.Background(), unknownID); err != synap.ErrClosed {
		t.Fatalf("got %v", err)
	}
}
