//! What happened to memories after their job reported them: updates
//! (`PATCH`) and deletions (`DELETE`, `forget`). A job's memories are
//! computed from the job at each read, so changes are kept beside it and
//! laid over every read: a deleted memory is gone from `memories.get`,
//! context fetches and profiles alike, an updated one reads as updated.

use std::collections::HashMap;

use jiff::Timestamp;
use uuid::Uuid;

use crate::jobs::StoredMemory;
use crate::memories::Draft;

#[derive(Debug, Default)]
pub(crate) struct MemoryOverlay {
    edits: HashMap<Uuid, Edit>,
    /// When each deleted memory was deleted.
    deleted: HashMap<Uuid, Timestamp>,
}

#[derive(Debug, Clone)]
struct Edit {
    draft: Draft,
    updated_at: Timestamp,
}

impl MemoryOverlay {
    /// The memory as it reads now; `None` once deleted.
    pub fn apply(&self, mut memory: StoredMemory) -> Option<StoredMemory> {
        if self.deleted.contains_key(&memory.id) {
            return None;
        }
        if let Some(edit) = self.edits.get(&memory.id) {
            memory.draft = edit.draft.clone();
            memory.updated_at = Some(edit.updated_at);
        }
        Some(memory)
    }

    pub fn edit(&mut self, id: Uuid, draft: Draft, at: Timestamp) {
        self.edits.insert(id, Edit { draft, updated_at: at });
    }

    pub fn delete(&mut self, id: Uuid, at: Timestamp) {
        self.edits.remove(&id);
        self.deleted.insert(id, at);
    }

    /// Drops what is kept about a memory whose job is gone.
    pub fn drop_memory(&mut self, id: &Uuid) {
        self.edits.remove(id);
        self.deleted.remove(id);
    }
}
