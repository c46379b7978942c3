//! Streams a `multipart/form-data` body into a form, scanning for the
//! boundary (RFC 7578). A part with a `filename` (or named `file`) is the
//! file, of any size; a part named `text` is text; the others are plain
//! fields.

use crate::body_scan::{ScanError, Scanner};
use crate::upload_form::{FilePart, Form, TEXT_FIELD, push_field};
use crate::uploads::Received;

/// Longest header block of one part.
const MAX_PART_HEAD_BYTES: usize = 16 * 1024;
/// The file name of a file part that gives none.
const UNNAMED_FILE: &str = "upload";

/// The `boundary` parameter of a multipart `Content-Type`.
pub(crate) fn boundary(content_type: &str) -> Option<String> {
    params(content_type).into_iter().find(|(k, _)| k == "boundary").map(|(_, v)| v).filter(|b| !b.is_empty())
}

pub(crate) fn read(s: &mut Scanner<'_>, boundary: &str) -> Result<Form, ScanError> {
    let mut form = Form::new("multipart");
    let delimiter = format!("\r\n--{boundary}");
    // The first boundary has no CRLF before it (anything earlier is preamble).
    if !s.until(&delimiter.as_bytes()[2..], &mut |_| Ok(()))? {
        return Err(ScanError::Malformed("no opening boundary"));
    }
    loop {
        match (s.next_byte()?, s.next_byte()?) {
            (Some(b'-'), Some(b'-')) => {
                s.drain()?;
                return Ok(form);
            }
            (Some(b'\r'), Some(b'\n')) => {}
            _ => return Err(ScanError::Malformed("bad boundary line")),
        }
        let mut head = Vec::new();
        let headed = s.until(b"\r\n\r\n", &mut |b| {
            if head.len() + b.len() > MAX_PART_HEAD_BYTES {
                return Err(ScanError::Malformed("part headers too large"));
            }
            head.extend_from_slice(b);
            Ok(())
        })?;
        if !headed {
            return Err(ScanError::Malformed("unterminated part headers"));
        }
        let part = PartHead::parse(&head)?;
        let closed = if part.filename.is_some() || part.name == "file" {
            let mut data = Received::default();
            let closed = s.until(delimiter.as_bytes(), &mut |b| {
                data.push(b);
                Ok(())
            })?;
            let filename = part.filename.unwrap_or_else(|| UNNAMED_FILE.to_owned());
            form.add_file(FilePart { filename, content_type: part.content_type, data });
            closed
        } else if part.name == TEXT_FIELD {
            let mut text = Received::default();
            let closed = s.until(delimiter.as_bytes(), &mut |b| {
                text.push(b);
                Ok(())
            })?;
            form.add_text(text);
            closed
        } else {
            let mut value = Vec::new();
            let closed = s.until(delimiter.as_bytes(), &mut |b| push_field(&part.name, &mut value, b))?;
            form.add_field(part.name, value);
            closed
        };
        if !closed {
            return Err(ScanError::Malformed("unterminated part"));
        }
    }
}

struct PartHead {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
}

impl PartHead {
    fn parse(head: &[u8]) -> Result<PartHead, ScanError> {
        let head = String::from_utf8_lossy(head);
        let (mut disposition, mut content_type) = (None, None);
        for line in head.split("\r\n") {
            let Some((name, value)) = line.split_once(':') else {
                return Err(ScanError::Malformed("bad part header"));
            };
            match name.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => disposition = Some(value.trim().to_owned()),
                "content-type" => content_type = Some(value.trim().to_owned()),
                _ => {}
            }
        }
        let disposition = disposition.ok_or(ScanError::Malformed("a part without Content-Disposition"))?;
        let params = params(&disposition);
        let param = |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
        let name = param("name").ok_or(ScanError::Malformed("a part without a name"))?;
        Ok(PartHead { name, filename: param("filename"), content_type })
    }
}

/// The `key=value` parameters after the first `;` of a header value, keys
/// lowercased, quoted values unquoted (`\"` kept as `"`).
fn params(value: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Some((_, mut rest)) = value.split_once(';') else {
        return out;
    };
    loop {
        let Some((key, after)) = rest.split_once('=') else {
            return out;
        };
        let key = key.trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (val, tail) = match after.strip_prefix('"') {
            Some(quoted) => {
                let mut escaped = false;
                let end = quoted.char_indices().find(|&(_, c)| {
                    let closes = c == '"' && !escaped;
                    escaped = c == '\\' && !escaped;
                    closes
                });
                let Some((end, _)) = end else {
                    return out;
                };
                (quoted[..end].replace("\\\"", "\""), &quoted[end + 1..])
            }
            None => {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim().to_owned(), &after[end..])
            }
        };
        out.push((key, val));
        match tail.trim_start().strip_prefix(';') {
            Some(next) => rest = next,
            None => return out,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(body: &str, boundary: &str) -> Result<Form, ScanError> {
        let mut src = body.as_bytes();
        read(&mut Scanner::new(&mut src, body.len() as u64), boundary)
    }

    #[test]
    fn parameters() {
        assert_eq!(boundary("multipart/form-data; boundary=abc123").as_deref(), Some("abc123"));
        assert_eq!(boundary("multipart/form-data; charset=x; boundary=\"a b\"").as_deref(), Some("a b"));
        assert_eq!(boundary("multipart/form-data"), None);
        let p = params(r#"form-data; name="file"; filename="we \"quote\"; ok.txt""#);
        assert_eq!(p, [("name".into(), "file".into()), ("filename".into(), r#"we "quote"; ok.txt"#.into())]);
    }

    #[test]
    fn fields_and_a_file() {
        let body = "preamble\r\n--XB\r\nContent-Disposition: form-data; name=\"user_id\"\r\n\r\nu1\r\n\
                    --XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n\
                    Content-Type: text/plain\r\n\r\nline one\r\n--X, -XB\r\n--XB--\r\nepilogue";
        let f = form(body, "XB").unwrap();
        assert_eq!((f.encoding, f.fields["user_id"].as_str(), f.sources), ("multipart", "u1", 1));
        let file = f.file.unwrap();
        assert_eq!((file.filename.as_str(), file.content_type.as_deref()), ("notes.txt", Some("text/plain")));
        assert_eq!(file.data.as_text(), Some("line one\r\n--X, -XB"));
    }

    #[test]
    fn malformed_bodies() {
        let part = |rest: &str| format!("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv{rest}");
        assert!(form(&part("\r\n--B--"), "B").is_ok());
        for (body, why) in [
            ("no boundary at all".to_owned(), "no opening boundary"),
            (part(""), "unterminated part"),
            (part("\r\n--Bxx"), "bad boundary line"),
            ("--B\r\nContent-Type: x\r\n\r\nv\r\n--B--".to_owned(), "a part without Content-Disposition"),
        ] {
            assert_eq!(form(&body, "B").unwrap_err(), ScanError::Malformed(why), "{body}");
        }
    }
}
