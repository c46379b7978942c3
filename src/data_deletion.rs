//! Permanent data deletion on `Client` (contract part 2, §6.5-6.6): delete
//! one user's, conversation's or customer's data, read a deletion's audit
//! record, and wait for a deletion to end.
//!
//! The deletion request is idempotent (the service keys it by its target)
//! and retried as reads are. While the service answers `continue: true`,
//! the same request is sent again at once, as the reference SDK does, up to
//! [`MAX_CONTINUE_ROUNDS`] requests.

use crate::call::{Idempotence, Limits};
use crate::cancel::CancelToken;
use crate::client::{Client, Request};
use crate::error::{Error, one_line};
use crate::lifecycle::DataDeletion;
use crate::lifecycle_request::DataDeleteRequest;
use crate::log::{LogLevel, log};
use crate::url::{Part, build};
use crate::wait::{Job, WaitOptions};
use crate::wire::lifecycle::parse_data_deletion;

/// The most requests one [`Client::data_delete`] sends while the service
/// asks it to go on.
pub const MAX_CONTINUE_ROUNDS: u32 = 50;

impl Client {
    /// Deletes, permanently, everything stored about one user, one
    /// conversation (its turns, summaries and buffer; the memories made from
    /// it stay) or one customer (`POST /v1/data/delete`).
    ///
    /// A dry run deletes nothing and counts what would go. Otherwise the
    /// request must carry its confirmation (see [`DataDeleteRequest`]); the
    /// answer may be `in_progress`: follow it with
    /// [`Client::data_deletion_wait`]. Read [`DataDeletion::state`] and
    /// `fully_removed`: `Partial` means stores named in `still_present_in`
    /// still hold data.
    pub fn data_delete(&self, request: &DataDeleteRequest) -> Result<DataDeletion, Error> {
        self.refuse_customer_id_on_b2c(request.customer_id_set())?;
        let body = serde_json::to_vec(&request.to_json(&self.known_instance_id())?)
            .map_err(|e| Error::invalid_argument(e.to_string()))?;
        let url = format!("{}/v1/data/delete", self.base_url());
        let limits = self.limits(None, None);
        let mut rounds = 0;
        loop {
            let request_once = Request::Post(&body, Idempotence::Idempotent);
            let (deletion, correlation_id) = self.exchange(&url, request_once, &limits, parse_data_deletion)?;
            rounds += 1;
            if request.is_dry_run() || deletion.continues != Some(true) {
                return Ok(deletion);
            }
            if rounds >= MAX_CONTINUE_ROUNDS {
                log(LogLevel::Warn, || {
                    format!(
                        "POST /v1/data/delete ({} scope): still asked to continue after {rounds} requests; returning the last answer [{correlation_id}]",
                        request.scope().as_str()
                    )
                });
                return Ok(deletion);
            }
        }
    }

    /// A deletion's audit record (`GET /v1/data/delete/{deletion_id}`).
    /// Retried as reads are.
    pub fn data_deletion_status(&self, deletion_id: &str) -> Result<DataDeletion, Error> {
        let url = self.deletion_url(deletion_id)?;
        self.exchange(&url, Request::Get, &self.limits(None, None), parse_data_deletion).map(|(d, _)| d)
    }

    /// Polls a deletion's record until it is `complete`, `partial` or a dry
    /// run, and returns that record; as [`Client::memories_wait`] does for an
    /// ingestion job (same options, progress and cancellation). A partial
    /// deletion is a record, not an error: read its state.
    pub fn data_deletion_wait(
        &self,
        deletion_id: &str,
        options: &WaitOptions,
        cancel: Option<&CancelToken>,
        progress: impl FnMut(&DataDeletion) -> bool,
    ) -> Result<DataDeletion, Error> {
        let url = self.deletion_url(deletion_id)?;
        let job = Job {
            what: &format!("deletion {}", deletion_id.trim()),
            poll: &|limits: &Limits<'_>| self.exchange(&url, Request::Get, limits, parse_data_deletion).map(|(d, _)| d),
            state: &|d: &DataDeletion| d.status.as_deref().unwrap_or("of unknown status").to_owned(),
            done: &|d: &DataDeletion| d.state().is_terminal(),
        };
        self.poll_until(&job, options, cancel, progress)
    }

    fn deletion_url(&self, deletion_id: &str) -> Result<String, Error> {
        let id = deletion_id.trim();
        if id.is_empty() {
            return Err(Error::invalid_argument(format!(
                "deletion_id must not be empty: \"{}\"",
                one_line(deletion_id, 64)
            )));
        }
        let instance = self.known_instance_id();
        Ok(build(
            self.base_url(),
            &[
                Part::Literal("/v1/data/delete/"),
                Part::Segment(id),
                Part::Literal("?instance_id="),
                Part::Segment(&instance),
            ],
        ))
    }
}
