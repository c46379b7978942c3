//! The bodies of the context routes: a context fetch (contract part 2,
//! §3.5-3.10), `context-for-prompt` (§4) and a user's profile (§7.1).
//!
//! Each body is read in one streaming pass into the model types of
//! `crate::context`, by the tolerance rules of that module:
//! - an explicit `null` is the same as an absent key;
//! - a scalar of the wrong type (a number where text is expected, a time
//!   that does not parse, a score string that is not a number) is absent;
//! - server text holding a NUL (JSON `\u0000`) is absent: the C API lends
//!   text out NUL-terminated and could not show it;
//! - scores are kept as sent, inside 0..1 or not;
//! - a repeated key: the last one wins, as in the reference SDK.
//!
//! Only a body whose structure is wrong fails, with `Protocol` naming the
//! path (`context.facts[3] is not an object`): not UTF-8 or not JSON, not an
//! object; `context`, `conversation_context`, `retrieval` or `profile` not
//! an object; a list of objects (the five typed lists, `items`,
//! `conversations`, `recent_turns`, `recent_messages`) not an array, or an
//! element of one not an object (`null` included: it is no item).
//!
//! Values that are not structure stay tolerant when their type is wrong:
//! a list of strings (`source_evidence`, `matched_queries`, `participants`,
//! `warnings`) that is not an array is empty, and its non-string elements
//! are skipped; a `metadata`, `current_state`, `key_extractions` or a
//! conversation's `summary` that is not an object is absent; a profile
//! document is read as the reference SDK reads it, never failing.
//!
//! Nothing here recurses with the depth of the body: the paths read follow
//! the contract's fixed shape, and whatever lies deeper (metadata, unknown
//! keys, values of the wrong type) is skipped or captured by serde_json
//! without recursion (`IgnoredAny`, `RawValue`), so a deeply nested body
//! cannot overflow the stack.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::loose::Loose;
use crate::context::{
    Context, ContextItem, ContextList, ConversationContext, ConversationSummary, Profile, ProfileAttribute,
    PromptContext, Retrieval, Turn,
};
use crate::error::Error;
use crate::text::Text;
use crate::timestamp::parse_unix_micros;

/// The TTL a context answer has when the service sends none (§3.5).
const DEFAULT_TTL_SECONDS: i64 = 300;

/// Parses a context fetch's body (§3.5-3.10). `source` is `cloud`;
/// `correlation_id` and `retrieved_at_us` are left for the caller.
pub(crate) fn parse_context(body: &[u8]) -> Result<Context, Error> {
    const WHAT: &str = "context";
    let text = utf8(WHAT, body)?;
    let Envelope { context, blocks: top, ttl_seconds } = read_body(WHAT, text, EnvelopeVisitor)?;
    let ContextBody { lists, blocks: inner } = context.unwrap_or_default();
    // Each block is read from the top level, else from inside `context`:
    // present (and not null) at the top level wins, as in the SDK.
    Ok(Context {
        lists,
        conversation_context: top.conversation_context.or(inner.conversation_context),
        retrieval: top.retrieval.or(inner.retrieval),
        profile: top.profile.or(inner.profile),
        conversations: top.conversations.or(inner.conversations).unwrap_or_default(),
        ttl_seconds: ttl_seconds.unwrap_or(DEFAULT_TTL_SECONDS),
        source: "cloud",
        correlation_id: None,
        retrieved_at_us: 0,
        // Always some: JSON text holds no NUL byte (in a string it would be
        // a control character, refused above).
        raw_json: Text::new(text),
    })
}

/// Parses a `context-for-prompt` body (§4).
pub(crate) fn parse_prompt_context(body: &[u8]) -> Result<PromptContext, Error> {
    const WHAT: &str = "context-for-prompt";
    let text = utf8(WHAT, body)?;
    let mut prompt = read_body(WHAT, text, PromptVisitor)?;
    prompt.raw_json = Text::new(text);
    Ok(prompt)
}

/// Parses a profile body, `{"profile": document}` (§7.1). Only a body that
/// is not a JSON object fails; a missing or non-object `profile` is an
/// empty profile, as in the SDK.
pub(crate) fn parse_profile(body: &[u8]) -> Result<Profile, Error> {
    const WHAT: &str = "profile";
    let text = utf8(WHAT, body)?;
    let document = read_body(WHAT, text, ProfileBodyVisitor)?;
    Ok(document.filter(|d| is_object(d)).map(|d| profile_document(d.get(), true)).unwrap_or_default())
}

fn invalid(what: &str, detail: impl fmt::Display) -> Error {
    Error::protocol(format!("invalid {what} response: {detail}"))
}

/// The body as text, checked once here: serde_json then reads it as `str`,
/// with no second check per string, and `raw_json` is made from it.
pub(super) fn utf8<'a>(what: &str, body: &'a [u8]) -> Result<&'a str, Error> {
    std::str::from_utf8(body)
        .map_err(|e| invalid(what, format_args!("the body is not UTF-8 (invalid byte at offset {})", e.valid_up_to())))
}

/// Reads the whole body as one object with `visitor`.
pub(super) fn read_body<'de, V: Visitor<'de>>(what: &str, text: &'de str, visitor: V) -> Result<V::Value, Error> {
    const BODY: Path<'static> = Path::Key("the body");
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Object { path: BODY, visitor }
        .deserialize(&mut de)
        .and_then(|value| de.end().map(|()| value))
        .map_err(|e| invalid(what, message(&e)))?;
    value.ok_or_else(|| invalid(what, format_args!("{BODY} is not an object")))
}

/// serde_json's message. A structure error raised here (a data error: the
/// visitors ask serde_json for no typed value) already names its path, so
/// the position serde_json appends is dropped.
fn message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    if e.is_data() {
        let position = format!(" at line {} column {}", e.line(), e.column());
        if let Some(path_message) = full.strip_suffix(&position) {
            return path_message.to_owned();
        }
    }
    full
}

/// Where a value sits in the body, for messages; built on the stack and
/// only formatted when something is wrong.
#[derive(Clone, Copy)]
pub(super) enum Path<'a> {
    Key(&'static str),
    Field(&'a Path<'a>, &'static str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Key(key) => f.write_str(key),
            Path::Field(parent, key) => write!(f, "{parent}.{key}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

fn not_an_object<E: de::Error>(path: Path<'_>) -> E {
    E::custom(format_args!("{path} is not an object"))
}

fn not_an_array<E: de::Error>(path: Path<'_>) -> E {
    E::custom(format_args!("{path} is not an array"))
}

/// The visits of every JSON value but objects and arrays: `null` gives
/// `$null`, a boolean, number or string gives `$other` (`$this` is `self`).
macro_rules! scalars {
    (null => $null:expr, |$this:ident| $other:expr) => {
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            $null
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            let $this = self;
            $other
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            let $this = self;
            $other
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            let $this = self;
            $other
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            let $this = self;
            $other
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            let $this = self;
            $other
        }
    };
}
pub(super) use scalars;

/// A value that must be an object, read by `visitor`; `null` is `None`,
/// anything else a structure error at `path`.
struct Object<'p, V> {
    path: Path<'p>,
    visitor: V,
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Object<'_, V> {
    type Value = Option<V::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Object<'_, V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.visitor.visit_map(map).map(Some)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(not_an_object(self.path))
    }
    scalars!(null => Ok(None), |this| Err(not_an_object(this.path)));
}

/// A value that must be an array, read by `visitor`; `null` is `None`,
/// anything else a structure error at `path`.
pub(super) struct Array<'p, V> {
    pub(super) path: Path<'p>,
    pub(super) visitor: V,
}

impl<'de, V: Visitor<'de>> DeserializeSeed<'de> for Array<'_, V> {
    type Value = Option<V::Value>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Array<'_, V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.visitor.visit_seq(seq).map(Some)
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
        Err(not_an_array(self.path))
    }
    scalars!(null => Ok(None), |this| Err(not_an_array(this.path)));
}

/// Reads each element of an array of objects with `read`, failing on an
/// element that is not an object.
pub(super) fn objects<'de, A, V>(
    path: Path<'_>,
    mut seq: A,
    visitor: impl Fn() -> V,
    mut read: impl FnMut(V::Value),
) -> Result<(), A::Error>
where
    A: SeqAccess<'de>,
    V: Visitor<'de>,
{
    let mut index = 0;
    loop {
        let at = Path::Index(&path, index);
        match seq.next_element_seed(Object { path: at, visitor: visitor() })? {
            None => return Ok(()),
            Some(None) => return Err(not_an_object(at)),
            Some(Some(value)) => read(value),
        }
        index += 1;
    }
}

/// A list of strings as texts. Tolerant: a value that is not an array is
/// an empty list; elements that are not strings, or hold a NUL, are
/// skipped.
pub(super) struct Strings;

impl<'de> DeserializeSeed<'de> for Strings {
    type Value = Vec<Text>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strings {
    type Value = Vec<Text>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of strings")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut texts = Vec::new();
        while let Some(element) = seq.next_element::<Loose<'de>>()? {
            if let Loose::Str(s) = element {
                texts.extend(Text::new(&s));
            }
        }
        Ok(texts)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    scalars!(null => Ok(Vec::new()), |_this| Ok(Vec::new()));
}

// Scalars, read by the tolerance rules: the wrong type is absent.

/// Text; absent when not a string or holding a NUL.
pub(super) fn text(value: &Option<Loose<'_>>) -> Option<Text> {
    match value {
        Some(Loose::Str(s)) => Text::new(s),
        _ => None,
    }
}

/// Text, absent when empty too (§4: `""` becomes null).
fn nonempty_text(value: &Option<Loose<'_>>) -> Option<Text> {
    text(value).filter(|t| !t.is_empty())
}

/// An ISO 8601 time as Unix µs; absent when not a string or unparsable.
pub(super) fn time(value: &Option<Loose<'_>>) -> Option<i64> {
    match value {
        Some(Loose::Str(s)) => parse_unix_micros(s),
        _ => None,
    }
}

/// A number, or a string holding a finite one (pydantic's lax float: the
/// SDK reads `"0.7"` as 0.7); anything else is absent.
pub(super) fn number(value: &Option<Loose<'_>>) -> Option<f64> {
    match value {
        Some(Loose::Float(f)) => Some(*f),
        Some(Loose::Int(n)) => Some(*n as f64),
        Some(Loose::UInt(n)) => Some(*n as f64),
        Some(Loose::Str(s)) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// A score as the SDK coerces it: a number, the words `explicit`,
/// `inferred` and `assumed` (any case) as 1.0, 0.75 and 0.5, or a numeric
/// string. Kept as sent: no 0..1 check.
fn score(value: &Option<Loose<'_>>) -> Option<f64> {
    if let Some(Loose::Str(s)) = value {
        let word = s.trim();
        for (name, score) in [("explicit", 1.0), ("inferred", 0.75), ("assumed", 0.5)] {
            if word.eq_ignore_ascii_case(name) {
                return Some(score);
            }
        }
    }
    number(value)
}

/// An integer: a JSON integer, a float with no fraction, or a string
/// holding an integer (pydantic's lax int); `1.5` and out of range values
/// are absent.
pub(super) fn integer(value: &Option<Loose<'_>>) -> Option<i64> {
    match value {
        Some(Loose::Int(n)) => Some(*n),
        Some(Loose::UInt(n)) => i64::try_from(*n).ok(),
        // i64::MIN as f64 is exact; i64::MAX as f64 rounds up to 2^63, out of range.
        Some(Loose::Float(f)) if f.fract() == 0.0 && *f >= i64::MIN as f64 && *f < i64::MAX as f64 => Some(*f as i64),
        Some(Loose::Str(s)) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean as pydantic's lax mode reads one: `true`/`false`, 0 and 1,
/// and the strings it names (any case); anything else is absent.
pub(super) fn boolean(value: &Option<Loose<'_>>) -> Option<bool> {
    match value {
        Some(Loose::Bool(b)) => Some(*b),
        Some(Loose::Int(0) | Loose::UInt(0)) => Some(false),
        Some(Loose::Int(1) | Loose::UInt(1)) => Some(true),
        Some(Loose::Str(s)) => {
            let word = s.trim();
            let is = |words: &[&str]| words.iter().any(|w| word.eq_ignore_ascii_case(w));
            if is(&["true", "1", "yes", "y", "on", "t"]) {
                Some(true)
            } else if is(&["false", "0", "no", "n", "off", "f"]) {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

fn is_object(raw: &RawValue) -> bool {
    raw.get().starts_with('{')
}

/// An object's JSON text as sent; absent when the value is not an object.
pub(super) fn object_json(raw: Option<&RawValue>) -> Option<Text> {
    raw.filter(|r| is_object(r)).and_then(|r| Text::new(r.get()))
}

/// Reads `text`, a JSON object already read once as a `RawValue`, with
/// `visitor`. That first read checked it, so this one cannot fail; were it
/// to, the value would read as empty rather than wrong.
fn reread<'de, V>(text: &'de str, visitor: V) -> V::Value
where
    V: Visitor<'de>,
    V::Value: Default,
{
    serde_json::Deserializer::from_str(text).deserialize_map(visitor).unwrap_or_default()
}

// The envelope (§3.5).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum TopKey {
    Context,
    ConversationContext,
    Retrieval,
    Profile,
    Conversations,
    TtlSeconds,
    #[serde(other)]
    Other,
}

/// The blocks that may sit at the top level or inside `context`.
#[derive(Clone, Copy)]
enum Block {
    ConversationContext,
    Retrieval,
    Profile,
    Conversations,
}

impl Block {
    fn key(self) -> &'static str {
        match self {
            Block::ConversationContext => "conversation_context",
            Block::Retrieval => "retrieval",
            Block::Profile => "profile",
            Block::Conversations => "conversations",
        }
    }
}

/// The blocks as read at one level.
#[derive(Default)]
struct Blocks {
    conversation_context: Option<ConversationContext>,
    retrieval: Option<Retrieval>,
    profile: Option<Profile>,
    conversations: Option<Vec<ConversationSummary>>,
}

impl Blocks {
    /// Reads `block`'s value, found at `path`.
    fn read<'de, A: MapAccess<'de>>(&mut self, map: &mut A, block: Block, path: Path<'_>) -> Result<(), A::Error> {
        match block {
            Block::ConversationContext => {
                self.conversation_context =
                    map.next_value_seed(Object { path, visitor: ConversationContextVisitor { path } })?;
            }
            Block::Retrieval => self.retrieval = map.next_value_seed(Object { path, visitor: RetrievalVisitor })?,
            Block::Profile => {
                self.profile = match map.next_value::<Option<&'de RawValue>>()? {
                    None => None,
                    Some(raw) if is_object(raw) => Some(profile_document(raw.get(), true)),
                    Some(_) => return Err(not_an_object(path)),
                };
            }
            Block::Conversations => {
                self.conversations = map.next_value_seed(Array { path, visitor: ConversationsVisitor { path } })?;
            }
        }
        Ok(())
    }
}

/// The envelope as read.
struct Envelope {
    context: Option<ContextBody>,
    blocks: Blocks,
    ttl_seconds: Option<i64>,
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = Envelope;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a context response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Envelope, A::Error> {
        const CONTEXT: Path<'static> = Path::Key("context");
        let mut top = Envelope { context: None, blocks: Blocks::default(), ttl_seconds: None };
        while let Some(key) = map.next_key::<TopKey>()? {
            let block = match key {
                TopKey::Context => {
                    top.context = map.next_value_seed(Object { path: CONTEXT, visitor: ContextVisitor })?;
                    continue;
                }
                TopKey::TtlSeconds => {
                    // Absent, null or not an integer: the default.
                    top.ttl_seconds = integer(&Some(map.next_value()?));
                    continue;
                }
                TopKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                TopKey::ConversationContext => Block::ConversationContext,
                TopKey::Retrieval => Block::Retrieval,
                TopKey::Profile => Block::Profile,
                TopKey::Conversations => Block::Conversations,
            };
            top.blocks.read(&mut map, block, Path::Key(block.key()))?;
        }
        Ok(top)
    }
}

// The `context` object: typed lists, the ranked shape (§3.6, §3.7).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ContextKey {
    Facts,
    Preferences,
    Episodes,
    Emotions,
    TemporalEvents,
    Items,
    ConversationContext,
    Retrieval,
    Profile,
    Conversations,
    #[serde(other)]
    Other,
}

#[derive(Default)]
struct ContextBody {
    lists: [Vec<ContextItem>; 7],
    blocks: Blocks,
}

struct ContextVisitor;

impl<'de> Visitor<'de> for ContextVisitor {
    type Value = ContextBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the context object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ContextBody, A::Error> {
        const CONTEXT: Path<'static> = Path::Key("context");
        let mut lists: [Vec<ContextItem>; 7] = Default::default();
        let mut ranked: Option<Ranked> = None;
        let mut blocks = Blocks::default();
        while let Some(key) = map.next_key::<ContextKey>()? {
            let list_or_block = match key {
                ContextKey::Facts => Ok(ContextList::Facts),
                ContextKey::Preferences => Ok(ContextList::Preferences),
                ContextKey::Episodes => Ok(ContextList::Episodes),
                ContextKey::Emotions => Ok(ContextList::Emotions),
                ContextKey::TemporalEvents => Ok(ContextList::TemporalEvents),
                ContextKey::Items => {
                    let path = Path::Field(&CONTEXT, "items");
                    ranked = map.next_value_seed(Array { path, visitor: RankedVisitor { path } })?;
                    continue;
                }
                ContextKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                ContextKey::ConversationContext => Err(Block::ConversationContext),
                ContextKey::Retrieval => Err(Block::Retrieval),
                ContextKey::Profile => Err(Block::Profile),
                ContextKey::Conversations => Err(Block::Conversations),
            };
            match list_or_block {
                Ok(list) => {
                    let path = Path::Field(&CONTEXT, list.wire_name());
                    lists[list as usize] = map
                        .next_value_seed(Array { path, visitor: TypedListVisitor { path, list } })?
                        .unwrap_or_default();
                }
                Err(block) => blocks.read(&mut map, block, Path::Field(&CONTEXT, block.key()))?,
            }
        }
        // The ranked shape: `items` (when present and not null) is the
        // answer; the typed lists become views of it filtered on category,
        // and any typed lists sent beside it (checked above all the same)
        // are replaced.
        if let Some(ranked) = ranked {
            let typed = |item: &ContextItem| {
                item.kind.as_deref().and_then(ContextList::from_wire).filter(|l| ContextList::TYPED.contains(l))
            };
            // Counted first, so each view takes the memory it needs and no
            // more: with 100k items, doubling would leave megabytes unused.
            let mut counts = [0usize; 7];
            for list in ranked.items.iter().filter_map(typed) {
                counts[list as usize] += 1;
            }
            for list in ContextList::TYPED {
                lists[list as usize] = Vec::with_capacity(counts[list as usize]);
            }
            for item in &ranked.items {
                if let Some(list) = typed(item) {
                    lists[list as usize].push(item.clone());
                }
            }
            lists[ContextList::Ranked as usize] = ranked.items;
            lists[ContextList::Excerpts as usize] = ranked.excerpts;
        }
        Ok(ContextBody { lists, blocks })
    }
}

/// One of the five typed lists of the by-type shape.
struct TypedListVisitor<'p> {
    path: Path<'p>,
    list: ContextList,
}

impl<'de> Visitor<'de> for TypedListVisitor<'_> {
    type Value = Vec<ContextItem>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let (list, mapping) = (self.list, Mapping::of(Some(self.list)));
        let mut items = Vec::new();
        objects(
            self.path,
            seq,
            || ItemVisitor,
            |mut raw| {
                let mut item = raw.read(mapping, Text::new(list.wire_name()), false);
                raw.move_lists(&mut item);
                items.push(item);
            },
        )?;
        Ok(items)
    }
}

/// The ranked shape's `items`, and the excerpts among them.
struct Ranked {
    items: Vec<ContextItem>,
    excerpts: Vec<ContextItem>,
}

struct RankedVisitor<'p> {
    path: Path<'p>,
}

impl<'de> Visitor<'de> for RankedVisitor<'_> {
    type Value = Ranked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of ranked items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let mut ranked = Ranked { items: Vec::new(), excerpts: Vec::new() };
        objects(
            self.path,
            seq,
            || ItemVisitor,
            |mut raw| {
                // Read by the type `category` names; an unknown or absent one
                // reads as a fact and lands in no typed view.
                let category = text(&raw.category);
                let list = category.as_deref().and_then(ContextList::from_wire);
                let mut item = raw.read(Mapping::of(list), category, true);
                raw.move_lists(&mut item);
                // An item from `chunks` is an excerpt whatever its category
                // (§3.7), and so is one whose category says so; excerpts read
                // as facts.
                let chunk = matches!(&raw.source, Some(Loose::Str(s)) if s == "chunks");
                if chunk || list == Some(ContextList::Excerpts) {
                    let mut excerpt = raw.read(Mapping::Fact, Text::new(ContextList::Excerpts.wire_name()), true);
                    excerpt.source_evidence = item.source_evidence.clone();
                    excerpt.matched_queries = item.matched_queries.clone();
                    excerpt.participants = item.participants.clone();
                    ranked.excerpts.push(excerpt);
                }
                ranked.items.push(item);
            },
        )?;
        Ok(ranked)
    }
}

// Items (§3.6).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ItemKey {
    Id,
    Content,
    Summary,
    Context,
    Confidence,
    Strength,
    Significance,
    Intensity,
    Category,
    EmotionType,
    TemporalCategory,
    ExtractedAt,
    OccurredAt,
    DetectedAt,
    Source,
    EventDate,
    EventEnd,
    SaidAt,
    ValidUntil,
    EventPrecision,
    TemporalConfidence,
    SourceEvidence,
    MatchedQueries,
    Participants,
    Rank,
    RankScore,
    Metadata,
    #[serde(other)]
    Other,
}

/// An item's keys as read, before its type decides which of them count.
/// Strings stay borrowed from the body until they become texts.
#[derive(Default)]
struct RawItem<'de> {
    id: Option<Loose<'de>>,
    content: Option<Loose<'de>>,
    summary: Option<Loose<'de>>,
    context: Option<Loose<'de>>,
    confidence: Option<Loose<'de>>,
    strength: Option<Loose<'de>>,
    significance: Option<Loose<'de>>,
    intensity: Option<Loose<'de>>,
    category: Option<Loose<'de>>,
    emotion_type: Option<Loose<'de>>,
    temporal_category: Option<Loose<'de>>,
    extracted_at: Option<Loose<'de>>,
    occurred_at: Option<Loose<'de>>,
    detected_at: Option<Loose<'de>>,
    source: Option<Loose<'de>>,
    event_date: Option<Loose<'de>>,
    event_end: Option<Loose<'de>>,
    said_at: Option<Loose<'de>>,
    valid_until: Option<Loose<'de>>,
    event_precision: Option<Loose<'de>>,
    temporal_confidence: Option<Loose<'de>>,
    rank: Option<Loose<'de>>,
    rank_score: Option<Loose<'de>>,
    source_evidence: Vec<Text>,
    matched_queries: Vec<Text>,
    participants: Vec<Text>,
    metadata: Option<&'de RawValue>,
}

struct ItemVisitor;

impl<'de> Visitor<'de> for ItemVisitor {
    type Value = RawItem<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an item")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawItem<'de>, A::Error> {
        let mut raw = RawItem::default();
        while let Some(key) = map.next_key::<ItemKey>()? {
            let slot = match key {
                ItemKey::Id => &mut raw.id,
                ItemKey::Content => &mut raw.content,
                ItemKey::Summary => &mut raw.summary,
                ItemKey::Context => &mut raw.context,
                ItemKey::Confidence => &mut raw.confidence,
                ItemKey::Strength => &mut raw.strength,
                ItemKey::Significance => &mut raw.significance,
                ItemKey::Intensity => &mut raw.intensity,
                ItemKey::Category => &mut raw.category,
                ItemKey::EmotionType => &mut raw.emotion_type,
                ItemKey::TemporalCategory => &mut raw.temporal_category,
                ItemKey::ExtractedAt => &mut raw.extracted_at,
                ItemKey::OccurredAt => &mut raw.occurred_at,
                ItemKey::DetectedAt => &mut raw.detected_at,
                ItemKey::Source => &mut raw.source,
                ItemKey::EventDate => &mut raw.event_date,
                ItemKey::EventEnd => &mut raw.event_end,
                ItemKey::SaidAt => &mut raw.said_at,
                ItemKey::ValidUntil => &mut raw.valid_until,
                ItemKey::EventPrecision => &mut raw.event_precision,
                ItemKey::TemporalConfidence => &mut raw.temporal_confidence,
                ItemKey::Rank => &mut raw.rank,
                ItemKey::RankScore => &mut raw.rank_score,
                ItemKey::SourceEvidence => {
                    raw.source_evidence = map.next_value_seed(Strings)?;
                    continue;
                }
                ItemKey::MatchedQueries => {
                    raw.matched_queries = map.next_value_seed(Strings)?;
                    continue;
                }
                ItemKey::Participants => {
                    raw.participants = map.next_value_seed(Strings)?;
                    continue;
                }
                ItemKey::Metadata => {
                    // Captured as text without being parsed into values:
                    // however deep, serde_json skips it without recursion.
                    raw.metadata = map.next_value()?;
                    continue;
                }
                ItemKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = Some(map.next_value()?);
        }
        Ok(raw)
    }
}

/// Which row of `ContextItem`'s mapping table an item is read by.
#[derive(Clone, Copy)]
enum Mapping {
    /// Facts and excerpts.
    Fact,
    Preference,
    Episode,
    Emotion,
    TemporalEvent,
}

impl Mapping {
    /// The mapping of a list; facts for the ranked list, excerpts and an
    /// unknown category.
    fn of(list: Option<ContextList>) -> Mapping {
        match list {
            Some(ContextList::Preferences) => Mapping::Preference,
            Some(ContextList::Episodes) => Mapping::Episode,
            Some(ContextList::Emotions) => Mapping::Emotion,
            Some(ContextList::TemporalEvents) => Mapping::TemporalEvent,
            _ => Mapping::Fact,
        }
    }
}

impl RawItem<'_> {
    /// The item as `mapping` reads it, without its lists of strings (see
    /// `move_lists`). In the ranked shape `category` is the item's type, so
    /// it is never a label there.
    fn read(&self, mapping: Mapping, kind: Option<Text>, ranked: bool) -> ContextItem {
        let content = || text(&self.content);
        let confidence = || score(&self.confidence);
        let extracted_at = || time(&self.extracted_at);
        let category = || if ranked { None } else { text(&self.category) };
        let (text_, score_, label, time_us) = match mapping {
            Mapping::Fact => (content(), confidence(), None, extracted_at()),
            Mapping::Preference => (content(), score(&self.strength).or_else(confidence), category(), extracted_at()),
            Mapping::Episode => (
                text(&self.summary).or_else(content),
                score(&self.significance).or_else(confidence),
                None,
                time(&self.occurred_at).or_else(extracted_at),
            ),
            Mapping::Emotion => (
                text(&self.context).or_else(content),
                score(&self.intensity).or_else(confidence),
                text(&self.emotion_type).or_else(category),
                time(&self.detected_at).or_else(extracted_at),
            ),
            Mapping::TemporalEvent => (content(), confidence(), text(&self.temporal_category), extracted_at()),
        };
        let metadata = self.metadata.filter(|m| is_object(m));
        ContextItem {
            kind,
            id: text(&self.id),
            text: text_,
            score: score_,
            label,
            time_us,
            // Kept on every type (the SDK drops it on preferences).
            source: text(&self.source),
            event_date_us: time(&self.event_date),
            event_end_us: time(&self.event_end),
            said_at_us: time(&self.said_at),
            valid_until_us: time(&self.valid_until),
            event_precision: text(&self.event_precision),
            temporal_category: text(&self.temporal_category),
            temporal_confidence: score(&self.temporal_confidence),
            source_evidence: Vec::new(),
            matched_queries: Vec::new(),
            participants: Vec::new(),
            // Read in both shapes: a by-type answer carries them too, and
            // a ranked list merged by the caller sorts on rank_score.
            rank: integer(&self.rank),
            rank_score: metadata.and_then(|m| metadata_rank_score(m.get())).or_else(|| number(&self.rank_score)),
            metadata_json: metadata.and_then(|m| Text::new(m.get())),
        }
    }

    /// Moves the lists of strings into `item`.
    fn move_lists(&mut self, item: &mut ContextItem) {
        item.source_evidence = std::mem::take(&mut self.source_evidence);
        item.matched_queries = std::mem::take(&mut self.matched_queries);
        item.participants = std::mem::take(&mut self.participants);
    }
}

/// `rank_score` of a metadata object's JSON text, a number or numeric
/// string (pydantic's float). The text is read a second time only when it
/// can hold that key: spelt out, or behind a `\` escape.
fn metadata_rank_score(metadata: &str) -> Option<f64> {
    if !metadata.contains("rank_score") && !metadata.contains('\\') {
        return None;
    }
    reread(metadata, RankScoreVisitor)
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum MetadataKey {
    RankScore,
    #[serde(other)]
    Other,
}

struct RankScoreVisitor;

impl<'de> Visitor<'de> for RankScoreVisitor {
    type Value = Option<f64>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a metadata object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut rank_score = None;
        while let Some(key) = map.next_key::<MetadataKey>()? {
            match key {
                MetadataKey::RankScore => rank_score = Some(map.next_value::<Loose<'de>>()?),
                MetadataKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(number(&rank_score))
    }
}

// `conversation_context` and `retrieval` (§3.8).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ConversationKey {
    ConversationId,
    Summary,
    RecentTurns,
    CompactionId,
    CompactedAt,
    FormattedContext,
    CurrentState,
    KeyExtractions,
    #[serde(other)]
    Other,
}

struct ConversationContextVisitor<'p> {
    path: Path<'p>,
}

impl<'de> Visitor<'de> for ConversationContextVisitor<'_> {
    type Value = ConversationContext;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a conversation context")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut c = ConversationContext::default();
        while let Some(key) = map.next_key::<ConversationKey>()? {
            let value: Option<Loose<'de>> = match key {
                ConversationKey::RecentTurns => {
                    let path = Path::Field(&self.path, "recent_turns");
                    c.recent_turns =
                        map.next_value_seed(Array { path, visitor: TurnsVisitor { path } })?.unwrap_or_default();
                    continue;
                }
                ConversationKey::CurrentState => {
                    c.current_state_json = object_json(map.next_value()?);
                    continue;
                }
                ConversationKey::KeyExtractions => {
                    c.key_extractions_json = object_json(map.next_value()?);
                    continue;
                }
                ConversationKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                _ => Some(map.next_value()?),
            };
            let value = text(&value);
            match key {
                ConversationKey::ConversationId => c.conversation_id = value,
                ConversationKey::Summary => c.summary = value,
                ConversationKey::CompactionId => c.compaction_id = value,
                // Kept as the service wrote it, never parsed (§3.8).
                ConversationKey::CompactedAt => c.compacted_at = value,
                _ => c.formatted_context = value,
            }
        }
        Ok(c)
    }
}

/// `recent_turns` / `recent_messages`: an array of turn objects.
struct TurnsVisitor<'p> {
    path: Path<'p>,
}

impl<'de> Visitor<'de> for TurnsVisitor<'_> {
    type Value = Vec<Turn>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of turns")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let mut turns = Vec::new();
        objects(self.path, seq, || TurnVisitor, |turn| turns.push(turn))?;
        Ok(turns)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum TurnKey {
    Role,
    Content,
    Timestamp,
    MessageId,
    #[serde(other)]
    Other,
}

struct TurnVisitor;

impl<'de> Visitor<'de> for TurnVisitor {
    type Value = Turn;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a turn")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Turn, A::Error> {
        let mut turn = Turn::default();
        while let Some(key) = map.next_key::<TurnKey>()? {
            if let TurnKey::Other = key {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value = Some(map.next_value::<Loose<'de>>()?);
            match key {
                TurnKey::Role => turn.role = text(&value),
                TurnKey::Content => turn.content = text(&value),
                TurnKey::Timestamp => turn.timestamp_us = time(&value),
                _ => turn.message_id = text(&value),
            }
        }
        Ok(turn)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum RetrievalKey {
    Degraded,
    Level,
    Code,
    Warnings,
    #[serde(other)]
    Other,
}

struct RetrievalVisitor;

impl<'de> Visitor<'de> for RetrievalVisitor {
    type Value = Retrieval;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a retrieval block")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Retrieval, A::Error> {
        let mut degraded = None;
        let mut r = Retrieval::default();
        while let Some(key) = map.next_key::<RetrievalKey>()? {
            match key {
                RetrievalKey::Degraded => degraded = Some(map.next_value::<Loose<'de>>()?),
                RetrievalKey::Level => r.level = text(&Some(map.next_value()?)),
                RetrievalKey::Code => r.code = text(&Some(map.next_value()?)),
                RetrievalKey::Warnings => r.warnings = map.next_value_seed(Strings)?,
                RetrievalKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        // A block that is present says the answer is incomplete unless it
        // says otherwise.
        r.degraded = boolean(&degraded).unwrap_or(true);
        Ok(r)
    }
}

// Summary mode: `profile` and `conversations` (§3.9), the profile route (§7.1).

struct ConversationsVisitor<'p> {
    path: Path<'p>,
}

impl<'de> Visitor<'de> for ConversationsVisitor<'_> {
    type Value = Vec<ConversationSummary>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of conversations")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut conversations = Vec::new();
        // Each element is captured as text (its `json`), then read for its
        // fields: a second pass over at most a few dozen small objects.
        while let Some(element) = seq.next_element::<Option<&'de RawValue>>()? {
            match element {
                Some(raw) if is_object(raw) => conversations.push(conversation_summary(raw.get())),
                _ => return Err(not_an_object(Path::Index(&self.path, conversations.len()))),
            }
        }
        Ok(conversations)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum SummaryKey {
    ConversationId,
    SummaryStatus,
    Summary,
    MessageCount,
    StartedAt,
    LastMessageAt,
    #[serde(other)]
    Other,
}

fn conversation_summary(json: &str) -> ConversationSummary {
    ConversationSummary { json: Text::new(json), ..reread(json, ConversationSummaryVisitor) }
}

struct ConversationSummaryVisitor;

impl<'de> Visitor<'de> for ConversationSummaryVisitor {
    type Value = ConversationSummary;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a conversation summary")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut s = ConversationSummary::default();
        while let Some(key) = map.next_key::<SummaryKey>()? {
            match key {
                SummaryKey::Summary => {
                    s.summary = map.next_value_seed(SummaryTextVisitor)?;
                    continue;
                }
                SummaryKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                _ => {}
            }
            let value = Some(map.next_value::<Loose<'de>>()?);
            match key {
                SummaryKey::ConversationId => s.conversation_id = text(&value),
                SummaryKey::SummaryStatus => s.summary_status = text(&value),
                SummaryKey::MessageCount => s.message_count = integer(&value),
                SummaryKey::StartedAt => s.started_at_us = time(&value),
                _ => s.last_message_at_us = time(&value),
            }
        }
        Ok(s)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum SummaryTextKey {
    NarrativeSummary,
    Overview,
    Narrative,
    Summary,
    #[serde(other)]
    Other,
}

/// A conversation's `summary` object, read for its prompt text: the first
/// of `narrative_summary`, `overview`, `narrative`, `summary` that is a
/// string, not blank (and without a NUL). Any other value: no text.
struct SummaryTextVisitor;

impl<'de> DeserializeSeed<'de> for SummaryTextVisitor {
    type Value = Option<Text>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SummaryTextVisitor {
    type Value = Option<Text>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a summary object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut candidates: [Option<Loose<'de>>; 4] = Default::default();
        while let Some(key) = map.next_key::<SummaryTextKey>()? {
            let slot = match key {
                SummaryTextKey::NarrativeSummary => 0,
                SummaryTextKey::Overview => 1,
                SummaryTextKey::Narrative => 2,
                SummaryTextKey::Summary => 3,
                SummaryTextKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            candidates[slot] = Some(map.next_value()?);
        }
        Ok(candidates.iter().filter_map(text).find(|t| !t.trim().is_empty()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    scalars!(null => Ok(None), |_this| Ok(None));
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum ProfileBodyKey {
    Profile,
    #[serde(other)]
    Other,
}

/// The profile route's body: its `profile` value, captured.
struct ProfileBodyVisitor;

impl<'de> Visitor<'de> for ProfileBodyVisitor {
    type Value = Option<&'de RawValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a profile response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut document = None;
        while let Some(key) = map.next_key::<ProfileBodyKey>()? {
            match key {
                ProfileBodyKey::Profile => document = map.next_value()?,
                ProfileBodyKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(document)
    }
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum DocumentKey {
    Attributes,
    Overview,
    Profile,
    #[serde(other)]
    Other,
}

/// A profile document's keys as read.
#[derive(Default)]
struct RawDocument<'de> {
    /// `None` when absent or null: then the document may be wrapped.
    attributes: Option<Vec<ProfileAttribute>>,
    overview: Option<Loose<'de>>,
    profile: Option<&'de RawValue>,
}

/// Reads a profile document (a JSON object's text), tolerant as the SDK:
/// it never fails. A document with no `attributes` that holds a `profile`
/// object is that document, wrapped once more (`unwrap`: not yet
/// unwrapped).
fn profile_document(json: &str, unwrap: bool) -> Profile {
    let document = reread(json, DocumentVisitor);
    if unwrap && document.attributes.is_none() {
        if let Some(inner) = document.profile.filter(|p| is_object(p)) {
            return profile_document(inner.get(), false);
        }
    }
    Profile {
        overview: text(&document.overview),
        attributes: document.attributes.unwrap_or_default(),
        json: Text::new(json),
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = RawDocument<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a profile document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut document = RawDocument::default();
        while let Some(key) = map.next_key::<DocumentKey>()? {
            match key {
                DocumentKey::Attributes => document.attributes = map.next_value_seed(AttributesVisitor)?,
                DocumentKey::Overview => document.overview = Some(map.next_value()?),
                DocumentKey::Profile => document.profile = map.next_value()?,
                DocumentKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(document)
    }
}

/// `attributes`: name -> attribute, in the order sent (a repeated name is
/// kept twice, as sent). `None` for null; a value that is neither null
/// nor an object gives no attributes.
struct AttributesVisitor;

impl<'de> DeserializeSeed<'de> for AttributesVisitor {
    type Value = Option<Vec<ProfileAttribute>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for AttributesVisitor {
    type Value = Option<Vec<ProfileAttribute>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an attributes object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut attributes = Vec::new();
        while let Some((name, value)) = map.next_entry::<Loose<'de>, &'de RawValue>()? {
            attributes.push(attribute(text(&Some(name)), value));
        }
        Ok(Some(attributes))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Some(Vec::new()))
    }
    scalars!(null => Ok(None), |_this| Ok(Some(Vec::new())));
}

/// One attribute: an object of `value`, `confidence`, `updated_at`,
/// `source_conversation_id`; any other value is the value itself.
fn attribute(name: Option<Text>, raw: &RawValue) -> ProfileAttribute {
    if !is_object(raw) {
        return ProfileAttribute { name, value_json: json_value(Some(raw)), ..ProfileAttribute::default() };
    }
    ProfileAttribute { name, ..reread(raw.get(), AttributeVisitor) }
}

/// A value's JSON text; absent for `null`.
fn json_value(raw: Option<&RawValue>) -> Option<Text> {
    raw.filter(|r| r.get() != "null").and_then(|r| Text::new(r.get()))
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum AttributeKey {
    Value,
    Confidence,
    UpdatedAt,
    SourceConversationId,
    #[serde(other)]
    Other,
}

struct AttributeVisitor;

impl<'de> Visitor<'de> for AttributeVisitor {
    type Value = ProfileAttribute;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a profile attribute")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut a = ProfileAttribute::default();
        while let Some(key) = map.next_key::<AttributeKey>()? {
            match key {
                AttributeKey::Value => a.value_json = json_value(map.next_value()?),
                AttributeKey::Confidence => a.confidence = number(&Some(map.next_value()?)),
                AttributeKey::UpdatedAt => a.updated_at_us = time(&Some(map.next_value()?)),
                AttributeKey::SourceConversationId => a.source_conversation_id = text(&Some(map.next_value()?)),
                AttributeKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(a)
    }
}

// `context-for-prompt` (§4).

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum PromptKey {
    FormattedContext,
    Available,
    IsStale,
    QualityWarning,
    CompressionRatio,
    ValidationScore,
    CompactionAgeSeconds,
    RecentMessages,
    RecentMessageCount,
    CompactedMessageCount,
    TotalMessageCount,
    ContextBlock,
    CompactionId,
    #[serde(other)]
    Other,
}

struct PromptVisitor;

impl<'de> Visitor<'de> for PromptVisitor {
    type Value = PromptContext;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a context-for-prompt response")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PromptContext, A::Error> {
        const MESSAGES: Path<'static> = Path::Key("recent_messages");
        let mut p = PromptContext::default();
        while let Some(key) = map.next_key::<PromptKey>()? {
            match key {
                PromptKey::RecentMessages => {
                    p.recent_messages = map
                        .next_value_seed(Array { path: MESSAGES, visitor: TurnsVisitor { path: MESSAGES } })?
                        .unwrap_or_default();
                    continue;
                }
                PromptKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
                _ => {}
            }
            let value = Some(map.next_value::<Loose<'de>>()?);
            // Booleans default to false, counts to 0 (absent, null or
            // ill-typed alike); `""` texts are absent.
            match key {
                PromptKey::FormattedContext => p.formatted_context = nonempty_text(&value),
                PromptKey::Available => p.available = boolean(&value).unwrap_or(false),
                PromptKey::IsStale => p.is_stale = boolean(&value).unwrap_or(false),
                PromptKey::QualityWarning => p.quality_warning = boolean(&value).unwrap_or(false),
                PromptKey::CompressionRatio => p.compression_ratio = number(&value),
                PromptKey::ValidationScore => p.validation_score = number(&value),
                PromptKey::CompactionAgeSeconds => p.compaction_age_seconds = integer(&value),
                PromptKey::RecentMessageCount => p.recent_message_count = integer(&value).unwrap_or(0),
                PromptKey::CompactedMessageCount => p.compacted_message_count = integer(&value).unwrap_or(0),
                PromptKey::TotalMessageCount => p.total_message_count = integer(&value).unwrap_or(0),
                PromptKey::ContextBlock => p.context_block = nonempty_text(&value),
                _ => p.compaction_id = text(&value),
            }
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::wire::test_support::{t, texts};

    fn context(json: &str) -> Context {
        parse_context(json.as_bytes()).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    fn prompt(json: &str) -> PromptContext {
        parse_prompt_context(json.as_bytes()).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    fn profile(json: &str) -> Profile {
        parse_profile(json.as_bytes()).unwrap_or_else(|e| panic!("{e}: {json}"))
    }

    /// The message of a context body's protocol error.
    fn error(json: &[u8]) -> String {
        let e = parse_context(json).expect_err(&String::from_utf8_lossy(json));
        assert_eq!(e.kind(), ErrorKind::Protocol, "{e}");
        e.message().to_owned()
    }

    /// The single item of a by-type list or of the ranked list.
    fn only(c: &Context, list: ContextList) -> &ContextItem {
        let items = c.list(list);
        assert_eq!(items.len(), 1, "{list:?}: {items:?}");
        &items[0]
    }

    /// The item `fields` make in `list` (by type).
    fn item(list: &str, fields: &str) -> ContextItem {
        let c = context(&format!(r#"{{"context": {{"{list}": [{{{fields}}}]}}}}"#));
        only(&c, ContextList::from_wire(list).unwrap()).clone()
    }

    fn us(time: &str) -> Option<i64> {
        Some(parse_unix_micros(time).unwrap())
    }

    const BY_TYPE: &str = r#"{"context": {
   "facts": [{"id": "9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d", "content": "Drinks only decaf after 3pm",
     "confidence": 0.91, "source": "conversation", "extracted_at": "2025-01-15T10:30:41Z",
     "metadata": {"rank_score": 0.82}, "event_date": null, "said_at": "2025-01-15T10:29:58Z",
     "temporal_category": "perpetual", "temporal_confidence": 0.9, "matched_queries": ["coffee preferences"]}],
   "preferences": [{"id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "content": "Prefers email over phone",
     "category": "communication", "confidence": 0.8, "source": "conversation",
     "extracted_at": "2025-01-14T08:00:00Z", "metadata": {}}],
   "episodes": [], "emotions": [], "temporal_events": []},
 "conversation_context": null, "ttl_seconds": 300}"#;

    const RANKED: &str = r#"{"context": {"items": [
   {"id": "a1", "rank": 1, "category": "facts", "content": "Account is on the Pro plan", "confidence": 0.95,
    "source": "conversation", "extracted_at": "2025-01-10T09:00:00Z", "metadata": {"rank_score": 0.91}},
   {"id": "c7", "rank": 2, "category": "facts", "content": "Refunds within 30 days", "source": "chunks",
    "extracted_at": "2025-01-02T00:00:00Z", "metadata": {"rank_score": 0.77}}]},
 "retrieval": {"degraded": true, "level": "partial", "code": "timeout", "warnings": []}, "ttl_seconds": 300}"#;

    #[test]
    fn contract_example_by_type() {
        let c = context(BY_TYPE);
        let fact = only(&c, ContextList::Facts);
        assert_eq!(
            *fact,
            ContextItem {
                kind: t("facts"),
                id: t("9a7b6c5d-4e3f-4a2b-8c1d-0e9f8a7b6c5d"),
                text: t("Drinks only decaf after 3pm"),
                score: Some(0.91),
                label: None,
                time_us: Some(1_736_937_041_000_000),
                source: t("conversation"),
                event_date_us: None,
                said_at_us: Some(1_736_936_998_000_000),
                temporal_category: t("perpetual"),
                temporal_confidence: Some(0.9),
                matched_queries: vec![Text::new("coffee preferences").unwrap()],
                rank_score: Some(0.82),
                metadata_json: t(r#"{"rank_score": 0.82}"#),
                ..ContextItem::default()
            }
        );
        let preference = only(&c, ContextList::Preferences);
        assert_eq!(
            *preference,
            ContextItem {
                kind: t("preferences"),
                id: t("5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9"),
                text: t("Prefers email over phone"),
                score: Some(0.8),
                label: t("communication"),
                time_us: Some(1_736_841_600_000_000),
                source: t("conversation"),
                metadata_json: t("{}"),
                ..ContextItem::default()
            }
        );
        for list in [ContextList::Episodes, ContextList::Emotions, ContextList::TemporalEvents] {
            assert!(c.list(list).is_empty());
        }
        assert!(c.list(ContextList::Ranked).is_empty() && c.list(ContextList::Excerpts).is_empty());
        assert_eq!((c.conversation_context.as_ref(), c.retrieval.as_ref(), c.profile.as_ref()), (None, None, None));
        assert!(c.conversations.is_empty());
        assert_eq!(c.ttl_seconds, 300);
        assert_eq!(c.source, "cloud");
        assert_eq!((c.correlation_id.as_ref(), c.retrieved_at_us), (None, 0));
        assert_eq!(c.raw_json.as_deref(), Some(BY_TYPE));
    }

    #[test]
    fn contract_example_ranked() {
        let c = context(RANKED);
        let ranked = c.list(ContextList::Ranked);
        assert_eq!(ranked.len(), 2);
        assert_eq!(
            ranked[0],
            ContextItem {
                kind: t("facts"),
                id: t("a1"),
                text: t("Account is on the Pro plan"),
                score: Some(0.95),
                time_us: Some(1_736_499_600_000_000),
                source: t("conversation"),
                rank: Some(1),
                rank_score: Some(0.91),
                metadata_json: t(r#"{"rank_score": 0.91}"#),
                ..ContextItem::default()
            }
        );
        assert_eq!((ranked[1].id.as_deref(), ranked[1].rank, ranked[1].rank_score), (Some("c7"), Some(2), Some(0.77)));
        assert_eq!(ranked[1].score, None);
        assert_eq!(ranked[1].time_us, Some(1_735_776_000_000_000));
        // The facts view holds both, the chunk too (as the by-type shape
        // files chunks under facts); the excerpts only the chunk.
        assert_eq!(c.list(ContextList::Facts), ranked);
        let excerpt = only(&c, ContextList::Excerpts);
        assert_eq!(*excerpt, ContextItem { kind: t("excerpts"), ..ranked[1].clone() });
        for list in
            [ContextList::Preferences, ContextList::Episodes, ContextList::Emotions, ContextList::TemporalEvents]
        {
            assert!(c.list(list).is_empty());
        }
        let r = c.retrieval.as_ref().unwrap();
        assert_eq!(*r, Retrieval { degraded: true, level: t("partial"), code: t("timeout"), warnings: vec![] });
        assert_eq!(c.ttl_seconds, 300);
    }

    #[test]
    fn ranked_items_read_by_their_category() {
        let c = context(
            r#"{"context": {"items": [
            {"id": "p", "category": "preferences", "content": "tea", "strength": "inferred", "rank": 1},
            {"id": "e", "category": "episodes", "summary": "call", "significance": 0.4, "occurred_at": "2025-01-01"},
            {"id": "m", "category": "emotions", "context": "upset", "emotion_type": "anger", "intensity": 0.7},
            {"id": "t", "category": "temporal_events", "content": "trip", "temporal_category": "episode"},
            {"id": "x", "category": "excerpts", "content": "page 3", "confidence": 0.5, "source": "upload"},
            {"id": "w", "category": "widgets", "content": "odd", "confidence": 0.1},
            {"id": "n", "content": "no category"},
            {"id": "q", "category": "preferences", "content": "doc", "source": "chunks", "strength": 0.2,
             "confidence": 0.6}
            ]}}"#,
        );
        let ranked = c.list(ContextList::Ranked);
        let kinds: Vec<Option<&str>> = ranked.iter().map(|i| i.kind.as_deref()).collect();
        assert_eq!(
            kinds,
            [
                Some("preferences"),
                Some("episodes"),
                Some("emotions"),
                Some("temporal_events"),
                Some("excerpts"),
                Some("widgets"),
                None,
                Some("preferences")
            ]
        );
        // In this shape `category` is the type: no label from it.
        assert_eq!(
            (ranked[0].text.as_deref(), ranked[0].score, ranked[0].label.as_ref()),
            (Some("tea"), Some(0.75), None)
        );
        assert_eq!(
            (ranked[1].text.as_deref(), ranked[1].score, ranked[1].time_us),
            (Some("call"), Some(0.4), us("2025-01-01"))
        );
        assert_eq!(
            (ranked[2].text.as_deref(), ranked[2].score, ranked[2].label.as_deref()),
            (Some("upset"), Some(0.7), Some("anger"))
        );
        assert_eq!((ranked[3].text.as_deref(), ranked[3].label.as_deref()), (Some("trip"), Some("episode")));
        // Unknown and absent categories read as facts.
        assert_eq!((ranked[5].text.as_deref(), ranked[5].score), (Some("odd"), Some(0.1)));
        assert_eq!(ranked[6].text.as_deref(), Some("no category"));

        let ids = |list| c.list(list).iter().map(|i| i.id.as_deref().unwrap()).collect::<Vec<_>>();
        assert_eq!(ids(ContextList::Facts), Vec::<&str>::new());
        assert_eq!(ids(ContextList::Preferences), ["p", "q"]);
        assert_eq!(ids(ContextList::Episodes), ["e"]);
        assert_eq!(ids(ContextList::Emotions), ["m"]);
        assert_eq!(ids(ContextList::TemporalEvents), ["t"]);
        assert_eq!(ids(ContextList::Excerpts), ["x", "q"]);
        assert_eq!(c.list(ContextList::Preferences)[0], ranked[0]);
        // An excerpt reads as a fact: `confidence`, not `strength`.
        let q = &c.list(ContextList::Excerpts)[1];
        assert_eq!((q.kind.as_deref(), q.score, q.source.as_deref()), (Some("excerpts"), Some(0.6), Some("chunks")));
        assert_eq!(c.list(ContextList::Preferences)[1].score, Some(0.2));
    }

    #[test]
    fn rank_score_from_metadata_else_top_level() {
        let c = context(
            r#"{"context": {"items": [
            {"id": "1", "rank_score": 0.5, "metadata": {"rank_score": 0.9}},
            {"id": "2", "rank_score": 0.5, "metadata": {"other": 1}},
            {"id": "3", "rank_score": "0.25", "metadata": {"rank_score": null}},
            {"id": "4", "rank_score": 0.5, "metadata": {"rank_score": "high"}},
            {"id": "5", "metadata": {"rank\u005fscore": 0.3, "x": "\\"}},
            {"id": "6", "rank_score": "explicit"},
            {"id": "7", "rank_score": 0.4, "metadata": [1]}
            ]}}"#,
        );
        let scores: Vec<Option<f64>> = c.list(ContextList::Ranked).iter().map(|i| i.rank_score).collect();
        assert_eq!(scores, [Some(0.9), Some(0.5), Some(0.25), Some(0.5), Some(0.3), None, Some(0.4)]);
        // By type too: the caller merges a ranked list from it.
        assert_eq!(item("facts", r#""metadata": {"rank_score": 2}, "rank": 7"#).rank_score, Some(2.0));
        assert_eq!(item("facts", r#""rank_score": 0.1, "rank": "7""#).rank, Some(7));
    }

    #[test]
    fn each_type_reads_its_own_keys() {
        let p = item("preferences", r#""content": "c", "strength": 0.3, "confidence": 0.9, "category": "food""#);
        assert_eq!((p.text.as_deref(), p.score, p.label.as_deref()), (Some("c"), Some(0.3), Some("food")));
        let p = item("preferences", r#""content": "c", "strength": null, "confidence": 0.9"#);
        assert_eq!((p.score, p.label.as_ref()), (Some(0.9), None));

        let e = item(
            "episodes",
            r#""summary": "s", "content": "c", "significance": 0.2, "confidence": 0.9,
               "occurred_at": "2025-01-03T00:00:00Z", "extracted_at": "2025-01-04T00:00:00Z",
               "participants": ["dana", 3, null, "sam"], "category": "ignored""#,
        );
        assert_eq!((e.text.as_deref(), e.score, e.time_us), (Some("s"), Some(0.2), us("2025-01-03T00:00:00Z")));
        assert_eq!((texts(&e.participants), e.label.as_ref()), (vec!["dana", "sam"], None));
        let e = item("episodes", r#""content": "c", "confidence": 0.9, "extracted_at": "2025-01-04T00:00:00Z""#);
        assert_eq!((e.text.as_deref(), e.score, e.time_us), (Some("c"), Some(0.9), us("2025-01-04T00:00:00Z")));

        let m = item(
            "emotions",
            r#""context": "x", "content": "c", "intensity": 0.6, "confidence": 0.9, "emotion_type": "joy",
               "category": "cat", "detected_at": "2025-01-05T00:00:00Z", "extracted_at": "2025-01-04T00:00:00Z""#,
        );
        assert_eq!(
            (m.text.as_deref(), m.score, m.label.as_deref(), m.time_us),
            (Some("x"), Some(0.6), Some("joy"), us("2025-01-05T00:00:00Z"))
        );
        let m =
            item("emotions", r#""content": "c", "confidence": 0.9, "category": "cat", "extracted_at": "2025-01-04""#);
        assert_eq!(
            (m.text.as_deref(), m.score, m.label.as_deref(), m.time_us),
            (Some("c"), Some(0.9), Some("cat"), us("2025-01-04"))
        );

        let te = item(
            "temporal_events",
            r#""content": "trip", "confidence": 0.7, "temporal_confidence": "assumed",
               "temporal_category": "temporal_fact", "extracted_at": "2025-01-06T00:00:00Z""#,
        );
        assert_eq!(
            (te.text.as_deref(), te.score, te.label.as_deref(), te.temporal_category.as_deref()),
            (Some("trip"), Some(0.7), Some("temporal_fact"), Some("temporal_fact"))
        );
        assert_eq!((te.temporal_confidence, te.time_us), (Some(0.5), us("2025-01-06T00:00:00Z")));

        // Keys another type uses are not read.
        let f = item("facts", r#""summary": "s", "strength": 0.3, "category": "c", "occurred_at": "2025-01-01""#);
        assert_eq!((f.text, f.score, f.label, f.time_us), (None, None, None, None));
    }

    #[test]
    fn every_generic_field() {
        let f = item(
            "facts",
            r#""id": "f1", "content": "Trip to Lisbon", "source": "conversation",
               "event_date": "2025-03-01", "event_end": "2025-03-08T23:59:59Z", "said_at": "2025-01-15T10:29:58Z",
               "valid_until": "2025-03-09", "event_precision": "day", "temporal_category": "temporal_fact",
               "temporal_confidence": 0.8, "source_evidence": ["we fly on the 1st", "back on the 8th"],
               "matched_queries": ["travel"], "participants": ["dana"], "rank": 3,
               "metadata": {"rank_score": 0.5, "nested": {"a": [1, 2]}}, "trigger": "x", "valid_from": "y""#,
        );
        assert_eq!(
            f,
            ContextItem {
                kind: t("facts"),
                id: t("f1"),
                text: t("Trip to Lisbon"),
                source: t("conversation"),
                event_date_us: us("2025-03-01"),
                event_end_us: us("2025-03-08T23:59:59Z"),
                said_at_us: us("2025-01-15T10:29:58Z"),
                valid_until_us: us("2025-03-09"),
                event_precision: t("day"),
                temporal_category: t("temporal_fact"),
                temporal_confidence: Some(0.8),
                source_evidence: vec![Text::new("we fly on the 1st").unwrap(), Text::new("back on the 8th").unwrap()],
                matched_queries: vec![Text::new("travel").unwrap()],
                participants: vec![Text::new("dana").unwrap()],
                rank: Some(3),
                rank_score: Some(0.5),
                metadata_json: t(r#"{"rank_score": 0.5, "nested": {"a": [1, 2]}}"#),
                ..ContextItem::default()
            }
        );
    }

    #[test]
    fn null_is_absent_and_falls_through() {
        let e = item(
            "emotions",
            r#""context": null, "content": "c", "intensity": null, "confidence": 0.4,
               "emotion_type": null, "category": "cat", "detected_at": null, "extracted_at": "2025-01-04""#,
        );
        assert_eq!(
            (e.text.as_deref(), e.score, e.label.as_deref(), e.time_us),
            (Some("c"), Some(0.4), Some("cat"), us("2025-01-04"))
        );
        let all_null = r#""id": null, "content": null, "confidence": null, "source": null, "extracted_at": null,
            "event_date": null, "event_end": null, "said_at": null, "valid_until": null, "event_precision": null,
            "temporal_category": null, "temporal_confidence": null, "source_evidence": null,
            "matched_queries": null, "participants": null, "rank": null, "rank_score": null, "metadata": null"#;
        assert_eq!(item("facts", all_null), ContextItem { kind: t("facts"), ..ContextItem::default() });
    }

    #[test]
    fn wrong_types_are_absent() {
        let f = item(
            "facts",
            r#""id": 7, "content": ["x"], "confidence": "high", "source": {"a": 1}, "extracted_at": "yesterday",
               "event_date": 1736937041, "said_at": "", "temporal_confidence": true, "rank": 1.5,
               "source_evidence": "one quote", "matched_queries": {"q": 1}, "metadata": "{}",
               "event_precision": false, "temporal_category": 3"#,
        );
        assert_eq!(f, ContextItem { kind: t("facts"), ..ContextItem::default() });
    }

    #[test]
    fn scores_are_coerced_and_kept_as_sent() {
        let score = |v: &str| item("facts", &format!(r#""confidence": {v}"#)).score;
        assert_eq!(score("1.5"), Some(1.5));
        assert_eq!(score("-2"), Some(-2.0));
        assert_eq!(score("18446744073709551615"), Some(18_446_744_073_709_551_615.0));
        assert_eq!(score(r#""EXPLICIT""#), Some(1.0));
        assert_eq!(score(r#""Inferred""#), Some(0.75));
        assert_eq!(score(r#""assumed""#), Some(0.5));
        assert_eq!(score(r#"" 0.7 ""#), Some(0.7));
        assert_eq!(score(r#""1e-1""#), Some(0.1));
        assert_eq!(score(r#""high""#), None);
        assert_eq!(score(r#""NaN""#), None);
        assert_eq!(score(r#""inf""#), None);
        assert_eq!(score(r#""""#), None);
    }

    #[test]
    fn integers_are_lax() {
        let rank = |v: &str| item("facts", &format!(r#""rank": {v}"#)).rank;
        assert_eq!(rank("3"), Some(3));
        assert_eq!(rank("-1"), Some(-1));
        assert_eq!(rank("3.0"), Some(3));
        assert_eq!(rank(r#"" 4 ""#), Some(4));
        assert_eq!(rank("3.5"), None);
        assert_eq!(rank("9223372036854775808"), None);
        assert_eq!(rank("1e19"), None);
        assert_eq!(rank(r#""four""#), None);
        assert_eq!(rank("true"), None);
    }

    #[test]
    fn text_with_a_nul_is_absent() {
        let f = item(
            "facts",
            r#""id": "a\u0000b", "content": "ok", "source_evidence": ["x\u0000", "y"], "metadata": {"k": "\u0000"}"#,
        );
        assert_eq!((f.id, f.text.as_deref()), (None, Some("ok")));
        assert_eq!(texts(&f.source_evidence), ["y"]);
        // The metadata's JSON text keeps the escape, which C can show.
        assert_eq!(f.metadata_json.as_deref(), Some(r#"{"k": "\u0000"}"#));
        let e = item("episodes", r#""summary": "s\u0000", "content": "c""#);
        assert_eq!(e.text.as_deref(), Some("c"));
    }

    #[test]
    fn escapes_are_read() {
        let f = item("facts", r#""content": "caf\u00e9 \"decaf\"\n", "id": "\ud83d\ude00""#);
        assert_eq!((f.text.as_deref(), f.id.as_deref()), (Some("café \"decaf\"\n"), Some("😀")));
    }

    #[test]
    fn a_repeated_key_wins() {
        let f = item("facts", r#""content": "first", "content": "second", "metadata": {"a": 1}, "metadata": null"#);
        assert_eq!((f.text.as_deref(), f.metadata_json), (Some("second"), None));
        let c = context(r#"{"context": {"facts": [{"id": "1"}], "facts": []}, "ttl_seconds": 5, "ttl_seconds": null}"#);
        assert!(c.list(ContextList::Facts).is_empty());
        assert_eq!(c.ttl_seconds, 300);
        let c = context(r#"{"context": {"items": [{"id": "1"}], "items": null, "facts": [{"id": "2"}]}}"#);
        assert!(c.list(ContextList::Ranked).is_empty());
        assert_eq!(only(&c, ContextList::Facts).id.as_deref(), Some("2"));
    }

    #[test]
    fn typed_lists_beside_items_are_replaced_by_views() {
        let c = context(
            r#"{"context": {"facts": [{"id": "old"}], "items": [{"id": "new", "category": "facts"}],
                "emotions": [{"id": "old2"}]}}"#,
        );
        assert_eq!(only(&c, ContextList::Facts).id.as_deref(), Some("new"));
        assert!(c.list(ContextList::Emotions).is_empty());
        // Still checked, though: a typed list's structure is wrong either way.
        assert_eq!(
            error(br#"{"context": {"items": [], "facts": {}}}"#),
            "invalid context response: context.facts is not an array"
        );
        // An empty ranked list is the ranked shape still.
        let c = context(r#"{"context": {"items": [], "facts": [{"id": "x"}]}}"#);
        assert!(c.list(ContextList::Facts).is_empty());
    }

    #[test]
    fn envelope_defaults() {
        let c = context("{}");
        assert_eq!(c, Context { ttl_seconds: 300, source: "cloud", raw_json: t("{}"), ..Context::default() });
        let c = context(r#"{"context": null, "conversations": null, "profile": null, "retrieval": null}"#);
        assert!(ContextList::ALL.iter().all(|l| c.list(*l).is_empty()));
        assert_eq!((c.profile, c.retrieval, c.conversations.len()), (None, None, 0));
        let ttl = |v: &str| context(&format!(r#"{{"ttl_seconds": {v}}}"#)).ttl_seconds;
        assert_eq!(ttl("1800"), 1800);
        assert_eq!(ttl("60.0"), 60);
        assert_eq!(ttl(r#""90""#), 90);
        assert_eq!(ttl("null"), 300);
        assert_eq!(ttl("1.5"), 300);
        assert_eq!(ttl(r#""soon""#), 300);
        assert_eq!(ttl("[1]"), 300);
        let c = context(r#"{"context": {"facts": [], "ttl_seconds": 5, "unknown": [[{}]]}, "extra": {"a": [1]}}"#);
        assert_eq!(c.ttl_seconds, 300);
    }

    #[test]
    fn blocks_top_level_wins_else_inside_context() {
        let c = context(
            r#"{"context": {"conversation_context": {"summary": "inner"}, "retrieval": {"level": "inner"},
                "profile": {"overview": "inner"}, "conversations": [{"conversation_id": "inner"}]},
                "conversation_context": {"summary": "top"}, "retrieval": {"level": "top"},
                "profile": {"overview": "top"}, "conversations": [{"conversation_id": "top"}]}"#,
        );
        assert_eq!(c.conversation_context.unwrap().summary.as_deref(), Some("top"));
        assert_eq!(c.retrieval.unwrap().level.as_deref(), Some("top"));
        assert_eq!(c.profile.unwrap().overview.as_deref(), Some("top"));
        assert_eq!(c.conversations[0].conversation_id.as_deref(), Some("top"));
        let c = context(
            r#"{"conversation_context": null, "retrieval": null, "profile": null, "conversations": null,
                "context": {"conversation_context": {"summary": "inner"}, "retrieval": {"level": "inner"},
                "profile": {"overview": "inner"}, "conversations": [{"conversation_id": "inner"}]}}"#,
        );
        assert_eq!(c.conversation_context.unwrap().summary.as_deref(), Some("inner"));
        assert_eq!(c.retrieval.unwrap().level.as_deref(), Some("inner"));
        assert_eq!(c.profile.unwrap().overview.as_deref(), Some("inner"));
        assert_eq!(c.conversations[0].conversation_id.as_deref(), Some("inner"));
        // Present at the top level, even empty, wins.
        let c = context(r#"{"conversations": [], "context": {"conversations": [{"conversation_id": "inner"}]}}"#);
        assert!(c.conversations.is_empty());
    }

    #[test]
    fn conversation_context_every_field() {
        let c = context(
            r#"{"conversation_context": {"conversation_id": "6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37",
                "summary": "Dana asked about a refund.", "compaction_id": "b3c4", "compacted_at": "last tuesday",
                "formatted_context": "", "current_state": {"stage": "refund", "open": [1, {"a": null}]},
                "key_extractions": {"facts": [{"x": 1}]}, "other": 1,
                "recent_turns": [{"role": "user", "content": "any update?", "timestamp": "2025-01-15T10:41:02Z",
                                  "message_id": "m1", "extra": true},
                                 {"role": 1, "content": null, "timestamp": "soon"}, {}]}}"#,
        );
        let cc = c.conversation_context.unwrap();
        assert_eq!(
            cc,
            ConversationContext {
                conversation_id: t("6f1c9e2a-3b7d-4a58-9c0e-2d4b6a8f1e37"),
                summary: t("Dana asked about a refund."),
                recent_turns: vec![
                    Turn {
                        role: t("user"),
                        content: t("any update?"),
                        timestamp_us: Some(1_736_937_662_000_000),
                        message_id: t("m1"),
                    },
                    Turn::default(),
                    Turn::default(),
                ],
                compaction_id: t("b3c4"),
                compacted_at: t("last tuesday"),
                formatted_context: t(""),
                current_state_json: t(r#"{"stage": "refund", "open": [1, {"a": null}]}"#),
                key_extractions_json: t(r#"{"facts": [{"x": 1}]}"#),
            }
        );
        let cc =
            context(r#"{"conversation_context": {"current_state": [1], "key_extractions": "x", "compacted_at": 5}}"#)
                .conversation_context
                .unwrap();
        assert_eq!(cc, ConversationContext::default());
    }

    #[test]
    fn retrieval_block() {
        let r = |body: &str| context(&format!(r#"{{"retrieval": {body}}}"#)).retrieval.unwrap();
        assert_eq!(r("{}"), Retrieval { degraded: true, ..Retrieval::default() });
        assert!(!r(r#"{"degraded": false}"#).degraded);
        assert!(!r(r#"{"degraded": "false"}"#).degraded);
        assert!(!r(r#"{"degraded": 0}"#).degraded);
        assert!(r(r#"{"degraded": null}"#).degraded);
        assert!(r(r#"{"degraded": "maybe"}"#).degraded);
        let full = r(r#"{"degraded": true, "level": "failed", "code": "overloaded",
                         "warnings": ["vector store slow", 5, null, "graph skipped"], "extra": 1}"#);
        assert_eq!((full.level.as_deref(), full.code.as_deref()), (Some("failed"), Some("overloaded")));
        assert_eq!(texts(&full.warnings), ["vector store slow", "graph skipped"]);
        assert!(r(r#"{"warnings": "none"}"#).warnings.is_empty());
    }

    #[test]
    fn summary_mode() {
        let body = r#"{"context": {"facts": [], "preferences": [], "episodes": [], "emotions": [], "temporal_events": []},
 "profile": {"attributes": {"preferred_name": {"value": "Dana", "confidence": 0.92}}, "overview": "Returning caller."},
 "conversations": [
   {"conversation_id": "c1", "summary_status": "available", "message_count": 12,
    "started_at": "2025-01-15T10:00:00Z", "last_message_at": "2025-01-15T10:41:02Z",
    "summary": {"narrative_summary": "  ", "overview": "Refund for order 42", "narrative": "longer"},
    "classification": {"primary_category": "billing"}},
   {"conversation_id": 7, "summary_status": null, "message_count": "x", "started_at": "bad",
    "summary": {"narrative": "", "summary": "plain"}},
   {"summary": "not an object"},
   {"summary": {"overview": "a\u0000b", "narrative": "clean"}}],
 "ttl_seconds": 300}"#;
        let c = context(body);
        let p = c.profile.unwrap();
        assert_eq!(p.overview.as_deref(), Some("Returning caller."));
        assert_eq!(p.attributes.len(), 1);
        assert_eq!(p.attributes[0].value_json.as_deref(), Some(r#""Dana""#));
        let s = &c.conversations;
        assert_eq!(s.len(), 4);
        assert_eq!(
            s[0],
            ConversationSummary {
                conversation_id: t("c1"),
                summary_status: t("available"),
                summary: t("Refund for order 42"),
                message_count: Some(12),
                started_at_us: us("2025-01-15T10:00:00Z"),
                last_message_at_us: us("2025-01-15T10:41:02Z"),
                json: t(r#"{"conversation_id": "c1", "summary_status": "available", "message_count": 12,
    "started_at": "2025-01-15T10:00:00Z", "last_message_at": "2025-01-15T10:41:02Z",
    "summary": {"narrative_summary": "  ", "overview": "Refund for order 42", "narrative": "longer"},
    "classification": {"primary_category": "billing"}}"#),
            }
        );
        assert_eq!(
            s[1],
            ConversationSummary {
                summary: t("plain"),
                json: t(r#"{"conversation_id": 7, "summary_status": null, "message_count": "x", "started_at": "bad",
    "summary": {"narrative": "", "summary": "plain"}}"#),
                ..ConversationSummary::default()
            }
        );
        assert_eq!(s[2].summary, None);
        assert_eq!(s[3].summary.as_deref(), Some("clean"));
    }

    #[test]
    fn structure_errors_name_the_path() {
        let cases: &[(&str, &str)] = &[
            ("[1, 2]", "the body is not an object"),
            ("null", "the body is not an object"),
            ("\"text\"", "the body is not an object"),
            (r#"{"context": []}"#, "context is not an object"),
            (r#"{"context": "x"}"#, "context is not an object"),
            (r#"{"context": {"facts": {}}}"#, "context.facts is not an array"),
            (r#"{"context": {"temporal_events": 3}}"#, "context.temporal_events is not an array"),
            (r#"{"context": {"facts": [{}, {}, {}, "x"]}}"#, "context.facts[3] is not an object"),
            (r#"{"context": {"emotions": [null]}}"#, "context.emotions[0] is not an object"),
            (r#"{"context": {"items": {"a": 1}}}"#, "context.items is not an array"),
            (r#"{"context": {"items": [{}, []]}}"#, "context.items[1] is not an object"),
            (r#"{"conversation_context": []}"#, "conversation_context is not an object"),
            (r#"{"context": {"conversation_context": "x"}}"#, "context.conversation_context is not an object"),
            (r#"{"retrieval": true}"#, "retrieval is not an object"),
            (r#"{"context": {"retrieval": 1}}"#, "context.retrieval is not an object"),
            (r#"{"profile": "x"}"#, "profile is not an object"),
            (r#"{"context": {"profile": []}}"#, "context.profile is not an object"),
            (r#"{"conversations": {}}"#, "conversations is not an array"),
            (r#"{"context": {"conversations": "x"}}"#, "context.conversations is not an array"),
            (r#"{"conversations": [{}, 5]}"#, "conversations[1] is not an object"),
            (r#"{"conversations": [null]}"#, "conversations[0] is not an object"),
            (r#"{"conversation_context": {"recent_turns": {}}}"#, "conversation_context.recent_turns is not an array"),
            (
                r#"{"context": {"conversation_context": {"recent_turns": [{}, "hi"]}}}"#,
                "context.conversation_context.recent_turns[1] is not an object",
            ),
        ];
        for (body, path) in cases {
            assert_eq!(error(body.as_bytes()), format!("invalid context response: {path}"), "{body}");
        }
    }

    #[test]
    fn malformed_bodies_are_protocol_errors() {
        assert_eq!(
            error(b"{\"a\": \"\xff\"}"),
            "invalid context response: the body is not UTF-8 (invalid byte at offset 7)"
        );
        assert_eq!(error(b""), "invalid context response: EOF while parsing a value at line 1 column 0");
        assert_eq!(
            error(br#"{"context": {"facts": [{"id": "1"#),
            "invalid context response: EOF while parsing a string at line 1 column 32"
        );
        assert_eq!(error(b"{} {}"), "invalid context response: trailing characters at line 1 column 4");
        // A number beyond f64 fails where it is read (serde_json refuses
        // it, as it does into a Value); skipped unread, it is not looked at.
        assert_eq!(
            error(br#"{"context": {"facts": [{"confidence": 1e999}]}}"#),
            "invalid context response: number out of range at line 1 column 43"
        );
        assert_eq!(context(r#"{"a": 1e999}"#).ttl_seconds, 300);
        assert!(error(b"{\"context\": {\"facts\": [{\"id\": \"\x01\"}]}}").contains("control character"));
    }

    #[test]
    fn deep_values_are_skipped_or_captured() {
        let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
        let f = item("facts", &format!(r#""content": {deep}, "other": {deep}, "metadata": {{"a": {deep}}}"#));
        assert_eq!(f.text, None);
        assert_eq!(f.metadata_json.as_deref(), Some(format!(r#"{{"a": {deep}}}"#).as_str()));
        let c = context(&format!(r#"{{"conversation_context": {{"current_state": {{"a": {deep}}}}}, "x": {deep}}}"#));
        assert!(c.conversation_context.unwrap().current_state_json.is_some());
    }

    #[test]
    fn profile_route() {
        let p = profile(
            r#"{"profile": {"attributes": {"preferred_name": {"value": "Dana", "confidence": 0.92, "updated_at": "2025-01-15T10:06:41Z",
   "source_conversation_id": "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9"}},
  "overview": "Returning caller, prefers SMS.", "extras": {}, "_meta": {"version": 4}}}"#,
        );
        assert_eq!(
            p,
            Profile {
                overview: t("Returning caller, prefers SMS."),
                attributes: vec![ProfileAttribute {
                    name: t("preferred_name"),
                    value_json: t(r#""Dana""#),
                    confidence: Some(0.92),
                    updated_at_us: Some(1_736_935_601_000_000),
                    source_conversation_id: t("3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9"),
                }],
                json: t(
                    r#"{"attributes": {"preferred_name": {"value": "Dana", "confidence": 0.92, "updated_at": "2025-01-15T10:06:41Z",
   "source_conversation_id": "3f2a1b0c-9d8e-4f7a-b6c5-d4e3f2a1b0c9"}},
  "overview": "Returning caller, prefers SMS.", "extras": {}, "_meta": {"version": 4}}"#
                ),
            }
        );
    }

    #[test]
    fn profile_attributes_tolerant() {
        let p = profile(
            r#"{"profile": {"attributes": {
                "plan": "pro", "age": 41, "tags": ["a", "b"], "gone": null,
                "nested": {"value": {"city": "Lisbon"}, "confidence": "0.5", "updated_at": 1736935601,
                           "source_conversation_id": 9},
                "bad": {"value": null, "confidence": "sure", "updated_at": "later"},
                "plan": {"value": "free"}, "a\u0000b": 1}}}"#,
        );
        let got: Vec<(Option<&str>, Option<&str>)> =
            p.attributes.iter().map(|a| (a.name.as_deref(), a.value_json.as_deref())).collect();
        assert_eq!(
            got,
            [
                (Some("plan"), Some(r#""pro""#)),
                (Some("age"), Some("41")),
                (Some("tags"), Some(r#"["a", "b"]"#)),
                (Some("gone"), None),
                (Some("nested"), Some(r#"{"city": "Lisbon"}"#)),
                (Some("bad"), None),
                (Some("plan"), Some(r#""free""#)),
                (None, Some("1")),
            ]
        );
        assert_eq!(p.attributes[4].confidence, Some(0.5));
        assert_eq!((p.attributes[4].updated_at_us, p.attributes[4].source_conversation_id.as_ref()), (None, None));
        assert_eq!((p.attributes[5].confidence, p.attributes[5].updated_at_us), (None, None));
    }

    #[test]
    fn profile_document_wrapped_once_more() {
        let p =
            profile(r#"{"profile": {"profile": {"attributes": {"x": 1}, "overview": "inner"}, "overview": "outer"}}"#);
        assert_eq!(p.overview.as_deref(), Some("inner"));
        assert_eq!(p.attributes.len(), 1);
        assert_eq!(p.json.as_deref(), Some(r#"{"attributes": {"x": 1}, "overview": "inner"}"#));
        // Only once, and only without top-level attributes.
        let p = profile(r#"{"profile": {"profile": {"profile": {"overview": "deepest"}}}}"#);
        assert_eq!((p.overview, p.json.as_deref()), (None, Some(r#"{"profile": {"overview": "deepest"}}"#)));
        let p = profile(r#"{"profile": {"attributes": {}, "profile": {"overview": "inner"}, "overview": "outer"}}"#);
        assert_eq!(p.overview.as_deref(), Some("outer"));
        let p = profile(r#"{"profile": {"attributes": null, "profile": {"overview": "inner"}}}"#);
        assert_eq!(p.overview.as_deref(), Some("inner"));
        let p = profile(r#"{"profile": {"attributes": "none", "overview": 5, "profile": "x"}}"#);
        assert_eq!((p.attributes.len(), p.overview), (0, None));
    }

    #[test]
    fn profile_missing_or_not_an_object_is_empty() {
        for body in ["{}", r#"{"profile": null}"#, r#"{"profile": []}"#, r#"{"profile": "x"}"#, r#"{"other": 1}"#] {
            assert_eq!(profile(body), Profile::default(), "{body}");
        }
        for body in [&b"[]"[..], b"null", b"{", b"\xfe{}"] {
            let e = parse_profile(body).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::Protocol);
            assert!(e.message().starts_with("invalid profile response: "), "{e}");
        }
    }

    const PROMPT: &str = r#"{"formatted_context": "<compaction block>\n\n<recent messages>", "available": true, "is_stale": false,
 "compression_ratio": 4.2, "validation_score": 0.93, "compaction_age_seconds": 340, "quality_warning": false,
 "recent_messages": [{"role": "user", "content": "any update?", "timestamp": "2025-01-15T10:41:02Z",
   "message_id": "7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"}], "recent_message_count": 1,
 "compacted_message_count": 24, "total_message_count": 25, "context_block": "<compaction block>",
 "compaction_id": "b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"}"#;

    #[test]
    fn prompt_context_contract_example() {
        let p = prompt(PROMPT);
        assert_eq!(
            p,
            PromptContext {
                formatted_context: t("<compaction block>\n\n<recent messages>"),
                available: true,
                is_stale: false,
                quality_warning: false,
                compression_ratio: Some(4.2),
                validation_score: Some(0.93),
                compaction_age_seconds: Some(340),
                recent_messages: vec![Turn {
                    role: t("user"),
                    content: t("any update?"),
                    timestamp_us: Some(1_736_937_662_000_000),
                    message_id: t("7c1e2d3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f"),
                }],
                recent_message_count: 1,
                compacted_message_count: 24,
                total_message_count: 25,
                context_block: t("<compaction block>"),
                compaction_id: t("b3c4d5e6-f7a8-4b9c-8d0e-1f2a3b4c5d6e"),
                raw_json: t(PROMPT),
            }
        );
    }

    #[test]
    fn prompt_context_defaults_and_tolerance() {
        assert_eq!(prompt("{}"), PromptContext { raw_json: t("{}"), ..PromptContext::default() });
        let p = prompt(
            r#"{"formatted_context": "", "context_block": "", "available": null, "is_stale": "yes",
                "quality_warning": 1, "compression_ratio": "4.5", "validation_score": "good",
                "compaction_age_seconds": 1.5, "recent_messages": null, "recent_message_count": null,
                "compacted_message_count": "24", "total_message_count": -1, "compaction_id": 5}"#,
        );
        assert_eq!((p.formatted_context, p.context_block, p.available), (None, None, false));
        assert_eq!((p.is_stale, p.quality_warning), (true, true));
        assert_eq!((p.compression_ratio, p.validation_score, p.compaction_age_seconds), (Some(4.5), None, None));
        assert_eq!((p.recent_message_count, p.compacted_message_count, p.total_message_count), (0, 24, -1));
        assert_eq!((p.recent_messages.len(), p.compaction_id), (0, None));
        let message = |body: &str| parse_prompt_context(body.as_bytes()).unwrap_err().message().to_owned();
        assert_eq!(
            message(r#"{"recent_messages": {}}"#),
            "invalid context-for-prompt response: recent_messages is not an array"
        );
        assert_eq!(
            message(r#"{"recent_messages": [{}, 1]}"#),
            "invalid context-for-prompt response: recent_messages[1] is not an object"
        );
        assert_eq!(message("[]"), "invalid context-for-prompt response: the body is not an object");
    }
}
