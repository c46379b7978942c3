//! The context reads against the emulator, through the Rust API: documents
//! ingested with `memories.create`, then `context_fetch` on each scope and
//! shape, its no-query compositions and summary mode, the prompt context and
//! the profile; the bodies and paths sent, B2C refusals, retries, and the
//! tolerance rules of `synap::Context` on scripted answers.

mod common;

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use common::Emu;
use serde_json::{Value, json};
use synap::{
    Client, Context, ContextItem, ContextList, ContextRequest, ContextScope, CreateRequest, ErrorKind, RetryPolicy,
    Text, WaitOptions, parse_unix_micros,
};
use synap_emulator::Config;

const DECAF_DOC: &str = "User: I switched to decaf after 3pm. I love dark roast in the morning.";
const DECAF: &str = "I switched to decaf after 3pm.";
const ROAST: &str = "I love dark roast in the morning.";
const TEA_DOC: &str = "User: I drink green tea at lunch.";
const TEA: &str = "I drink green tea at lunch.";
const DECAF_QUERY: &str = "what does the user drink after 3pm?";
const USER: &str = "user_789";
const CUSTOMER: &str = "cust_456";
const CONV: &str = "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9";
const OTHER_CONV: &str = "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37";
const SAID_AT: &str = "2025-01-15T10:29:58Z";

const USER_FETCH: &str = "/v1/context/user/fetch";

/// An emulator with no demo jobs whose ingestion jobs finish quickly.
fn start() -> Emu {
    start_with(Config::default())
}

fn start_with(config: Config) -> Emu {
    Emu::start_with(Config { seed_demo: false, create_processing_after_ms: 0, create_done_after_ms: 40, ..config })
}

/// A client that retries quickly, for the retry tests.
fn retrying(emu: &Emu) -> Client {
    Client::new(emu.options().retry(RetryPolicy::new(3, Duration::from_millis(10), Duration::from_millis(30))).unwrap())
        .unwrap()
}

/// A text document for `user` of `customer`.
fn doc(text: &str, user: &str, customer: &str) -> CreateRequest {
    let mut request = CreateRequest::text(text);
    request.user_id(user).customer_id(customer);
    request
}

/// Creates the document and waits until its job has completed; returns
/// the ids of its memories.
fn ingest(client: &Client, request: &CreateRequest) -> Vec<String> {
    let ingestion = client.memories_create(request).expect("create");
    let mut options = WaitOptions::new();
    options.timeout(Duration::from_secs(10)).unwrap().poll_interval(Duration::from_millis(10)).unwrap();
    let status = client.memories_wait(&ingestion.ingestion_id().to_string(), &options, None, |_| true).expect("wait");
    assert_eq!(status.state().as_str(), "completed");
    status.memory_ids().iter().map(str::to_owned).collect()
}

fn user_request(user: &str, query: &str) -> ContextRequest {
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id(user).unwrap().query(query);
    request
}

fn texts(items: &[ContextItem]) -> Vec<&str> {
    items.iter().map(|i| i.text.as_deref().unwrap_or("<none>")).collect()
}

fn strs(list: &[Text]) -> Vec<&str> {
    list.iter().map(Text::as_str).collect()
}

fn text_set(items: &[ContextItem]) -> BTreeSet<String> {
    items.iter().map(|i| i.text.as_deref().unwrap_or("<none>").to_owned()).collect()
}

/// Every memory item of the five typed lists.
fn typed_items(context: &Context) -> Vec<&ContextItem> {
    ContextList::TYPED.iter().flat_map(|l| context.list(*l)).collect()
}

/// The logged requests whose path, as sent, is `path`.
fn log(emu: &Emu, path: &str) -> Vec<Value> {
    emu.requests(None).into_iter().filter(|r| r["path"] == path).collect()
}

/// The JSON body of the last request to `path`.
fn last_body(emu: &Emu, path: &str) -> Value {
    let sent = log(emu, path);
    let last = sent.last().unwrap_or_else(|| panic!("no request to {path}"));
    serde_json::from_str(last["body"].as_str().unwrap()).expect("a JSON body")
}

fn correlation_header(entry: &Value) -> &str {
    entry["headers"]["x-correlation-id"].as_str().expect("X-Correlation-ID sent")
}

fn now_us() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_micros() as i64
}

#[test]
fn the_decaf_preference_ranks_first_with_every_field_read() {
    let emu = start();
    let client = emu.client();
    let mut decaf_doc = doc(DECAF_DOC, USER, CUSTOMER);
    decaf_doc.document_id(CONV).document_created_at_us(parse_unix_micros(SAID_AT).unwrap()).unwrap();
    let decaf_ids = ingest(&client, &decaf_doc);
    ingest(&client, doc(TEA_DOC, USER, CUSTOMER).document_id("chat-2"));

    let before = now_us();
    let mut request = user_request(USER, DECAF_QUERY);
    request.response_shape("ranked").unwrap();
    let context = client.context_fetch(&request).unwrap();
    let ranked = context.list(ContextList::Ranked);
    assert_eq!(texts(ranked), [DECAF, TEA], "{:?}", context.raw_json);

    let top = &ranked[0];
    let id = top.id.as_deref().unwrap();
    assert!(decaf_ids.iter().any(|m| m == id), "{id} in {decaf_ids:?}");
    let memory = client.memories_get(id).unwrap();
    assert_eq!(memory.content(), DECAF);
    assert_eq!(top.kind.as_deref(), Some("preferences"));
    assert_eq!(top.score, Some(memory.confidence()));
    assert_eq!(top.label, None, "in the ranked shape category is the type, not a label");
    assert_eq!(top.time_us, Some(memory.created_at_us()));
    assert_eq!(top.source.as_deref(), Some("conversation"));
    assert_eq!((top.event_date_us, top.event_end_us, top.valid_until_us), (None, None, None));
    assert_eq!(top.event_precision, None);
    assert_eq!(top.said_at_us, parse_unix_micros(SAID_AT));
    assert_eq!(top.temporal_category.as_deref(), Some("perpetual"));
    assert_eq!(top.temporal_confidence, Some(memory.confidence()));
    assert_eq!(strs(&top.source_evidence), [DECAF]);
    assert_eq!(strs(&top.matched_queries), [DECAF_QUERY]);
    assert!(top.participants.is_empty());
    assert_eq!((top.rank, ranked[1].rank), (Some(1), Some(2)));
    let (decaf_score, tea_score) = (top.rank_score.unwrap(), ranked[1].rank_score.unwrap());
    assert!(0.0 < tea_score && tea_score < decaf_score && decaf_score < 1.0, "{tea_score} {decaf_score}");
    let metadata: Value = serde_json::from_str(top.metadata_json.as_deref().unwrap()).unwrap();
    assert_eq!(metadata, json!({"memory_type": "preference", "source_document_id": CONV, "rank_score": decaf_score}));
    assert_eq!(ranked[1].kind.as_deref(), Some("facts"));
    assert_eq!(strs(&ranked[1].matched_queries), [DECAF_QUERY]);

    // The typed lists are views of the ranked one; no excerpts here.
    assert_eq!(texts(context.list(ContextList::Preferences)), [DECAF]);
    assert_eq!(texts(context.list(ContextList::Facts)), [TEA]);
    assert!(context.list(ContextList::Excerpts).is_empty());
    // The envelope.
    assert_eq!((context.ttl_seconds, context.source), (300, "cloud"));
    assert_eq!((&context.retrieval, &context.conversation_context, &context.profile), (&None, &None, &None));
    assert!(context.conversations.is_empty());
    let sent = log(&emu, USER_FETCH);
    assert_eq!(sent.len(), 1);
    assert_eq!(context.correlation_id.as_deref(), Some(correlation_header(&sent[0])));
    assert!(before <= context.retrieved_at_us && context.retrieved_at_us <= now_us());
    let raw: Value = serde_json::from_str(context.raw_json.as_deref().unwrap()).unwrap();
    assert_eq!(raw["context"]["items"][0]["content"], DECAF);

    // By type (the default): the same items, each in its list, labelled.
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    let preferences = context.list(ContextList::Preferences);
    assert_eq!(texts(preferences), [DECAF]);
    let decaf = &preferences[0];
    assert_eq!((decaf.kind.as_deref(), decaf.label.as_deref()), (Some("preferences"), Some("preferences")));
    assert_eq!((decaf.id.as_deref(), decaf.rank, decaf.rank_score), (Some(id), None, Some(decaf_score)));
    assert_eq!(decaf.time_us, top.time_us);
    assert_eq!(texts(context.list(ContextList::Facts)), [TEA]);
    assert_eq!(context.list(ContextList::Facts)[0].label, None);
    assert!(context.list(ContextList::Ranked).is_empty(), "no ranked list when by type was asked");
    for list in [ContextList::Episodes, ContextList::Emotions, ContextList::TemporalEvents] {
        assert!(context.list(list).is_empty(), "{list:?}");
    }
}

#[test]
fn by_type_lists_types_filter_limits_and_accurate_mode() {
    let emu = start();
    let client = emu.client();
    ingest(&client, &doc(DECAF_DOC, USER, CUSTOMER));
    ingest(&client, &doc(TEA_DOC, USER, CUSTOMER));
    ingest(
        &client,
        &doc(
            "User: Felt relieved once the outage was resolved. Visited Lisbon last spring. Dentist on Friday.",
            USER,
            CUSTOMER,
        ),
    );

    // Without a query a customer fetch is a fetch: every memory, by type.
    let mut request = ContextRequest::new(ContextScope::Customer);
    request.customer_id(CUSTOMER).unwrap();
    let all = client.context_fetch(&request).unwrap();
    assert_eq!(last_body(&emu, "/v1/context/customer/fetch")["search_query"], Value::Null);
    let expect: [(ContextList, &[&str], Option<&str>); 5] = [
        (ContextList::Facts, &[TEA], None),
        (ContextList::Preferences, &[DECAF, ROAST], Some("preferences")),
        (ContextList::Episodes, &["Visited Lisbon last spring."], None),
        (ContextList::Emotions, &["Felt relieved once the outage was resolved."], Some("relieved")),
        (ContextList::TemporalEvents, &["Dentist on Friday."], Some("temporal_fact")),
    ];
    for (list, contents, label) in expect {
        let items = all.list(list);
        let want: BTreeSet<String> = contents.iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(text_set(items), want, "{list:?}");
        for item in items {
            assert_eq!(item.kind.as_deref(), Some(list.wire_name()));
            assert_eq!(item.label.as_deref(), label, "{list:?}");
            assert!(item.matched_queries.is_empty());
            assert!(item.score.is_some_and(|s| (0.0..=1.0).contains(&s)));
        }
    }
    assert_eq!(all.list(ContextList::Episodes)[0].temporal_category.as_deref(), Some("episode"));

    // types
    let mut request = user_request(USER, DECAF_QUERY);
    request.memory_type("facts").unwrap();
    let facts = client.context_fetch(&request).unwrap();
    assert_eq!(last_body(&emu, USER_FETCH)["types"], json!(["facts"]));
    assert_eq!(typed_items(&facts).len(), 1);
    assert_eq!(texts(facts.list(ContextList::Facts)), [TEA]);
    request.memory_type("preferences").unwrap().memory_type("all").unwrap();
    let both = client.context_fetch(&request).unwrap();
    assert_eq!(last_body(&emu, USER_FETCH)["types"], json!(["facts", "preferences", "all"]));
    assert_eq!(typed_items(&both).len(), 2);
    let mut request = user_request(USER, DECAF_QUERY);
    request.memory_type("emotions").unwrap().response_shape("ranked").unwrap();
    let none = client.context_fetch(&request).unwrap();
    assert!(typed_items(&none).is_empty() && none.list(ContextList::Ranked).is_empty());

    // max_results
    let mut request = user_request(USER, DECAF_QUERY);
    request.max_results(1).unwrap().response_shape("ranked").unwrap();
    assert_eq!(texts(client.context_fetch(&request).unwrap().list(ContextList::Ranked)), [DECAF]);

    // several queries, and max_results_per_query
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id(USER).unwrap().query("decaf").query("green tea").query("dark roast morning");
    let three = client.context_fetch(&request).unwrap();
    assert_eq!(typed_items(&three).len(), 3);
    let roast = three.list(ContextList::Preferences).iter().find(|i| i.text.as_deref() == Some(ROAST)).unwrap();
    assert_eq!(strs(&roast.matched_queries), ["dark roast morning"]);
    request.max_results_per_query(1).max_results(2).unwrap();
    let capped = client.context_fetch(&request).unwrap();
    assert_eq!(typed_items(&capped).len(), 2);
    let sent = last_body(&emu, USER_FETCH);
    assert_eq!((&sent["max_results_per_query"], &sent["max_results"]), (&json!(1), &json!(2)));

    // accurate mode matches word forms; fast does not
    let fast = client.context_fetch(&user_request(USER, "drinks")).unwrap();
    assert!(typed_items(&fast).is_empty());
    let mut request = user_request(USER, "drinks");
    request.mode("accurate").unwrap();
    let accurate = client.context_fetch(&request).unwrap();
    assert_eq!(last_body(&emu, USER_FETCH)["mode"], "accurate");
    assert_eq!(texts(accurate.list(ContextList::Facts)), [TEA]);
}

#[test]
fn each_scope_sees_only_its_memories() {
    let emu = start();
    let client = emu.client();
    ingest(&client, &doc("User: Alice likes jazz records.", "alice", "acme"));
    ingest(&client, &doc("User: Bob likes jazz concerts.", "bob", "acme"));
    ingest(&client, &doc("User: Carol likes jazz radio.", "carol", "globex"));
    ingest(&client, CreateRequest::text("Kim likes jazz festivals.").customer_id("acme"));
    ingest(&client, &CreateRequest::text("Everyone here likes jazz bars."));
    ingest(&client, doc("User: Alice likes jazz in this chat.", "alice", "acme").document_id(CONV));
    let seen = |request: &mut ContextRequest| -> BTreeSet<String> {
        request.query("jazz");
        let context = client.context_fetch(request).unwrap();
        assert_eq!(typed_items(&context).len(), context.list(ContextList::Preferences).len());
        text_set(context.list(ContextList::Preferences))
    };
    let set = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<BTreeSet<String>>();
    let alice = set(&["Alice likes jazz records.", "Alice likes jazz in this chat."]);

    let mut user = ContextRequest::new(ContextScope::User);
    user.user_id("alice").unwrap();
    assert_eq!(seen(&mut user), alice);
    user.customer_id("acme").unwrap();
    assert_eq!(seen(&mut user), alice);
    user.customer_id("globex").unwrap();
    assert!(seen(&mut user).is_empty());

    let mut customer = ContextRequest::new(ContextScope::Customer);
    customer.customer_id("acme").unwrap();
    let mut acme = alice.clone();
    acme.extend(set(&["Bob likes jazz concerts.", "Kim likes jazz festivals."]));
    assert_eq!(seen(&mut customer), acme);
    customer.customer_id("globex").unwrap();
    assert_eq!(seen(&mut customer), set(&["Carol likes jazz radio."]));

    assert_eq!(seen(&mut ContextRequest::new(ContextScope::Client)).len(), 6);

    // The conversation id in any UUID form: sent canonical.
    let mut conversation = ContextRequest::new(ContextScope::Conversation);
    conversation.conversation_id(&CONV.replace('-', "").to_uppercase()).unwrap();
    assert_eq!(seen(&mut conversation), set(&["Alice likes jazz in this chat."]));
    assert_eq!(last_body(&emu, "/v1/context/conversation/fetch")["conversation_id"], CONV);
    let context = client.context_fetch(&conversation).unwrap();
    let block = context.conversation_context.as_ref().expect("the conversation's state");
    assert_eq!(block.conversation_id.as_deref(), Some(CONV));
    let turns: Vec<(&str, &str)> =
        block.recent_turns.iter().map(|t| (t.role.as_deref().unwrap(), t.content.as_deref().unwrap())).collect();
    assert_eq!(turns, [("user", "Alice likes jazz in this chat.")]);
    assert!(block.recent_turns[0].timestamp_us.is_some());
    assert_eq!((block.summary.as_deref(), block.current_state_json.as_deref()), (None, Some("{}")));
    conversation.conversation_id(OTHER_CONV).unwrap();
    assert!(seen(&mut conversation).is_empty());
}

#[test]
fn every_option_is_sent_as_the_reference_sdk_sends_it() {
    let emu = start();
    let client = emu.client();
    let fetch = |request: &ContextRequest| -> Value {
        client.context_fetch(request).unwrap();
        last_body(&emu, &format!("/v1/context/{}/fetch", request.scope().as_str()))
    };
    let base = json!({"search_query": ["q"], "max_results": 10, "types": ["all"], "mode": "fast"});
    let with = |extra: Value| {
        let mut body = base.clone();
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };

    // Defaults: the keys each route always sends.
    let mut user = user_request("u1", "q");
    assert_eq!(fetch(&user), with(json!({"user_id": "u1", "customer_id": null, "conversation_id": null})));
    let mut customer = ContextRequest::new(ContextScope::Customer);
    customer.customer_id("c1").unwrap().query("q");
    assert_eq!(fetch(&customer), with(json!({"customer_id": "c1", "conversation_id": null})));
    let mut client_scope = ContextRequest::new(ContextScope::Client);
    client_scope.query("q");
    assert_eq!(fetch(&client_scope), with(json!({"conversation_id": null})));
    let mut conversation = ContextRequest::new(ContextScope::Conversation);
    conversation.conversation_id(CONV).unwrap().query("q");
    assert_eq!(fetch(&conversation), with(json!({"conversation_id": CONV})));

    // Defaults set explicitly, blank queries, 0 and "" still send nothing more.
    user.precision_level("high").unwrap().response_shape("by_type").unwrap().mode("fast").unwrap();
    user.query("   ").max_results_per_query(0).query_date("");
    assert_eq!(fetch(&user), with(json!({"user_id": "u1", "customer_id": null, "conversation_id": null})));

    // Every option.
    let options = |r: &mut ContextRequest| {
        r.clear_queries().query("refund status").query(" ").query("coffee");
        r.conversation_id(&CONV.to_uppercase()).unwrap().max_results(5).unwrap();
        r.memory_type("facts").unwrap().memory_type("temporal_events").unwrap().memory_type("facts").unwrap();
        r.mode("accurate").unwrap().precision_level("medium").unwrap().response_shape("ranked").unwrap();
        r.query_date("2023/03/11 (Sat) 21:26").max_results_per_query(2);
        r.scope_level("customer", "c1").unwrap().scope_level("team", "payments").unwrap();
        r.scope_level("user", "x").unwrap().scope_level("user", "u1").unwrap();
    };
    let tail = json!({"search_query": ["refund status", "coffee"], "max_results": 5,
        "types": ["facts", "temporal_events"], "mode": "accurate", "precision_level": "medium",
        "response_shape": "ranked", "query_date": "2023/03/11 (Sat) 21:26", "max_results_per_query": 2,
        "scope": {"customer": "c1", "team": "payments", "user": "u1"}});
    let full = |ids: Value| {
        let mut body = tail.clone();
        body.as_object_mut().unwrap().extend(ids.as_object().unwrap().clone());
        body
    };
    options(&mut user);
    user.customer_id("c1").unwrap();
    assert_eq!(fetch(&user), full(json!({"user_id": "u1", "customer_id": "c1", "conversation_id": CONV})));
    options(&mut customer);
    assert_eq!(fetch(&customer), full(json!({"customer_id": "c1", "conversation_id": CONV})));
    // The client route names no user or customer, whatever the request holds.
    options(&mut client_scope);
    client_scope.user_id("u1").unwrap().customer_id("c1").unwrap();
    assert_eq!(fetch(&client_scope), full(json!({"conversation_id": CONV})));
    options(&mut conversation);
    assert_eq!(fetch(&conversation), full(json!({"conversation_id": CONV})));
    conversation.user_id("u1").unwrap().customer_id("c1").unwrap();
    assert_eq!(fetch(&conversation), full(json!({"conversation_id": CONV, "user_id": "u1", "customer_id": "c1"})));

    // Summary mode, user route only.
    let mut summary = user_request("u1", "q");
    summary.summary_mode(false, 3).unwrap();
    assert_eq!(
        fetch(&summary),
        with(json!({"user_id": "u1", "customer_id": null, "conversation_id": null,
            "context_mode": "conversation-summary", "include_profile": false, "last_n_conversations": 3}))
    );
    summary.summary_mode(true, 0).unwrap();
    let sent = fetch(&summary);
    assert_eq!((&sent["include_profile"], &sent["last_n_conversations"]), (&json!(true), &json!(0)));
    summary.in_conversation_mode();
    assert!(fetch(&summary).get("context_mode").is_none());

    // Every request carries the headers of a JSON call.
    for entry in emu.requests(None) {
        assert_eq!(entry["method"], "POST");
        assert_eq!(entry["headers"]["content-type"], "application/json", "{entry}");
        assert!(entry["headers"]["authorization"].as_str().unwrap().starts_with("Bearer "));
    }

    // Refused before any request.
    let sent_before = emu.requests(None).len();
    let e = client.context_fetch(&ContextRequest::new(ContextScope::User)).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "a user context fetch needs its user_id"));
    let e = client.context_fetch(&ContextRequest::new(ContextScope::Customer)).unwrap_err();
    assert_eq!(e.message(), "a customer context fetch needs its customer_id");
    let e = client.context_fetch(&ContextRequest::new(ContextScope::Conversation)).unwrap_err();
    assert_eq!(e.message(), "a conversation context fetch needs its conversation_id");
    assert_eq!(emu.requests(None).len(), sent_before);
}

#[test]
fn fetches_without_a_query_compose_as_the_reference_sdk() {
    let emu = start();
    let client = emu.client();
    let mut chat = doc(&format!("{DECAF_DOC}\nAssistant: Noted, decaf after 3pm."), USER, CUSTOMER);
    chat.document_id(CONV);
    ingest(&client, &chat);
    ingest(&client, &doc(TEA_DOC, "tea-drinker", CUSTOMER));
    let prompt_path = format!("/v1/conversations/{CONV}/context-for-prompt");

    // Conversation: the prompt context, no POST; blank queries count as none.
    let mut request = ContextRequest::new(ContextScope::Conversation);
    request.conversation_id(&CONV.to_uppercase()).unwrap();
    for blank in [None, Some("  ")] {
        if let Some(q) = blank {
            request.query(q);
        }
        let context = client.context_fetch(&request).unwrap();
        assert!(log(&emu, "/v1/context/conversation/fetch").is_empty(), "no POST");
        let got = log(&emu, &prompt_path);
        let get = got.last().unwrap();
        assert_eq!((get["method"].as_str(), get["query"].as_str()), (Some("GET"), Some("style=structured")));
        assert_eq!(context.correlation_id.as_deref(), Some(correlation_header(get)));
        assert_eq!(context.source, "conversation_state");
        assert!(typed_items(&context).is_empty() && context.list(ContextList::Ranked).is_empty());
        let block = context.conversation_context.as_ref().unwrap();
        assert_eq!(block.conversation_id.as_deref(), Some(CONV));
        assert_eq!((block.summary.as_deref(), block.compaction_id.as_deref()), (None, None));
        let roles: Vec<&str> = block.recent_turns.iter().map(|t| t.role.as_deref().unwrap()).collect();
        assert_eq!(roles, ["user", "assistant"]);
        assert_eq!(block.recent_turns[0].content.as_deref(), Some(&DECAF_DOC["User: ".len()..]));
        assert!(block.recent_turns.iter().all(|t| t.message_id.is_some() && t.timestamp_us.is_some()));
        let formatted = block.formatted_context.as_deref().unwrap();
        assert!(formatted.starts_with("## Recent messages\n["), "{formatted}");
        assert!(formatted.contains("] assistant: Noted, decaf after 3pm."), "{formatted}");
        let raw: Value = serde_json::from_str(context.raw_json.as_deref().unwrap()).unwrap();
        assert_eq!(raw["available"], false);
    }
    assert_eq!(log(&emu, &prompt_path).len(), 2);

    // User with a profile: the profile, no POST.
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id(USER).unwrap().customer_id(CUSTOMER).unwrap();
    let context = client.context_fetch(&request).unwrap();
    assert!(log(&emu, USER_FETCH).is_empty(), "no POST");
    let profile_path = format!("/v1/users/{USER}/profile");
    let got = log(&emu, &profile_path);
    assert_eq!(got.len(), 1);
    assert_eq!((got[0]["method"].as_str(), got[0]["query"].as_str()), (Some("GET"), Some("customer_id=cust_456")));
    assert_eq!(context.source, "profile");
    assert_eq!(context.correlation_id.as_deref(), Some(correlation_header(&got[0])));
    let profile = context.profile.as_ref().unwrap();
    let names: BTreeSet<&str> = profile.attributes.iter().map(|a| a.name.as_deref().unwrap()).collect();
    assert_eq!(names, BTreeSet::from(["dark_roast_morning", "decaf_after_3pm"]));
    assert!(typed_items(&context).is_empty());

    // User without a profile (404): the POST with search_query null.
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id("tea-drinker").unwrap().query("");
    let context = client.context_fetch(&request).unwrap();
    let profile_get = log(&emu, "/v1/users/tea-drinker/profile");
    assert_eq!((profile_get.len(), profile_get[0]["query"].clone()), (1, Value::Null));
    let posts = log(&emu, USER_FETCH);
    assert_eq!(posts.len(), 1);
    assert!(posts[0]["at_ms"].as_u64() >= profile_get[0]["at_ms"].as_u64(), "the profile first");
    assert_eq!(
        last_body(&emu, USER_FETCH),
        json!({"user_id": "tea-drinker", "customer_id": null, "conversation_id": null, "search_query": null,
            "max_results": 10, "types": ["all"], "mode": "fast"})
    );
    assert_eq!(context.source, "cloud");
    assert_eq!(context.profile, None);
    assert_eq!(context.correlation_id.as_deref(), Some(correlation_header(&posts[0])));
    assert_ne!(correlation_header(&posts[0]), correlation_header(&profile_get[0]), "one id per request");
    assert_eq!(texts(context.list(ContextList::Facts)), [TEA]);

    // Summary mode never reads the profile first.
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id("tea-drinker").unwrap().summary_mode(true, 1).unwrap();
    client.context_fetch(&request).unwrap();
    assert_eq!((log(&emu, "/v1/users/tea-drinker/profile").len(), log(&emu, USER_FETCH).len()), (1, 2));
    // Nor does a customer or client fetch.
    let mut request = ContextRequest::new(ContextScope::Client);
    client.context_fetch(&request).unwrap();
    assert_eq!(last_body(&emu, "/v1/context/client/fetch")["search_query"], Value::Null);
    request.query(" ");
    client.context_fetch(&request).unwrap();
    assert_eq!(last_body(&emu, "/v1/context/client/fetch")["search_query"], Value::Null);
}

#[test]
fn summary_mode_gives_the_profile_and_recent_conversations() {
    let emu = start();
    let client = emu.client();
    let mut first = doc(DECAF_DOC, USER, CUSTOMER);
    first.document_id(CONV).document_created_at_us(parse_unix_micros(SAID_AT).unwrap()).unwrap();
    ingest(&client, &first);
    let mut second = doc("User: Any update on my refund?\nAssistant: It is on its way.", USER, CUSTOMER);
    second.document_id(OTHER_CONV).document_created_at_us(parse_unix_micros("2025-02-01T09:00:00Z").unwrap()).unwrap();
    ingest(&client, &second);

    let mut request = user_request(USER, DECAF_QUERY);
    request.customer_id(CUSTOMER).unwrap().summary_mode(true, 5).unwrap();
    let context = client.context_fetch(&request).unwrap();
    assert!(typed_items(&context).is_empty());
    assert_eq!(context.source, "cloud");
    let profile = context.profile.as_ref().expect("the profile");
    assert!(profile.overview.as_deref().unwrap().starts_with("2 preferences on record."), "{profile:?}");
    let decaf = profile.attributes.iter().find(|a| a.name.as_deref() == Some("decaf_after_3pm")).unwrap();
    assert_eq!(decaf.value_json.as_deref(), Some(r#""I switched to decaf after 3pm.""#));
    assert!(decaf.confidence.is_some_and(|c| (0.0..=1.0).contains(&c)));
    assert!(decaf.updated_at_us.is_some());
    assert_eq!(decaf.source_conversation_id.as_deref(), Some(CONV));
    let document: Value = serde_json::from_str(profile.json.as_deref().unwrap()).unwrap();
    assert_eq!(document["_meta"]["derived_from"], "preferences");

    let ids: Vec<&str> = context.conversations.iter().map(|c| c.conversation_id.as_deref().unwrap()).collect();
    assert_eq!(ids, [OTHER_CONV, CONV], "most recent first");
    let latest = &context.conversations[0];
    assert_eq!((latest.message_count, latest.summary_status.as_deref()), (Some(2), Some("pending")));
    assert_eq!(latest.started_at_us, parse_unix_micros("2025-02-01T09:00:00Z"));
    assert_eq!(latest.last_message_at_us, parse_unix_micros("2025-02-01T09:00:01Z"));
    assert_eq!(latest.summary, None);
    let element: Value = serde_json::from_str(latest.json.as_deref().unwrap()).unwrap();
    assert_eq!(element["conversation_type"], "ai-chat-conversation");

    request.summary_mode(false, 1).unwrap();
    let context = client.context_fetch(&request).unwrap();
    assert_eq!((context.profile.is_none(), context.conversations.len()), (true, 1));
    let mut stranger = ContextRequest::new(ContextScope::User);
    stranger.user_id("nobody").unwrap().summary_mode(true, 20).unwrap();
    let context = client.context_fetch(&stranger).unwrap();
    assert_eq!((context.profile.is_none(), context.conversations.is_empty()), (true, true));
}

#[test]
fn user_ids_are_percent_encoded_and_reach_their_own_memories() {
    let emu = start();
    let client = emu.client();
    let odd = "a/b?c#d%e f é";
    let customer = "acme & co+1=x";
    ingest(&client, &doc("User: I love oolong tea.", odd, customer));
    // The ids a corrupted path would reach instead.
    ingest(&client, &doc("User: I love espresso.", "a", customer));
    ingest(&client, &doc("User: I love cocoa.", "a/b", customer));

    let profile = client.user_profile(odd, Some(customer)).unwrap();
    let path = "/v1/users/a%2Fb%3Fc%23d%25e%20f%20%C3%A9/profile";
    let got = log(&emu, path);
    assert_eq!(got.len(), 1, "{:?}", emu.requests(None));
    assert_eq!(got[0]["query"], "customer_id=acme%20%26%20co%2B1%3Dx");
    let values: Vec<&str> = profile.attributes.iter().map(|a| a.value_json.as_deref().unwrap()).collect();
    assert_eq!(values, [r#""I love oolong tea.""#]);

    // The no-query user fetch reads the same path.
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id(odd).unwrap();
    let context = client.context_fetch(&request).unwrap();
    assert_eq!((context.source, log(&emu, path).len()), ("profile", 2));
    assert_eq!(log(&emu, path)[1]["query"], Value::Null);

    // In a fetch body the id is plain JSON text.
    let context = client.context_fetch(&user_request(odd, "tea")).unwrap();
    assert_eq!(texts(context.list(ContextList::Preferences)), ["I love oolong tea."]);
    assert_eq!(last_body(&emu, USER_FETCH)["user_id"], odd);
    for (user, expect) in [("a", "I love espresso."), ("a/b", "I love cocoa.")] {
        let profile = client.user_profile(user, None).unwrap();
        let values: Vec<&str> = profile.attributes.iter().map(|a| a.value_json.as_deref().unwrap()).collect();
        assert_eq!(values, [format!("\"{expect}\"")], "{user}");
    }
    assert_eq!(log(&emu, "/v1/users/a%2Fb/profile").len(), 1);
}

#[test]
fn b2c_instances_refuse_customer_ids_locally_after_whoami() {
    let emu = start_with(Config { user_context_isolation: Some("equals_customer".to_owned()), ..Config::default() });
    let client = emu.client();
    let mut user_doc = CreateRequest::text(DECAF_DOC);
    user_doc.user_id(USER);
    ingest(&client, &user_doc);

    // Before whoami the client cannot know: the service refuses.
    let mut with_customer = user_request(USER, DECAF_QUERY);
    with_customer.customer_id("c1").unwrap();
    let e = client.context_fetch(&with_customer).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(400)));
    let posts_before = log(&emu, USER_FETCH).len();

    assert!(client.whoami().unwrap().is_b2c());
    let sent_before = emu.requests(None).len();
    let mut customer = ContextRequest::new(ContextScope::Customer);
    customer.customer_id("c1").unwrap().query(DECAF_QUERY);
    let mut no_query_customer = ContextRequest::new(ContextScope::Customer);
    no_query_customer.customer_id("c1").unwrap();
    let mut conversation = ContextRequest::new(ContextScope::Conversation);
    conversation.conversation_id(CONV).unwrap().customer_id("c1").unwrap().query(DECAF_QUERY);
    let mut no_query_user = ContextRequest::new(ContextScope::User);
    no_query_user.user_id(USER).unwrap().customer_id("c1").unwrap();
    let mut summary = with_customer.clone();
    summary.summary_mode(true, 1).unwrap();
    for request in [&with_customer, &customer, &no_query_customer, &conversation, &no_query_user, &summary] {
        let e = client.context_fetch(request).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{request:?}");
        assert!(e.message().contains("customer_id is not accepted"), "{}", e.message());
        assert_eq!(e.http_status(), None);
    }
    let e = client.user_profile(USER, Some("c1")).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(emu.requests(None).len(), sent_before, "refused before any request");
    assert_eq!(log(&emu, USER_FETCH).len(), posts_before);

    // Without a customer id everything works.
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    assert_eq!(texts(context.list(ContextList::Preferences)), [DECAF]);
    assert!(client.user_profile(USER, None).is_ok());
    let mut conversation = ContextRequest::new(ContextScope::Conversation);
    conversation.conversation_id(CONV).unwrap().query(DECAF_QUERY);
    assert!(client.context_fetch(&conversation).is_ok());
    let mut everyone = ContextRequest::new(ContextScope::Client);
    everyone.query(DECAF_QUERY);
    assert_eq!(texts(client.context_fetch(&everyone).unwrap().list(ContextList::Preferences)), [DECAF]);
}

#[test]
fn fetches_are_retried_as_reads_and_carry_their_correlation_id() {
    let emu = start();
    let setup = emu.client();
    ingest(&setup, doc(DECAF_DOC, USER, CUSTOMER).document_id(CONV));
    let client = retrying(&emu);
    let attempts = |path: &str| log(&emu, path);

    // A 500, then success: the same request again, with the same id.
    emu.post_fault(USER_FETCH, 1, json!({"kind": "respond", "status": 500, "body": "{\"detail\":\"boom\"}"}));
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    let sent = attempts(USER_FETCH);
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0]["body"], sent[1]["body"]);
    assert_eq!(correlation_header(&sent[0]), correlation_header(&sent[1]));
    assert_eq!(context.correlation_id.as_deref(), Some(correlation_header(&sent[1])));
    assert_eq!(texts(context.list(ContextList::Preferences)), [DECAF]);

    // A dropped connection: the fetch is idempotent, so it is sent again.
    emu.post_fault(USER_FETCH, 1, json!({"kind": "drop"}));
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    let sent = attempts(USER_FETCH);
    assert_eq!(sent.len(), 4);
    assert_eq!(context.correlation_id.as_deref(), Some(correlation_header(&sent[3])));
    assert_ne!(correlation_header(&sent[1]), correlation_header(&sent[3]), "a new id per call");

    // The same for the prompt context and the profile (GETs).
    let prompt = format!("/v1/conversations/{CONV}/context-for-prompt");
    emu.post_fault(&prompt, 1, json!({"kind": "drop"}));
    assert_eq!(client.conversation_prompt_context(CONV, "narrative").unwrap().recent_message_count, 1);
    assert_eq!(attempts(&prompt).len(), 2);
    let profile = format!("/v1/users/{USER}/profile");
    emu.post_fault(&profile, 1, json!({"kind": "respond", "status": 503}));
    assert!(!client.user_profile(USER, None).unwrap().attributes.is_empty());
    assert_eq!(attempts(&profile).len(), 2);

    // Too many failures: the last one, after every attempt.
    emu.post_fault(USER_FETCH, 3, json!({"kind": "respond", "status": 502}));
    let e = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::Server, Some(502)));
    assert_eq!(attempts(USER_FETCH).len(), 7);

    // A 422 is not retried, and reads as the service wrote it.
    let mut request = user_request(USER, DECAF_QUERY);
    request.max_results(101).unwrap();
    let e = client.context_fetch(&request).unwrap_err();
    assert_eq!((e.kind(), e.http_status()), (ErrorKind::InvalidRequest, Some(422)));
    assert_eq!(e.message(), "HTTP 422: body.max_results: Input should be less than or equal to 100");
    let sent = attempts(USER_FETCH);
    assert_eq!(sent.len(), 8);
    assert_eq!(e.correlation_id(), Some(correlation_header(&sent[7])));
    emu.post_fault(
        USER_FETCH,
        1,
        json!({"kind": "respond", "status": 422, "body": "{\"detail\":\"search_query too long\"}"}),
    );
    let e = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidRequest, "HTTP 422: search_query too long"));
    assert_eq!(attempts(USER_FETCH).len(), 9);
}

#[test]
fn scripted_answers_are_read_tolerantly() {
    let emu = start();
    let client = emu.client();
    ingest(&client, &doc(DECAF_DOC, USER, CUSTOMER));

    // Nulls everywhere, a score over 1, a time that does not parse, unknown keys.
    let nulls = json!({"id": null, "content": null, "summary": null, "confidence": null, "category": null,
        "source": null, "extracted_at": null, "metadata": null, "event_date": null, "event_end": null,
        "said_at": null, "valid_until": null, "event_precision": null, "temporal_category": null,
        "temporal_confidence": null, "source_evidence": null, "matched_queries": null, "participants": null,
        "rank": null, "rank_score": null});
    let extra = json!({"id": "f-extra", "content": "Injected", "confidence": "inferred",
        "metadata": {"rank_score": 0.25, "unknown": [1, {"deep": true}]}, "mystery_key": {"kept": "in raw"}});
    emu.script_context(json!({"route": "user",
        "item_patch": {"source": null, "confidence": 1.5, "extracted_at": "not a time", "surprise": {"x": 1}},
        "inject": {"facts": [nulls, extra]}}));
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    let facts = context.list(ContextList::Facts);
    assert_eq!(facts.len(), 2);
    assert_eq!(facts[0].kind.as_deref(), Some("facts"));
    assert_eq!(ContextItem { kind: None, ..facts[0].clone() }, ContextItem::default(), "every null is absent");
    assert_eq!((facts[1].id.as_deref(), facts[1].text.as_deref()), (Some("f-extra"), Some("Injected")));
    assert_eq!((facts[1].score, facts[1].rank_score), (Some(0.75), Some(0.25)));
    let metadata: Value = serde_json::from_str(facts[1].metadata_json.as_deref().unwrap()).unwrap();
    assert_eq!(metadata, json!({"rank_score": 0.25, "unknown": [1, {"deep": true}]}));
    let decaf = &context.list(ContextList::Preferences)[0];
    assert_eq!(decaf.text.as_deref(), Some(DECAF));
    assert_eq!((decaf.score, decaf.time_us, decaf.source.as_deref()), (Some(1.5), None, None));
    assert!(decaf.said_at_us.is_some(), "the other times are still read");
    let raw: Value = serde_json::from_str(context.raw_json.as_deref().unwrap()).unwrap();
    assert_eq!(raw["context"]["facts"][1]["mystery_key"], json!({"kept": "in raw"}));
    assert_eq!(raw["context"]["preferences"][0]["surprise"], json!({"x": 1}));
    // Used up: the next answer is clean.
    let clean = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    let decaf = &clean.list(ContextList::Preferences)[0];
    assert!(decaf.score.is_some_and(|s| s <= 1.0) && decaf.time_us.is_some());
    assert_eq!((clean.list(ContextList::Facts).len(), decaf.source.as_deref()), (0, Some("conversation")));

    // A degraded retrieval, items still real; then a failed one with none.
    let block = json!({"degraded": true, "level": "partial", "code": "timeout", "warnings": ["vector store slow"]});
    emu.script_context(json!({"retrieval": block}));
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    let retrieval = context.retrieval.as_ref().unwrap();
    assert!(retrieval.degraded);
    assert_eq!((retrieval.level.as_deref(), retrieval.code.as_deref()), (Some("partial"), Some("timeout")));
    assert_eq!(strs(&retrieval.warnings), ["vector store slow"]);
    assert_eq!(texts(context.list(ContextList::Preferences)), [DECAF]);
    emu.script_context(json!({"retrieval": {"level": "failed", "code": "unavailable"}, "clear_items": true}));
    let mut ranked = user_request(USER, DECAF_QUERY);
    ranked.response_shape("ranked").unwrap();
    let context = client.context_fetch(&ranked).unwrap();
    let retrieval = context.retrieval.as_ref().unwrap();
    assert!(retrieval.degraded, "degraded by default when the block is there");
    assert_eq!((retrieval.level.as_deref(), retrieval.warnings.len()), (Some("failed"), 0));
    assert!(typed_items(&context).is_empty() && context.list(ContextList::Ranked).is_empty());
    assert_eq!(client.context_fetch(&ranked).unwrap().retrieval, None);

    // A conversation context block, read field by field.
    emu.script_context(json!({"route": "user", "conversation_context": {"summary": "Asked about decaf.",
        "current_state": {"stage": "ordering"}, "key_extractions": {"drinks": [{"name": "decaf"}]},
        "recent_turns": [{"role": "user", "content": "and decaf?", "timestamp": "2025-01-15T10:41:02Z"}],
        "compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e", "compacted_at": "15 Jan, 10:40",
        "conversation_id": OTHER_CONV, "unknown": 1}}));
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    let c = context.conversation_context.as_ref().unwrap();
    assert_eq!((c.summary.as_deref(), c.conversation_id.as_deref()), (Some("Asked about decaf."), Some(OTHER_CONV)));
    assert_eq!(c.compacted_at.as_deref(), Some("15 Jan, 10:40"), "kept as written");
    assert_eq!(c.compaction_id.as_deref(), Some("b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"));
    assert_eq!(c.current_state_json.as_deref(), Some(r#"{"stage":"ordering"}"#));
    assert_eq!(c.key_extractions_json.as_deref(), Some(r#"{"drinks":[{"name":"decaf"}]}"#));
    let turn = &c.recent_turns[0];
    assert_eq!((turn.role.as_deref(), turn.content.as_deref()), (Some("user"), Some("and decaf?")));
    assert_eq!((turn.timestamp_us, turn.message_id.as_deref()), (parse_unix_micros("2025-01-15T10:41:02Z"), None));
}

#[test]
fn structure_errors_are_protocol_errors_naming_the_field() {
    let emu = start();
    let setup = emu.client();
    ingest(&setup, doc(DECAF_DOC, USER, CUSTOMER).document_id(CONV));
    let client = retrying(&emu);
    let respond = |path: &str, body: &str| {
        emu.post_fault(path, 1, json!({"kind": "respond", "status": 200, "body": body}));
    };
    let cases = [
        (r#"{"context": {"facts": {"id": "f1"}}}"#, "invalid context response: context.facts is not an array"),
        (r#"{"context": {"items": "none"}}"#, "invalid context response: context.items is not an array"),
        (
            r#"{"context": {"preferences": [{}, 7]}}"#,
            "invalid context response: context.preferences[1] is not an object",
        ),
        (r#"{"retrieval": [true]}"#, "invalid context response: retrieval is not an object"),
        (r#"[]"#, "invalid context response: the body is not an object"),
    ];
    for (body, message) in cases {
        let before = log(&emu, USER_FETCH).len();
        respond(USER_FETCH, body);
        let e = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap_err();
        assert_eq!((e.kind(), e.message()), (ErrorKind::Protocol, message), "{body}");
        assert_eq!(e.http_status(), Some(200));
        let sent = log(&emu, USER_FETCH);
        assert_eq!(sent.len(), before + 1, "an answer that does not parse is not asked again");
        assert_eq!(e.correlation_id(), Some(correlation_header(sent.last().unwrap())));
    }
    // Scripted on a real answer: an injected item that is no object.
    emu.script_context(json!({"inject": {"emotions": [{"id": "e1"}, "sad"]}}));
    let e = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap_err();
    assert_eq!(
        (e.kind(), e.message()),
        (ErrorKind::Protocol, "invalid context response: context.emotions[1] is not an object")
    );

    let prompt = format!("/v1/conversations/{CONV}/context-for-prompt");
    respond(&prompt, r#"{"recent_messages": {"role": "user"}}"#);
    let e = client.conversation_prompt_context(CONV, "structured").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol);
    assert!(e.message().contains("recent_messages is not an array"), "{}", e.message());
    // The no-query conversation fetch reads the same body.
    respond(&prompt, r#"{"recent_messages": [1]}"#);
    let mut request = ContextRequest::new(ContextScope::Conversation);
    request.conversation_id(CONV).unwrap();
    let e = client.context_fetch(&request).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol);
    assert!(e.message().contains("recent_messages[0] is not an object"), "{}", e.message());
    let profile = format!("/v1/users/{USER}/profile");
    respond(&profile, "[1]");
    assert_eq!(client.user_profile(USER, None).unwrap_err().kind(), ErrorKind::Protocol);
    // The profile read of a no-query user fetch fails quietly: the fetch follows.
    respond(&profile, "[1]");
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id(USER).unwrap();
    let context = client.context_fetch(&request).unwrap();
    assert_eq!(context.source, "cloud");
    assert_eq!(last_body(&emu, USER_FETCH)["search_query"], Value::Null);
}

#[test]
fn prompt_context_in_each_style_and_the_profile() {
    let emu = start();
    let client = emu.client();
    let mut chat = doc(&format!("{DECAF_DOC}\nAssistant: Noted, decaf after 3pm."), USER, CUSTOMER);
    chat.document_id(CONV).document_created_at_us(parse_unix_micros(SAID_AT).unwrap()).unwrap();
    ingest(&client, &chat);
    let prompt_path = format!("/v1/conversations/{CONV}/context-for-prompt");
    let said = &DECAF_DOC["User: ".len()..];

    let expected = [
        (
            "structured",
            format!(
                "## Recent messages\n[2025-01-15T10:29:58Z] user: {said}\n[2025-01-15T10:29:59Z] assistant: Noted, decaf after 3pm."
            ),
        ),
        (
            "narrative",
            format!(
                "Conversation so far. The user said: \"{said}\" The assistant replied: \"Noted, decaf after 3pm.\""
            ),
        ),
        ("bullet_points", format!("- user: {said}\n- assistant: Noted, decaf after 3pm.")),
    ];
    for (style, formatted) in expected {
        // Any UUID form is sent canonical.
        let prompt = client.conversation_prompt_context(&CONV.to_uppercase(), style).unwrap();
        let sent = log(&emu, &prompt_path);
        let last = sent.last().unwrap();
        assert_eq!((last["method"].as_str(), last["query"].as_str()), (Some("GET"), Some(&*format!("style={style}"))));
        assert_eq!(prompt.formatted_context.as_deref(), Some(formatted.as_str()), "{style}");
        assert!(!prompt.available && !prompt.is_stale && !prompt.quality_warning);
        assert_eq!(
            (prompt.compression_ratio, prompt.validation_score, prompt.compaction_age_seconds),
            (None, None, None)
        );
        assert_eq!(
            (prompt.recent_message_count, prompt.compacted_message_count, prompt.total_message_count),
            (2, 0, 2)
        );
        assert_eq!((prompt.context_block.as_deref(), prompt.compaction_id.as_deref()), (None, None));
        let turns: Vec<(&str, &str)> = prompt
            .recent_messages
            .iter()
            .map(|t| (t.role.as_deref().unwrap(), t.content.as_deref().unwrap()))
            .collect();
        assert_eq!(turns, [("user", said), ("assistant", "Noted, decaf after 3pm.")]);
        assert_eq!(prompt.recent_messages[0].timestamp_us, parse_unix_micros(SAID_AT));
        assert!(prompt.recent_messages.iter().all(|t| t.message_id.is_some()));
        assert!(prompt.raw_json.as_deref().unwrap().contains("\"recent_messages\""));
    }
    // A conversation nothing was said in: no messages.
    let empty = client.conversation_prompt_context(OTHER_CONV, "narrative").unwrap();
    assert_eq!((empty.formatted_context, empty.recent_messages.len(), empty.total_message_count), (None, 0, 0));

    // Refused before any request.
    let sent_before = emu.requests(None).len();
    let e = client.conversation_prompt_context(CONV, "injection").unwrap_err();
    assert_eq!(
        (e.kind(), e.message()),
        (ErrorKind::InvalidArgument, "style \"injection\" is not one of structured, narrative, bullet_points")
    );
    for style in ["", "Structured", "bullet-points"] {
        assert_eq!(client.conversation_prompt_context(CONV, style).unwrap_err().kind(), ErrorKind::InvalidArgument);
    }
    let e = client.conversation_prompt_context("not-a-uuid", "structured").unwrap_err();
    assert_eq!((e.kind(), e.message()), (ErrorKind::InvalidArgument, "conversation_id is not a UUID: \"not-a-uuid\""));
    assert_eq!(client.user_profile(" ", None).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(emu.requests(None).len(), sent_before);

    // The profile, field by field.
    let profile = client.user_profile(USER, Some(CUSTOMER)).unwrap();
    let got = log(&emu, &format!("/v1/users/{USER}/profile"));
    assert_eq!((got.len(), got[0]["query"].as_str()), (1, Some("customer_id=cust_456")));
    // Newest first: the second sentence became a memory last.
    assert_eq!(profile.overview.as_deref(), Some(&*format!("2 preferences on record. {ROAST} {DECAF}")));
    assert_eq!(profile.attributes.len(), 2);
    for attribute in &profile.attributes {
        let value: Value = serde_json::from_str(attribute.value_json.as_deref().unwrap()).unwrap();
        assert!(value == DECAF || value == ROAST, "{value}");
        assert!(attribute.confidence.is_some_and(|c| (0.55..=0.99).contains(&c)));
        assert!(attribute.updated_at_us.is_some_and(|t| t > parse_unix_micros(SAID_AT).unwrap()));
        assert_eq!(attribute.source_conversation_id.as_deref(), Some(CONV));
    }
    let document: Value = serde_json::from_str(profile.json.as_deref().unwrap()).unwrap();
    assert_eq!(document["_meta"]["version"], 2);
    // Another tenant's view of the same user, and a user with none: 404.
    for (user, customer) in [(USER, Some("other-customer")), ("nobody", None)] {
        let e = client.user_profile(user, customer).unwrap_err();
        assert_eq!((e.kind(), e.http_status()), (ErrorKind::NotFound, Some(404)), "{user}");
        assert_eq!(e.message(), "HTTP 404: Profile not found");
    }
}

#[test]
fn a_ranked_fetch_answered_by_type_gets_a_merged_ranked_list() {
    let emu = start();
    let client = emu.client();
    let body = json!({"context": {
        "facts": [{"id": "f1", "content": "low", "metadata": {"rank_score": 0.2}}, {"id": "f2", "content": "unscored"}],
        "preferences": [{"id": "p1", "content": "high", "category": "drinks", "rank_score": 0.9}],
        "episodes": [], "emotions": [], "temporal_events": []}, "ttl_seconds": 60});
    emu.post_fault(USER_FETCH, 2, json!({"kind": "respond", "status": 200, "body": body.to_string()}));
    let mut request = user_request(USER, DECAF_QUERY);
    request.response_shape("ranked").unwrap();
    let context = client.context_fetch(&request).unwrap();
    let ranked = context.list(ContextList::Ranked);
    let got: Vec<(&str, &str, Option<i64>)> =
        ranked.iter().map(|i| (i.id.as_deref().unwrap(), i.kind.as_deref().unwrap(), i.rank)).collect();
    assert_eq!(got, [("p1", "preferences", Some(1)), ("f1", "facts", Some(2)), ("f2", "facts", Some(3))]);
    assert_eq!(ranked[0].label.as_deref(), Some("drinks"), "read as a by-type item");
    assert_eq!(context.ttl_seconds, 60);
    assert_eq!(texts(context.list(ContextList::Facts)), ["low", "unscored"], "the typed lists as sent");
    // Asked by type, nothing is merged.
    let context = client.context_fetch(&user_request(USER, DECAF_QUERY)).unwrap();
    assert!(context.list(ContextList::Ranked).is_empty());
}

#[test]
fn the_deadline_bounds_both_requests_of_a_composition() {
    let emu = start();
    let mut options = emu.options();
    options.deadline(Some(Duration::from_millis(600))).unwrap();
    let client = Client::new(&options).unwrap();
    let mut request = ContextRequest::new(ContextScope::User);
    request.user_id("nobody").unwrap();
    // Each request alone fits in the deadline; both together do not.
    emu.post_fault("/v1/users/nobody/profile", 1, json!({"kind": "delay", "ms": 400}));
    emu.post_fault(USER_FETCH, 1, json!({"kind": "delay", "ms": 400}));
    let started = std::time::Instant::now();
    let e = client.context_fetch(&request).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Timeout, "{e}");
    // Each request on its own deadline would have ended, 404 then 200, after 800 ms.
    assert!(started.elapsed() < Duration::from_millis(1500), "{:?}", started.elapsed());
    assert_eq!(log(&emu, "/v1/users/nobody/profile").len(), 1);
    assert!(log(&emu, USER_FETCH).len() <= 1);
    // Without the delays the same call succeeds within it.
    assert_eq!(client.context_fetch(&request).unwrap().source, "cloud");
}
