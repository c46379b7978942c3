package synap_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	synap "github.com/synap/libsynap/bindings/go"
)

func TestWaitAllEndsEachJobItsOwnWay(t *testing.T) {
	fastCreates(t)
	client := newClient(t)
	created, err := client.Create(context.Background(), synap.CreateRequest{Text: "I like green tea in the morning."})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{
		job(t, map[string]interface{}{"processing_after_ms": 50, "done_after_ms": 150, "memories": 2}),
		job(t, map[string]interface{}{"done_after_ms": 100, "final_status": "failed", "error_message": "bad"}),
		created.IngestionID,
		"not-a-uuid",
		job(t, map[string]interface{}{"done_after_ms": 3600000}),
	}
	var seen []synap.WaitCounts
	ctx, cancel := context.WithTimeout(context.Background(), 1200*time.Millisecond)
	defer cancel()
	started := time.Now()
	results, err := client.WaitAll(ctx, ids, synap.WaitAllOptions{
		PollInterval: 30 * time.Millisecond,
		MaxInFlight:  2,
		Progress: func(c synap.WaitCounts) bool {
			seen = append(seen, c)
			return true
		},
	})
	took := time.Since(started)
	if err != nil {
		t.Fatal(err)
	}
	if took < 1100*time.Millisecond || took > 3*time.Second {
		t.Fatalf("returned after %v, deadline 1.2 s", took)
	}
	if len(results.Results) != len(ids) {
		t.Fatalf("%d results for %d ids", len(results.Results), len(ids))
	}
	for i, r := range results.Results {
		if r.IngestionID != ids[i] || (r.Status == nil) == (r.Err == nil) {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	completed, failed, fromCreate := results.Results[0], results.Results[1], results.Results[2]
	if completed.Status.State != synap.StateCompleted || completed.Status.IngestionID != ids[0] || len(completed.Status.MemoryIDs) != 2 {
		t.Fatalf("%+v", completed.Status)
	}
	if failed.Status.State != synap.StateFailed || failed.Status.ErrorMessage == nil || *failed.Status.ErrorMessage != "bad" {
		t.Fatalf("%+v", failed.Status)
	}
	if fromCreate.Status.State != synap.StateCompleted {
		t.Fatalf("%+v", fromCreate.Status)
	}
	if e := asError(t, results.Results[3].Err, synap.ErrInvalidArgument); !strings.Contains(e.Message, "not-a-uuid") {
		t.Fatalf("%#v", e)
	}
	never := results.Results[4].Err
	if !errors.Is(never, synap.ErrTimeout) || !errors.Is(never, context.DeadlineExceeded) {
		t.Fatalf("the unfinished job: %v", never)
	}
	want := synap.WaitCounts{Completed: 2, Failed: 1, Errors: 2}
	if results.Counts != want || results.Counts.Done() != 5 {
		t.Fatalf("final counts %+v, want %+v", results.Counts, want)
	}

	if len(seen) < 2 {
		t.Fatalf("progress seen %d times", len(seen))
	}
	if seen[0].Pending != 4 || seen[0].Errors != 1 {
		t.Fatalf("first counts %+v: the bad id is an error before any poll", seen[0])
	}
	for i := 1; i < len(seen); i++ {
		if seen[i].Done() < seen[i-1].Done() {
			t.Fatalf("done went down: %+v", seen)
		}
	}
	for _, c := range seen {
		if c.Done()+c.Pending+c.Queued+c.Processing != len(ids) {
			t.Fatalf("counts %+v do not add up to %d jobs", c, len(ids))
		}
	}
	last := seen[len(seen)-1]
	if last.Completed != 2 || last.Failed != 1 || last.Queued+last.Processing != 1 {
		t.Fatalf("last counts %+v", last)
	}
}

func TestWaitAllBoundsRequestsInFlight(t *testing.T) {
	client := newClient(t)
	var ids []string
	for i := 0; i < 6; i++ {
		id := job(t, map[string]interface{}{"done_after_ms": 0})
		fault(t, id, 1, map[string]interface{}{"kind": "delay", "ms": 150})
		ids = append(ids, id)
	}
	started := time.Now()
	results, err := client.WaitAll(context.Background(), ids, synap.WaitAllOptions{
		Timeout: 20 * time.Second, PollInterval: 10 * time.Millisecond, MaxInFlight: 2})
	took := time.Since(started)
	if err != nil || results.Counts.Completed != 6 {
		t.Fatalf("%+v %v", results, err)
	}
	// Six slow answers, two at a time: three rounds of 150 ms at least.
	if took < 450*time.Millisecond || took > 3*time.Second {
		t.Fatalf("took %v", took)
	}
}

func TestWaitAllStopsWhenCancelled(t *testing.T) {
	client := newClient(t)
	done := job(t, map[string]interface{}{"done_after_ms": 0})
	never := job(t, map[string]interface{}{"done_after_ms": 3600000})
	ids := []string{done, never}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	started := time.Now()
	results, err := client.WaitAll(ctx, ids, synap.WaitAllOptions{PollInterval: 10 * time.Second})
	if took := time.Since(started); err != nil || took > 1500*time.Millisecond {
		t.Fatalf("%v after %v", err, took)
	}
	if results.Results[0].Err != nil || results.Results[0].Status.State != synap.StateCompleted {
		t.Fatalf("%+v", results.Results[0])
	}
	if e := results.Results[1].Err; !errors.Is(e, synap.ErrCancelled) || !errors.Is(e, context.Canceled) {
		t.Fatalf("got %v", e)
	}
	if _, err := client.WaitAll(ctx, ids, synap.WaitAllOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("an ended context: got %v", err)
	}

	// Progress returning false cancels without a context error; its own
	// timeout, with no context deadline, is libsynap's ErrTimeout.
	results, err = client.WaitAll(context.Background(), ids, synap.WaitAllOptions{
		PollInterval: 20 * time.Millisecond,
		Progress:     func(c synap.WaitCounts) bool { return c.Done() < 1 },
	})
	if err != nil {
		t.Fatal(err)
	}
	if e := results.Results[1].Err; !errors.Is(e, synap.ErrCancelled) || errors.Is(e, context.Canceled) {
		t.Fatalf("got %v", e)
	}
	results, err = client.WaitAll(context.Background(), ids, synap.WaitAllOptions{
		Timeout: 300 * time.Millisecond, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	e := asError(t, results.Results[1].Err, synap.ErrTimeout)
	if errors.Is(e, context.DeadlineExceeded) || !strings.Contains(e.Message, "did not complete within 300 ms") {
		t.Fatalf("%#v", e)
	}
}

func TestWaitAllProgressPanicReachesTheCaller(t *testing.T) {
	client := newClient(t)
	ids := []string{job(t, map[string]interface{}{"done_after_ms": 3600000})}
	defer func() {
		if got := recover(); got != "from counts" {
			t.Fatalf("recovered %v", got)
		}
	}()
	client.WaitAll(context.Background(), ids, synap.WaitAllOptions{
		PollInterval: 10 * time.Millisecond,
		Progress:     func(synap.WaitCounts) bool { panic("from counts") },
	})
	t.Fatal("WaitAll returned")
}

func TestWaitAllRefusesBadOptions(t *testing.T) {
	client := newClient(t)
	ids := []string{unknownID}
	cases := []struct {
		opts  synap.WaitAllOptions
		inMsg string
	}{
		{synap.WaitAllOptions{MaxInFlight: 65}, "MaxInFlight must be between 1 and 64, not 65"},
		{synap.WaitAllOptions{MaxInFlight: -1}, "not -1"},
		{synap.WaitAllOptions{Timeout: -time.Second}, "timeout"},
		{synap.WaitAllOptions{PollInterval: -time.Second}, "poll interval"},
	}
	for _, c := range cases {
		results, err := client.WaitAll(context.Background(), ids, c.opts)
		if e := asError(t, err, synap.ErrInvalidArgument); results != nil || !strings.Contains(e.Message, c.inMsg) {
			t.Errorf("%+v: %#v", c.opts, e)
		}
	}
	_, err := client.WaitAll(context.Background(), []string{unknownID, "a\x00b"}, synap.WaitAllOptions{})
	if e := asError(t, err, synap.ErrInvalidArgument); e.Message != "ids[1] contains a NUL byte" {
		t.Fatalf("%#v", e)
	}
	results, err := client.WaitAll(context.Background(), nil, synap.WaitAllOptions{Timeout: time.Second})
	if err != nil || len(results.Results) != 0 || results.Counts.Done() != 0 {
		t.Fatalf("no ids: %+v %v", results, err)
	}
}
