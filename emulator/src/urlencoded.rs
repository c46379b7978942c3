//! Streams an `application/x-www-form-urlencoded` body into a form
//! (`+` is a space, `%XX` a byte); the `text` field may be of any size.

use crate::body_scan::{ScanError, Scanner};
use crate::upload_form::{Form, TEXT_FIELD, push_field};
use crate::uploads::Received;

/// Longest field name.
const MAX_NAME_BYTES: usize = 256;

pub(crate) fn read(s: &mut Scanner<'_>) -> Result<Form, ScanError> {
    let mut form = Form::new("urlencoded");
    loop {
        let mut raw_name = Vec::new();
        let ended = loop {
            match s.next_byte()? {
                Some(b'=') => break Some(b'='),
                Some(b'&') => break Some(b'&'),
                None => break None,
                Some(_) if raw_name.len() == MAX_NAME_BYTES => return Err(ScanError::Malformed("field name too long")),
                Some(b) => raw_name.push(b),
            }
        };
        let name = String::from_utf8_lossy(&decode_all(&raw_name)).into_owned();
        if ended != Some(b'=') {
            // A name without a value (`flag&`), or the end.
            if !name.is_empty() {
                form.add_field(name, Vec::new());
            }
            if ended.is_none() {
                return Ok(form);
            }
            continue;
        }
        let mut decoder = Decoder::default();
        let more = if name == TEXT_FIELD {
            let mut text = Received::default();
            let more = s.until(b"&", &mut |b| {
                text.push(&decoder.feed(b));
                Ok(())
            })?;
            text.push(&decoder.finish());
            form.add_text(text);
            more
        } else {
            let mut value = Vec::new();
            let more = s.until(b"&", &mut |b| push_field(&name, &mut value, &decoder.feed(b)))?;
            push_field(&name, &mut value, &decoder.finish())?;
            form.add_field(name, value);
            more
        };
        if !more {
            return Ok(form);
        }
    }
}

fn decode_all(raw: &[u8]) -> Vec<u8> {
    let mut d = Decoder::default();
    let mut out = d.feed(raw);
    out.extend(d.finish());
    out
}

/// Form decoding over chunks: an escape cut by a chunk end waits for the
/// next chunk.
#[derive(Default)]
struct Decoder {
    pending: Vec<u8>,
}

impl Decoder {
    fn feed(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut data = std::mem::take(&mut self.pending);
        data.extend_from_slice(chunk);
        let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
        let mut out = Vec::with_capacity(data.len());
        let mut i = 0;
        while i < data.len() {
            match data[i] {
                b'%' if i + 2 >= data.len() => {
                    self.pending = data[i..].to_vec();
                    break;
                }
                b'%' => match (hex(data[i + 1]), hex(data[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push(h * 16 + l);
                        i += 3;
                        continue;
                    }
                    _ => out.push(b'%'),
                },
                b'+' => out.push(b' '),
                b => out.push(b),
            }
            i += 1;
        }
        out
    }

    /// What is left: an escape the body ended in, kept as it was.
    fn finish(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(body: &[u8]) -> Result<Form, ScanError> {
        let mut src = body;
        read(&mut Scanner::new(&mut src, body.len() as u64))
    }

    #[test]
    fn fields_and_text() {
        let f = form(b"user_id=u%C3%A9&relationship_type=b2c&mode=long-range&text=hello+world%21&flag").unwrap();
        assert_eq!(f.fields["user_id"], "u\u{e9}");
        assert_eq!(f.fields["flag"], "");
        assert_eq!((f.sources, f.text.as_ref().unwrap().as_text()), (1, Some("hello world!")));
        assert_eq!(form(b"").unwrap().fields.len(), 0);
        let f = form(b"a=%zz%4").unwrap();
        assert_eq!(f.fields["a"], "%zz%4");
    }

    #[test]
    fn escapes_cut_by_chunks() {
        let mut d = Decoder::default();
        let mut out = d.feed(b"a%2");
        out.extend(d.feed(b"0b%"));
        out.extend(d.feed(b"41"));
        out.extend(d.finish());
        assert_eq!(out, b"a bA");
    }

    #[test]
    fn long_fields_are_refused() {
        let body = format!("user_id={}", "x".repeat(70_000));
        assert_eq!(form(body.as_bytes()).unwrap_err(), ScanError::FieldTooLong("user_id".into()));
        let body = format!("text={}", "x".repeat(70_000));
        assert_eq!(form(body.as_bytes()).unwrap().text.unwrap().bytes, 70_000);
    }
}
