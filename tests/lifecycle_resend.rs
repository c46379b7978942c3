//! When the lifecycle and credits calls are sent again. A write that
//! changes what the service holds (update, forget, upload, redeem) is
//! resent only when the failure proves it had no effect (503, 429); after a
//! 500, a dropped connection or a timeout it is sent once, whether or not
//! it was done. Deleting a memory, data deletion and its status, and the
//! credits reads are retried as reads are.

mod common;
mod lifecycle_support;

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::Emu;
use lifecycle_support::{CUSTOMER, TempDir, correlation_id, fnv1a64, ingest, retrying, sent_to, start, uploads};
use serde_json::{Value, json};
use synap::{
    Client, DataDeleteRequest, DeleteScope, Error, ErrorKind, EstimateRequest, ForgetRequest, LedgerQuery,
    UpdateRequest, UploadRequest,
};

const MEMORIES: &str = "/api/v1/memories/";
const FORGET: &str = "/api/v1/memories/forget";
const UPLOAD: &str = "/api/v1/memories/upload";
const REDEEM: &str = "/v1/credits/redeem";
const DELETE: &str = "/v1/data/delete";
/// Each attempt's time; the delays and stalls below outlast it.
const ATTEMPT: Duration = Duration::from_millis(500);

/// What the cases of one test share: the emulator, a client without
/// retries to set up and check each case, files, and the ids each case made.
struct Fixture {
    emu: Emu,
    setup: Client,
    dir: TempDir,
    ids: RefCell<BTreeMap<u32, String>>,
}

impl Fixture {
    fn new() -> Fixture {
        let emu = start();
        let setup = emu.client();
        Fixture { emu, setup, dir: TempDir::new("resend"), ids: RefCell::default() }
    }

    fn keep(&self, n: u32, id: String) {
        self.ids.borrow_mut().insert(n, id);
    }

    fn id(&self, n: u32) -> String {
        self.ids.borrow()[&n].clone()
    }

    /// Ingests `text` for case `n`'s user and keeps its first memory's id.
    fn memory(&self, n: u32, text: &str) -> String {
        let id = ingest(&self.setup, text, &user(n), CUSTOMER).remove(0);
        self.keep(n, id.clone());
        id
    }
}

fn user(n: u32) -> String {
    format!("user_case_{n}")
}

fn code(n: u32) -> String {
    format!("SYN-CASE-{n:04}-0000-A")
}

/// Case `n`'s upload: some 32 KiB of text.
fn payload(n: u32) -> Vec<u8> {
    (0..1200).map(|i| format!("Upload case {n} line {i}.\n")).collect::<String>().into_bytes()
}

/// One write of the matrix.
struct Write {
    /// Sets up case `n`; returns the path its request goes to.
    prepare: fn(&Fixture, u32) -> String,
    run: fn(&Fixture, &Client, u32) -> Result<(), Error>,
    /// How many times case `n`'s write took effect.
    effects: fn(&Fixture, u32) -> usize,
}

fn writes() -> [Write; 4] {
    [
        Write {
            prepare: |f, n| {
                format!("{MEMORIES}{}", f.memory(n, &format!("User: Case {n} prefers quiet trains to buses.")))
            },
            run: |f, c, n| {
                let mut update = UpdateRequest::new();
                update.document_text(&format!("Marker {n}.")).merge_strategy("append").unwrap();
                c.memories_update(&f.id(n), &update).map(|_| ())
            },
            effects: |f, n| f.setup.memories_get(&f.id(n)).unwrap().content().matches("Marker").count(),
        },
        Write {
            prepare: |f, n| {
                f.memory(n, &format!("User: My locker code for case {n} is kept secret."));
                FORGET.to_owned()
            },
            run: |_, c, n| {
                let mut forget = ForgetRequest::new();
                forget.description("locker code").unwrap().user_id(&user(n)).unwrap().customer_id(CUSTOMER).unwrap();
                c.memories_forget(forget.mode("direct").unwrap()).map(|_| ())
            },
            effects: |f, n| match f.setup.memories_get(&f.id(n)) {
                Ok(_) => 0,
                Err(e) if e.kind() == ErrorKind::NotFound => 1,
                Err(e) => panic!("{e}"),
            },
        },
        Write {
            prepare: |f, n| {
                f.keep(n, f.dir.file(&format!("case-{n}.txt"), &payload(n)).to_str().unwrap().to_owned());
                UPLOAD.to_owned()
            },
            run: |f, c, n| {
                let mut upload = UploadRequest::new();
                upload.user_id(&user(n)).unwrap().customer_id(CUSTOMER).unwrap().file(f.id(n)).unwrap();
                c.memories_upload(&upload).map(|_| ())
            },
            effects: |f, n| {
                let received: Vec<Value> =
                    uploads(&f.emu).into_iter().filter(|u| u["fields"]["user_id"] == user(n)).collect();
                for record in &received {
                    // Every time it arrived, it arrived whole.
                    assert_eq!(record["bytes"], payload(n).len(), "{record}");
                    assert_eq!(record["fnv1a64"], fnv1a64(&payload(n)), "{record}");
                }
                received.len()
            },
        },
        Write {
            prepare: |_, _| REDEEM.to_owned(),
            run: |_, c, n| c.credits_redeem(&code(n)).map(|_| ()),
            effects: |f, n| {
                let mut query = LedgerQuery::new();
                query.entry_type("redeem").limit(500).unwrap();
                let rows = f.setup.credits_ledger(&query).unwrap().entries;
                rows.iter().filter(|e| e.delta == Some(f64::from(n))).count()
            },
        },
    ]
}

#[test]
fn a_write_is_resent_only_when_the_failure_proves_it_had_no_effect() {
    let f = Fixture::new();
    let client = retrying(&f.emu, ATTEMPT);
    let matrix: [(Value, Option<ErrorKind>, usize, usize); 7] = [
        // The service refused it: sent again, done once.
        (json!({"kind": "respond", "status": 503}), None, 2, 1),
        (json!({"kind": "respond", "status": 429, "headers": {"Retry-After": "0"}}), None, 2, 1),
        // It may have been done: sent once, whether it was done or not.
        (json!({"kind": "respond", "status": 500}), Some(ErrorKind::Server), 1, 0),
        (json!({"kind": "drop"}), Some(ErrorKind::Network), 1, 0),
        (json!({"kind": "handle_then_drop"}), Some(ErrorKind::Network), 1, 1),
        (json!({"kind": "handle_then_stall", "ms": 1200}), Some(ErrorKind::Timeout), 1, 1),
        (json!({"kind": "delay", "ms": 1200}), Some(ErrorKind::Timeout), 1, 1),
    ];
    let codes: serde_json::Map<String, Value> = (1..100).map(|n| (code(n), json!(n))).collect();
    f.emu.post_config(json!({ "redeem_codes": codes }));
    let mut n = 0;
    for write in writes() {
        for (fault, failure, attempts, effects) in &matrix {
            n += 1;
            let path = (write.prepare)(&f, n);
            let case = format!("{path} with {fault}");
            f.emu.post_fault(&path, 1, fault.clone());
            let before = f.emu.requests(Some(&path)).len();
            let result = (write.run)(&f, &client, n);
            assert_eq!(result.as_ref().err().map(Error::kind), *failure, "{case}: {result:?}");
            if let Err(e) = &result {
                assert_eq!(e.http_status(), (*failure == Some(ErrorKind::Server)).then_some(500), "{case}");
            }
            let sent = f.emu.requests(Some(&path));
            assert_eq!(sent.len() - before, *attempts, "{case}: attempts");
            let cids: Vec<&str> = sent[before..].iter().map(correlation_id).collect();
            assert!(cids.windows(2).all(|w| w[0] == w[1]), "{case}: one call, one correlation id: {cids:?}");
            // A delayed request is handled after the client gave up on it.
            let until = Instant::now() + Duration::from_secs(5);
            while (write.effects)(&f, n) < *effects && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(25));
            }
            assert_eq!((write.effects)(&f, n), *effects, "{case}: effects");
        }
    }
}

/// One call retried as reads are.
struct Read {
    /// Sets up case `n`; returns the path its request goes to.
    prepare: fn(&Fixture, u32) -> String,
    run: fn(&Fixture, &Client, u32) -> Result<(), Error>,
}

fn delete_user(user: &str) -> DataDeleteRequest {
    let mut request = DataDeleteRequest::new(DeleteScope::User, user).unwrap();
    request.customer_id(CUSTOMER).unwrap().confirm(user);
    request
}

fn reads() -> [Read; 6] {
    [
        Read {
            prepare: |f, n| format!("{MEMORIES}{}", f.memory(n, &format!("User: Case {n} drinks mint tea at noon."))),
            run: |f, c, n| c.memories_delete(&f.id(n)).map(|d| assert_eq!(d.memory_id.as_deref(), Some(&*f.id(n)))),
        },
        Read {
            prepare: |_, _| DELETE.to_owned(),
            run: |_, c, n| c.data_delete(&delete_user(&user(n))).map(|d| assert!(d.state().is_terminal(), "{d:?}")),
        },
        Read {
            prepare: |f, n| {
                let done = f.setup.data_delete(&delete_user(&user(n))).unwrap();
                f.keep(n, done.deletion_id.as_deref().unwrap().to_owned());
                format!("{DELETE}/{}", f.id(n))
            },
            run: |f, c, n| {
                c.data_deletion_status(&f.id(n)).map(|d| assert_eq!(d.deletion_id.as_deref(), Some(&*f.id(n))))
            },
        },
        Read {
            prepare: |_, _| "/v1/credits/balance".to_owned(),
            run: |_, c, _| c.credits_balance().map(|b| assert!(b.balance_credits > 0.0)),
        },
        Read {
            prepare: |_, _| "/v1/credits/ledger".to_owned(),
            run: |_, c, _| c.credits_ledger(&LedgerQuery::new()).map(|p| assert!(!p.entries.is_empty())),
        },
        Read {
            prepare: |_, _| "/v1/credits/estimate".to_owned(),
            run: |_, c, _| {
                let mut estimate = EstimateRequest::new();
                estimate.metric_type("documents").unwrap().units(4.0).unwrap();
                c.credits_estimate(&estimate).map(|credits| assert_eq!(credits, 4.0))
            },
        },
    ]
}

#[test]
fn deletions_and_credit_reads_are_retried_as_reads_are() {
    let f = Fixture::new();
    // One request per deletion, so the attempts are easy to count.
    f.emu.post_config(json!({"data_delete_continue_rounds": 0}));
    let client = retrying(&f.emu, ATTEMPT);
    let faults =
        [json!({"kind": "respond", "status": 500}), json!({"kind": "drop"}), json!({"kind": "delay", "ms": 1200})];
    let mut n = 0;
    for read in reads() {
        for fault in &faults {
            n += 1;
            let path = (read.prepare)(&f, n);
            let case = format!("{path} with {fault}");
            f.emu.post_fault(&path, 1, fault.clone());
            let before = sent_to(&f.emu, &path).len();
            (read.run)(&f, &client, n).unwrap_or_else(|e| panic!("{case}: {e}"));
            let sent = sent_to(&f.emu, &path);
            assert_eq!(sent.len() - before, 2, "{case}: retried once");
            assert_eq!(correlation_id(&sent[before]), correlation_id(&sent[before + 1]), "{case}");
        }
    }

    // Without retries the 500 is the call's result.
    let once = f.emu.client();
    f.emu.post_fault("/v1/credits/balance", 1, json!({"kind": "respond", "status": 500}));
    let e = once.credits_balance().unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Server, Some(500)));
}
