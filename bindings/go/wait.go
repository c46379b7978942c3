package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"math"
	"runtime/cgo"
	"strconv"
	"time"
	"unsafe"
)

// WaitOption configures Client.Wait.
type WaitOption func(*waitConfig)

type waitConfig struct {
	timeout  time.Duration
	interval time.Duration
	progress func(*MemoryStatus) bool
	// deletionProgress is WaitDeletion's; each wait refuses the other's.
	deletionProgress func(*DataDeletion) bool
}

// WithWaitTimeout bounds the whole wait; it ends with ErrTimeout when the
// time is up. The context's deadline, if sooner, bounds it too.
func WithWaitTimeout(d time.Duration) WaitOption {
	return func(w *waitConfig) { w.timeout = d }
}

// WithPollInterval sets the pause between polls (default 2 s).
func WithPollInterval(d time.Duration) WaitOption {
	return func(w *waitConfig) { w.interval = d }
}

// WithProgress calls fn after every poll, on the waiting goroutine, with
// the status just read; fn returning false stops the wait (ErrCancelled).
// If fn panics, the wait stops and Wait panics with the same value. It is
// Wait's option; WaitDeletion refuses it.
func WithProgress(fn func(*MemoryStatus) bool) WaitOption {
	return func(w *waitConfig) { w.progress = fn }
}

// callback carries a panic out of a Go function that C calls: a panic may
// not unwind through the C library, so it is kept, the C call is told to
// stop, and the Go caller re-raises it.
type callback struct {
	panicked bool
	value    interface{}
}

// call runs fn for C: its result, or false (stop) if it panicked.
func (c *callback) call(fn func() bool) (goOn C.bool) {
	returned := false
	defer func() {
		if !returned {
			// A flag, not recover() != nil, so that panic(nil) is kept too.
			c.panicked, c.value = true, recover()
			goOn = false
		}
	}()
	goOn = C.bool(fn())
	returned = true
	return goOn
}

// repanic re-raises, on the caller's goroutine, a panic call kept.
func (c *callback) repanic() {
	if c.panicked {
		panic(c.value)
	}
}

// progress is what the C progress callback reaches through a cgo.Handle.
type progress struct {
	callback
	fn func(*MemoryStatus) bool
}

//export synapgoProgress
func synapgoProgress(wp *C.SynapWaitProgress, handle C.uintptr_t) C.bool {
	p := cgo.Handle(handle).Value().(*progress)
	status := C.synap_wait_progress_status(wp)
	if status == nil {
		return true // nothing polled to report
	}
	return p.call(func() bool { return p.fn(copyStatus(status)) })
}

// cancelOnDone makes a C cancel handle that ctx's end triggers. release
// stops watching ctx and then frees the handle; call it once the C call
// that uses the handle has returned.
func cancelOnDone(ctx context.Context) (cancel *C.SynapCancel, release func()) {
	cancel = C.synap_cancel_new()
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
			C.synap_cancel_trigger(cancel)
		case <-stop:
		}
	}()
	return cancel, func() {
		close(stop)
		<-stopped
		C.synap_cancel_free(cancel)
	}
}

// millis checks the wait's settings and ctx, then gives libsynap's
// timeout and poll interval for them.
func (w *waitConfig) millis(ctx context.Context) (timeoutMs, intervalMs C.uint32_t, refused *Error) {
	if w.timeout < 0 || w.interval < 0 {
		return 0, 0, invalid("wait timeout and poll interval must not be negative")
	}
	if err := ctx.Err(); err != nil {
		return 0, 0, contextError(err)
	}
	timeoutMs, ok := waitMillis(ctx, w.timeout)
	if !ok {
		return 0, 0, contextError(context.DeadlineExceeded)
	}
	intervalMs, refused = pollMillis(w.interval)
	return timeoutMs, intervalMs, refused
}

// pollMillis is a poll interval in libsynap's milliseconds, rounded up.
func pollMillis(interval time.Duration) (C.uint32_t, *Error) {
	ms := (interval + time.Millisecond - 1) / time.Millisecond
	if interval < 0 || ms > math.MaxUint32 {
		return 0, invalid("poll interval must be between 0 and 2^32-1 ms")
	}
	return C.uint32_t(ms), nil
}

// waitMillis is the C timeout for a wait: the sooner of the option and the
// context's deadline; with neither, as long as libsynap allows, so that
// only ctx ends the wait.
func waitMillis(ctx context.Context, timeout time.Duration) (C.uint32_t, bool) {
	if deadline, ok := ctx.Deadline(); ok {
		if left := time.Until(deadline); timeout <= 0 || left < timeout {
			timeout = left
		}
	}
	if timeout == 0 {
		return math.MaxUint32, true
	}
	ms := (timeout + time.Millisecond - 1) / time.Millisecond
	if ms <= 0 {
		return 0, false
	}
	if ms > math.MaxUint32 {
		ms = math.MaxUint32
	}
	return C.uint32_t(ms), true
}

// Wait polls the job's status until it is completed, failed or
// partial_success, and returns that status (a failed job is a status, not
// an error). It ends early with ErrTimeout when the timeout or the
// context's deadline passes, with ErrCancelled when ctx is cancelled or the
// progress function returns false (both errors wrap the context's error
// when ctx ended the wait), or with a poll's error after its retries.
func (c *Client) Wait(ctx context.Context, id string, opts ...WaitOption) (*MemoryStatus, error) {
	w, refused := newWaitConfig(opts)
	if refused != nil {
		return nil, refused
	}
	if w.deletionProgress != nil {
		return nil, invalid("WithDeletionProgress is WaitDeletion's option; Wait reports with WithProgress")
	}
	var p reporter // nil: no progress function
	if w.progress != nil {
		p = &progress{fn: w.progress}
	}
	var out *C.SynapMemoryStatus
	err := c.runWait(ctx, w, "ingestion id", id, p,
		func(client *C.SynapClient, cid *C.char, settings *C.synapgo_wait_settings, cerr *C.synapgo_error) C.int {
			return C.synapgo_wait(client, cid, settings, &out, cerr)
		})
	if err != nil {
		return nil, err
	}
	defer C.synap_status_free(out)
	return copyStatus(out), nil
}

// reporter is a wait's progress function as the C callback reaches it.
type reporter interface {
	repanic()
}

// waitPoll is the shim's wait call: it polls id on client with settings
// and fills in cerr when it returns another code than SYNAP_OK.
type waitPoll func(client *C.SynapClient, id *C.char, settings *C.synapgo_wait_settings, cerr *C.synapgo_error) C.int

// runWait is what Wait and WaitDeletion share around their C call: it
// checks w's settings and ctx, converts id (idName names it in a
// refusal), holds the client open, lets ctx's end cancel the wait and
// hands p (nil for none) to the C progress callback; then it runs poll,
// re-raises a panic of the progress function and gives the error the wait
// ended with, or nil.
func (c *Client) runWait(ctx context.Context, w *waitConfig, idName, id string, p reporter, poll waitPoll) error {
	timeoutMs, intervalMs, refused := w.millis(ctx)
	if refused != nil {
		return refused
	}
	cid, refused := cID(idName, id)
	if refused != nil {
		return refused
	}
	defer C.free(unsafe.Pointer(cid))

	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return ErrClosed
	}

	cancel, release := cancelOnDone(ctx)
	defer release()

	settings := C.synapgo_wait_settings{timeout_ms: timeoutMs, poll_interval_ms: intervalMs, cancel: cancel}
	if p != nil {
		h := cgo.NewHandle(p)
		defer h.Delete()
		settings.progress = C.uintptr_t(h)
	}
	cerr := C.synapgo_error{retry_after_ms: -1}
	code := poll(c.handle, cid, &settings, &cerr)
	var err *Error
	if code != C.SYNAP_OK {
		err = takeError(&cerr)
	}
	if p != nil {
		p.repanic()
	}
	if err != nil {
		return waitError(ctx, err)
	}
	return nil
}

// newWaitConfig applies opts, refusing a nil one.
func newWaitConfig(opts []WaitOption) (*waitConfig, *Error) {
	w := new(waitConfig)
	for i, opt := range opts {
		if opt == nil {
			return nil, invalid("wait option " + strconv.Itoa(i) + " is nil")
		}
		opt(w)
	}
	return w, nil
}

// waitError is the error a wait ended with. Whichever of libsynap's
// timeout and the cancel trigger came first, the context decides when it
// has ended: deadline is ErrTimeout, cancel ErrCancelled, both wrapping
// its error.
func waitError(ctx context.Context, err *Error) *Error {
	if cause := endedBy(ctx); cause != nil && (err.Code == CodeCancelled || err.Code == CodeTimeout) {
		return contextError(cause)
	}
	return err
}

// endedBy is the context's error, also for a deadline that has passed but
// whose timer has not yet fired.
func endedBy(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if deadline, ok := ctx.Deadline(); ok && !time.Now().Before(deadline) {
		return context.DeadlineExceeded
	}
	return nil
}
