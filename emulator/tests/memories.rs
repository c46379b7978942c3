//! GET /api/v1/memories/{memory_id}: memories of scripted and demo jobs,
//! errors, and that the route shadows none of its siblings.

mod common;

use common::*;
use serde_json::{Value, json};
use synap_emulator::{DEMO_PARTIAL_ID, DEMO_PROGRESSING_ID};

fn memory_ids(status: &Value) -> Vec<String> {
    status["memory_ids"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect()
}

#[test]
fn every_memory_of_a_finished_job_is_readable() {
    let emu = start_control();
    for final_status in ["completed", "partial_success"] {
        let id = new_job(&emu, json!({"document_id": "scripted", "final_status": final_status, "memories": 7}));
        let status = get(&emu, &status_path(&id)).json();
        let ids = memory_ids(&status);
        assert_eq!(ids.len(), 7);
        let mut types = Vec::new();
        for memory_id in &ids {
            let r = get(&emu, &memory_path(memory_id));
            assert_eq!(r.status, 200, "{final_status}: {}", r.text());
            let m = r.json();
            assert_eq!(m["memory_id"], memory_id.as_str());
            assert_eq!(m["source_document_id"], "scripted");
            assert!(!m["content"].as_str().unwrap().is_empty());
            assert!(m["created_at"].is_string());
            types.push(m["memory_type"].as_str().unwrap().to_owned());
        }
        for t in ["fact", "preference", "episode", "emotion", "temporal_event"] {
            assert!(types.iter().any(|x| x == t), "{t} in {types:?}");
        }
    }
}

#[test]
fn memories_appear_with_the_status_that_lists_them() {
    let emu = start_control();
    let id = new_job(&emu, json!({"processing_after_ms": 0, "done_after_ms": 600_000, "memories": 3}));
    let status = get(&emu, &status_path(&id)).json();
    assert_eq!(status["status"], "processing");
    assert_eq!(memory_ids(&status), Vec::<String>::new());

    // The demo job still queued lists nothing; the partial one lists its memory.
    assert!(memory_ids(&get(&emu, &status_path(DEMO_PROGRESSING_ID)).json()).is_empty());
    let partial = memory_ids(&get(&emu, &status_path(DEMO_PARTIAL_ID)).json());
    let m = get(&emu, &memory_path(&partial[0])).json();
    assert_eq!(m["source_document_id"], "ticket-88213");
    assert_eq!(m["content"], "Escalated the billing ticket to the finance team.");
}

#[test]
fn unknown_and_malformed_ids_are_404() {
    let emu = start_control();
    for id in ["0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "not-a-uuid", "%7Bx%7D", DEMO_PARTIAL_ID] {
        let r = get(&emu, &memory_path(id));
        assert_eq!(r.status, 404, "{id}");
        assert_eq!(r.json(), json!({"detail": "Memory not found"}), "{id}");
    }
    let id = new_job(&emu, json!({"memories": 1}));
    let memory_id = memory_ids(&get(&emu, &status_path(&id)).json()).remove(0);
    assert_eq!(request(&emu, "GET", &memory_path(&memory_id), &[], None).status, 401);
    assert_eq!(request(&emu, "GET", &memory_path("nope"), &[], None).status, 401);
    // Any UUID form finds it; the body has the canonical one.
    for form in [memory_id.to_uppercase(), memory_id.replace('-', ""), format!("urn:uuid:{memory_id}")] {
        let r = get(&emu, &memory_path(&form));
        assert_eq!(r.status, 200, "{form}");
        assert_eq!(r.json()["memory_id"], memory_id.as_str());
    }
}

#[test]
fn sibling_routes_are_not_shadowed() {
    let emu = start_control();
    assert_eq!(get(&emu, &status_path(DEMO_PARTIAL_ID)).json()["status"], "partial_success");
    for path in ["/api/v1/memories/status", "/api/v1/memories/", "/api/v1/memories/a/b"] {
        let r = get(&emu, path);
        assert_eq!((r.status, r.json()), (404, json!({"detail": "Not Found"})), "{path}");
    }
    for (method, path, allow) in [
        ("GET", CREATE, "POST"),
        ("GET", BATCH, "POST"),
        ("POST", "/api/v1/memories/0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "GET, PATCH, DELETE"),
        ("PUT", "/api/v1/memories/0d8e5b3a-7c21-4f96-8a4e-1b2c3d4e5f60", "GET, PATCH, DELETE"),
        ("GET", "/api/v1/memories/forget", "POST"),
        ("GET", "/api/v1/memories/upload", "POST"),
    ] {
        let r = request(&emu, method, path, &[AUTH], Some(""));
        assert_eq!((r.status, r.header("allow")), (405, Some(allow)), "{method} {path}");
    }
}

#[test]
fn created_at_follows_the_time_format() {
    let emu = start_control();
    let id = new_job(&emu, json!({"memories": 1}));
    let memory_id = memory_ids(&get(&emu, &status_path(&id)).json()).remove(0);
    control(&emu, "config", &json!({"time_format": "nanos"}));
    let m = get(&emu, &memory_path(&memory_id)).json();
    let created = m["created_at"].as_str().unwrap();
    assert!(created.ends_with("+00:00") && created.len() == "2025-01-15T10:30:00.412512345+00:00".len(), "{created}");
    assert_eq!(m["created_at"], get(&emu, &status_path(&id)).json()["completed_at"]);
}

#[test]
fn faults_apply_to_memory_reads() {
    let emu = start_control();
    let id = new_job(&emu, json!({"memories": 1}));
    let memory_id = memory_ids(&get(&emu, &status_path(&id)).json()).remove(0);
    let path = memory_path(&memory_id);
    fault(&emu, &path, 1, json!({"kind": "gzip"}));
    let r = get(&emu, &path);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(get(&emu, &path).json()["memory_id"], memory_id.as_str());
}
