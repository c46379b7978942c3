//! Any bytes as a `memories.status` response body: a status or a protocol
//! error, never a panic; and a status holds nothing the C API cannot lend
//! out as a NUL-terminated string.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    let status = match synap::MemoryStatus::from_json(body) {
        Ok(status) => status,
        Err(e) => return assert_eq!(e.kind(), synap::ErrorKind::Protocol, "{e}"),
    };
    let texts = [status.document_id(), status.state().as_str()].into_iter();
    for text in texts.chain(status.error_message()).chain(status.memory_ids().iter()) {
        assert!(!text.contains('\0'), "a NUL reached a status field: {text:?}");
    }
    assert_eq!(status.memory_ids().iter().count(), status.memory_ids().len());
    let _ = (status.queued_at_us(), status.started_at_us(), status.completed_at_us(), status.memories_created());
});
