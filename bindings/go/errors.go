package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"context"
	"errors"
	"time"
	"unsafe"
)

// Code is a libsynap result code (SynapCode in synap.h).
type Code int

// The result codes of a failed call; their values are synap.h's.
const (
	CodeInvalidArgument     Code = C.SYNAP_INVALID_ARGUMENT
	CodeAuth                Code = C.SYNAP_AUTH
	CodeNotFound            Code = C.SYNAP_NOT_FOUND
	CodeInvalidRequest      Code = C.SYNAP_INVALID_REQUEST
	CodeInsufficientCredits Code = C.SYNAP_INSUFFICIENT_CREDITS
	CodeConflict            Code = C.SYNAP_CONFLICT
	CodeRateLimited         Code = C.SYNAP_RATE_LIMITED
	CodeServer              Code = C.SYNAP_SERVER
	CodeTimeout             Code = C.SYNAP_TIMEOUT
	CodeNetwork             Code = C.SYNAP_NETWORK
	CodeTLS                 Code = C.SYNAP_TLS
	CodeProtocol            Code = C.SYNAP_PROTOCOL
	CodeCancelled           Code = C.SYNAP_CANCELLED
	CodeInternal            Code = C.SYNAP_INTERNAL
	CodeFile                Code = C.SYNAP_FILE
)

// String gives the code's C name, e.g. "SYNAP_NOT_FOUND".
func (c Code) String() string {
	return C.GoString(C.synap_code_name(C.int(c)))
}

// Error is a failed call: the result code and the details libsynap gave.
// Compare it with the Err* values using errors.Is, and read the details
// with errors.As.
type Error struct {
	// Code says what kind of failure it is.
	Code Code
	// Message is one line naming the problem; it never contains the API key.
	Message string
	// HTTPStatus is the status of the server's answer, 0 if there was none.
	HTTPStatus int
	// CorrelationID is the request's X-Correlation-ID, to quote to the
	// service; "" if no request was made.
	CorrelationID string
	// RetryAfter is how long the server asked to wait before trying again;
	// nil if it did not say.
	RetryAfter *time.Duration

	sentinel bool
	cause    error
}

// Error gives "synap: SYNAP_<CODE>: <message> (correlation id <id>)".
func (e *Error) Error() string {
	text := "synap: " + e.Code.String()
	if e.Message != "" {
		text += ": " + e.Message
	}
	if e.CorrelationID != "" {
		text += " (correlation id " + e.CorrelationID + ")"
	}
	return text
}

// Is reports whether target is the Err* value of e's code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Code == e.Code
}

// Unwrap gives the context error that stopped the call, if one did.
func (e *Error) Unwrap() error {
	return e.cause
}

func sentinel(code Code) *Error {
	return &Error{Code: code, sentinel: true}
}

// The values to compare errors with: errors.Is(err, synap.ErrNotFound).
var (
	ErrInvalidArgument     = sentinel(CodeInvalidArgument)
	ErrAuth                = sentinel(CodeAuth)
	ErrNotFound            = sentinel(CodeNotFound)
	ErrInvalidRequest      = sentinel(CodeInvalidRequest)
	ErrInsufficientCredits = sentinel(CodeInsufficientCredits)
	ErrConflict            = sentinel(CodeConflict)
	ErrRateLimited         = sentinel(CodeRateLimited)
	ErrServer              = sentinel(CodeServer)
	ErrTimeout             = sentinel(CodeTimeout)
	ErrNetwork             = sentinel(CodeNetwork)
	ErrTLS                 = sentinel(CodeTLS)
	ErrProtocol            = sentinel(CodeProtocol)
	ErrCancelled           = sentinel(CodeCancelled)
	ErrInternal            = sentinel(CodeInternal)
	// ErrFile is a local file that could not be opened or read, or that
	// changed size while it was sent (an upload's source); the message
	// names the file and the reason.
	ErrFile = sentinel(CodeFile)
)

// ErrClosed is returned by calls on a Client after Close.
var ErrClosed = errors.New("synap: client is closed")

// takeError turns the details a shim helper copied into an *Error, and
// frees the copies.
func takeError(e *C.synapgo_error) *Error {
	err := &Error{Code: Code(e.code), HTTPStatus: int(e.http_status)}
	if e.message != nil {
		err.Message = C.GoString(e.message)
		C.free(unsafe.Pointer(e.message))
	}
	if e.correlation_id != nil {
		err.CorrelationID = C.GoString(e.correlation_id)
		C.free(unsafe.Pointer(e.correlation_id))
	}
	if e.retry_after_ms >= 0 {
		after := time.Duration(e.retry_after_ms) * time.Millisecond
		err.RetryAfter = &after
	}
	return err
}

// contextError is the *Error for a call its context stopped: cancelled
// or timed out, wrapping context.Canceled or context.DeadlineExceeded.
func contextError(cause error) *Error {
	code := CodeCancelled
	if errors.Is(cause, context.DeadlineExceeded) {
		code = CodeTimeout
	}
	return &Error{Code: code, Message: cause.Error(), cause: cause}
}

// invalid is an argument the binding refuses before calling libsynap.
func invalid(message string) *Error {
	return &Error{Code: CodeInvalidArgument, Message: message}
}
