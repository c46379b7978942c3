//! The test-only control endpoint under `/_emulator/`: scripts jobs,
//! faults and context fetch answers, changes settings, shows the request
//! log and the uploads received. No auth; served only when enabled.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::json;
use serde_json::value::RawValue;
use uuid::Uuid;

use crate::config::TimeFormat;
use crate::context_script::ContextScript;
use crate::credits::CreditAccount;
use crate::faults::{ANY_PATH, Fault};
use crate::http::{Request, Response, percent_decode};
use crate::jobs::{FinalState, JobSpec, MAX_MEMORIES, Origin, assigned_document_id};
use crate::knobs::Knobs;
use crate::reqlog::LoggedRequest;
use crate::state::{State, lock};

pub(crate) const PREFIX: &str = "/_emulator/";

pub(crate) fn is_control_path(path: &str) -> bool {
    path.starts_with(PREFIX) || path == "/_emulator"
}

pub(crate) fn handle(state: &State, req: &Request) -> Response {
    let name = req.path.strip_prefix(PREFIX).unwrap_or("");
    let method = match name {
        "jobs" | "faults" | "reset" | "config" | "context" => "POST",
        "requests" | "uploads" => "GET",
        _ => return Response::detail(404, "Not Found"),
    };
    if req.method != method {
        let mut resp = Response::detail(405, "Method Not Allowed");
        resp.set_header("Allow", method);
        return resp;
    }
    let result = match name {
        "jobs" => add_job(state, req),
        "faults" => add_fault(state, req),
        "reset" => Ok(reset(state)),
        "config" => set_config(state, req),
        "context" => add_context_script(state, req),
        "uploads" => Ok(uploads(state)),
        _ => Ok(requests(state, req)),
    };
    result.unwrap_or_else(|msg| Response::detail(400, &msg))
}

/// Parses a JSON body; an empty body counts as `{}`.
fn body<T: DeserializeOwned>(req: &Request) -> Result<T, String> {
    let text: &[u8] = if req.body.iter().all(u8::is_ascii_whitespace) { b"{}" } else { &req.body };
    serde_json::from_slice(text).map_err(|e| format!("invalid request body: {e}"))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewJob {
    ingestion_id: Option<String>,
    document_id: Option<String>,
    #[serde(default)]
    final_status: FinalState,
    #[serde(default)]
    processing_after_ms: u64,
    #[serde(default)]
    done_after_ms: u64,
    #[serde(default = "one")]
    memories: u64,
    error_message: Option<String>,
    raw_body: Option<Box<RawValue>>,
}

fn one() -> u64 {
    1
}

fn add_job(state: &State, req: &Request) -> Result<Response, String> {
    let job: NewJob = body(req)?;
    let id = match &job.ingestion_id {
        Some(s) => Uuid::parse_str(s).map_err(|e| format!("ingestion_id {s:?}: {e}"))?,
        None => Uuid::new_v4(),
    };
    let mut jobs = lock(&state.jobs);
    if let Some(raw) = job.raw_body {
        jobs.insert_raw(id, raw);
    } else {
        if job.memories > MAX_MEMORIES {
            return Err(format!("memories must be at most {MAX_MEMORIES}"));
        }
        let spec = JobSpec {
            document_id: job.document_id.unwrap_or_else(|| assigned_document_id(&id)),
            final_state: job.final_status,
            processing_after: Duration::from_millis(job.processing_after_ms),
            done_after: Duration::from_millis(job.done_after_ms),
            memories: job.memories,
            memory_texts: Vec::new(),
            error_message: job.error_message,
            backdate: Duration::ZERO,
            origin: Origin::default(),
        };
        jobs.insert(id, spec);
    }
    Ok(Response::json(200, &json!({ "ingestion_id": id.hyphenated().to_string() })))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewFault {
    path: String,
    #[serde(default = "one_u32")]
    count: u32,
    fault: Fault,
}

fn one_u32() -> u32 {
    1
}

fn add_fault(state: &State, req: &Request) -> Result<Response, String> {
    let f: NewFault = body(req)?;
    if f.count == 0 {
        return Err("count must be at least 1".to_owned());
    }
    if f.path != ANY_PATH && !f.path.starts_with('/') {
        return Err(format!("path {:?} must start with / or be \"*\"", f.path));
    }
    if f.path.contains('?') {
        return Err("path is matched without the query; leave the query out".to_owned());
    }
    if is_control_path(&f.path) {
        return Err("faults never apply to control paths".to_owned());
    }
    f.fault.validate()?;
    let mut faults = lock(&state.faults);
    faults.push(f.path.clone(), f.count, f.fault);
    Ok(Response::json(200, &json!({ "path": f.path, "count": f.count, "pending": faults.pending() })))
}

fn add_context_script(state: &State, req: &Request) -> Result<Response, String> {
    let script: ContextScript = body(req)?;
    let route = script.validate()?;
    let mut scripts = lock(&state.context_scripts);
    scripts.push(route, script);
    Ok(Response::json(200, &json!({ "pending": scripts.pending() })))
}

/// Clears faults, context scripts, the request log and the upload records,
/// and puts the lifecycle settings and the credit account back as they
/// started (jobs, memories and conversations stay).
fn reset(state: &State) -> Response {
    lock(&state.faults).clear();
    lock(&state.context_scripts).clear();
    lock(&state.log).clear();
    lock(&state.uploads).clear();
    state.set_knobs(Knobs::of(&state.config));
    *lock(&state.credits) = CreditAccount::new(&state.config);
    Response::new(200, "{}")
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewConfig {
    time_format: Option<String>,
    create_processing_after_ms: Option<u64>,
    create_done_after_ms: Option<u64>,
    compaction_done_after_ms: Option<u64>,
    upload_max_bytes: Option<u64>,
    forget_partial: Option<bool>,
    data_delete_continue_rounds: Option<u32>,
    data_delete_done_after_ms: Option<u64>,
    data_delete_partial: Option<bool>,
    /// Sets the balance outright.
    credit_balance: Option<f64>,
    /// Replaces the redeemable codes.
    redeem_codes: Option<BTreeMap<String, f64>>,
}

fn set_config(state: &State, req: &Request) -> Result<Response, String> {
    let c: NewConfig = body(req)?;
    let fmt = c.time_format.map(|name| name.parse::<TimeFormat>().map_err(|e| format!("{e}"))).transpose()?;
    if c.credit_balance.is_some_and(|b| !b.is_finite() || b < 0.0) {
        return Err("credit_balance must be a number of at least 0".to_owned());
    }
    if c.redeem_codes.as_ref().is_some_and(|codes| codes.values().any(|v| !v.is_finite() || *v <= 0.0)) {
        return Err("redeem_codes must map each code to a positive number of credits".to_owned());
    }
    // Checked before anything changes, so a bad request changes nothing.
    if let Some(fmt) = fmt {
        state.set_time_format(fmt);
    }
    state.set_create_timing(c.create_processing_after_ms, c.create_done_after_ms);
    state.set_compaction_timing(c.compaction_done_after_ms);
    let mut knobs = state.knobs();
    knobs.upload_max_bytes = c.upload_max_bytes.unwrap_or(knobs.upload_max_bytes);
    knobs.forget_partial = c.forget_partial.unwrap_or(knobs.forget_partial);
    knobs.data_delete_continue_rounds = c.data_delete_continue_rounds.unwrap_or(knobs.data_delete_continue_rounds);
    knobs.data_delete_done_after =
        c.data_delete_done_after_ms.map_or(knobs.data_delete_done_after, Duration::from_millis);
    knobs.data_delete_partial = c.data_delete_partial.unwrap_or(knobs.data_delete_partial);
    state.set_knobs(knobs);
    let balance = {
        let mut credits = lock(&state.credits);
        if let Some(balance) = c.credit_balance {
            credits.set_balance(balance);
        }
        if let Some(codes) = c.redeem_codes {
            credits.set_codes(codes);
        }
        credits.balance()
    };
    let (processing, done) = state.create_timing();
    Ok(Response::json(
        200,
        &json!({
            "time_format": state.time_format().as_str(),
            "create_processing_after_ms": processing.as_millis() as u64,
            "create_done_after_ms": done.as_millis() as u64,
            "compaction_done_after_ms": state.compaction_timing().as_millis() as u64,
            "upload_max_bytes": knobs.upload_max_bytes,
            "forget_partial": knobs.forget_partial,
            "data_delete_continue_rounds": knobs.data_delete_continue_rounds,
            "data_delete_done_after_ms": knobs.data_delete_done_after.as_millis() as u64,
            "data_delete_partial": knobs.data_delete_partial,
            "credit_balance": balance,
        }),
    ))
}

fn uploads(state: &State) -> Response {
    Response::json(200, &json!({ "uploads": lock(&state.uploads).list() }))
}

fn requests(state: &State, req: &Request) -> Response {
    let filter = req.query.as_deref().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("path="))
            .map(|p| percent_decode(&p.replace('+', " ")).unwrap_or_else(|| p.to_owned()))
    });
    #[derive(serde::Serialize)]
    struct List<'a> {
        requests: Vec<&'a LoggedRequest>,
    }
    let log = lock(&state.log);
    Response::json(200, &List { requests: log.list(filter.as_deref()) })
}
