//! The context reads on `Client`: `context.fetch` on its four routes with
//! the reference SDK's no-query compositions (contract part 2, §3.4), the
//! prompt context of a conversation (§4) and a user's profile (§7.1).

use std::time::{SystemTime, UNIX_EPOCH};

use crate::call::{Idempotence, Limits};
use crate::client::{Client, Request};
use crate::context::{Context, ContextItem, ContextList, ConversationContext, Profile, PromptContext};
use crate::context_request::{ContextRequest, ContextScope, parse_conversation_id};
use crate::error::{Error, one_line};
use crate::url::{Part, build};

/// The styles `context-for-prompt` renders.
pub const PROMPT_STYLES: [&str; 3] = ["structured", "narrative", "bullet_points"];

impl Client {
    /// `context.fetch`: the memories of the request's scope relevant to its
    /// queries (`POST /v1/context/{scope}/fetch`). Checked before any
    /// request: the scope's own id is set, and no customer id is sent to an
    /// instance whoami reported as B2C.
    ///
    /// Without a query (none, or only blank ones), as the reference SDK:
    /// - a conversation fetch reads the conversation's prompt context
    ///   instead (`GET .../context-for-prompt?style=structured`) and answers
    ///   with no memories and that state as its conversation context
    ///   (source `conversation_state`);
    /// - a user fetch (not in summary mode) reads the user's profile first
    ///   and answers with it when it has attributes or an overview (source
    ///   `profile`); otherwise, or when the profile cannot be read, it makes
    ///   the fetch.
    ///
    /// Idempotent: retried as reads are. A ranked fetch whose answer has
    /// no ranked list gets one merged from the typed lists, best rank
    /// score first. The client's deadline bounds the whole call, both
    /// requests of a composition included.
    pub fn context_fetch(&self, request: &ContextRequest) -> Result<Context, Error> {
        request.check_ready()?;
        let customer_sent = request.customer().is_some() || request.scope() == ContextScope::Customer;
        self.refuse_customer_id_on_b2c(customer_sent)?;
        let limits = self.limits(None, None);
        if request.has_no_query() && !request.is_summary() {
            match request.scope() {
                ContextScope::Conversation => {
                    let id = request.conversation().map(|id| id.hyphenated().to_string()).unwrap_or_default();
                    return self.context_from_prompt(&id, &limits);
                }
                ContextScope::User => {
                    let user = request.user().unwrap_or_default();
                    if let Ok((profile, correlation_id)) = self.profile_exchange(user, request.customer(), &limits) {
                        if profile.overview.as_deref().is_some_and(|o| !o.trim().is_empty())
                            || !profile.attributes.is_empty()
                        {
                            return Ok(Context {
                                profile: Some(profile),
                                source: "profile",
                                ..answered(correlation_id)
                            });
                        }
                    }
                }
                ContextScope::Customer | ContextScope::Client => {}
            }
        }
        let url = format!("{}/v1/context/{}/fetch", self.base_url(), request.scope().as_str());
        let body = serde_json::to_vec(&request.to_json()).map_err(|e| Error::invalid_argument(e.to_string()))?;
        let (mut context, correlation_id) =
            self.exchange(&url, Request::Post(&body, Idempotence::Idempotent), &limits, Context::from_json)?;
        if request.is_ranked() && context.list(ContextList::Ranked).is_empty() {
            merge_ranked(&mut context);
        }
        let stamp = answered(correlation_id);
        Ok(Context { correlation_id: stamp.correlation_id, retrieved_at_us: stamp.retrieved_at_us, ..context })
    }

    /// `context-for-prompt`: a conversation's compacted history plus every
    /// message after the cut-off, as one prompt-ready string
    /// (`GET /v1/conversations/{id}/context-for-prompt`). `style` is one of
    /// [`PROMPT_STYLES`]; `conversation_id` a UUID. Not gated; retried as
    /// reads are.
    pub fn conversation_prompt_context(&self, conversation_id: &str, style: &str) -> Result<PromptContext, Error> {
        let id = parse_conversation_id(conversation_id)?.hyphenated().to_string();
        if !PROMPT_STYLES.contains(&style) {
            return Err(Error::invalid_argument(format!(
                "style \"{}\" is not one of {}",
                one_line(style, 64),
                PROMPT_STYLES.join(", ")
            )));
        }
        let url = build(
            self.base_url(),
            &[
                Part::Literal("/v1/conversations/"),
                Part::Segment(&id),
                Part::Literal("/context-for-prompt?style="),
                Part::Segment(style),
            ],
        );
        self.exchange(&url, Request::Get, &self.limits(None, None), PromptContext::from_json).map(|(p, _)| p)
    }

    /// A user's profile (`GET /v1/users/{user_id}/profile`): what the
    /// service has learnt of them. `customer_id` names the tenant on a B2B
    /// instance (None on B2C, where one is refused). A user with no profile
    /// yet is `ErrorKind::NotFound`.
    pub fn user_profile(&self, user_id: &str, customer_id: Option<&str>) -> Result<Profile, Error> {
        if user_id.trim().is_empty() {
            return Err(Error::invalid_argument("user_id must not be empty"));
        }
        self.refuse_customer_id_on_b2c(customer_id.is_some())?;
        self.profile_exchange(user_id, customer_id, &self.limits(None, None)).map(|(p, _)| p)
    }

    fn profile_exchange(
        &self,
        user_id: &str,
        customer_id: Option<&str>,
        limits: &Limits<'_>,
    ) -> Result<(Profile, String), Error> {
        let mut parts = vec![Part::Literal("/v1/users/"), Part::Segment(user_id), Part::Literal("/profile")];
        if let Some(customer) = customer_id {
            parts.extend([Part::Literal("?customer_id="), Part::Segment(customer)]);
        }
        let url = build(self.base_url(), &parts);
        self.exchange(&url, Request::Get, limits, Profile::from_json)
    }

    /// The no-query conversation fetch: the prompt context as a context.
    fn context_from_prompt(&self, conversation_id: &str, limits: &Limits<'_>) -> Result<Context, Error> {
        let url = build(
            self.base_url(),
            &[
                Part::Literal("/v1/conversations/"),
                Part::Segment(conversation_id),
                Part::Literal("/context-for-prompt?style=structured"),
            ],
        );
        let (prompt, correlation_id) = self.exchange(&url, Request::Get, limits, PromptContext::from_json)?;
        let raw_json = prompt.raw_json.clone();
        let conversation = ConversationContext {
            conversation_id: crate::text::Text::new(conversation_id),
            summary: prompt.context_block,
            recent_turns: prompt.recent_messages,
            compaction_id: prompt.compaction_id,
            formatted_context: prompt.formatted_context,
            ..ConversationContext::default()
        };
        Ok(Context {
            conversation_context: Some(conversation),
            source: "conversation_state",
            raw_json,
            ..answered(correlation_id)
        })
    }
}

/// An empty context stamped with its call's correlation id and the time.
fn answered(correlation_id: String) -> Context {
    Context {
        ttl_seconds: 300,
        source: "cloud",
        correlation_id: crate::text::Text::new(&correlation_id),
        retrieved_at_us: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX)),
        ..Context::default()
    }
}

/// The ranked list the service did not send, as the reference SDK builds
/// it: every typed item, best rank score first, unscored ones last, ranked
/// from 1.
fn merge_ranked(context: &mut Context) {
    let mut merged: Vec<ContextItem> =
        ContextList::TYPED.iter().flat_map(|list| context.list(*list).iter().cloned()).collect();
    merged.sort_by(|a, b| match (a.rank_score, b.rank_score) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    for (i, item) in merged.iter_mut().enumerate() {
        item.rank = Some(i as i64 + 1);
    }
    *context.list_mut(ContextList::Ranked) = merged;
}
