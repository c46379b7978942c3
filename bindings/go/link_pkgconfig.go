//go:build synap_pkgconfig

package synap

// With -tags synap_pkgconfig: the flags from pkg-config's synap.pc.

// #cgo pkg-config: synap
import "C"
