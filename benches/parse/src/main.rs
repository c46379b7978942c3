//! Parses response bodies with libsynap and with serde_json into a
//! `serde_json::Value`, the floor for reading the same bytes:
//! `memories.status` bodies with 10, 10k and 100k memory ids
//! (`MemoryStatus::from_json`), and context fetch bodies with 1k and 10k
//! items, by type and ranked, or read from a file (`Context::from_json`).
//!
//!     synap-parse-bench [ROUNDS [BUDGET_BYTES] [BODIES...]]
//!
//! A body is `ids=N` (or just `N`): a status with N memory ids;
//! `items=N`: a context with N items, in each shape; or `file=PATH`: the
//! context fetch body in that file (the benchmark server's answer). Prints
//! one line per body: `ids=N bytes=B synap_us=X serde_us=Y ratio=R
//! ratio_min=L ratio_max=H`, for a context `items=N shape=S bytes=B ...`,
//! for a file `file=NAME clock=cpu bytes=B ...` (NAME without its folder),
//! each the median of ROUNDS rounds (and the lowest and highest round); the
//! ratio is taken within each round, where the two parsers run back to back
//! in alternating order. Times are elapsed µs per parse, but for a file,
//! whose times are the thread's CPU µs per parse: the cost a client adds
//! per call by parsing that answer.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Instant;

use synap::{Context, ContextList, MemoryStatus};

/// A splitmix64 stream: the same bodies on every run.
fn numbers(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

fn uuid(next: &mut impl FnMut() -> u64) -> String {
    let (a, b) = (next(), next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xFFFF,
        a & 0xFFF,
        0x8000 | (b >> 48) & 0x3FFF,
        b & 0xFFFF_FFFF_FFFF
    )
}

/// A completed job's body with `ids` memory ids (distinct, UUID-shaped).
fn status_body(ids: usize) -> Vec<u8> {
    let mut next = numbers(0x5EED);
    let list: Vec<String> = (0..ids).map(|_| format!("\"{}\"", uuid(&mut next))).collect();
    format!(
        r#"{{"ingestion_id":"6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37","document_id":"chat-2025-01-15-user-789","status":"completed","queued_at":"2025-01-15T10:30:00.412Z","started_at":"2025-01-15T10:30:02.108Z","completed_at":"2025-01-15T10:30:41.950Z","memories_created":{ids},"memory_ids":[{}],"error_message":null}}"#,
        list.join(",")
    )
    .into_bytes()
}

const WORDS: [&str; 24] = [
    "prefers", "decaf", "coffee", "after", "3pm", "account", "is", "on", "the", "Pro", "plan", "refunds", "within",
    "30", "days", "email", "over", "phone", "café", "meeting", "Tuesday", "renewal", "invoice", "support",
];

/// A context fetch body with `items` items, shaped as the service answers:
/// by type (the five lists, in turn) or ranked (`context.items`, one in ten
/// an excerpt from `chunks`). Every item carries the fields its type has
/// on the wire; one text in eight holds an escape.
fn context_body(items: usize, ranked: bool) -> Vec<u8> {
    let mut next = numbers(0xC0FFEE);
    let lists = ["facts", "preferences", "episodes", "emotions", "temporal_events"];
    let mut by_list: [String; 5] = Default::default();
    let mut all = String::new();
    for i in 0..items {
        let kind = i % 5;
        let mut text = String::new();
        for w in 0..8 + next() % 12 {
            if w > 0 {
                text.push(' ');
            }
            text.push_str(WORDS[(next() % WORDS.len() as u64) as usize]);
        }
        if next().is_multiple_of(8) {
            text.push_str(r#" (\"quoted\")\n"#);
        }
        let score = (next() % 1000) as f64 / 1000.0;
        let rank_score = (next() % 1000) as f64 / 1000.0;
        let day = 1 + next() % 28;
        let id = uuid(&mut next);
        let mut item = format!(r#"{{"id":"{id}","#);
        if ranked {
            let category = if i % 10 == 9 { "facts" } else { lists[kind] };
            let source = if i % 10 == 9 { "chunks" } else { "conversation" };
            write!(item, r#""rank":{},"category":"{category}","source":"{source}","#, i + 1).unwrap();
        } else {
            item.push_str(r#""source":"conversation","#);
        }
        match kind {
            0 => write!(item, r#""content":"{text}","confidence":{score},"extracted_at":"2025-01-{day:02}T10:30:41Z","#),
            1 => write!(
                item,
                r#""content":"{text}","{}":"communication","confidence":{score},"extracted_at":"2025-01-{day:02}T08:00:00Z","#,
                if ranked { "subcategory" } else { "category" }
            ),
            2 => write!(
                item,
                r#""summary":"{text}","significance":{score},"occurred_at":"2025-01-{day:02}T09:00:00Z","participants":["user","agent"],"#
            ),
            3 => write!(
                item,
                r#""context":"{text}","emotion_type":"frustration","intensity":{score},"detected_at":"2025-01-{day:02}T11:15:00.250Z","#
            ),
            _ => write!(
                item,
                r#""content":"{text}","temporal_category":"temporal_fact","confidence":{score},"event_date":"2025-02-{day:02}","event_end":"2025-02-28","event_precision":"month","extracted_at":"2025-01-{day:02}T10:30:41Z","#
            ),
        }
        .unwrap();
        write!(
            item,
            r#""said_at":"2025-01-{day:02}T10:29:58Z","valid_until":null,"temporal_confidence":0.9,"source_evidence":["I only drink decaf after 3pm"],"matched_queries":["coffee preferences"],"metadata":{{"rank_score":{rank_score},"retriever":"hybrid"}}}}"#
        )
        .unwrap();
        let list = if ranked { &mut all } else { &mut by_list[kind] };
        if !list.is_empty() {
            list.push(',');
        }
        list.push_str(&item);
    }
    let context = if ranked {
        format!(r#"{{"items":[{all}]}}"#)
    } else {
        let lists: Vec<String> =
            lists.iter().zip(&by_list).map(|(name, items)| format!(r#""{name}":[{items}]"#)).collect();
        format!("{{{}}}", lists.join(","))
    };
    format!(r#"{{"context":{context},"conversation_context":null,"retrieval":null,"ttl_seconds":300}}"#).into_bytes()
}

fn synap_status(bytes: &[u8]) -> usize {
    MemoryStatus::from_json(bytes).expect("libsynap parses the body").memory_ids().len()
}

fn serde_status(bytes: &[u8]) -> usize {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("serde_json parses the body");
    value["memory_ids"].as_array().map_or(0, Vec::len)
}

/// The items parsed: the ranked list, else the typed lists.
fn synap_context(bytes: &[u8]) -> usize {
    let context = Context::from_json(bytes).expect("libsynap parses the body");
    match context.list(ContextList::Ranked).len() {
        0 => ContextList::TYPED.iter().map(|l| context.list(*l).len()).sum(),
        ranked => ranked,
    }
}

fn serde_context(bytes: &[u8]) -> usize {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("serde_json parses the body");
    let context = value["context"].as_object().expect("a context object");
    context.values().filter_map(serde_json::Value::as_array).map(Vec::len).sum()
}

/// Which time a measurement reads.
#[derive(Clone, Copy)]
enum Clock {
    /// Elapsed time.
    Wall,
    /// This thread's CPU time: what parsing costs whatever else the machine
    /// runs, comparable with a client's CPU time per call.
    Cpu,
}

/// This thread's CPU time so far, in seconds.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec for the call to write.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "CLOCK_THREAD_CPUTIME_ID is readable");
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// Mean µs per parse over `iters` parses, on `clock`.
fn time(parse: fn(&[u8]) -> usize, bytes: &[u8], iters: usize, clock: Clock) -> f64 {
    let (start, cpu_start) = (Instant::now(), thread_cpu_seconds());
    for _ in 0..iters {
        black_box(parse(black_box(bytes)));
    }
    let seconds = match clock {
        Clock::Wall => start.elapsed().as_secs_f64(),
        Clock::Cpu => thread_cpu_seconds() - cpu_start,
    };
    seconds * 1e6 / iters as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

/// Times `ours` against `floor` on `bytes` with `clock` and prints the
/// line, after `label`.
fn measure(
    label: &str,
    bytes: &[u8],
    ours: fn(&[u8]) -> usize,
    floor: fn(&[u8]) -> usize,
    rounds: usize,
    budget: usize,
    clock: Clock,
) {
    let iters = (budget / bytes.len()).max(3);
    let (mut synap, mut serde, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        // Alternate which goes first, so neither always runs on a warmer cache.
        let (s, f) = if round % 2 == 0 {
            let s = time(ours, bytes, iters, clock);
            (s, time(floor, bytes, iters, clock))
        } else {
            let f = time(floor, bytes, iters, clock);
            (time(ours, bytes, iters, clock), f)
        };
        synap.push(s);
        serde.push(f);
        ratios.push(s / f);
    }
    let (lo, hi) = ratios.iter().fold((f64::MAX, 0.0_f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    println!(
        "{label} bytes={} synap_us={:.3} serde_us={:.3} ratio={:.3} ratio_min={lo:.3} ratio_max={hi:.3}",
        bytes.len(),
        median(synap),
        median(serde),
        median(ratios)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: usize| args.get(i).map_or(default, |a| a.parse().expect("a number"));
    let rounds = number(0, 5).max(1);
    // Bytes parsed per timing, so small bodies are timed over many parses.
    let budget = number(1, 64 << 20);
    let bodies: Vec<String> = if args.len() > 2 {
        args[2..].to_vec()
    } else {
        ["ids=10", "ids=10000", "ids=100000", "items=1000", "items=10000"].map(String::from).to_vec()
    };

    for body in bodies {
        let (what, value) = body.split_once('=').unwrap_or(("ids", &body));
        if what == "file" {
            let bytes = std::fs::read(value).unwrap_or_else(|e| panic!("cannot read {value}: {e}"));
            assert_eq!(synap_context(&bytes), serde_context(&bytes), "both parsers see the same items in {value}");
            let name = std::path::Path::new(value).file_name().map_or(value.into(), |n| n.to_string_lossy());
            let label = format!("file={name} clock=cpu");
            measure(&label, &bytes, synap_context, serde_context, rounds, budget, Clock::Cpu);
            continue;
        }
        let n: usize = value.parse().expect("a size");
        match what {
            "ids" => {
                let bytes = status_body(n);
                assert_eq!(synap_status(&bytes), n);
                assert_eq!(serde_status(&bytes), n);
                measure(&format!("ids={n}"), &bytes, synap_status, serde_status, rounds, budget, Clock::Wall);
            }
            "items" => {
                for (shape, ranked) in [("by_type", false), ("ranked", true)] {
                    let bytes = context_body(n, ranked);
                    assert_eq!(synap_context(&bytes), n);
                    assert_eq!(serde_context(&bytes), n);
                    let label = format!("items={n} shape={shape}");
                    measure(&label, &bytes, synap_context, serde_context, rounds, budget, Clock::Wall);
                }
            }
            _ => panic!("a body is ids=N, items=N or file=PATH, not {body}"),
        }
    }
}
