//! The memory lifecycle calls on `Client` (contract part 2, §6.1-6.4):
//! update, delete, forget and upload.
//!
//! Update, forget and upload change what the service holds and carry no
//! idempotency key, so each is resent only when the failure proves it had
//! no effect (a refused connection, 429, 503), as `memories.create` is.
//! Deleting one memory is idempotent and retried as reads are.

use crate::call::Idempotence;
use crate::client::{Client, Request, parse_memory_id};
use crate::create::Ingestion;
use crate::error::Error;
use crate::lifecycle::{DeletedMemory, Forgotten};
use crate::lifecycle_request::{ForgetRequest, UpdateRequest};
use crate::memory::Memory;
use crate::text::Text;
use crate::upload::UploadRequest;
use crate::wire::ingestion::parse_ingestion;
use crate::wire::lifecycle::{parse_deleted_memory, parse_forgotten};
use crate::wire::memory::parse_memory;

impl Client {
    /// Updates one memory (`PATCH /api/v1/memories/{id}`) and returns it as
    /// the service now holds it. `memory_id` is a UUID, checked before any
    /// request. Not idempotent: resent only when the failure proves it had
    /// no effect (an `append` sent twice would append twice).
    pub fn memories_update(&self, memory_id: &str, update: &UpdateRequest) -> Result<Memory, Error> {
        let id = parse_memory_id(memory_id)?;
        let body = serde_json::to_vec(&update.to_json()?).map_err(|e| Error::invalid_argument(e.to_string()))?;
        let url = format!("{}/api/v1/memories/{}", self.base_url(), id.hyphenated());
        self.exchange(&url, Request::Patch(&body), &self.limits(None, None), parse_memory).map(|(m, _)| m)
    }

    /// Deletes one memory (`DELETE /api/v1/memories/{id}`). Idempotent and
    /// retried as reads are; a memory already gone is
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound). An empty
    /// `204 No Content` answer is a deletion too, of the memory asked for,
    /// with no time.
    pub fn memories_delete(&self, memory_id: &str) -> Result<DeletedMemory, Error> {
        let id = parse_memory_id(memory_id)?;
        let url = format!("{}/api/v1/memories/{}", self.base_url(), id.hyphenated());
        match self.exchange(&url, Request::Delete, &self.limits(None, None), parse_deleted_memory) {
            Ok((deleted, _)) => Ok(deleted),
            Err(e) if e.http_status() == Some(204) => {
                Ok(DeletedMemory { memory_id: Text::new(&id.hyphenated().to_string()), deleted_at_us: None })
            }
            Err(e) => Err(e),
        }
    }

    /// Forgets one user's memories that match a description
    /// (`POST /api/v1/memories/forget`): in `preview` mode it files the
    /// matches for approval and deletes nothing; in `direct` mode it
    /// deletes them. Read [`Forgotten::outcome`]: `Partial` means the
    /// matches are hidden but a store may still hold their text. Not
    /// idempotent: resent only when the failure proves it had no effect.
    pub fn memories_forget(&self, request: &ForgetRequest) -> Result<Forgotten, Error> {
        let body = serde_json::to_vec(&request.to_json()?).map_err(|e| Error::invalid_argument(e.to_string()))?;
        self.refuse_customer_id_on_b2c(request.customer_id_set())?;
        let url = format!("{}/api/v1/memories/forget", self.base_url());
        self.exchange(&url, Request::Post(&body, Idempotence::NotIdempotent), &self.limits(None, None), parse_forgotten)
            .map(|(f, _)| f)
    }

    /// Uploads a file, a buffer or text as one document
    /// (`POST /api/v1/memories/upload`) and returns its ingestion job, to
    /// follow as a created document's. A file is streamed as it is sent
    /// (the whole request must fit in the client's request timeout); a
    /// file that cannot be opened, or changes while it is sent, is
    /// [`ErrorKind::File`](crate::ErrorKind::File). Not idempotent: resent
    /// only when the failure proves it had no effect, a file then read
    /// again from its start.
    pub fn memories_upload(&self, request: &UploadRequest) -> Result<Ingestion, Error> {
        request.check()?;
        self.refuse_customer_id_on_b2c(request.customer_id_set())?;
        let boundary = uuid::Uuid::new_v4().simple().to_string();
        let url = format!("{}/api/v1/memories/upload", self.base_url());
        let body = || request.body(&boundary);
        self.exchange(&url, Request::Stream(&body), &self.limits(None, None), parse_ingestion).map(|(i, _)| i)
    }
}
