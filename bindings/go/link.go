//go:build !synap_pkgconfig

package synap

// The default: libsynap where the C toolchain looks, or where CGO_CFLAGS
// and CGO_LDFLAGS point.

// #cgo LDFLAGS: -lsynap
import "C"
