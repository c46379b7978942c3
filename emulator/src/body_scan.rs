//! Reads a request body of known length in chunks, handing its bytes on up
//! to a delimiter, so a form of any size is parsed without holding it.

use std::io::{ErrorKind, Read};

/// Bytes read from the connection at a time.
const CHUNK_BYTES: usize = 64 * 1024;

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ScanError {
    /// The body ended before its Content-Length: the client went away.
    Cut,
    /// Not a well-formed form body.
    Malformed(&'static str),
    /// A plain field longer than allowed.
    FieldTooLong(String),
}

pub(crate) struct Scanner<'a> {
    src: &'a mut dyn Read,
    /// Body bytes not yet read from `src`.
    left: u64,
    buf: Vec<u8>,
    /// Start of the unconsumed bytes in `buf`.
    pos: usize,
}

impl<'a> Scanner<'a> {
    /// A body of `len` bytes coming from `src`.
    pub fn new(src: &'a mut dyn Read, len: u64) -> Scanner<'a> {
        Scanner { src, left: len, buf: Vec::with_capacity(CHUNK_BYTES), pos: 0 }
    }

    /// Reads more of the body; `false` once all of it was read.
    fn fill(&mut self) -> Result<bool, ScanError> {
        if self.left == 0 {
            return Ok(false);
        }
        self.buf.drain(..self.pos);
        self.pos = 0;
        let start = self.buf.len();
        let want = usize::try_from(self.left).unwrap_or(usize::MAX).min(CHUNK_BYTES);
        self.buf.resize(start + want, 0);
        let n = loop {
            match self.src.read(&mut self.buf[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break 0,
            }
        };
        self.buf.truncate(start + n);
        if n == 0 {
            return Err(ScanError::Cut);
        }
        self.left -= n as u64;
        Ok(true)
    }

    /// Hands `sink` the bytes up to the next `delim` and consumes the
    /// delimiter; `false` when the body ended without one (all of it handed on).
    pub fn until(
        &mut self,
        delim: &[u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<(), ScanError>,
    ) -> Result<bool, ScanError> {
        loop {
            let hay = &self.buf[self.pos..];
            if let Some(i) = find(hay, delim) {
                sink(&hay[..i])?;
                self.pos += i + delim.len();
                return Ok(true);
            }
            // Keep what could be the start of a delimiter cut by the chunk end.
            let emit = hay.len() - hay.len().min(delim.len() - 1);
            sink(&hay[..emit])?;
            self.pos += emit;
            if !self.fill()? {
                sink(&self.buf[self.pos..])?;
                self.pos = self.buf.len();
                return Ok(false);
            }
        }
    }

    /// The next byte; `None` at the end of the body.
    pub fn next_byte(&mut self) -> Result<Option<u8>, ScanError> {
        if self.pos == self.buf.len() && !self.fill()? {
            return Ok(None);
        }
        self.pos += 1;
        Ok(Some(self.buf[self.pos - 1]))
    }

    /// Reads and drops the rest of the body.
    pub fn drain(&mut self) -> Result<(), ScanError> {
        self.pos = self.buf.len();
        while self.fill()? {
            self.pos = self.buf.len();
        }
        Ok(())
    }
}

/// Where `needle` first occurs in `hay`.
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut from = 0;
    while let Some(i) = hay[from..].iter().position(|&b| b == first) {
        let at = from + i;
        if hay[at..].starts_with(needle) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out at most `step` bytes per read, to cut delimiters.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn collect(s: &mut Scanner<'_>, delim: &[u8]) -> (Vec<u8>, bool) {
        let mut out = Vec::new();
        let found = s.until(delim, &mut |b| {
            out.extend_from_slice(b);
            Ok(())
        });
        (out, found.unwrap())
    }

    #[test]
    fn delimiters_across_reads() {
        for step in [1, 2, 3, 7, 100] {
            let body = b"abc--XYab--XY--XYtail";
            let mut src = Trickle(body, step);
            let mut s = Scanner::new(&mut src, body.len() as u64);
            assert_eq!(collect(&mut s, b"--XY"), (b"abc".to_vec(), true), "{step}");
            assert_eq!(collect(&mut s, b"--XY"), (b"ab".to_vec(), true));
            assert_eq!(collect(&mut s, b"--XY"), (Vec::new(), true));
            assert_eq!(s.next_byte(), Ok(Some(b't')));
            assert_eq!(collect(&mut s, b"--XY"), (b"ail".to_vec(), false));
            assert_eq!(s.next_byte(), Ok(None));
        }
    }

    #[test]
    fn a_short_body_is_cut() {
        let mut src: &[u8] = b"abc";
        let mut s = Scanner::new(&mut src, 10);
        assert_eq!(s.until(b"&", &mut |_| Ok(())), Err(ScanError::Cut));
        let mut src: &[u8] = b"abc";
        assert_eq!(Scanner::new(&mut src, 4).drain(), Err(ScanError::Cut));
        let mut src: &[u8] = b"abcdef";
        assert_eq!(Scanner::new(&mut src, 4).drain(), Ok(()));
        assert_eq!(src, b"ef", "nothing past the body is read");
    }
}
