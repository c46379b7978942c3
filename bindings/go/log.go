package synap

// #include "shim.h"
import "C"

import (
	"fmt"
	"runtime/cgo"
	"runtime/debug"
	"strconv"
	"sync"
)

// LogLevel is how much a log callback hears; each level includes the more
// severe ones before it.
type LogLevel int

// The log levels; their values are synap.h's SynapLogLevel.
const (
	// LogError: failures the caller may not see otherwise.
	LogError LogLevel = C.SYNAP_LOG_ERROR
	// LogWarn: plain http to a remote host, a Retry-After longer than the
	// backoff cap, a retry a deadline did not leave time for.
	LogWarn LogLevel = C.SYNAP_LOG_WARN
	// LogInfo: retries and the backoff waited, the proxy in use.
	LogInfo LogLevel = C.SYNAP_LOG_INFO
	// LogDebug: every request with its outcome and time, every poll of a wait.
	LogDebug LogLevel = C.SYNAP_LOG_DEBUG
)

// String gives the level's name, e.g. "debug".
func (l LogLevel) String() string {
	switch l {
	case LogError:
		return "error"
	case LogWarn:
		return "warn"
	case LogInfo:
		return "info"
	case LogDebug:
		return "debug"
	}
	return "LogLevel(" + strconv.Itoa(int(l)) + ")"
}

// logMu serialises SetLogCallback, so that each call knows which handle
// its own replaces.
var (
	logMu     sync.Mutex
	logHandle cgo.Handle // of the installed function; 0 for none
)

// SetLogCallback sends libsynap's log lines at level or more severe to fn,
// for the whole process, replacing any function set before; nil fn turns
// logging off (the default) and then level is not used.
//
// A line is one line of text, without a newline, and never contains the API
// key or proxy credentials; it ends with the request's correlation id in
// brackets when there is one. fn runs on whichever thread makes the call
// being logged, so possibly on several at once: it must be safe for
// concurrent use, and must not wait for a SetLogCallback call, which
// waits for lines being logged. Lines libsynap logs while fn runs (fn
// called libsynap) are dropped. If fn panics, the program ends with the
// panic, as for a panic on a goroutine of its own.
//
// When SetLogCallback returns, the function it replaced is not running
// and will not be called again. It refuses (ErrInvalidArgument) a level
// that is not one of the Log* constants, and a call from inside fn.
func SetLogCallback(level LogLevel, fn func(level LogLevel, message string)) error {
	if fn == nil {
		level = LogError // ignored by libsynap without a callback, but checked
	}
	if level < LogError || level > LogDebug {
		return invalid("log level " + strconv.Itoa(int(level)) + " is not one of LogError to LogDebug")
	}
	// Checked before taking logMu: a replacement holding it waits for fn
	// to return. The goroutine running fn stays on its thread meanwhile.
	if C.synapgo_in_log_callback() {
		return invalid("SetLogCallback cannot be called from inside a log callback")
	}
	logMu.Lock()
	defer logMu.Unlock()
	var handle cgo.Handle
	if fn != nil {
		handle = cgo.NewHandle(fn)
	}
	cerr := C.synapgo_error{retry_after_ms: -1}
	if C.synapgo_set_log_callback(C.int(level), C.uintptr_t(handle), &cerr) != C.SYNAP_OK {
		if handle != 0 {
			handle.Delete()
		}
		return takeError(&cerr)
	}
	// libsynap no longer calls the replaced function, so its handle can go.
	if logHandle != 0 {
		logHandle.Delete()
	}
	logHandle = handle
	return nil
}

//export synapgoLog
func synapgoLog(level C.int, message *C.char, handle C.uintptr_t) {
	fn := cgo.Handle(handle).Value().(func(LogLevel, string))
	text := C.GoString(message)
	returned := false
	defer func() {
		if !returned {
			// Unwinding through libsynap would leave its locks held, so the
			// panic goes on a goroutine of its own, which ends the program.
			message := fmt.Sprintf("synap: log callback panicked: %v\n\n%s", recover(), debug.Stack())
			go func() { panic(message) }()
		}
	}()
	fn(LogLevel(level), text)
	returned = true
}
