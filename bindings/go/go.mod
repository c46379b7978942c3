module github.com/synap/libsynap/bindings/go

go 1.19
