package synap

// #include <stdlib.h>
// #include "shim.h"
import "C"

import (
	"strconv"
	"strings"
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
