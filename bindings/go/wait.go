package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"math"
	"runtime/cgo"
	"time"
	"unsafe"
)

// WaitOption configures Client.Wait.
type WaitOption func(*waitConfig)

type waitConfig struct {
	timeout  time.Duration
	interval time.Duration
	progress func(*MemoryStatus) bool
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
// If fn panics, the wait stops and Wait panics with the same value.
func WithProgress(fn func(*MemoryStatus) bool) WaitOption {
	return func(w *waitConfig) { w.progress = fn }
}

// progress is what the C progress callback reaches through a cgo.Handle.
type progress struct {
	fn       func(*MemoryStatus) bool
	panicked bool
	value    interface{}
}

//export synapgoProgress
func synapgoProgress(status *C.SynapMemoryStatus, handle C.uintptr_t) (goOn C.bool) {
	p := cgo.Handle(handle).Value().(*progress)
	// A panic may not unwind through the C library: keep it, stop the
	// wait, and let Wait re-raise it. (A flag, not recover() != nil, so
	// that panic(nil) is kept too.)
	returned := false
	defer func() {
		if !returned {
			p.panicked, p.value = true, recover()
			goOn = false
		}
	}()
	goOn = C.bool(p.fn(copyStatus(status)))
	returned = true
	return goOn
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
	var w waitConfig
	for _, opt := range opts {
		opt(&w)
	}
	if w.timeout < 0 || w.interval < 0 {
		return nil, invalid("wait timeout and poll interval must not be negative")
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	timeoutMs, ok := waitMillis(ctx, w.timeout)
	if !ok {
		return nil, contextError(context.DeadlineExceeded)
	}
	intervalMs := (w.interval + time.Millisecond - 1) / time.Millisecond
	if intervalMs > math.MaxUint32 {
		return nil, invalid("poll interval must be at most 2^32-1 ms")
	}

	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}

	cancel := C.synap_cancel_new()
	defer C.synap_cancel_free(cancel)
	// Turns ctx's end into a trigger of the C cancel handle; it has stopped
	// before the handle is freed.
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
			C.synap_cancel_trigger(cancel)
		case <-stop:
		}
	}()
	defer func() { close(stop); <-stopped }()

	var handle C.uintptr_t
	var p *progress
	if w.progress != nil {
		p = &progress{fn: w.progress}
		h := cgo.NewHandle(p)
		defer h.Delete()
		handle = C.uintptr_t(h)
	}
	cid := C.CString(id)
	defer C.free(unsafe.Pointer(cid))
	var out *C.SynapMemoryStatus
	cerr := C.synapgo_error{retry_after_ms: -1}
	code := C.synapgo_wait(c.handle, cid, timeoutMs, C.uint32_t(intervalMs), handle, cancel, &out, &cerr)
	var err *Error
	if code != C.SYNAP_OK {
		err = takeError(&cerr)
	}
	if p != nil && p.panicked {
		panic(p.value)
	}
	if err != nil {
		if cause := endedBy(ctx); cause != nil && (err.Code == CodeCancelled || err.Code == CodeTimeout) {
			// Whichever of libsynap's timeout and the trigger came first,
			// the context decides: deadline is ErrTimeout, cancel ErrCancelled.
			return nil, contextError(cause)
		}
		return nil, err
	}
	defer C.synap_status_free(out)
	return copyStatus(out), nil
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
