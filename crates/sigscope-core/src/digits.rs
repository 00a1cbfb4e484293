//! TBCD and BCD digit strings (3GPP TS 29.002 TBCD-STRING, ITU-T Q.713 GT digits, TS 29.274).
//!
//! Digits decode into [`Digits`], a fixed-capacity stack buffer: no allocation per message.
//! Nibbles are read low nibble first. In TBCD, 0xF is the filler (a 0xF before the last nibble
//! is shown as `f` and flagged); 0xA-0xE are not digits and are kept as `*`, `#`, `a`, `b`, `c`
//! (the TS 29.002 mapping) and flagged so that callers can report them as anomalies. SCCP BCD carries an explicit digit count (odd/even indicator) and
//! may pad with 0x0.

use crate::AnomalyCode;
use core::fmt;

use crate::error::{Anomalies, Anomaly, Layer};

/// Most digits one [`Digits`] holds; more are counted as truncated.
pub const MAX_DIGITS: usize = 64;
/// Most digits of a global title in range: E.164, E.212 and E.214 numbers have at most 15,
/// global-title translation tables hold 21; more is a value to overflow a node's buffers.
pub const MAX_TITLE_DIGITS: usize = 21;

const TBCD_CHARS: &[u8; 16] = b"0123456789*#abc?";

/// A decoded digit string (ASCII), with flags about what was seen on the way.
///
/// Equality and hashing look at the digits and the flags (octets past the length are
/// scratch).
#[derive(Clone, Copy)]
pub struct Digits {
    buf: [u8; MAX_DIGITS],
    len: u8,
    non_digit: bool,
    filler_inside: bool,
    truncated: bool,
}

impl PartialEq for Digits {
    fn eq(&self, other: &Self) -> bool {
        self.buf.get(..usize::from(self.len)) == other.buf.get(..usize::from(other.len))
            && (self.non_digit, self.filler_inside, self.truncated)
                == (other.non_digit, other.filler_inside, other.truncated)
    }
}

impl Eq for Digits {}

impl core::hash::Hash for Digits {
    fn hash<H: core::hash::Hasher>(&self, h: &mut H) {
        self.buf.get(..usize::from(self.len)).hash(h);
        (self.non_digit, self.filler_inside, self.truncated).hash(h);
    }
}

impl Default for Digits {
    fn default() -> Self {
        Digits::EMPTY
    }
}

impl Digits {
    /// No digits.
    pub const EMPTY: Digits = Digits {
        buf: [0; MAX_DIGITS],
        len: 0,
        non_digit: false,
        filler_inside: false,
        truncated: false,
    };

    fn push(&mut self, c: u8) {
        match self.buf.get_mut(self.len as usize) {
            Some(slot) => {
                *slot = c;
                self.len += 1;
            }
            None => self.truncated = true,
        }
    }

    /// Build from ASCII digits (test vectors, emitters); characters beyond capacity are dropped.
    pub fn from_ascii(s: &str) -> Digits {
        let mut d = Digits::EMPTY;
        for c in s.bytes() {
            if !c.is_ascii_digit() {
                d.non_digit = true;
            }
            d.push(c);
        }
        d
    }

    /// The digits as ASCII bytes (no UTF-8 check: cheaper than [`Digits::as_str`]).
    pub fn as_bytes(&self) -> &[u8] {
        self.buf.get(..self.len as usize).unwrap_or(&[])
    }

    /// The whole digit buffer and the number of digits at its start, for writers that copy a
    /// fixed size (the octets past the digits are unspecified).
    pub fn buffer(&self) -> (&[u8; MAX_DIGITS], usize) {
        (&self.buf, self.len as usize)
    }

    /// The digits as text (ASCII).
    pub fn as_str(&self) -> &str {
        self.buf
            .get(..self.len as usize)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Number of digits.
    pub const fn len(&self) -> usize {
        self.len as usize
    }

    /// No digits at all.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A nibble 0xA-0xE was seen.
    pub const fn has_non_digit(&self) -> bool {
        self.non_digit
    }

    /// A filler nibble 0xF was seen before the last position.
    pub const fn has_filler_inside(&self) -> bool {
        self.filler_inside
    }

    /// More digits than [`MAX_DIGITS`].
    pub const fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// True when every character is 0-9 and nothing odd was seen.
    pub const fn is_clean(&self) -> bool {
        !self.non_digit && !self.filler_inside && !self.truncated
    }

    /// Report what was odd about these digits as anomalies of `layer` at `offset`.
    pub fn report(&self, layer: Layer, offset: usize, out: &mut Anomalies) {
        if self.non_digit {
            out.push(Anomaly::new(
                layer,
                AnomalyCode::NonDigitNibble,
                offset,
                "digit string has a nibble 0xA-0xE",
            ));
        }
        if self.filler_inside {
            out.push(Anomaly::new(
                layer,
                AnomalyCode::FillerInsideDigits,
                offset,
                "filler nibble 0xF before the end",
            ));
        }
        if self.truncated {
            out.push(
                Anomaly::new(
                    layer,
                    AnomalyCode::DigitsTruncated,
                    offset,
                    "digit string longer than MAX_DIGITS",
                )
                .with_value(MAX_DIGITS as u64),
            );
        }
    }
}

impl fmt::Display for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Digits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digits({:?}", self.as_str())?;
        if self.non_digit {
            f.write_str(", non_digit")?;
        }
        if self.filler_inside {
            f.write_str(", filler_inside")?;
        }
        if self.truncated {
            f.write_str(", truncated")?;
        }
        f.write_str(")")
    }
}

impl PartialEq<str> for Digits {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Digits {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

fn nibble_char(n: u8) -> u8 {
    TBCD_CHARS
        .get(usize::from(n & 0x0f))
        .copied()
        .unwrap_or(b'?')
}

/// The characters of each octet's two TBCD nibbles, low nibble first (0xF inside a string is
/// shown as `f`).
// built at compile time: an index out of bounds would fail the build, never panic
#[allow(clippy::indexing_slicing)]
const TBCD_PAIRS: [[u8; 2]; 256] = {
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [TBCD_OUT[i & 0x0f], TBCD_OUT[i >> 4]];
        i += 1;
    }
    t
};

/// The nibbles a TBCD string holds once its trailing filler (0xF) is stripped: the last
/// nibble that is not 0xF ends the string.
pub fn tbcd_end(data: &[u8]) -> usize {
    let mut end = data.len() * 2;
    for &b in data.iter().rev() {
        if b >> 4 != 0xf {
            break;
        }
        end -= 1;
        if b & 0x0f != 0xf {
            break;
        }
        end -= 1;
    }
    end
}

/// The first `keep` (≤ [`MAX_DIGITS`]) TBCD digits of `data` into `buf`, an octet at a time
/// (the octet past an odd count writes one character more, past the digits).
fn tbcd_pairs_into(data: &[u8], keep: usize, buf: &mut [u8; MAX_DIGITS]) {
    for (pair, b) in buf
        .chunks_exact_mut(2)
        .zip(data.iter().take(keep.div_ceil(2)))
    {
        if let Some(c) = TBCD_PAIRS.get(usize::from(*b)) {
            pair.copy_from_slice(c);
        }
    }
}

/// The digits [`tbcd`] decodes from `data` (the same characters), written into `buf` without
/// working out its flags; returns how many (at most [`MAX_DIGITS`]; the octets past them are
/// unspecified). For readers that key on the digits and never read the flags.
pub fn tbcd_digits(data: &[u8], buf: &mut [u8; MAX_DIGITS]) -> usize {
    let keep = tbcd_end(data).min(MAX_DIGITS);
    tbcd_pairs_into(data, keep, buf);
    keep
}

/// Decode a TBCD string: low nibble first, 0xF is filler (ends the string when it is the last
/// nibble; elsewhere it is skipped and flagged).
pub fn tbcd(data: &[u8]) -> Digits {
    let end = tbcd_end(data);
    let mut d = Digits::EMPTY;
    let keep = end.min(MAX_DIGITS);
    tbcd_pairs_into(data, keep, &mut d.buf);
    let bytes = data.get(..end.div_ceil(2)).unwrap_or(data);
    // 0xF before the end is shown as `f` (never hidden) and flagged; 0xA-0xE likewise. Every
    // octet counts both nibbles but an odd string's last, whose high nibble is the filler.
    let (whole, last) = match bytes.split_last() {
        Some((l, rest)) if end % 2 == 1 => (rest, Some(*l)),
        _ => (bytes, None),
    };
    let mut class = whole.iter().fold(0u8, |c, &b| {
        c | nibble_class(b & 0x0f) | nibble_class(b >> 4)
    });
    if let Some(l) = last {
        class |= nibble_class(l & 0x0f);
    }
    d.non_digit = class & 1 != 0;
    d.filler_inside = class & 2 != 0;
    d.len = u8::try_from(keep).unwrap_or(u8::MAX);
    d.truncated = end > MAX_DIGITS;
    d
}

/// Whether TBCD octets hold a nibble 0xA-0xE (`non_digit`) or a 0xF before the last digit
/// (`filler_inside`) — what [`tbcd`] flags, without building the digits.
pub fn tbcd_flags(data: &[u8]) -> (bool, bool) {
    let mut class = 0u8;
    let mut seen_filler = false;
    for &b in data {
        for n in [b & 0x0f, b >> 4] {
            match n {
                0xf => seen_filler = true,
                _ => {
                    if seen_filler {
                        class |= 2;
                    }
                    class |= nibble_class(n);
                }
            }
        }
    }
    (class & 1 != 0, class & 2 != 0)
}

/// TBCD output characters (0xF inside a string is shown as `f`).
const TBCD_OUT: &[u8; 16] = b"0123456789*#abcf";

/// 0 digit, 1 non-digit (0xA-0xE), 2 filler (0xF).
#[inline(always)]
fn nibble_class(n: u8) -> u8 {
    match n {
        0..=9 => 0,
        0xf => 2,
        _ => 1,
    }
}

/// Decode exactly `count` BCD digits (low nibble first), as SCCP global titles carry them
/// (the odd/even indicator gives the count; the unused last nibble may be 0x0 or 0xF).
/// Missing nibbles (count beyond the data) are simply not produced.
pub fn bcd_count(data: &[u8], count: usize) -> Digits {
    let mut d = Digits::EMPTY;
    d.set_bcd_count(data, count);
    d
}

impl Digits {
    /// [`bcd_count`] written into `self` (every field set; the octets past the length are
    /// scratch), so that a caller decodes the digits where they stay: a returned `Digits`
    /// copied soon after its octets were written one at a time waits on store forwarding.
    pub fn set_bcd_count(&mut self, data: &[u8], count: usize) {
        let count = count.min(data.len().saturating_mul(2));
        let keep = count.min(MAX_DIGITS);
        let mut non_digit = false;
        // a byte at a time: both nibbles written (the second may lie past `keep`, and is then
        // cut by the length); `keep` ≤ MAX_DIGITS keeps every pair inside the buffer
        let mut i = 0usize;
        // flags cover every digit; only the first MAX_DIGITS are kept (a pair past the buffer
        // is not written)
        for &b in data.iter().take(count.div_ceil(2)) {
            let (lo, hi) = (b & 0x0f, b >> 4);
            if lo > 9 || (i + 1 < count && hi > 9) {
                non_digit = true;
            }
            if let Some([x, y]) = self.buf.get_mut(i..i + 2) {
                *x = nibble_char(lo);
                *y = nibble_char(hi);
            }
            i += 2;
        }
        self.len = u8::try_from(keep).unwrap_or(u8::MAX);
        self.non_digit = non_digit;
        self.filler_inside = false;
        self.truncated = count > MAX_DIGITS;
    }
}

/// Decode BCD digits where the string is odd when the last high nibble is 0xF or when `odd`
/// says so: the form used by SCCP (encoding scheme 1 = odd, 2 = even).
pub fn bcd_odd_even(data: &[u8], odd: bool) -> Digits {
    let count = (data.len() * 2).saturating_sub(usize::from(odd));
    bcd_count(data, count)
}

/// Decode "digits after a leading header nibble": TS 29.002 IMSI-like forms where the first
/// nibble is something else (used by e.g. IMEI-SV type fields). Skips `skip` nibbles.
pub fn tbcd_skip(data: &[u8], skip: usize) -> Digits {
    let mut d = Digits::EMPTY;
    let nibbles = || {
        data.iter()
            .flat_map(|b| [b & 0x0f, b >> 4])
            .enumerate()
            .skip(skip)
    };
    // Filler is the trailing run of 0xF (fixed-size fields such as GTPv1's 8-octet IMSI pad
    // with several); a 0xF before a real nibble is shown as `f` (never hidden) and flagged.
    let end = nibbles()
        .filter(|(_, n)| *n != 0xf)
        .map(|(i, _)| i + 1)
        .last()
        .unwrap_or(0);
    for (_, n) in nibbles().take_while(|(i, _)| *i < end) {
        match n {
            0..=9 => d.push(b'0' + n),
            0xf => {
                d.filler_inside = true;
                d.push(b'f');
            }
            _ => {
                d.non_digit = true;
                d.push(nibble_char(n));
            }
        }
    }
    d
}

fn char_nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'*' => Some(0xa),
        b'#' => Some(0xb),
        b'a' | b'A' => Some(0xc),
        b'b' | b'B' => Some(0xd),
        b'c' | b'C' => Some(0xe),
        _ => None,
    }
}

/// Encode digits as TBCD into `out` (filler 0xF for an odd count). Returns the number of bytes
/// written, or `None` if `out` is too small or a character has no TBCD nibble.
pub fn encode_tbcd_into(digits: &str, out: &mut [u8]) -> Option<usize> {
    let n = digits.len().div_ceil(2);
    let dst = out.get_mut(..n)?;
    let mut it = digits.bytes();
    for slot in dst.iter_mut() {
        let lo = char_nibble(it.next()?)?;
        let hi = match it.next() {
            Some(c) => char_nibble(c)?,
            None => 0xf,
        };
        *slot = lo | (hi << 4);
    }
    Some(n)
}

/// Encode digits as TBCD (filler 0xF for an odd count). `None` if a character is not encodable.
pub fn encode_tbcd(digits: &str) -> Option<Vec<u8>> {
    let mut v = vec![0u8; digits.len().div_ceil(2)];
    encode_tbcd_into(digits, &mut v)?;
    Some(v)
}

/// Encode digits as SCCP BCD: like TBCD but the unused last nibble is 0x0.
pub fn encode_bcd_zero_pad(digits: &str) -> Option<Vec<u8>> {
    let mut v = encode_tbcd(digits)?;
    if digits.len() % 2 == 1 {
        if let Some(last) = v.last_mut() {
            *last &= 0x0f;
        }
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn imsi_tbcd() {
        // IMSI 262011234567890 as TBCD (odd count, filler F).
        let b = [0x62, 0x02, 0x11, 0x32, 0x54, 0x76, 0x98, 0xf0];
        let d = tbcd(&b);
        assert_eq!(d, "262011234567890");
        assert!(d.is_clean());
    }

    #[test]
    fn non_digits_and_filler() {
        let d = tbcd(&[0x21, 0xfa, 0x43]);
        assert_eq!(d.as_str(), "12*f34");
        assert!(d.has_non_digit());
        assert!(d.has_filler_inside());
        let mut a = Anomalies::new();
        d.report(Layer::Map, 3, &mut a);
        assert!(a.contains(AnomalyCode::NonDigitNibble));
        assert!(a.contains(AnomalyCode::FillerInsideDigits));
    }

    #[test]
    fn sccp_zero_padding() {
        // GT digits 4477 0090 0123 (odd: 11 digits), last high nibble 0
        let b = [0x44, 0x77, 0x00, 0x09, 0x10, 0x02];
        assert_eq!(bcd_odd_even(&b, true), "44770090012");
        assert_eq!(bcd_odd_even(&b, false), "447700900120");
        assert_eq!(encode_bcd_zero_pad("44770090012").unwrap(), b.to_vec());
    }

    #[test]
    fn trailing_filler_run() {
        // GTPv1 IMSI (TV, 8 octets) of 6 digits: 00 00 00 FF FF FF FF FF.
        let d = tbcd(&[0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(d, "000000");
        assert!(d.is_clean());
        assert_eq!(tbcd(&[0xff, 0xff]), "");
    }

    #[test]
    fn capacity() {
        let d = tbcd(&[0x11; 40]);
        assert_eq!(d.len(), MAX_DIGITS);
        assert!(d.is_truncated());
    }

    proptest! {
        #[test]
        fn tbcd_round_trip(s in "[0-9]{0,40}") {
            let enc = encode_tbcd(&s).unwrap();
            let d = tbcd(&enc);
            prop_assert_eq!(d.as_str(), s.as_str());
            prop_assert!(d.is_clean());
        }

        /// The byte-at-a-time TBCD decoder against the general nibble walker, and the flags
        /// alone against both.
        #[test]
        fn tbcd_matches_tbcd_skip(b in proptest::collection::vec(any::<u8>(), 0..80)) {
            let d = tbcd(&b);
            prop_assert_eq!(d, tbcd_skip(&b, 0));
            prop_assert_eq!(tbcd_flags(&b), (d.has_non_digit(), d.has_filler_inside()));
        }

        /// The byte-at-a-time BCD decoder against the obvious nibble-at-a-time one.
        #[test]
        fn bcd_count_matches_reference(b in proptest::collection::vec(any::<u8>(), 0..80), n in 0usize..200) {
            let mut r = Digits::EMPTY;
            for x in b.iter().flat_map(|b| [b & 0x0f, b >> 4]).take(n) {
                if x > 9 {
                    r.non_digit = true;
                }
                r.push(nibble_char(x));
            }
            prop_assert_eq!(bcd_count(&b, n), r);
        }

        #[test]
        fn never_panics(b in proptest::collection::vec(any::<u8>(), 0..80), n in 0usize..200) {
            let _ = tbcd(&b);
            let _ = bcd_count(&b, n);
            let _ = tbcd_skip(&b, n);
            let _ = bcd_odd_even(&b, n % 2 == 1);
        }
    }
}
