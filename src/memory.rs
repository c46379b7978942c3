//! `Memory`: one memory as `memories.get` returns it (contract section 16).

use uuid::Uuid;

/// A memory the service extracted from an ingested document.
#[derive(Clone, Debug, PartialEq)]
pub struct Memory {
    pub(crate) memory_id: Uuid,
    pub(crate) memory_type: String,
    pub(crate) content: String,
    pub(crate) confidence: f64,
    pub(crate) category: Option<String>,
    pub(crate) subcategory: Option<String>,
    pub(crate) created_at_us: i64,
    pub(crate) updated_at_us: Option<i64>,
    pub(crate) source_document_id: Option<String>,
}

impl Memory {
    /// The memory's id.
    pub fn memory_id(&self) -> Uuid {
        self.memory_id
    }

    /// Its kind as sent: `fact`, `preference`, `episode`, `emotion`,
    /// `temporal_event`, or another the service adds.
    pub fn memory_type(&self) -> &str {
        &self.memory_type
    }

    /// What was remembered, as text.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// How sure the service is, usually from 0.0 to 1.0.
    pub fn confidence(&self) -> f64 {
        self.confidence
    }

    /// A category, if the service gave one.
    pub fn category(&self) -> Option<&str> {
        self.category.as_deref()
    }

    /// A subcategory, if the service gave one.
    pub fn subcategory(&self) -> Option<&str> {
        self.subcategory.as_deref()
    }

    /// When the memory was made, Unix microseconds UTC.
    pub fn created_at_us(&self) -> i64 {
        self.created_at_us
    }

    /// When it last changed, if it has.
    pub fn updated_at_us(&self) -> Option<i64> {
        self.updated_at_us
    }

    /// The document it came from, if known.
    pub fn source_document_id(&self) -> Option<&str> {
        self.source_document_id.as_deref()
    }
}
