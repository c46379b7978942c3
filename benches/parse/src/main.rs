//! Parses `memories.status` bodies with 10, 10k and 100k memory ids with
//! libsynap (`MemoryStatus::from_json`) and with serde_json into a
//! `serde_json::Value`, the floor for reading the same bytes.
//!
//!     synap-parse-bench [ROUNDS [BUDGET_BYTES] [SIZES...]]
//!
//! Prints one line per size: `ids=N bytes=B synap_us=X serde_us=Y ratio=R
//! ratio_min=L ratio_max=H`, each the median of ROUNDS rounds (and the
//! lowest and highest round); the ratio is taken within each round, where
//! the two parsers run back to back in alternating order.

use std::hint::black_box;
use std::time::Instant;

use synap::MemoryStatus;

/// A completed job's body with `ids` memory ids (distinct, UUID-shaped).
fn body(ids: usize) -> Vec<u8> {
    let mut state = 0x5EED_u64;
    let mut next = || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let list: Vec<String> = (0..ids)
        .map(|_| {
            let (a, b) = (next(), next());
            format!(
                "\"{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}\"",
                a >> 32,
                (a >> 16) & 0xFFFF,
                a & 0xFFF,
                0x8000 | (b >> 48) & 0x3FFF,
                b & 0xFFFF_FFFF_FFFF
            )
        })
        .collect();
    format!(
        r#"{{"ingestion_id":"6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37","document_id":"chat-2025-01-15-user-789","status":"completed","queued_at":"2025-01-15T10:30:00.412Z","started_at":"2025-01-15T10:30:02.108Z","completed_at":"2025-01-15T10:30:41.950Z","memories_created":{ids},"memory_ids":[{}],"error_message":null}}"#,
        list.join(",")
    )
    .into_bytes()
}

fn synap_parse(bytes: &[u8]) -> usize {
    MemoryStatus::from_json(bytes).expect("libsynap parses the body").memory_ids().len()
}

fn serde_parse(bytes: &[u8]) -> usize {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("serde_json parses the body");
    value["memory_ids"].as_array().map_or(0, Vec::len)
}

/// Mean µs per parse over `iters` parses.
fn time(parse: fn(&[u8]) -> usize, bytes: &[u8], iters: usize) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        black_box(parse(black_box(bytes)));
    }
    start.elapsed().as_secs_f64() * 1e6 / iters as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |i: usize, default: usize| args.get(i).map_or(default, |a| a.parse().expect("a number"));
    let rounds = number(0, 5).max(1);
    // Bytes parsed per timing, so small bodies are timed over many parses.
    let budget = number(1, 64 << 20);
    let sizes: Vec<usize> = if args.len() > 2 {
        args[2..].iter().map(|a| a.parse().expect("a size")).collect()
    } else {
        vec![10, 10_000, 100_000]
    };

    for ids in sizes {
        let bytes = body(ids);
        assert_eq!(synap_parse(&bytes), ids);
        assert_eq!(serde_parse(&bytes), ids);
        let iters = (budget / bytes.len()).max(3);
        let (mut ours, mut floor, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..rounds {
            // Alternate which goes first, so neither always runs on a warmer cache.
            let (s, f) = if round % 2 == 0 {
                let s = time(synap_parse, &bytes, iters);
                (s, time(serde_parse, &bytes, iters))
            } else {
                let f = time(serde_parse, &bytes, iters);
                (time(synap_parse, &bytes, iters), f)
            };
            ours.push(s);
            floor.push(f);
            ratios.push(s / f);
        }
        let (lo, hi) = ratios.iter().fold((f64::MAX, 0.0_f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
        println!(
            "ids={ids} bytes={} synap_us={:.3} serde_us={:.3} ratio={:.3} ratio_min={lo:.3} ratio_max={hi:.3}",
            bytes.len(),
            median(ours),
            median(floor),
            median(ratios)
        );
    }
}
