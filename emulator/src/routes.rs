//! The Synap API itself: routing, auth and the route handlers.

use serde::Serialize;
use uuid::Uuid;

use crate::compaction;
use crate::context;
use crate::credit_routes;
use crate::data_delete;
use crate::fetch_request::Scope;
use crate::forget;
use crate::http::{Request, Response, percent_decode, query_param};
use crate::ingest;
use crate::lifecycle;
use crate::messages;
use crate::profile;
use crate::prompt;
use crate::state::{State, lock};
use crate::transcripts;
use crate::upload::{self, UPLOAD_PATH};

const MEMORIES_PREFIX: &str = "/api/v1/memories/";

enum Route<'a> {
    Health,
    Telemetry,
    Whoami,
    Create,
    Batch,
    Status(&'a str),
    /// GET, PATCH or DELETE of one memory.
    Memory(&'a str),
    Forget,
    Upload,
    Fetch(Scope),
    /// The user id, decoded.
    Profile(String),
    /// The conversation id, decoded (so for the routes below).
    Prompt(String),
    RecordMessage,
    RecordBatch,
    IngestTranscript,
    Compact,
    Messages(String),
    Compacted(String),
    CompactionStatus(String),
    DataDelete,
    /// The deletion id, decoded.
    DeletionStatus(String),
    CreditBalance,
    CreditLedger,
    CreditEstimate,
    CreditRedeem,
}

impl Route<'_> {
    /// The methods it answers; others get 405 naming them in `Allow`.
    fn methods(&self) -> &'static [&'static str] {
        match self {
            Route::Telemetry
            | Route::Create
            | Route::Batch
            | Route::Fetch(_)
            | Route::RecordMessage
            | Route::RecordBatch
            | Route::IngestTranscript
            | Route::Compact
            | Route::Forget
            | Route::Upload
            | Route::DataDelete
            | Route::CreditEstimate
            | Route::CreditRedeem => &["POST"],
            Route::Memory(_) => &["GET", "PATCH", "DELETE"],
            _ => &["GET"],
        }
    }
}

/// Routes with an id in the middle of the path, matched segment by segment
/// on the path as sent, so an id holding an encoded `/`, `?` or `#` is
/// found intact.
fn segment_route(raw_path: &str) -> Option<Route<'static>> {
    let segments: Vec<String> = raw_path.split('/').map(percent_decode).collect::<Option<_>>()?;
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    match segments[..] {
        ["", "v1", "context", scope, "fetch"] => Scope::from_name(scope).map(Route::Fetch),
        ["", "v1", "users", id, "profile"] if !id.is_empty() => Some(Route::Profile(id.to_owned())),
        ["", "v1", "conversations", id, "context-for-prompt"] if !id.is_empty() => Some(Route::Prompt(id.to_owned())),
        ["", "v1", "conversations", id, "messages"] if !id.is_empty() => Some(Route::Messages(id.to_owned())),
        ["", "v1", "conversations", id, "compacted"] if !id.is_empty() => Some(Route::Compacted(id.to_owned())),
        ["", "v1", "conversations", id, "compaction", "status"] if !id.is_empty() => {
            Some(Route::CompactionStatus(id.to_owned()))
        }
        ["", "v1", "data", "delete", id] if !id.is_empty() => Some(Route::DeletionStatus(id.to_owned())),
        _ => None,
    }
}

/// Matches on the decoded path, as Starlette does.
fn route(path: &str) -> Option<Route<'_>> {
    match path {
        "/health" => Some(Route::Health),
        "/v1/telemetry/batch" => Some(Route::Telemetry),
        "/api/v1/auth/whoami" => Some(Route::Whoami),
        "/api/v1/memories/create" => Some(Route::Create),
        "/api/v1/memories/batch" => Some(Route::Batch),
        "/v1/conversations/messages" => Some(Route::RecordMessage),
        "/v1/conversations/messages/batch" => Some(Route::RecordBatch),
        "/v1/conversations/ingest" => Some(Route::IngestTranscript),
        "/v1/conversations/compact" => Some(Route::Compact),
        "/api/v1/memories/forget" => Some(Route::Forget),
        UPLOAD_PATH => Some(Route::Upload),
        "/v1/data/delete" => Some(Route::DataDelete),
        "/v1/credits/balance" => Some(Route::CreditBalance),
        "/v1/credits/ledger" => Some(Route::CreditLedger),
        "/v1/credits/estimate" => Some(Route::CreditEstimate),
        "/v1/credits/redeem" => Some(Route::CreditRedeem),
        _ => {
            let rest = path.strip_prefix(MEMORIES_PREFIX)?;
            let segment = |s: &str| !s.is_empty() && !s.contains('/');
            match rest.strip_prefix("status/") {
                Some(id) => segment(id).then_some(Route::Status(id)),
                // `status` alone is the status route without its id, not a memory.
                None => (segment(rest) && rest != "status").then_some(Route::Memory(rest)),
            }
        }
    }
}

pub(crate) fn handle(state: &State, req: &Request) -> Response {
    let Some(path) = percent_decode(&req.path) else {
        return Response::detail(404, "Not Found");
    };
    let Some(route) = segment_route(&req.path).or_else(|| route(&path)) else {
        return Response::detail(404, "Not Found");
    };
    if !route.methods().contains(&req.method.as_str()) {
        let mut resp = Response::detail(405, "Method Not Allowed");
        resp.set_header("Allow", route.methods().join(", "));
        return resp;
    }
    // Data deletions advance with time; any that came due take effect
    // before this request reads anything.
    data_delete::settle(state);
    match route {
        Route::Health => Response::json(200, &serde_json::json!({ "status": "ok" })),
        Route::Telemetry => Response::new(202, "{}"),
        Route::Whoami => authorized(state, req).unwrap_or_else(|| whoami(state)),
        Route::Create => authorized(state, req).unwrap_or_else(|| ingest::create(state, req)),
        Route::Batch => authorized(state, req).unwrap_or_else(|| ingest::batch(state, req)),
        Route::Status(id) => authorized(state, req).unwrap_or_else(|| status(state, id)),
        Route::Memory(id) => authorized(state, req).unwrap_or_else(|| match req.method.as_str() {
            "PATCH" => lifecycle::update(state, id, req),
            "DELETE" => lifecycle::delete(state, id),
            _ => memory(state, id),
        }),
        Route::Forget => authorized(state, req).unwrap_or_else(|| forget::forget(state, req)),
        Route::Upload => authorized(state, req).unwrap_or_else(|| upload::buffered(state, req)),
        Route::DataDelete => authorized(state, req).unwrap_or_else(|| data_delete::post(state, req)),
        Route::DeletionStatus(id) => authorized(state, req).unwrap_or_else(|| data_delete::status(state, &id, req)),
        Route::CreditBalance => authorized(state, req).unwrap_or_else(|| credit_routes::balance(state)),
        Route::CreditLedger => authorized(state, req).unwrap_or_else(|| credit_routes::ledger(state, req)),
        Route::CreditEstimate => authorized(state, req).unwrap_or_else(|| credit_routes::estimate(req)),
        Route::CreditRedeem => authorized(state, req).unwrap_or_else(|| credit_routes::redeem(state, req)),
        Route::Fetch(scope) => authorized(state, req).unwrap_or_else(|| context::fetch(state, scope, req)),
        Route::Profile(user_id) => authorized(state, req).unwrap_or_else(|| {
            let customer_id = query_param(req.query.as_deref(), "customer_id");
            profile::get(state, &user_id, customer_id.as_deref())
        }),
        Route::Prompt(id) => authorized(state, req)
            .unwrap_or_else(|| prompt::get(state, &id, query_param(req.query.as_deref(), "style").as_deref())),
        Route::RecordMessage => authorized(state, req).unwrap_or_else(|| messages::record(state, req)),
        Route::RecordBatch => authorized(state, req).unwrap_or_else(|| messages::batch(state, req)),
        Route::IngestTranscript => authorized(state, req).unwrap_or_else(|| transcripts::ingest(state, req)),
        Route::Compact => authorized(state, req).unwrap_or_else(|| compaction::trigger(state, req)),
        Route::Messages(id) => authorized(state, req).unwrap_or_else(|| messages::list(state, &id, req)),
        Route::Compacted(id) => authorized(state, req).unwrap_or_else(|| compaction::compacted(state, &id, req)),
        Route::CompactionStatus(id) => authorized(state, req).unwrap_or_else(|| compaction::status(state, &id)),
    }
}

/// `Some(401 response)` unless the request carries an accepted key.
pub(crate) fn authorized(state: &State, req: &Request) -> Option<Response> {
    let header = req.header("authorization").unwrap_or("").trim();
    if header.is_empty() {
        return Some(Response::detail(401, "Missing API key"));
    }
    let key = header.split_once(' ').filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer")).map(|(_, key)| key);
    match key {
        Some(key) if state.config.api_keys.iter().any(|k| k == key) => None,
        _ => Some(Response::detail(401, "Invalid API key")),
    }
}

fn whoami(state: &State) -> Response {
    #[derive(Serialize)]
    struct Whoami<'a> {
        client_id: &'a str,
        instance_id: &'a str,
        user_context_isolation: Option<&'a str>,
    }
    let c = &state.config;
    Response::json(
        200,
        &Whoami {
            client_id: &c.client_id,
            instance_id: &c.instance_id,
            user_context_isolation: c.user_context_isolation.as_deref(),
        },
    )
}

fn status(state: &State, raw_id: &str) -> Response {
    let id = match Uuid::parse_str(raw_id) {
        Ok(id) => id,
        Err(e) => return uuid_error("ingestion_id", raw_id, &e.to_string()),
    };
    let body = lock(&state.jobs).status_body(&id, state.time_format());
    match body {
        Some(body) => Response::new(200, body),
        None => Response::detail(404, "Ingestion job not found"),
    }
}

/// Unknown and malformed ids alike are 404, as the service answers for
/// memories outside the key's scope.
fn memory(state: &State, raw_id: &str) -> Response {
    let body = Uuid::parse_str(raw_id).ok().and_then(|id| lock(&state.jobs).memory_body(&id, state.time_format()));
    match body {
        Some(body) => Response::new(200, body),
        None => Response::detail(404, "Memory not found"),
    }
}

/// FastAPI's (pydantic 2) 422 for a path parameter that is not a UUID.
pub(crate) fn uuid_error(param: &'static str, input: &str, reason: &str) -> Response {
    #[derive(Serialize)]
    struct Item<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        loc: [&'static str; 2],
        msg: String,
        input: &'a str,
    }
    #[derive(Serialize)]
    struct Body<'a> {
        detail: [Item<'a>; 1],
    }
    Response::json(
        422,
        &Body {
            detail: [Item {
                kind: "uuid_parsing",
                loc: ["path", param],
                msg: format!("Input should be a valid UUID, {reason}"),
                input,
            }],
        },
    )
}
