//! An upload's form as it was read: its plain fields, and its file or its
//! text as sizes, hashes and first bytes (see `uploads`). `multipart` and
//! `urlencoded` read the two encodings into it.

use std::collections::BTreeMap;

use crate::body_scan::{ScanError, Scanner};
use crate::multipart;
use crate::uploads::Received;
use crate::urlencoded;

/// Longest plain field (any but the file and `text`).
pub(crate) const MAX_FIELD_BYTES: usize = 64 * 1024;
/// The field that carries text instead of a file.
pub(crate) const TEXT_FIELD: &str = "text";

#[derive(Debug)]
pub(crate) struct FilePart {
    pub filename: String,
    pub content_type: Option<String>,
    pub data: Received,
}

#[derive(Debug)]
pub(crate) struct Form {
    /// `multipart` or `urlencoded`.
    pub encoding: &'static str,
    pub fields: BTreeMap<String, String>,
    /// The first file part.
    pub file: Option<FilePart>,
    /// The first `text` field.
    pub text: Option<Received>,
    /// File parts and `text` fields seen: exactly one is wanted.
    pub sources: usize,
}

impl Form {
    pub fn new(encoding: &'static str) -> Form {
        Form { encoding, fields: BTreeMap::new(), file: None, text: None, sources: 0 }
    }

    pub fn add_field(&mut self, name: String, value: Vec<u8>) {
        self.fields.insert(name, String::from_utf8_lossy(&value).into_owned());
    }

    pub fn add_file(&mut self, file: FilePart) {
        self.sources += 1;
        self.file.get_or_insert(file);
    }

    pub fn add_text(&mut self, text: Received) {
        self.sources += 1;
        self.text.get_or_insert(text);
    }
}

/// Appends a plain field's bytes to `out`, refusing more than [`MAX_FIELD_BYTES`].
pub(crate) fn push_field(name: &str, out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), ScanError> {
    if out.len() + bytes.len() > MAX_FIELD_BYTES {
        return Err(ScanError::FieldTooLong(name.to_owned()));
    }
    out.extend_from_slice(bytes);
    Ok(())
}

/// Reads the whole body as its `Content-Type` says. Another type reads as
/// an empty form (its body is drained), which the checks then refuse.
pub(crate) fn read(s: &mut Scanner<'_>, content_type: Option<&str>) -> Result<Form, ScanError> {
    let content_type = content_type.unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    match media.as_str() {
        "multipart/form-data" => {
            let boundary = multipart::boundary(content_type).ok_or(ScanError::Malformed("no multipart boundary"))?;
            multipart::read(s, &boundary)
        }
        "application/x-www-form-urlencoded" => urlencoded::read(s),
        _ => {
            s.drain()?;
            Ok(Form::new("none"))
        }
    }
}
