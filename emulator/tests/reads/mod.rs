//! A ureq client for the context read routes: documents ingested through
//! the API, fetches, and the control endpoint.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use synap_emulator::{Config, DEV_API_KEY, Emulator};

pub const DECAF_DOC: &str = "User: I switched to decaf after 3pm. I love dark roast in the morning.";
pub const DECAF_QUERY: &str = "what does the user drink after 3pm?";

pub struct Api {
    pub emu: Emulator,
    agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

impl Api {
    /// An emulator whose jobs finish at once, with control on and no demo jobs.
    pub fn start() -> Api {
        Api::with(Config { seed_demo: false, ..Config::default() })
    }

    pub fn with(config: Config) -> Api {
        let config = Config { control: true, create_processing_after_ms: 0, create_done_after_ms: 0, ..config };
        let emu = Emulator::start(config).expect("emulator starts");
        // Plain HTTP on loopback: no proxy, no decompression surprises.
        let agent = ureq::Agent::config_builder().http_status_as_error(false).proxy(None).build().into();
        Api { emu, agent }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.base_url())
    }

    fn reply(mut r: ureq::http::Response<ureq::Body>) -> Reply {
        let status = r.status().as_u16();
        let headers = r
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned()))
            .collect();
        let text = r.body_mut().read_to_string().expect("body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        Reply { status, body, headers }
    }

    /// An authorized JSON POST.
    pub fn post(&self, path: &str, body: &Value) -> Reply {
        let r = self
            .agent
            .post(self.url(path))
            .header("Authorization", format!("Bearer {DEV_API_KEY}"))
            .content_type("application/json")
            .send(body.to_string())
            .expect("request");
        Api::reply(r)
    }

    /// An authorized POST of `body` as is.
    pub fn post_raw(&self, path: &str, body: &str) -> Reply {
        let r = self
            .agent
            .post(self.url(path))
            .header("Authorization", format!("Bearer {DEV_API_KEY}"))
            .content_type("application/json")
            .send(body)
            .expect("request");
        Api::reply(r)
    }

    /// An authorized GET, with `Content-Type: application/json` as the SDK sends it.
    pub fn get(&self, path: &str) -> Reply {
        let r = self
            .agent
            .get(self.url(path))
            .header("Authorization", format!("Bearer {DEV_API_KEY}"))
            .header("Content-Type", "application/json")
            .call()
            .expect("request");
        Api::reply(r)
    }

    /// An authorized PATCH of a JSON body.
    pub fn patch(&self, path: &str, body: &Value) -> Reply {
        let r = self
            .agent
            .patch(self.url(path))
            .header("Authorization", format!("Bearer {DEV_API_KEY}"))
            .content_type("application/json")
            .send(body.to_string())
            .expect("request");
        Api::reply(r)
    }

    /// An authorized DELETE, with `Content-Type: application/json` as the SDK sends it.
    pub fn delete(&self, path: &str) -> Reply {
        let r = self
            .agent
            .delete(self.url(path))
            .header("Authorization", format!("Bearer {DEV_API_KEY}"))
            .header("Content-Type", "application/json")
            .call()
            .expect("request");
        Api::reply(r)
    }

    /// A request with no Authorization header.
    pub fn anonymous(&self, method: &str, path: &str) -> Reply {
        let r = match method {
            "GET" => self.agent.get(self.url(path)).call(),
            _ => self.agent.post(self.url(path)).send("{}"),
        };
        Api::reply(r.expect("request"))
    }

    pub fn control(&self, name: &str, body: &Value) -> Reply {
        let r = self.agent.post(self.url(&format!("/_emulator/{name}"))).send(body.to_string()).expect("request");
        Api::reply(r)
    }

    /// Creates a document (the create body's optional keys from `extra`) and
    /// waits until its job has reported its memories; returns their ids.
    pub fn ingest(&self, document: &str, extra: Value) -> Vec<String> {
        let mut body = json!({ "document": document });
        for (k, v) in extra.as_object().expect("extra is an object") {
            body[k] = v.clone();
        }
        let ack = self.post("/api/v1/memories/create", &body);
        assert_eq!(ack.status, 200, "create: {}", ack.body);
        let id = ack.body["ingestion_id"].as_str().unwrap().to_owned();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let status = self.get(&format!("/api/v1/memories/status/{id}")).body;
            if status["status"] == "completed" {
                return status["memory_ids"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap().to_owned())
                    .collect();
            }
            assert!(Instant::now() < deadline, "job {id} stuck: {status}");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// A fetch on `scope` answered 200; its body.
    pub fn fetch(&self, scope: &str, body: Value) -> Value {
        let r = self.post(&format!("/v1/context/{scope}/fetch"), &body);
        assert_eq!(r.status, 200, "{scope} fetch: {}", r.body);
        r.body
    }
}

/// The contents of a list, in order.
pub fn contents(list: &Value) -> Vec<String> {
    list.as_array().expect("a list").iter().map(|i| i["content"].as_str().expect("content").to_owned()).collect()
}

/// Every memory item of a fetch body, from the five lists.
pub fn all_items(body: &Value) -> Vec<Value> {
    ["facts", "preferences", "episodes", "emotions", "temporal_events"]
        .iter()
        .flat_map(|l| body["context"][l].as_array().expect("list present").clone())
        .collect()
}
