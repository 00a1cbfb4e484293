//! A streaming JSON writer into a byte buffer: objects and arrays are opened, written key by
//! key and closed when dropped. No tree is built; nothing is allocated beyond the buffer's
//! growth. Keys are static ASCII names; string values are escaped as JSON requires.

use core::fmt::{self, Write as _};

/// Write `s` as a JSON string (with quotes).
#[inline(always)]
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    escape_into(out, s);
    out.push(b'"');
}

/// Octets that JSON strings cannot hold as they are: control characters, `"` and `\\`.
const fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

#[inline(always)]
fn escape_into(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // the common case (digits, names, hex, plain text): one scan, one copy
    if !any_needs_escape(bytes) {
        out.extend_from_slice(bytes);
    } else {
        escape_slow(out, bytes);
    }
}

#[cold]
fn escape_slow(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !needs_escape(b) {
            continue;
        }
        let esc: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            _ => b"",
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        if esc.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0'));
            out.push(HEX.get(usize::from(b & 0xf)).copied().unwrap_or(b'0'));
        } else {
            out.extend_from_slice(esc);
        }
        start = i + 1;
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
}

/// Each octet of a word set to `b`.
const fn splat(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// The high bit of each octet of `x` that is zero (exact as a whole: a word has a zero octet
/// iff the result is not 0).
const fn zero_octets(x: u64) -> u64 {
    x.wrapping_sub(splat(1)) & !x & splat(0x80)
}

/// The high bit of each octet of `x` below `n` (`n` ≤ 128; exact as a whole, as
/// [`zero_octets`]).
const fn octets_below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(splat(n)) & !x & splat(0x80)
}

/// Eight octets at a time: whether any octet needs escaping in a JSON string.
#[inline(always)]
fn any_needs_escape(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or([0x20; 8]));
        let hit =
            octets_below(x, 0x20) | zero_octets(x ^ splat(b'"')) | zero_octets(x ^ splat(b'\\'));
        if hit != 0 {
            return true;
        }
    }
    words.remainder().iter().any(|b| needs_escape(*b))
}

/// Eight octets at a time: whether every octet is printable ASCII other than `"` and `\\`.
#[inline(always)]
fn all_plain_ascii(bytes: &[u8]) -> bool {
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or([0; 8]));
        let bad = (x & splat(0x80))
            | octets_below(x, 0x20)
            | zero_octets(x ^ splat(0x7f))
            | zero_octets(x ^ splat(b'"'))
            | zero_octets(x ^ splat(b'\\'));
        if bad != 0 {
            return false;
        }
    }
    words.remainder().iter().all(|c| plain_ascii(*c))
}

/// A scratch text buffer larger than this is not kept for the next message.
const MAX_SCRATCH: usize = 1 << 16;

/// Printable ASCII that JSON strings hold as it is.
const fn plain_ascii(b: u8) -> bool {
    b >= 0x20 && b < 0x7f && b != b'"' && b != b'\\'
}

/// Write `b` as a JSON string: as it is when it is plain printable ASCII, else as the UTF-8
/// text it is (empty when it is not UTF-8).
#[inline]
pub fn write_ascii(out: &mut Vec<u8>, b: &[u8]) {
    if all_plain_ascii(b) {
        out.push(b'"');
        out.extend_from_slice(b);
        out.push(b'"');
    } else {
        write_str(out, core::str::from_utf8(b).unwrap_or(""));
    }
}

/// `fmt::Write` into the buffer, escaping as a JSON string body.
struct Escaped<'o>(&'o mut Vec<u8>);

impl fmt::Write for Escaped<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        escape_into(self.0, s);
        Ok(())
    }
}

/// Lowercase hex of at most `cap` octets.
pub fn write_hex(out: &mut Vec<u8>, b: &[u8], cap: usize) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for x in b.iter().take(cap) {
        out.push(HEX.get(usize::from(x >> 4)).copied().unwrap_or(b'0'));
        out.push(HEX.get(usize::from(x & 0xf)).copied().unwrap_or(b'0'));
    }
    out.push(b'"');
}

/// Room of a [`Padded`] key: keys up to this long (quotes and colon included) are written
/// with one fixed-size copy.
pub const KEY_PAD: usize = 32;

/// A key as `"name":` and as `,"name":`, each zero-padded to [`KEY_PAD`] octets, so that
/// writing it (with the separator it needs) is one copy of a size known when compiling (two
/// vector moves) rather than a push and a call to `memcpy`.
#[derive(Debug)]
pub struct Padded {
    bare: [u8; KEY_PAD],
    comma: [u8; KEY_PAD],
    /// Length of `"name":`.
    len: usize,
    text: &'static str,
}

impl Padded {
    /// `text` (`"name":`) padded; a text too long for the room is kept as it is and written by
    /// length.
    // evaluated when compiling (keys are literals): an index out of range would be a compile
    // error, and `i < b.len() < KEY_PAD` keeps every index in range
    #[allow(clippy::indexing_slicing)]
    pub const fn new(text: &'static str) -> Padded {
        let b = text.as_bytes();
        let mut bare = [0u8; KEY_PAD];
        let mut comma = [0u8; KEY_PAD];
        if b.len() < KEY_PAD {
            comma[0] = b',';
            let mut i = 0;
            while i < b.len() {
                bare[i] = b[i];
                comma[i + 1] = b[i];
                i += 1;
            }
        }
        Padded {
            bare,
            comma,
            len: b.len(),
            text,
        }
    }
}

/// A key of an object: written with its quotes and colon in one fixed-size copy when made
/// with [`k!`](crate::k) (a literal), else piece by piece.
#[derive(Clone, Copy, Debug)]
pub struct Key(KeyRepr);

#[derive(Clone, Copy, Debug)]
enum KeyRepr {
    /// `"name":`, padded.
    Padded(&'static Padded),
    /// `name`.
    Plain(&'static str),
}

impl Key {
    /// A key already written as `"name":` (see [`k!`](crate::k)).
    pub const fn padded(p: &'static Padded) -> Key {
        Key(KeyRepr::Padded(p))
    }
}

impl From<&'static str> for Key {
    fn from(k: &'static str) -> Key {
        Key(KeyRepr::Plain(k))
    }
}

/// A literal object key, prepared at compile time for [`Obj`]'s writers.
#[macro_export]
macro_rules! k {
    ($name:literal) => {
        $crate::json::Key::padded({
            const P: &$crate::json::Padded =
                &$crate::json::Padded::new(concat!("\"", $name, "\":"));
            P
        })
    };
}

/// Append the first `len` octets of `buf` with one copy of all of `buf` (its size known when
/// compiling: no call to `memcpy`), then cut the rest off again.
#[inline(always)]
fn push_fixed<const N: usize>(out: &mut Vec<u8>, buf: &[u8; N], len: usize) {
    let start = out.len();
    out.extend_from_slice(buf);
    out.truncate(start + len);
}

/// An open JSON object; closed (`}`) when dropped.
pub struct Obj<'w> {
    out: &'w mut Vec<u8>,
    first: bool,
}

/// An open JSON array; closed (`]`) when dropped.
pub struct Arr<'w> {
    out: &'w mut Vec<u8>,
    first: bool,
}

impl Drop for Obj<'_> {
    fn drop(&mut self) {
        self.out.push(b'}');
    }
}

impl Drop for Arr<'_> {
    fn drop(&mut self) {
        self.out.push(b']');
    }
}

/// Append `buf[at..N]` (text written right-aligned into the first half of `buf`) with one
/// fixed-size copy of `N` octets.
#[inline(always)]
pub fn push_tail<const N2: usize>(out: &mut Vec<u8>, buf: &[u8; N2], at: usize) {
    let half = N2 / 2;
    let start = out.len();
    if let Some(w) = buf.get(at..at + half) {
        out.extend_from_slice(w);
        out.truncate(start + half.saturating_sub(at));
    }
}

/// Decimal digits of the largest `u64`.
const U64_DIGITS: usize = 20;

/// "00" to "99".
const DIGIT_PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Write `v` in decimal into `buf` so that it ends just before `at`, with at least `width`
/// digits (zero-padded on the left); returns where it starts. `at` must leave room.
#[inline(always)]
pub fn decimal_before<const N: usize>(buf: &mut [u8; N], at: usize, v: u64, width: usize) -> usize {
    let end = at;
    let mut at = at;
    let mut v = v;
    let mut pair = |at: usize, p: usize| {
        if let (Some(d), Some(s)) = (buf.get_mut(at..at + 2), DIGIT_PAIRS.get(p..p + 2)) {
            d.copy_from_slice(s);
        }
    };
    while v >= 100 {
        at = at.saturating_sub(2);
        pair(at, (v % 100) as usize * 2);
        v /= 100;
    }
    if v >= 10 {
        at = at.saturating_sub(2);
        pair(at, v as usize * 2);
    } else {
        at = at.saturating_sub(1);
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + v as u8;
        }
    }
    while end - at < width && at > 0 {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0';
        }
    }
    at
}

/// `v` in decimal, written right-aligned to end at [`U64_DIGITS`] in a buffer twice that
/// size and appended with one fixed-size copy.
#[inline(always)]
fn write_u64(out: &mut Vec<u8>, v: u64) {
    if v < 10 {
        out.push(b'0' + v as u8);
        return;
    }
    let mut buf = [0u8; 2 * U64_DIGITS];
    let at = decimal_before(&mut buf, U64_DIGITS, v, 1);
    push_tail(out, &buf, at);
}

#[inline(always)]
fn write_i64(out: &mut Vec<u8>, v: i64) {
    if v < 0 {
        out.push(b'-');
    }
    write_u64(out, v.unsigned_abs());
}

/// The decimal text of each octet value, zero-padded to four octets, and its length.
// evaluated when compiling: `v < 256` keeps the index in range (out of range would not compile)
#[allow(clippy::indexing_slicing)]
const OCTET_TEXT: [([u8; 4], u8); 256] = {
    let mut t = [([0u8; 4], 0u8); 256];
    let mut v = 0usize;
    while v < 256 {
        let (h, te, o) = ((v / 100) as u8, (v / 10 % 10) as u8, (v % 10) as u8);
        t[v] = if v >= 100 {
            ([b'0' + h, b'0' + te, b'0' + o, 0], 3)
        } else if v >= 10 {
            ([b'0' + te, b'0' + o, 0, 0], 2)
        } else {
            ([b'0' + o, 0, 0, 0], 1)
        };
        v += 1;
    }
    t
};

/// An IPv4 address as a JSON string, built in a small buffer from the octets' texts (each a
/// fixed four-octet copy) and appended with one fixed-size copy.
fn write_ipv4(out: &mut Vec<u8>, octets: [u8; 4]) {
    let mut buf = [0u8; 24];
    let mut n = 1usize;
    if let Some(q) = buf.first_mut() {
        *q = b'"';
    }
    for (i, o) in octets.into_iter().enumerate() {
        if i > 0 {
            if let Some(d) = buf.get_mut(n) {
                *d = b'.';
            }
            n += 1;
        }
        let (text, len) = OCTET_TEXT
            .get(usize::from(o))
            .copied()
            .unwrap_or(([b'0', 0, 0, 0], 1));
        if let Some(d) = buf.get_mut(n..n + 4) {
            d.copy_from_slice(&text);
        }
        n += usize::from(len);
    }
    if let Some(d) = buf.get_mut(n) {
        *d = b'"';
    }
    push_fixed(out, &buf, n + 1);
}

fn write_f64(out: &mut Vec<u8>, v: f64) {
    if v.is_finite() {
        if serde_json::to_writer(&mut *out, &v).is_err() {
            out.extend_from_slice(b"null");
        }
    } else {
        out.extend_from_slice(b"null");
    }
}

impl<'w> Obj<'w> {
    /// Open an object at the end of `out`.
    pub fn open(out: &'w mut Vec<u8>) -> Self {
        out.push(b'{');
        Obj { out, first: true }
    }

    #[inline(always)]
    fn key(&mut self, k: impl Into<Key>) {
        let first = core::mem::replace(&mut self.first, false);
        match k.into().0 {
            KeyRepr::Padded(p) if p.len < KEY_PAD => {
                if first {
                    push_fixed(self.out, &p.bare, p.len);
                } else {
                    push_fixed(self.out, &p.comma, p.len + 1);
                }
            }
            KeyRepr::Padded(p) => {
                if !first {
                    self.out.push(b',');
                }
                self.out.extend_from_slice(p.text.as_bytes());
            }
            KeyRepr::Plain(k) => {
                if !first {
                    self.out.push(b',');
                }
                self.out.push(b'"');
                self.out.extend_from_slice(k.as_bytes());
                self.out.push(b'"');
                self.out.push(b':');
            }
        }
    }

    /// `"k": <unsigned>`.
    #[inline(always)]
    pub fn u64(&mut self, k: impl Into<Key>, v: impl Into<u64>) {
        self.key(k);
        write_u64(self.out, v.into());
    }

    /// `"k": <signed>`.
    #[inline(always)]
    pub fn i64(&mut self, k: impl Into<Key>, v: impl Into<i64>) {
        self.key(k);
        write_i64(self.out, v.into());
    }

    /// `"k": <usize>`.
    #[inline(always)]
    pub fn usize(&mut self, k: impl Into<Key>, v: usize) {
        self.key(k);
        write_u64(self.out, v as u64);
    }

    /// `"k": <float>` (`null` when not finite).
    pub fn f64(&mut self, k: impl Into<Key>, v: f64) {
        self.key(k);
        write_f64(self.out, v);
    }

    /// `"k": true|false`.
    #[inline(always)]
    pub fn bool(&mut self, k: impl Into<Key>, v: bool) {
        self.key(k);
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// `"k": null`.
    #[inline(always)]
    pub fn null(&mut self, k: impl Into<Key>) {
        self.key(k);
        self.out.extend_from_slice(b"null");
    }

    /// `"k": "<escaped>"`.
    #[inline(always)]
    pub fn str(&mut self, k: impl Into<Key>, v: &str) {
        self.key(k);
        write_str(self.out, v);
    }

    /// `"k": "<ASCII text>"`: octets that are printable ASCII are written as they are (no UTF-8
    /// check: digits, dotted OIDs); anything else is written as [`Obj::str`] would write the
    /// octets as UTF-8 text (empty when they are not UTF-8).
    #[inline]
    pub fn ascii(&mut self, k: impl Into<Key>, b: &[u8]) {
        self.key(k);
        write_ascii(self.out, b);
    }

    /// `"k": "<digits>"`: a digit string of ASCII decimal digits is appended with one
    /// fixed-size copy of its buffer; one with other characters is written as [`Obj::ascii`]
    /// writes them.
    #[inline]
    pub fn digits(&mut self, k: impl Into<Key>, d: &sigscope_core::Digits) {
        self.key(k);
        if d.has_non_digit() {
            write_ascii(self.out, d.as_bytes());
        } else {
            let (buf, len) = d.buffer();
            self.out.push(b'"');
            push_fixed(self.out, buf, len);
            self.out.push(b'"');
        }
    }

    /// `"k": "<text>"` where the text is the first `len` octets of `buf` and is known to be
    /// printable ASCII without `"` or `\\` (dotted OIDs, hex): one fixed-size copy, no check.
    #[inline]
    pub fn plain_fixed<const N: usize>(&mut self, k: impl Into<Key>, buf: &[u8; N], len: usize) {
        self.key(k);
        self.out.push(b'"');
        push_fixed(self.out, buf, len.min(N));
        self.out.push(b'"');
    }

    /// `"k": "<text>"` where `fill` writes the text into a buffer reused from message to
    /// message (no allocation per message); nothing is written when `fill` returns false.
    /// Returns what `fill` returned.
    pub fn text_with(&mut self, k: impl Into<Key>, fill: impl FnOnce(&mut String) -> bool) -> bool {
        thread_local! {
            static SCRATCH: core::cell::RefCell<String> = const { core::cell::RefCell::new(String::new()) };
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => {
                s.clear();
                let ok = fill(&mut s);
                if ok {
                    self.str(k, &s);
                }
                if s.capacity() > MAX_SCRATCH {
                    *s = String::new();
                }
                ok
            }
            // re-entered from `fill` (never done): a buffer of its own
            Err(_) => {
                let mut s = String::new();
                let ok = fill(&mut s);
                if ok {
                    self.str(k, &s);
                }
                ok
            }
        })
    }

    /// `"k": "<IP address>"` (IPv4 written without the formatting machinery).
    pub fn ip(&mut self, k: impl Into<Key>, a: impl Into<std::net::IpAddr>) {
        let a: std::net::IpAddr = a.into();
        match &a {
            std::net::IpAddr::V4(v4) => {
                self.key(k);
                write_ipv4(self.out, v4.octets());
            }
            std::net::IpAddr::V6(_) => self.display(k, &a),
        }
    }

    /// `"k": "<pieces>"`: the pieces given by `each` (static text, no escaping needed).
    pub fn pieces(&mut self, k: impl Into<Key>, each: impl FnOnce(&mut dyn FnMut(&'static str))) {
        self.key(k);
        self.out.push(b'"');
        let out = &mut *self.out;
        each(&mut |p: &'static str| escape_into(out, p));
        self.out.push(b'"');
    }

    /// `"k": "<Display, escaped>"`.
    pub fn display(&mut self, k: impl Into<Key>, v: &dyn fmt::Display) {
        self.key(k);
        self.out.push(b'"');
        let _ = write!(Escaped(self.out), "{v}");
        self.out.push(b'"');
    }

    /// `"k": "<lowercase hex of at most cap octets>"`.
    pub fn hex(&mut self, k: impl Into<Key>, b: &[u8], cap: usize) {
        self.key(k);
        write_hex(self.out, b, cap);
    }

    /// `"k": <text of the octets, invalid UTF-8 replaced>`.
    pub fn lossy(&mut self, k: impl Into<Key>, b: &[u8]) {
        self.key(k);
        self.out.push(b'"');
        for chunk in b.utf8_chunks() {
            escape_into(self.out, chunk.valid());
            if !chunk.invalid().is_empty() {
                escape_into(self.out, "\u{fffd}");
            }
        }
        self.out.push(b'"');
    }

    /// `"k": <u64 or null>`.
    #[inline(always)]
    pub fn opt_u64(&mut self, k: impl Into<Key>, v: Option<impl Into<u64>>) {
        match v {
            Some(v) => self.u64(k, v),
            None => self.null(k),
        }
    }

    /// `"k": "` + whatever `write` appends (already escaped by it) + `"`.
    pub fn with_str(&mut self, k: impl Into<Key>, write: impl FnOnce(&mut Vec<u8>)) {
        self.key(k);
        self.out.push(b'"');
        write(self.out);
        self.out.push(b'"');
    }

    /// `"k": ` then whatever `write` appends (the caller guarantees it is one JSON value).
    pub fn with_raw(&mut self, k: impl Into<Key>, write: impl FnOnce(&mut Vec<u8>)) {
        self.key(k);
        write(self.out);
    }

    /// Write `"k": <raw JSON text>` (the caller guarantees it is one JSON value).
    pub fn raw(&mut self, k: impl Into<Key>, json: &[u8]) {
        self.key(k);
        self.out.extend_from_slice(json);
    }

    /// `"k": {` ... `}` (closed when the returned object is dropped).
    pub fn obj(&mut self, k: impl Into<Key>) -> Obj<'_> {
        self.key(k);
        Obj::open(self.out)
    }

    /// `"k": [` ... `]` (closed when the returned array is dropped).
    pub fn arr(&mut self, k: impl Into<Key>) -> Arr<'_> {
        self.key(k);
        self.out.push(b'[');
        Arr {
            out: self.out,
            first: true,
        }
    }
}

impl Arr<'_> {
    #[inline]
    fn sep(&mut self) {
        if self.first {
            self.first = false;
        } else {
            self.out.push(b',');
        }
    }

    /// An object element.
    pub fn obj(&mut self) -> Obj<'_> {
        self.sep();
        Obj::open(self.out)
    }

    /// An unsigned element.
    #[inline(always)]
    pub fn u64(&mut self, v: impl Into<u64>) {
        self.sep();
        write_u64(self.out, v.into());
    }

    /// A signed element.
    #[inline(always)]
    pub fn i64(&mut self, v: impl Into<i64>) {
        self.sep();
        write_i64(self.out, v.into());
    }

    /// A string element.
    #[inline(always)]
    pub fn str(&mut self, v: &str) {
        self.sep();
        write_str(self.out, v);
    }

    /// An element as raw JSON text.
    pub fn raw(&mut self, json: &[u8]) {
        self.sep();
        self.out.extend_from_slice(json);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn as_text(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut out = b"x".to_vec();
        f(&mut out);
        String::from_utf8(out.split_off(1)).unwrap_or_default()
    }

    #[test]
    fn fixed_copy_writers_at_their_edges() {
        for v in [0, 9, 10, 99, 100, 101, 999, 1000, 65535, 1 << 32, u64::MAX] {
            assert_eq!(as_text(|o| write_u64(o, v)), v.to_string());
        }
        for v in [i64::MIN, -10, -1, 0, 7, i64::MAX] {
            assert_eq!(as_text(|o| write_i64(o, v)), v.to_string());
        }
        for a in [
            [0, 0, 0, 0],
            [255, 255, 255, 255],
            [10, 0, 100, 9],
            [192, 168, 1, 20],
        ] {
            let want = format!("\"{}\"", std::net::Ipv4Addr::from(a));
            assert_eq!(as_text(|o| write_ipv4(o, a)), want);
        }
        // a key longer than the padded room, and one that fills it exactly
        let long = as_text(|o| {
            let mut j = Obj::open(o);
            j.u64(
                crate::k!("a_key_name_longer_than_the_room_of_thirty_two"),
                1u8,
            );
            j.u64(crate::k!("exactly_twenty_nine_octets_"), 2u8);
            // `"…":` of 31 octets (`,"…":` fills the room) and of 32 (written by length)
            j.u64(crate::k!("aaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 3u8);
            j.u64(crate::k!("bbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), 4u8);
        });
        assert_eq!(
            long,
            concat!(
                r#"{"a_key_name_longer_than_the_room_of_thirty_two":1,"exactly_twenty_nine_octets_":2,"#,
                r#""aaaaaaaaaaaaaaaaaaaaaaaaaaaa":3,"bbbbbbbbbbbbbbbbbbbbbbbbbbbbb":4}"#
            )
        );
        let first_short = as_text(|o| {
            let mut j = Obj::open(o);
            j.u64(crate::k!("aaaaaaaaaaaaaaaaaaaaaaaaaaaa"), 1u8);
            j.u64(crate::k!("x"), 2u8);
        });
        assert_eq!(first_short, r#"{"aaaaaaaaaaaaaaaaaaaaaaaaaaaa":1,"x":2}"#);
    }

    proptest! {
        #[test]
        fn word_scans_agree_with_octet_scans(b in proptest::collection::vec(any::<u8>(), 0..40)) {
            prop_assert_eq!(any_needs_escape(&b), b.iter().any(|c| needs_escape(*c)));
            prop_assert_eq!(all_plain_ascii(&b), b.iter().all(|c| plain_ascii(*c)));
        }

        #[test]
        fn word_scans_on_edge_octets(b in proptest::collection::vec(
            proptest::sample::select(vec![0u8, 0x1f, 0x20, 0x21, b'"', b'\\', 0x7e, 0x7f, 0x80, 0xff, b'a']),
            0..24,
        )) {
            prop_assert_eq!(any_needs_escape(&b), b.iter().any(|c| needs_escape(*c)));
            prop_assert_eq!(all_plain_ascii(&b), b.iter().all(|c| plain_ascii(*c)));
        }

        #[test]
        fn numbers_and_addresses_as_std_prints_them(v: u64, i: i64, a: [u8; 4], t: u64) {
            prop_assert_eq!(as_text(|o| write_u64(o, v)), v.to_string());
            prop_assert_eq!(as_text(|o| write_i64(o, i)), i.to_string());
            let want = format!("\"{}\"", std::net::Ipv4Addr::from(a));
            prop_assert_eq!(as_text(|o| write_ipv4(o, a)), want);
            let ts = as_text(|o| crate::record::write_ts(o, t));
            let (secs, nanos) = (t / 1_000_000_000, t % 1_000_000_000);
            let want = if nanos % 1000 == 0 {
                format!("{secs}.{:06}", nanos / 1000)
            } else {
                format!("{secs}.{nanos:09}")
            };
            prop_assert_eq!(ts, want);
        }
    }

    #[test]
    fn nested_and_escaped() {
        let mut out = Vec::new();
        {
            let mut o = Obj::open(&mut out);
            o.u64("a", 1u8);
            o.str("s", "q\"\\\n\u{1}é");
            {
                let mut a = o.arr("l");
                a.i64(-2);
                a.obj().bool("t", true);
            }
            o.f64("f", 1.5);
            o.f64("n", f64::NAN);
            o.hex("h", &[0xab, 1, 2], 2);
            o.lossy("x", b"ok\xff");
            o.display("d", &42);
        }
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        assert_eq!(
            v,
            serde_json::json!({"a": 1, "s": "q\"\\\n\u{1}é", "l": [-2, {"t": true}], "f": 1.5,
                               "n": null, "h": "ab01", "x": "ok\u{fffd}", "d": "42"})
        );
    }
}
