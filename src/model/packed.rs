//! The byte form shared by the facts a page keeps as bytes ([`super::PageLinks`],
//! [`super::PageTables`]): numbers as LEB128 varints, strings as their length then their
//! bytes. The bytes are written and read by the same run, never stored.

/// Appends `n` as a LEB128 varint.
pub(super) fn write_number(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Appends `s`: its length, then its bytes.
pub(super) fn write_str(out: &mut Vec<u8>, s: &str) {
    write_number(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Appends `s`: 0 for `None`, else its length plus one, then its bytes.
pub(super) fn write_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => out.push(0),
        Some(s) => {
            write_number(out, s.len() as u64 + 1);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// Reads what the `write_` functions wrote, in the same order.
pub(super) struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    /// Reads `bytes` from the start.
    pub(super) fn new(bytes: &'b [u8]) -> Reader<'b> {
        Reader { bytes, at: 0 }
    }

    /// One byte.
    pub(super) fn byte(&mut self) -> u8 {
        let b = self.bytes[self.at];
        self.at += 1;
        b
    }

    /// A number [`write_number`] wrote.
    pub(super) fn number(&mut self) -> u64 {
        let mut n = 0u64;
        let mut shift = 0;
        loop {
            let b = self.byte();
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return n;
            }
            shift += 7;
        }
    }

    /// A string [`write_str`] wrote.
    pub(super) fn string(&mut self) -> String {
        let len = self.number() as usize;
        self.text(len)
    }

    /// A string [`write_opt_str`] wrote.
    pub(super) fn opt_string(&mut self) -> Option<String> {
        match self.number() {
            0 => None,
            len => Some(self.text(len as usize - 1)),
        }
    }

    fn text(&mut self, len: usize) -> String {
        let bytes = &self.bytes[self.at..self.at + len];
        self.at += len;
        // The bytes were a `str`'s, so this copies them without a change.
        String::from_utf8_lossy(bytes).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_strings_read_back_as_written() {
        let numbers = [0, 1, 127, 128, 300, u64::from(u32::MAX), u64::MAX];
        let mut out = Vec::new();
        for n in numbers {
            write_number(&mut out, n);
        }
        write_str(&mut out, "");
        write_str(&mut out, "étape");
        write_opt_str(&mut out, None);
        write_opt_str(&mut out, Some(""));
        write_opt_str(&mut out, Some("x"));
        let mut r = Reader::new(&out);
        for n in numbers {
            assert_eq!(r.number(), n);
        }
        assert_eq!(r.string(), "");
        assert_eq!(r.string(), "étape");
        assert_eq!(r.opt_string(), None);
        assert_eq!(r.opt_string().as_deref(), Some(""));
        assert_eq!(r.opt_string().as_deref(), Some("x"));
        assert_eq!(r.at, out.len());
    }
}
