//! `synap-emulator`: runs the emulator until killed.

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use synap_emulator::{Config, DEV_API_KEY, Emulator, FAIL_MARKER, PARTIAL_MARKER, TestPki, TimeFormat, TlsIdentity};

const USAGE: &str = "\
Usage: synap-emulator [OPTIONS]

A Synap-compatible HTTP/1.1 server for local tests and demos. Routes:
GET /health, GET /api/v1/auth/whoami, POST /api/v1/memories/create,
POST /api/v1/memories/batch, GET /api/v1/memories/status/{ingestion_id},
GET /api/v1/memories/{memory_id}, POST /v1/telemetry/batch,
POST /v1/context/{user,customer,client,conversation}/fetch,
GET /v1/conversations/{conversation_id}/context-for-prompt?style=S,
POST /v1/conversations/messages, POST /v1/conversations/messages/batch,
GET /v1/conversations/{conversation_id}/messages?start=S&limit=L,
POST /v1/conversations/ingest, POST /v1/conversations/compact,
GET /v1/conversations/{conversation_id}/compaction/status,
GET /v1/conversations/{conversation_id}/compacted?format=F[&version=N],
GET /v1/users/{user_id}/profile[?customer_id=C],
PATCH /api/v1/memories/{memory_id}, DELETE /api/v1/memories/{memory_id},
POST /api/v1/memories/forget, POST /api/v1/memories/upload,
POST /v1/data/delete, GET /v1/data/delete/{deletion_id}?instance_id=I,
GET /v1/credits/balance, GET /v1/credits/ledger?limit=L&offset=O,
POST /v1/credits/estimate, POST /v1/credits/redeem.

A created document's job is queued, then processing, then completed; its
first sentences (up to 5) become its memories, readable by id as soon as
its status lists them. A document containing FAIL_INGEST is accepted and
its job ends failed; one containing PARTIAL_INGEST ends partial_success.
A document_id may be used once (409 after).

Context fetches rank those memories by relevance to search_query (BM25;
newest first without a query) within the fetch's scope: a document belongs
to its user_id and customer_id, and to a conversation when its
metadata.conversation_id is a string or its document_id a UUID; the
client scope is everything. A user's profile is made of their preference
memories; context-for-prompt lists the conversation's messages.

Recorded messages join their conversation in order; a user message's
sentences also become memories on the created jobs' timing. An ingested
transcript (any conversation id, coerced to a UUID: uuid5 of the URL
namespace unless it is one) queues a job like a created document and
starts a compaction; the same transcript again is a duplicate, another one
a 409 transcript_conflict. A compaction covers the messages present when it
starts, runs for --compaction-done-after-ms, then its summary (the first
sentences) is served by /compacted and heads context-for-prompt; its
status is none, in_progress, completed, or stale once messages came after
it.

A memory can be updated (replace, append, smart-merge) and deleted; forget
finds a user's memories whose content holds every word of the description
(3 characters or more, common words aside), and previews or deletes them. An upload (a
multipart file or a urlencoded text, streamed, up to 512 MiB) is ingested
like a created document. A data deletion (user, conversation or customer)
answers continue: true once, then completes; a dry run only counts. Every
ingestion costs 1 credit from a balance of 1000000; SYN-TEST-CODE-0001-A
redeems 500 more.

Options:
  --host IP             address to bind (default 127.0.0.1)
  --port N              port to bind; 0 picks a free one (default 8787)
  --api-key KEY         accept this API key; repeatable; replaces the default
                        dev key
  --control             serve the test-only /_emulator/... control endpoint
  --time-format F       timestamp format: z, naive, offset, millis or nanos
                        (default z)
  --no-demo             do not seed the demo ingestion jobs
  --create-processing-after-ms N
                        a created job turns processing N ms after it was
                        queued (default 500)
  --create-done-after-ms N
                        ... and terminal N ms after it was queued
                        (default 2000)
  --compaction-done-after-ms N
                        a compaction is in_progress for N ms, then
                        completed (default 1500)
  --data-delete-done-after-ms N
                        a data deletion is in_progress for N ms after its
                        request, then complete (default 0)
  --tls-cert FILE       serve HTTPS with this PEM certificate chain (server
                        certificate first); needs --tls-key
  --tls-key FILE        the PEM private key of --tls-cert
  --tls-generate DIR    serve HTTPS with a certificate for localhost,
                        127.0.0.1 and ::1 made at start, signed by a new CA
                        written to DIR/ca.pem (trust that file to connect)
  --proxy               also be an HTTP proxy: CONNECT host:port gets
                        \"200 Connection established\" and the tunnel leads to
                        this emulator, whatever the target (TLS starts inside
                        the tunnel when serving HTTPS)
  --help                print this help

With --control, POST /_emulator/config {\"time_format\": T,
\"create_processing_after_ms\": N, \"create_done_after_ms\": N,
\"compaction_done_after_ms\": N, \"upload_max_bytes\": N,
\"forget_partial\": B, \"data_delete_continue_rounds\": N,
\"data_delete_done_after_ms\": N, \"data_delete_partial\": B,
\"credit_balance\": N, \"redeem_codes\": {\"CODE\": N}} changes those
settings (each optional), GET /_emulator/requests lists the requests seen
(method, path, query, headers, body), GET /_emulator/uploads lists the
uploads received (user_id, filename, content_type, bytes, fnv1a64,
encoding, fields), POST /_emulator/jobs scripts a job,
POST /_emulator/reset clears faults, context scripts, the log and the
upload list and restores the upload, forget, deletion and credit settings
and the credit account,
POST /_emulator/context {\"count\": N, \"route\": R, \"retrieval\": {..},
\"conversation_context\": {..}, \"clear_items\": false, \"item_patch\": {..},
\"inject\": {\"facts\": [..], \"items\": [..]}} changes the next N successful
context fetches (on route R only, when given; each field optional), and
POST /_emulator/faults {\"path\": P, \"count\": N, \"fault\": F}
scripts the next N answers on path P (\"*\": any path); F is one of
(optional fields show their defaults):
  {\"kind\":\"respond\",\"status\":S,\"headers\":{},\"body\":\"\"}  this answer
  {\"kind\":\"delay\",\"ms\":M}                 wait, then answer normally
  {\"kind\":\"garbage\"}                      200 with a body that is not JSON
  {\"kind\":\"truncate\"}                     half the body, then close
  {\"kind\":\"drop\"}                         close without a byte
  {\"kind\":\"handle_then_drop\"}             handle it (a write is applied),
                                          then close without a byte
  {\"kind\":\"handle_then_stall\",\"ms\":M}     handle it, send nothing for M ms,
                                          then close
  {\"kind\":\"gzip\"}                         the body gzip-compressed
  {\"kind\":\"chunked\",\"chunk_bytes\":7}      the body in chunks
  {\"kind\":\"endless\",\"chunk_bytes\":16384,\"interval_ms\":0}
                                          200, chunked JSON that never ends
  {\"kind\":\"trickle\",\"interval_ms\":10}     one byte per interval

The first line on stdout is the base URL, written after the banner on
stderr. Runs until killed.";

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => return usage_error(&msg),
    };
    let mut config = args.config;
    let tls_note = match args.tls {
        None => None,
        Some(Tls::Files { cert, key }) => match TlsIdentity::from_files(&cert, &key) {
            Ok(identity) => {
                config.tls = Some(identity);
                Some(format!("TLS: serving {}", cert.display()))
            }
            Err(e) => return usage_error(&format!("--tls-cert/--tls-key: {e}")),
        },
        Some(Tls::Generate(dir)) => match generate_pki(&dir) {
            Ok((identity, ca_file)) => {
                config.tls = Some(identity);
                Some(format!("TLS: trust the CA in {}", ca_file.display()))
            }
            Err(e) => {
                eprintln!("synap-emulator: --tls-generate: {e}");
                return ExitCode::from(1);
            }
        },
    };
    let default_keys = config.api_keys == [DEV_API_KEY];
    let key_count = config.api_keys.len();
    let control = config.control;
    let proxy = config.proxy;
    let seed_demo = config.seed_demo;
    let time_format = config.time_format;
    let create_timing = (config.create_processing_after_ms, config.create_done_after_ms);
    let compaction_ms = config.compaction_done_after_ms;

    let emulator = match Emulator::start(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("synap-emulator: cannot listen: {e}");
            return ExitCode::from(1);
        }
    };
    if seed_demo {
        for line in synap_emulator::demo_job_lines() {
            eprintln!("{line}");
        }
    }
    if default_keys {
        eprintln!("dev API key: {DEV_API_KEY}");
    } else {
        eprintln!("accepting {key_count} API key(s)");
    }
    eprintln!("timestamps: {time_format}");
    eprintln!(
        "created jobs: processing after {} ms, done after {} ms; {FAIL_MARKER} in a document fails its job, \
         {PARTIAL_MARKER} makes it partial_success",
        create_timing.0,
        create_timing.1.max(create_timing.0)
    );
    eprintln!("compactions: completed after {compaction_ms} ms");
    if let Some(note) = tls_note {
        eprintln!("{note}");
    }
    if proxy {
        eprintln!("proxy: CONNECT tunnels lead to this emulator");
    }
    if control {
        eprintln!("control endpoint: {}/_emulator/", emulator.base_url());
    }
    // Last, so whoever waits for the URL finds the banner complete.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "{}", emulator.base_url());
    let _ = stdout.flush();
    loop {
        std::thread::park();
    }
}

fn usage_error(msg: &str) -> ExitCode {
    eprintln!("synap-emulator: {msg}");
    eprintln!("Try 'synap-emulator --help'.");
    ExitCode::from(2)
}

struct Args {
    config: Config,
    tls: Option<Tls>,
}

/// Where the HTTPS identity comes from; files are read after parsing.
enum Tls {
    Files { cert: PathBuf, key: PathBuf },
    Generate(PathBuf),
}

/// Makes a CA and a server certificate for the loopback names, and writes
/// the CA to `dir/ca.pem`.
fn generate_pki(dir: &std::path::Path) -> std::io::Result<(TlsIdentity, PathBuf)> {
    let pki = TestPki::generate(&["localhost", "127.0.0.1", "::1"])?;
    std::fs::create_dir_all(dir)?;
    let ca_file = dir.join("ca.pem");
    std::fs::write(&ca_file, &pki.ca_cert_pem)?;
    Ok((pki.identity(), ca_file))
}

fn millis(v: &str, flag: &str) -> Result<u64, String> {
    v.parse().map_err(|_| format!("{flag}: {v:?} is not a number of milliseconds"))
}

/// `Ok(None)` means `--help`.
fn parse_args(args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut config = Config { port: 8787, ..Config::default() };
    let mut keys: Vec<String> = Vec::new();
    let (mut cert, mut key, mut generate) = (None, None, None);
    let mut args = args;
    while let Some(arg) = args.next() {
        // Accept both `--flag value` and `--flag=value`.
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_owned(), Some(v.to_owned())),
            _ => (arg.clone(), None),
        };
        let mut value =
            |name: &str| inline.clone().or_else(|| args.next()).ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--help" | "-h" => return Ok(None),
            "--host" => {
                let v = value("--host")?;
                config.host = v.parse::<IpAddr>().map_err(|_| format!("--host: {v:?} is not an IP address"))?;
            }
            "--port" => {
                let v = value("--port")?;
                config.port = v.parse().map_err(|_| format!("--port: {v:?} is not a port number"))?;
            }
            "--api-key" => {
                let v = value("--api-key")?;
                if v.is_empty() {
                    return Err("--api-key must not be empty".to_owned());
                }
                keys.push(v);
            }
            "--time-format" => {
                let v = value("--time-format")?;
                config.time_format = v.parse::<TimeFormat>().map_err(|e| format!("--time-format: {e}"))?;
            }
            "--create-processing-after-ms" => config.create_processing_after_ms = millis(&value(&flag)?, &flag)?,
            "--create-done-after-ms" => config.create_done_after_ms = millis(&value(&flag)?, &flag)?,
            "--compaction-done-after-ms" => config.compaction_done_after_ms = millis(&value(&flag)?, &flag)?,
            "--data-delete-done-after-ms" => config.data_delete_done_after_ms = millis(&value(&flag)?, &flag)?,
            "--tls-cert" => cert = Some(PathBuf::from(value("--tls-cert")?)),
            "--tls-key" => key = Some(PathBuf::from(value("--tls-key")?)),
            "--tls-generate" => generate = Some(PathBuf::from(value("--tls-generate")?)),
            "--control" | "--no-demo" | "--proxy" if inline.is_some() => {
                return Err(format!("{flag} takes no value"));
            }
            "--control" => config.control = true,
            "--no-demo" => config.seed_demo = false,
            "--proxy" => config.proxy = true,
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    if !keys.is_empty() {
        config.api_keys = keys;
    }
    let tls = match (cert, key, generate) {
        (None, None, None) => None,
        (Some(cert), Some(key), None) => Some(Tls::Files { cert, key }),
        (None, None, Some(dir)) => Some(Tls::Generate(dir)),
        (_, _, Some(_)) => return Err("--tls-generate excludes --tls-cert and --tls-key".to_owned()),
        _ => return Err("--tls-cert and --tls-key go together".to_owned()),
    };
    Ok(Some(Args { config, tls }))
}
