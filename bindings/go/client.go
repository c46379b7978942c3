package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Version is the linked libsynap's version, "MAJOR.MINOR.PATCH".
func Version() string {
	return C.GoString(C.synap_version())
}

// Client is a connection to the Synap service. Any number of goroutines may
// use one at once; sharing one reuses its kept-alive connections.
type Client struct {
	// Calls hold the read lock while they use the handle; Close takes the
	// write lock, so it never frees a handle a call is using.
	mu     sync.RWMutex
	handle *C.SynapClient
}

// Option configures NewClient.
type Option func(*settings)

type settings struct {
	c       C.synapgo_settings
	strings []*C.char // C copies of the string options, freed after use
	err     *Error    // the first option the binding refused
}

// cString is a C copy of a string option. A NUL byte would end the string
// early in C, so a value with one is refused.
func (s *settings) cString(what, value string) *C.char {
	if strings.IndexByte(value, 0) >= 0 {
		if s.err == nil {
			s.err = invalid(what + " contains a NUL byte")
		}
		return nil
	}
	p := C.CString(value)
	s.strings = append(s.strings, p)
	return p
}

// millis converts a duration option to libsynap's milliseconds, rounding
// up so a positive duration never becomes 0 (which libsynap refuses).
func (s *settings) millis(what string, d time.Duration) C.uint32_t {
	ms := (d + time.Millisecond - 1) / time.Millisecond
	if d < 0 || ms > math.MaxUint32 {
		if s.err == nil {
			s.err = invalid(what + " must be between 0 and 2^32-1 ms")
		}
		return 0
	}
	return C.uint32_t(ms)
}

// WithBaseURL sets the service's base URL, e.g. "http://127.0.0.1:8787".
// The default is SYNAP_BASE_URL, else the production service.
func WithBaseURL(url string) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_BASE_URL
		s.c.base_url = s.cString("base URL", url)
	}
}

// WithConnectTimeout sets how long opening a connection may take
// (default 5 s; must be more than 0).
func WithConnectTimeout(d time.Duration) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_CONNECT_TIMEOUT
		s.c.connect_timeout_ms = s.millis("connect timeout", d)
	}
}

// WithRequestTimeout sets how long one attempt of a request may take
// (default 30 s; must be more than 0).
func WithRequestTimeout(d time.Duration) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_REQUEST_TIMEOUT
		s.c.request_timeout_ms = s.millis("request timeout", d)
	}
}

// WithDeadline sets the most one call may take, every attempt and backoff
// included; 0 (the default) means none.
func WithDeadline(d time.Duration) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_DEADLINE
		s.c.deadline_ms = s.millis("deadline", d)
	}
}

// WithMaxAttempts sets how many attempts a call makes at most, the first
// included: 1 means no retries (default 3, at most 100).
func WithMaxAttempts(n uint32) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_MAX_ATTEMPTS
		s.c.max_attempts = C.uint32_t(n)
	}
}

// WithRetryBackoff sets the pause after a failed attempt: base, doubling
// per attempt, at most limit (default 1 s and 10 s).
func WithRetryBackoff(base, limit time.Duration) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_RETRY_BACKOFF
		s.c.backoff_base_ms = s.millis("backoff base", base)
		s.c.backoff_cap_ms = s.millis("backoff cap", limit)
	}
}

// WithProxy sets the proxy URL; "" means none. The default reads the
// environment as curl does (https_proxy, no_proxy, ...).
func WithProxy(url string) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_PROXY
		s.c.proxy = s.cString("proxy URL", url)
	}
}

// WithCAFile trusts the certificate authorities in a PEM file instead of
// the bundled Mozilla roots.
func WithCAFile(path string) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_CA_FILE
		s.c.ca_file = s.cString("CA file path", path)
	}
}

// WithSystemRoots trusts the operating system's root certificates instead
// of the bundled Mozilla roots.
func WithSystemRoots(on bool) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_SYSTEM_ROOTS
		s.c.system_roots = C.bool(on)
	}
}

// WithMaxBodyBytes sets the largest response body accepted (default 16 MiB).
func WithMaxBodyBytes(n uint64) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_MAX_BODY_BYTES
		s.c.max_body_bytes = C.uint64_t(n)
	}
}

// WithAllowInsecureHTTP allows a plain http base URL to a host that is not
// loopback, which sends the API key unencrypted.
func WithAllowInsecureHTTP(allow bool) Option {
	return func(s *settings) {
		s.c.set |= C.SYNAPGO_ALLOW_INSECURE_HTTP
		s.c.allow_insecure_http = C.bool(allow)
	}
}

// NewClient makes a client with an API key ("" reads SYNAP_API_KEY). It
// makes no request, so a wrong key or URL shows on the first call. Close
// the client when done with it.
func NewClient(apiKey string, opts ...Option) (*Client, error) {
	var s settings
	defer func() {
		for _, p := range s.strings {
			C.free(unsafe.Pointer(p))
		}
	}()
	for i, opt := range opts {
		if opt == nil {
			return nil, invalid("option " + strconv.Itoa(i) + " is nil")
		}
		opt(&s)
	}
	if s.err != nil {
		return nil, s.err
	}
	if strings.IndexByte(apiKey, 0) >= 0 {
		return nil, invalid("API key contains a NUL byte")
	}
	key := C.CString(apiKey)
	defer C.free(unsafe.Pointer(key))
	var handle *C.SynapClient
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_client_new(key, &s.c, &handle, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	c := &Client{handle: handle}
	// A client dropped without Close still frees its C handle.
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close frees the client. It waits for calls in progress on other
// goroutines; calls after it return ErrClosed. Closing twice is harmless.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	C.synap_client_free(c.handle)
	c.handle = nil
	runtime.SetFinalizer(c, nil)
	return nil
}

// MemoryStatus asks how far the ingestion job id has come. A failed job is
// a status (StateFailed), not an error.
//
// The request is bounded by the client's timeouts and deadline. If ctx ends
// first, MemoryStatus returns its error at once; the request then finishes
// in the background, and Close waits for it.
func (c *Client) MemoryStatus(ctx context.Context, id string) (*MemoryStatus, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	return inBackground(ctx, func() (*MemoryStatus, error) { return c.status(id) })
}

// outcome is a call's result, sent back by inBackground's goroutine.
type outcome[T any] struct {
	value T
	err   error
}

// inBackground runs call, one request of a call that takes a context: at
// once when ctx can never end, else on its own goroutine, so that it
// returns the context's error as soon as ctx ends. The abandoned request
// then finishes in the background, bounded by the client's timeouts, and
// Close waits for it. call always runs, so it may free what it uses; the
// caller checks ctx first so that a context already ended sends nothing.
func inBackground[T any](ctx context.Context, call func() (T, error)) (T, error) {
	var none T
	if ctx.Done() == nil {
		return call()
	}
	done := make(chan outcome[T], 1) // buffered: an abandoned call does not block
	go func() {
		value, err := call()
		done <- outcome[T]{value, err}
	}()
	select {
	case r := <-done:
		return r.value, r.err
	case <-ctx.Done():
		return none, contextError(ctx.Err())
	}
}

func (c *Client) status(id string) (*MemoryStatus, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.handle == nil {
		return nil, ErrClosed
	}
	cid, err := cID("ingestion id", id)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cid))
	var out *C.SynapMemoryStatus
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_status(c.handle, cid, &out, &cerr) != C.SYNAP_OK {
		return nil, takeError(&cerr)
	}
	defer C.synap_status_free(out)
	return copyStatus(out), nil
}
