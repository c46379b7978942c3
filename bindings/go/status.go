package synap

// #include "shim.h"
import "C"

import "time"

// State is an ingestion job's state, exactly as the service sent it; it
// may be one this version does not know.
type State string

// The states libsynap knows.
const (
	StateQueued         State = "queued"
	StateProcessing     State = "processing"
	StateCompleted      State = "completed"
	StateFailed         State = "failed"
	StatePartialSuccess State = "partial_success"
)

// IsTerminal reports whether a job in this state will not change any more:
// completed, failed or partial_success.
func (s State) IsTerminal() bool {
	return s == StateCompleted || s == StateFailed || s == StatePartialSuccess
}

// MemoryStatus is one ingestion job's status, copied out of libsynap: a
// plain value, safe to keep and share.
type MemoryStatus struct {
	// IngestionID is the job's id, a canonical lowercase UUID.
	IngestionID string
	// DocumentID is the id of the document the job ingests.
	DocumentID string
	// State is the job's state; a failed job is a status, not an error.
	State State
	// QueuedAt is when the job was queued (UTC, microsecond precision).
	QueuedAt time.Time
	// StartedAt is when processing started; nil while queued.
	StartedAt *time.Time
	// CompletedAt is when processing finished; nil while in progress.
	CompletedAt *time.Time
	// MemoriesCreated is how many memories the job has produced so far.
	MemoriesCreated uint64
	// MemoryIDs are the memories' ids, in the service's order; never nil.
	MemoryIDs []string
	// ErrorMessage says what went wrong for a failed or partially
	// successful job; nil if the service gave no message.
	ErrorMessage *string
}

func microsUTC(us C.int64_t) time.Time {
	return time.UnixMicro(int64(us)).UTC()
}

// copyStatus reads every field of a C status; the caller still owns it.
func copyStatus(s *C.SynapMemoryStatus) *MemoryStatus {
	out := &MemoryStatus{
		IngestionID:     C.GoString(C.synap_status_ingestion_id(s)),
		DocumentID:      C.GoString(C.synap_status_document_id(s)),
		State:           State(C.GoString(C.synap_status_state_name(s))),
		QueuedAt:        microsUTC(C.synap_status_queued_at_us(s)),
		MemoriesCreated: uint64(C.synap_status_memories_created(s)),
		MemoryIDs:       make([]string, int(C.synap_status_memory_id_count(s))),
	}
	var us C.int64_t
	if C.synap_status_started_at_us(s, &us) {
		t := microsUTC(us)
		out.StartedAt = &t
	}
	if C.synap_status_completed_at_us(s, &us) {
		t := microsUTC(us)
		out.CompletedAt = &t
	}
	for i := range out.MemoryIDs {
		out.MemoryIDs[i] = C.GoString(C.synap_status_memory_id(s, C.size_t(i)))
	}
	if message := C.synap_status_error_message(s); message != nil {
		text := C.GoString(message)
		out.ErrorMessage = &text
	}
	return out
}
