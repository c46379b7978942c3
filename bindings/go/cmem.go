package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"strconv"
	"strings"
	"time"
	"unsafe"
)

// cMemory holds the C copies of one call's arguments. cgo lets C keep no
// Go pointer, and a struct handed to C may hold none, so strings and
// arrays the shim reads go here; free releases them all. The copies are
// made on the calling goroutine, so a call abandoned when its context ends
// never reads the caller's values after it has returned.
type cMemory struct {
	blocks []unsafe.Pointer
	err    *Error // the first argument refused
}

func (m *cMemory) free() {
	for _, p := range m.blocks {
		C.free(p)
	}
	m.blocks = nil
}

// refuse records an argument the binding refuses; the first one counts.
func (m *cMemory) refuse(message string) {
	if m.err == nil {
		m.err = invalid(message)
	}
}

// str is a C copy of s. A NUL byte would end the string early in C, so s
// with one is refused.
func (m *cMemory) str(what, s string) *C.char {
	if strings.IndexByte(s, 0) >= 0 {
		m.refuse(what + " contains a NUL byte")
		return nil
	}
	p := C.CString(s)
	m.blocks = append(m.blocks, unsafe.Pointer(p))
	return p
}

// bytes is a C copy of b, NUL bytes and all; NULL when b is empty.
func (m *cMemory) bytes(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	p := C.CBytes(b)
	m.blocks = append(m.blocks, p)
	return p
}

// optional is str, or NULL (libsynap's default) for "".
func (m *cMemory) optional(what, s string) *C.char {
	if s == "" {
		return nil
	}
	return m.str(what, s)
}

// strs is a C array of C copies of values (what[i] in a refusal); NULL
// when values is empty.
func (m *cMemory) strs(what string, values []string) **C.char {
	if len(values) == 0 {
		return nil
	}
	p := C.malloc(C.size_t(len(values)) * C.size_t(unsafe.Sizeof((*C.char)(nil))))
	m.blocks = append(m.blocks, p)
	array := unsafe.Slice((**C.char)(p), len(values))
	for i, v := range values {
		if strings.IndexByte(v, 0) >= 0 {
			m.refuse(what + "[" + strconv.Itoa(i) + "] contains a NUL byte")
			array[i] = nil
			continue
		}
		array[i] = C.CString(v)
		m.blocks = append(m.blocks, unsafe.Pointer(array[i]))
	}
	return (**C.char)(p)
}

// alloc is n zeroed C elements of size bytes each, freed with the rest;
// nil when n is 0. A struct handed to C that points to an array of other
// structs points here, since C may keep no Go pointer.
func (m *cMemory) alloc(n int, size uintptr) unsafe.Pointer {
	if n == 0 {
		return nil
	}
	p := C.calloc(C.size_t(n), C.size_t(size))
	m.blocks = append(m.blocks, p)
	return p
}

// scopePath is a C array of levels' (level, value) pairs, in order, and
// how many levels it holds; NULL and 0 when levels is empty.
func (m *cMemory) scopePath(what string, levels []ScopeLevel) (**C.char, C.size_t) {
	if len(levels) == 0 {
		return nil, 0
	}
	pairs := make([]string, 0, 2*len(levels))
	for i, s := range levels {
		if strings.IndexByte(s.Level, 0) >= 0 || strings.IndexByte(s.Value, 0) >= 0 {
			m.refuse(what + "[" + strconv.Itoa(i) + "] contains a NUL byte")
		}
		pairs = append(pairs, s.Level, s.Value)
	}
	return m.strs(what, pairs), C.size_t(len(levels))
}

// micros is t in Unix microseconds, for a time libsynap takes in the
// years 1 to 9999; one outside them is refused here, since UnixMicro
// wraps around for years far outside.
func (m *cMemory) micros(what string, t time.Time) C.int64_t {
	if t.Year() < 1 || t.Year() > 9999 {
		m.refuse(what + " must be in the years 1 to 9999, not " + strconv.Itoa(t.Year()))
		return 0
	}
	return C.int64_t(t.UnixMicro())
}

// cID is a C copy of an id for a call that takes one, or the refusal.
func cID(what, id string) (*C.char, *Error) {
	if strings.IndexByte(id, 0) >= 0 {
		return nil, invalid(what + " contains a NUL byte")
	}
	return C.CString(id), nil
}

// optionalString copies a C string libsynap may leave out.
func optionalString(p *C.char) *string {
	if p == nil {
		return nil
	}
	s := C.GoString(p)
	return &s
}
