// Package synap is the Go binding of libsynap, a client for the Synap memory
// service: queueing documents for ingestion (Create, BatchCreate), the
// status of an ingestion job (MemoryStatus), waiting for one job or many
// to finish (Wait, WaitAll), reading the memories a job produced (Get),
// asking what Synap remembers (FetchContext, UserProfile, PromptContext),
// conversations (RecordMessage, RecordMessages, IngestTranscript,
// Messages, AllMessages, Compact, CompactionStatus, Compacted), a memory's
// lifecycle (UpdateMemory, DeleteMemory, Forget, Upload), permanent data
// deletion (DeleteData, DeletionStatus, WaitDeletion), credits
// (CreditBalance, CreditLedger, EstimateCredits, RedeemCredits), the
// account behind the API key (Whoami), and libsynap's log lines
// (SetLogCallback).
//
//	client, err := synap.NewClient(apiKey, synap.WithBaseURL(url))
//	if err != nil { ... }
//	defer client.Close()
//	status, err := client.MemoryStatus(ctx, id)
//	if errors.Is(err, synap.ErrNotFound) { ... }
//
// It calls the C library through cgo, so libsynap.so (or libsynap.a) and
// synap.h must be installed. After `make install` into a standard prefix
// such as /usr/local nothing more is needed; for another prefix set
// CGO_CFLAGS=-I<prefix>/include and CGO_LDFLAGS=-L<prefix>/lib, or build
// with -tags synap_pkgconfig to ask pkg-config (PKG_CONFIG_PATH) instead.
//
// A Client is safe for concurrent use by any number of goroutines, and
// sharing one reuses its connections. Every failure is an *Error whose
// details are read from libsynap in the same cgo call that failed.
//
// The credits calls follow an unconfirmed wire format: the service's
// reference SDK has never sent these requests, and libsynap sends and
// reads what that SDK's code describes. Should the service differ, expect
// ErrProtocol or ErrInvalidRequest from them.
package synap
