package synap

// #include "shim.h"
import "C"

import (
	"context"
	"runtime/cgo"
	"strconv"
	"time"
)

// MaxInFlight is the most status requests WaitAll may have in flight.
const MaxInFlight = 64

// WaitAllOptions configures Client.WaitAll; the zero value is the default.
type WaitAllOptions struct {
	// Timeout bounds the whole wait; jobs still running then end with
	// ErrTimeout. 0 means none, so that only ctx ends the wait. The
	// context's deadline, if sooner, bounds it too.
	Timeout time.Duration
	// PollInterval is the pause between a job's answer and its next poll
	// (0: 2 s).
	PollInterval time.Duration
	// MaxInFlight is how many status requests may be in flight at once, 1
	// to MaxInFlight (0: 8): the load a bulk wait puts on the service.
	MaxInFlight int
	// Progress is called on the waiting goroutine after every change, with
	// the counts per state; returning false stops the wait, and jobs not
	// finished yet end with ErrCancelled. If it panics, the wait stops and
	// WaitAll panics with the same value.
	Progress func(WaitCounts) bool
}

// WaitCounts is how many jobs of a WaitAll are in each state.
type WaitCounts struct {
	// Pending jobs have not been polled yet.
	Pending int
	// Queued jobs were last seen queued.
	Queued int
	// Processing jobs were last seen processing (or in a state this
	// version does not know).
	Processing int
	// Completed, Failed and PartialSuccess jobs have finished so.
	Completed, Failed, PartialSuccess int
	// Errors counts jobs an error ended: a malformed id, a status error
	// after its retries, or (in the final counts) a job still running when
	// the wait ended.
	Errors int
}

// Done is how many jobs have a final answer: a terminal state or an error.
func (c WaitCounts) Done() int {
	return c.Completed + c.Failed + c.PartialSuccess + c.Errors
}

// WaitAllResult is what became of one job of a WaitAll.
type WaitAllResult struct {
	// IngestionID is the id as given.
	IngestionID string
	// Status is the job's terminal status (a failed job is a status, not
	// an error); nil when Err is set.
	Status *MemoryStatus
	// Err is what ended the job without a terminal status: ErrInvalidArgument
	// for a malformed id, a status request's error, ErrTimeout or
	// ErrCancelled when the wait ended first (wrapping the context's error
	// when ctx ended it).
	Err error
}

// WaitAllResults is the outcome of WaitAll.
type WaitAllResults struct {
	// Results has one entry per id, in the order given.
	Results []WaitAllResult
	// Counts are the final counts; nothing is left pending, queued or
	// processing.
	Counts WaitCounts
}

// waitAllProgress is what the C counts callback reaches through a cgo.Handle.
type waitAllProgress struct {
	callback
	fn func(WaitCounts) bool
}

//export synapgoWaitAllProgress
func synapgoWaitAllProgress(wp *C.SynapWaitProgress, handle C.uintptr_t) C.bool {
	p := cgo.Handle(handle).Value().(*waitAllProgress)
	counts := countsBy(func(state C.int) C.size_t { return C.synap_wait_progress_count(wp, state) })
	return p.call(func() bool { return p.fn(counts) })
}

// countsBy reads the count of each state with count, given a SynapWaitState.
func countsBy(count func(state C.int) C.size_t) WaitCounts {
	return WaitCounts{
		Pending:        int(count(C.SYNAP_WAIT_PENDING)),
		Queued:         int(count(C.SYNAP_WAIT_QUEUED)),
		Processing:     int(count(C.SYNAP_WAIT_PROCESSING)),
		Completed:      int(count(C.SYNAP_WAIT_COMPLETED)),
		Failed:         int(count(C.SYNAP_WAIT_FAILED)),
		PartialSuccess: int(count(C.SYNAP_WAIT_PARTIAL_SUCCESS)),
		Errors:         int(count(C.SYNAP_WAIT_ERROR)),
	}
}

// WaitAll waits for many ingestion jobs at once, e.g. those of a
// BatchCreate, polling at most opts.MaxInFlight of them at a time, until
// every job has a terminal state or an error, or the wait ends: at the
// timeout or ctx's deadline, when ctx is cancelled, or when the progress
// function returns false.
//
// Once the wait has run it returns one result per id, whatever became of
// each job, and a nil error: an unfinished job's result says why it did not
// finish. It fails as a whole, with no results, only when ctx has already
// ended, the client is closed, or opts or an id (one with a NUL byte) is
// refused; a malformed id is just that job's ErrInvalidArgument.
func (c *Client) WaitAll(ctx context.Context, ids []string, opts WaitAllOptions) (*WaitAllResults, error) {
	if opts.Timeout < 0 {
		return nil, invalid("wait timeout must not be negative")
	}
	inFlight := opts.MaxInFlight
	if inFlight == 0 {
		inFlight = 8
	}
	if inFlight < 1 || inFlight > MaxInFlight {
		return nil, invalid("MaxInFlight must be between 1 and " + strconv.Itoa(MaxInFlight) + ", not " +
			strconv.Itoa(opts.MaxInFlight))
	}
	intervalMs, refused := pollMillis(opts.PollInterval)
	if refused != nil {
		return nil, refused
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	timeoutMs, ok := waitMillis(ctx, opts.Timeout)
	if !ok {
		return nil, contextError(context.DeadlineExceeded)
	}
	var m cMemory
	defer m.free()
	cids := m.strs("ids", ids)
	if m.err != nil {
		return nil, m.err
	}

	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}

	cancel, release := cancelOnDone(ctx)
	defer release()

	settings := C.synapgo_wait_settings{timeout_ms: timeoutMs, poll_interval_ms: intervalMs,
		max_in_flight: C.uint32_t(inFlight), cancel: cancel}
	var p *waitAllProgress
	if opts.Progress != nil {
		p = &waitAllProgress{fn: opts.Progress}
		h := cgo.NewHandle(p)
		defer h.Delete()
		settings.progress = C.uintptr_t(h)
	}
	var out *C.SynapWaitAllResults
	cerr := C.synapgo_error{retry_after_ms: -1}
	code := C.synapgo_wait_all(c.handle, cids, C.size_t(len(ids)), &settings, &out, &cerr)
	var err *Error
	if code != C.SYNAP_OK {
		err = takeError(&cerr)
	}
	if p != nil {
		if p.panicked {
			C.synap_wait_all_free(out)
		}
		p.repanic()
	}
	if err != nil {
		return nil, err
	}
	defer C.synap_wait_all_free(out)

	// Whichever of libsynap's timeout and the trigger came first, the
	// context decides, as in Wait: deadline is ErrTimeout, cancel
	// ErrCancelled, both wrapping its error.
	cause := endedBy(ctx)
	results := &WaitAllResults{Results: make([]WaitAllResult, int(C.synap_wait_all_count(out)))}
	results.Counts = countsBy(func(state C.int) C.size_t { return C.synap_wait_all_count_in(out, state) })
	for i := range results.Results {
		r := &results.Results[i]
		r.IngestionID = ids[i]
		code := Code(C.synap_wait_all_code(out, C.size_t(i)))
		if code == Code(C.SYNAP_OK) {
			r.Status = copyStatus(C.synap_wait_all_status(out, C.size_t(i)))
			continue
		}
		e := &Error{Code: code}
		if message := C.synap_wait_all_error_message(out, C.size_t(i)); message != nil {
			e.Message = C.GoString(message)
		}
		if cause != nil && (code == CodeCancelled || code == CodeTimeout) {
			e = contextError(cause)
			e.Message = "ingestion " + ids[i] + " did not finish: " + cause.Error()
		}
		r.Err = e
	}
	return results, nil
}
