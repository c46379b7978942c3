//! GET /v1/users/{user_id}/profile: derived from the user's preference
//! memories; ids are matched intact, whatever they hold.

mod reads;

use reads::*;
use serde_json::{Value, json};
use synap_emulator::Config;

const CONV: &str = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn profile_path(user: &str) -> String {
    format!("/v1/users/{}/profile", encode(user))
}

#[test]
fn preferences_make_the_profile() {
    let api = Api::start();
    api.ingest(DECAF_DOC, json!({"user_id": "u1", "customer_id": "acme", "document_id": CONV}));
    api.ingest("User: I live in Oslo.", json!({"user_id": "u1", "customer_id": "acme"}));
    let r = api.get(&profile_path("u1"));
    assert_eq!(r.status, 200, "{}", r.body);
    let keys: Vec<&String> = r.body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["profile"]);
    let p = &r.body["profile"];
    let attrs = p["attributes"].as_object().unwrap();
    assert_eq!(attrs.len(), 2, "only preferences: {attrs:?}");
    let decaf = &attrs["decaf_after_3pm"];
    assert_eq!(decaf["value"], "I switched to decaf after 3pm.");
    assert!((0.0..=1.0).contains(&decaf["confidence"].as_f64().unwrap()));
    assert!(decaf["updated_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(decaf["source_conversation_id"], CONV);
    assert!(p["overview"].as_str().unwrap().starts_with("2 preferences on record."));
    assert_eq!(p["extras"], json!({}));
    assert_eq!(p["_meta"]["version"], 2);

    assert_eq!(api.get(&format!("{}?customer_id=acme", profile_path("u1"))).body, r.body);
    let wrong = api.get(&format!("{}?customer_id=globex", profile_path("u1")));
    assert_eq!((wrong.status, wrong.body), (404, json!({"detail": "Profile not found"})));
}

#[test]
fn no_preferences_no_profile() {
    let api = Api::start();
    api.ingest("User: I live in Oslo.", json!({"user_id": "u2", "customer_id": "acme"}));
    for user in ["u2", "nobody"] {
        let r = api.get(&profile_path(user));
        assert_eq!((r.status, r.body), (404, json!({"detail": "Profile not found"})), "{user}");
    }
    assert_eq!(api.anonymous("GET", &profile_path("u2")).status, 401);
    let r = api.post(&profile_path("u2"), &json!({}));
    assert_eq!((r.status, r.header("allow")), (405, Some("GET")));
    assert_eq!(api.get("/v1/users//profile").status, 404);
}

#[test]
fn ids_with_reserved_characters_are_matched_intact() {
    let api = Api::start();
    let users = ["a/b", "who?", "#7", "dana lópez", "+15551234567", "100%"];
    for (i, user) in users.iter().enumerate() {
        api.ingest(&format!("User: I love item number {i} dearly."), json!({"user_id": user, "customer_id": "acme"}));
    }
    for (i, user) in users.iter().enumerate() {
        let r = api.get(&profile_path(user));
        assert_eq!(r.status, 200, "{user}: {}", r.body);
        let attrs = r.body["profile"]["attributes"].as_object().unwrap();
        let values: Vec<&Value> = attrs.values().map(|a| &a["value"]).collect();
        assert_eq!(values, [&json!(format!("I love item number {i} dearly."))], "{user}");
    }
    // Unencoded, `a/b` is another path altogether.
    assert_eq!(api.get("/v1/users/a/b/profile").status, 404);
}

#[test]
fn b2c_refuses_a_customer_id() {
    let api = Api::with(Config {
        seed_demo: false,
        user_context_isolation: Some("equals_customer".into()),
        ..Config::default()
    });
    api.ingest(DECAF_DOC, json!({"user_id": "u"}));
    assert_eq!(api.get(&profile_path("u")).status, 200);
    assert_eq!(api.get(&format!("{}?customer_id=c", profile_path("u"))).status, 400);
}
