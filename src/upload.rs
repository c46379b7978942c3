//! `memories.create_from_file` (contract part 2, §6.4): what an upload
//! sends and how its body is built.
//!
//! With a file or a buffer the body is `multipart/form-data`; with text
//! only, `application/x-www-form-urlencoded`, as the reference SDK sends
//! them. A file is streamed from disk as the request goes out: its size is
//! taken when it is opened and announced as the body's length, and a file
//! that ends early, grows, vanishes or cannot be read fails the request
//! before its last byte, with [`ErrorKind::File`], so the service never
//! receives a complete body that is not the file.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::create::{DOCUMENT_TYPES, MODES};
use crate::error::{Error, ErrorKind};
use crate::request_fields::{json_object, missing, non_empty, one_of, set_rung};
use crate::transport::{SourceError, StreamBody};

/// The relationship types an upload may name.
pub const RELATIONSHIP_TYPES: [&str; 2] = ["b2c", "b2b"];

/// What an upload carries.
#[derive(Clone, Debug, PartialEq)]
enum Source {
    File(PathBuf),
    Bytes(Arc<[u8]>),
    Text(String),
}

/// One upload ([`Client::memories_upload`](crate::Client::memories_upload)):
/// a file, a buffer or text, for one user, ingested as a document.
///
/// Setting a source (file, bytes, text) replaces the one set before.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UploadRequest {
    user_id: Option<String>,
    customer_id: Option<String>,
    relationship_type: Option<&'static str>,
    mode: Option<&'static str>,
    document_type: Option<&'static str>,
    metadata: Option<Map<String, Value>>,
    scope: Vec<(String, String)>,
    source: Option<Source>,
    filename: Option<String>,
    content_type: Option<String>,
}

impl UploadRequest {
    /// An empty upload: set its user and a source.
    pub fn new() -> UploadRequest {
        UploadRequest::default()
    }

    /// The user the document belongs to (required).
    pub fn user_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.user_id = Some(non_empty("user_id", id)?);
        Ok(self)
    }

    /// The customer, on a B2B instance.
    pub fn customer_id(&mut self, id: &str) -> Result<&mut Self, Error> {
        self.customer_id = Some(non_empty("customer_id", id)?);
        Ok(self)
    }

    /// `b2c` or `b2b`. Unless set, `b2b` when a customer id is set and `b2c`
    /// otherwise (the reference SDK always sends `b2c` unless told).
    pub fn relationship_type(&mut self, kind: &str) -> Result<&mut Self, Error> {
        self.relationship_type = Some(one_of("relationship_type", kind, &RELATIONSHIP_TYPES)?);
        Ok(self)
    }

    /// The ingestion mode, `fast` or `long-range` (the default).
    pub fn mode(&mut self, mode: &str) -> Result<&mut Self, Error> {
        self.mode = Some(one_of("mode", mode, &MODES)?);
        Ok(self)
    }

    /// The document type, one of [`DOCUMENT_TYPES`]; sent only when set.
    pub fn document_type(&mut self, document_type: &str) -> Result<&mut Self, Error> {
        self.document_type = Some(one_of("document_type", document_type, &DOCUMENT_TYPES)?);
        Ok(self)
    }

    /// Metadata, a JSON object given as text; sent only when not empty.
    pub fn metadata_json(&mut self, json: &str) -> Result<&mut Self, Error> {
        self.metadata = Some(json_object("metadata", json)?);
        Ok(self)
    }

    /// Adds (or replaces) one level of the scope path.
    pub fn scope_level(&mut self, level: &str, value: &str) -> Result<&mut Self, Error> {
        set_rung(&mut self.scope, level, value)?;
        Ok(self)
    }

    /// Sends the file at `path`, read as the request goes out. The file is
    /// opened when the upload is sent, not here.
    pub fn file(&mut self, path: impl AsRef<Path>) -> Result<&mut Self, Error> {
        if path.as_ref().as_os_str().is_empty() {
            return Err(Error::invalid_argument("the file path must not be empty"));
        }
        self.source = Some(Source::File(path.as_ref().to_owned()));
        Ok(self)
    }

    /// Sends `bytes` as the file (copied).
    pub fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.source = Some(Source::Bytes(bytes.into()));
        self
    }

    /// Sends `text` as the document, with no file part.
    pub fn text(&mut self, text: &str) -> &mut Self {
        self.source = Some(Source::Text(text.to_owned()));
        self
    }

    /// The file name the service is told; unless set, the file's own name
    /// (non-UTF-8 bytes shown as U+FFFD), or `upload` for a buffer.
    pub fn filename(&mut self, name: &str) -> Result<&mut Self, Error> {
        self.filename = Some(non_empty("filename", name)?);
        Ok(self)
    }

    /// The file part's content type; unless set, guessed from the file name,
    /// else `application/octet-stream`.
    pub fn content_type(&mut self, content_type: &str) -> Result<&mut Self, Error> {
        let value = non_empty("content_type", content_type)?;
        if value.bytes().any(|b| b.is_ascii_control()) {
            return Err(Error::invalid_argument("content_type must not hold control characters"));
        }
        self.content_type = Some(value);
        Ok(self)
    }

    pub(crate) fn customer_id_set(&self) -> bool {
        self.customer_id.is_some()
    }

    /// Checks that the upload can be sent: a user and a source.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.user_id.as_ref().ok_or_else(|| missing("user_id"))?;
        self.source.as_ref().ok_or_else(|| missing("file, bytes or text"))?;
        Ok(())
    }

    /// The form fields before the source, in the SDK's order.
    fn fields(&self) -> Vec<(&'static str, String)> {
        let relationship = self.relationship_type.unwrap_or(if self.customer_id.is_some() { "b2b" } else { "b2c" });
        let mut fields = vec![
            ("user_id", self.user_id.clone().unwrap_or_default()),
            ("relationship_type", relationship.to_owned()),
            ("mode", self.mode.unwrap_or("long-range").to_owned()),
        ];
        if let Some(c) = &self.customer_id {
            fields.push(("customer_id", c.clone()));
        }
        if !self.scope.is_empty() {
            let scope: Map<String, Value> =
                self.scope.iter().map(|(l, v)| (l.clone(), Value::String(v.clone()))).collect();
            fields.push(("scope", python_json(&Value::Object(scope))));
        }
        if let Some(t) = self.document_type {
            fields.push(("document_type", t.to_owned()));
        }
        if let Some(m) = self.metadata.as_ref().filter(|m| !m.is_empty()) {
            fields.push(("metadata", python_json(&Value::Object(m.clone()))));
        }
        fields
    }

    /// The body of one attempt, from the start: a file is opened again.
    pub(crate) fn body(&self, boundary: &str) -> Result<StreamBody, Error> {
        self.check()?;
        let fields = self.fields();
        let (name, source, source_length): (String, Box<dyn Read + Send>, u64) = match self.source.as_ref() {
            Some(Source::Text(text)) => {
                let mut form = String::new();
                for (key, value) in fields.iter().map(|(k, v)| (*k, v.as_str())).chain([("text", text.as_str())]) {
                    if !form.is_empty() {
                        form.push('&');
                    }
                    form_encode(&mut form, key);
                    form.push('=');
                    form_encode(&mut form, value);
                }
                let length = form.len() as u64;
                return Ok(StreamBody {
                    content_type: "application/x-www-form-urlencoded".to_owned(),
                    length,
                    reader: Box::new(Cursor::new(form.into_bytes())),
                });
            }
            Some(Source::Bytes(bytes)) => {
                let name = self.filename.clone().unwrap_or_else(|| "upload".to_owned());
                let length = bytes.len() as u64;
                (name, Box::new(Cursor::new(SharedBytes(bytes.clone()))), length)
            }
            Some(Source::File(path)) => {
                let name = self.filename.clone().unwrap_or_else(|| base_name(path));
                let (file, length) = open(path)?;
                (name, Box::new(ExactFile::new(file, length, path)), length)
            }
            None => return Err(missing("file, bytes or text")),
        };
        let content_type = self.content_type.clone().unwrap_or_else(|| {
            mime_guess::from_path(&name).first_raw().unwrap_or("application/octet-stream").to_owned()
        });
        let mut head = String::new();
        for (key, value) in &fields {
            head.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n"));
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: {content_type}\r\n\r\n",
            quoted(&name)
        ));
        let tail = format!("\r\n--{boundary}--\r\n");
        let length = head.len() as u64 + source_length + tail.len() as u64;
        let reader = Cursor::new(head.into_bytes()).chain(source).chain(Cursor::new(tail.into_bytes()));
        Ok(StreamBody {
            content_type: format!("multipart/form-data; boundary={boundary}"),
            length,
            reader: Box::new(reader),
        })
    }
}

/// A buffer shared by every attempt of an upload, read without a copy.
struct SharedBytes(Arc<[u8]>);

impl AsRef<[u8]> for SharedBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn open(path: &Path) -> Result<(File, u64), Error> {
    // Non-blocking, so that a FIFO or a device is refused below rather than
    // blocking the open; a regular file reads as usual.
    #[cfg(unix)]
    let opened = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
    };
    #[cfg(not(unix))]
    let opened = File::open(path);
    let file = opened.map_err(|e| file_error(path, "cannot be opened", &e))?;
    let meta = file.metadata().map_err(|e| file_error(path, "cannot be read", &e))?;
    if !meta.is_file() {
        return Err(Error::new(ErrorKind::File, format!("{} is not a regular file", shown(path))));
    }
    Ok((file, meta.len()))
}

fn file_error(path: &Path, what: &str, e: &io::Error) -> Error {
    Error::new(ErrorKind::File, format!("{} {what}: {e}", shown(path)))
}

/// A path as messages show it: lossy, and cut short when very long.
fn shown(path: &Path) -> String {
    crate::error::one_line(&path.to_string_lossy(), 200)
}

fn base_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "upload".to_owned())
}

/// A file read for exactly the length it had when opened: ending early,
/// or holding more at the end, is an error (a [`SourceError`] inside the
/// `io::Error`), raised before the body's last byte is handed on.
struct ExactFile {
    file: File,
    left: u64,
    length: u64,
    path: String,
}

impl ExactFile {
    fn new(file: File, length: u64, path: &Path) -> ExactFile {
        ExactFile { file, left: length, length, path: shown(path) }
    }

    fn fail(&self, why: String) -> io::Error {
        io::Error::other(SourceError(format!("{} {why}", self.path)))
    }
}

impl Read for ExactFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.left == 0 {
            // The announced length is reached: the file must end here too.
            let mut probe = [0u8; 1];
            return match self.file.read(&mut probe) {
                Ok(0) => Ok(0),
                Ok(_) => Err(self.fail(format!("grew while it was sent (it had {} bytes)", self.length))),
                Err(e) => Err(self.fail(format!("could not be read: {e}"))),
            };
        }
        let want = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
        match self.file.read(&mut buf[..want]) {
            Ok(0) => Err(self.fail(format!(
                "ended after {} of its {} bytes while it was sent",
                self.length - self.left,
                self.length
            ))),
            Ok(n) => {
                self.left -= n as u64;
                Ok(n)
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Err(e),
            Err(e) => Err(self.fail(format!("could not be read: {e}"))),
        }
    }
}

/// A file name inside a quoted header parameter, as browsers and httpx
/// write it: `"`, CR and LF percent-encoded.
fn quoted(name: &str) -> String {
    name.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

/// `application/x-www-form-urlencoded`: unreserved characters kept, space
/// as `+`, every other byte `%XX`.
fn form_encode(out: &mut String, value: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in value.as_bytes() {
        match b {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'*') => out.push(char::from(b)),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xF)]));
            }
        }
    }
}

/// JSON as Python's `json.dumps` writes it by default (`", "` and `": "`
/// separators, non-ASCII as `\uXXXX`), which is how the SDK sends `scope`
/// and `metadata` in a form.
fn python_json(value: &Value) -> String {
    let mut out = String::new();
    write_python_json(&mut out, value);
    out
}

fn write_python_json(out: &mut String, value: &Value) {
    match value {
        Value::Object(map) => {
            out.push('{');
            for (i, (key, v)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python_string(out, key);
                out.push_str(": ");
                write_python_json(out, v);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_python_json(out, v);
            }
            out.push(']');
        }
        Value::String(s) => write_python_string(out, s),
        other => out.push_str(&other.to_string()),
    }
}

fn write_python_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_ascii() && !c.is_ascii_control() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(body: StreamBody) -> (String, u64, Vec<u8>) {
        let StreamBody { content_type, length, mut reader } = body;
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).unwrap();
        (content_type, length, bytes)
    }

    #[test]
    fn text_goes_url_encoded_in_the_sdk_order() {
        let mut u = UploadRequest::new();
        assert_eq!(u.body("b").err().unwrap().message(), "the request has no user_id");
        u.user_id("u1").unwrap().text("hello world & more");
        let (ct, len, bytes) = read_all(u.body("b").unwrap());
        assert_eq!(ct, "application/x-www-form-urlencoded");
        assert_eq!(
            String::from_utf8(bytes.clone()).unwrap(),
            "user_id=u1&relationship_type=b2c&mode=long-range&text=hello+world+%26+more"
        );
        assert_eq!(len, bytes.len() as u64);
    }

    #[test]
    fn a_buffer_goes_multipart_with_its_name_and_type() {
        let mut u = UploadRequest::new();
        u.user_id("u1").unwrap().customer_id("c1").unwrap().bytes(b"%PDF").filename("notes \"v2\".pdf").unwrap();
        u.scope_level("team", "pé").unwrap().metadata_json(r#"{"a": [1, "é"]}"#).unwrap();
        let (ct, len, bytes) = read_all(u.body("XYZ").unwrap());
        assert_eq!(ct, "multipart/form-data; boundary=XYZ");
        let body = String::from_utf8(bytes.clone()).unwrap();
        assert_eq!(len, bytes.len() as u64);
        assert!(body.starts_with("--XYZ\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\nu1\r\n"));
        assert!(body.contains("name=\"relationship_type\"\r\n\r\nb2b\r\n"), "{body}");
        assert!(body.contains("name=\"scope\"\r\n\r\n{\"team\": \"p\\u00e9\"}\r\n"), "{body}");
        assert!(body.contains("name=\"metadata\"\r\n\r\n{\"a\": [1, \"\\u00e9\"]}\r\n"), "{body}");
        assert!(body.contains(
            "name=\"file\"; filename=\"notes %22v2%22.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--XYZ--\r\n"
        ));
    }

    #[test]
    fn a_file_that_changes_while_it_is_read_fails() {
        let dir = std::env::temp_dir().join(format!("synap-upload-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.txt");
        std::fs::write(&path, b"0123456789").unwrap();
        let mut u = UploadRequest::new();
        u.user_id("u").unwrap().file(&path).unwrap();
        let (ct, len, bytes) = read_all(u.body("B").unwrap());
        assert!(ct.starts_with("multipart/form-data"));
        assert_eq!(len, bytes.len() as u64);
        assert!(String::from_utf8(bytes).unwrap().contains("filename=\"a.txt\"\r\nContent-Type: text/plain"));

        let StreamBody { mut reader, .. } = u.body("B").unwrap();
        std::fs::write(&path, b"01234").unwrap();
        let e = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("ended after 5 of its 10 bytes"), "{e}");

        let StreamBody { mut reader, .. } = u.body("B").unwrap();
        std::fs::write(&path, b"0123456789ABC").unwrap();
        let e = reader.read_to_end(&mut Vec::new()).unwrap_err();
        assert!(e.to_string().contains("grew while it was sent"), "{e}");

        std::fs::remove_file(&path).unwrap();
        let e = u.body("B").err().unwrap();
        assert_eq!(e.kind(), ErrorKind::File);
        assert!(e.message().contains("cannot be opened"), "{}", e.message());
        let e = u.file(&dir).unwrap().body("B").err().unwrap();
        assert!(e.message().contains("is not a regular file"), "{}", e.message());
        let fifo = dir.join("fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let e = u.file(&fifo).unwrap().body("B").err().unwrap();
        assert!(e.message().contains("is not a regular file"), "a FIFO is refused without blocking: {}", e.message());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
