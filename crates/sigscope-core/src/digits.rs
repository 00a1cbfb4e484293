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
    let octets = data.get(..end.div_ceil(2)).unwrap_or(data);
    // eight octets at a time (see `bcd_count`). 0xF before the end is shown as `f` (never
    // hidden) and flagged; 0xA-0xE likewise. Every octet counts both nibbles but an odd
    // string's last, whose high nibble is the filler.
    for (i, chunk) in octets.chunks(WORD_OCTETS).enumerate() {
        let first = i * 2 * WORD_OCTETS;
        let w = bcd_word(chunk);
        let nibbles = end.saturating_sub(first);
        let above = above_nine(w, nibbles);
        if above != 0 {
            let f = fifteens(w, nibbles);
            d.non_digit |= above & !f != 0;
            d.filler_inside |= f != 0;
        }
        let Some(out) = d.buf.get_mut(first..first + 2 * WORD_OCTETS) else {
            continue;
        };
        if above == 0 {
            out.copy_from_slice(&word_chars(w));
        } else {
            for (pair, b) in out.chunks_exact_mut(2).zip(chunk) {
                if let Some(c) = TBCD_PAIRS.get(usize::from(*b)) {
                    pair.copy_from_slice(c);
                }
            }
        }
    }
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

/// Octets a BCD word holds ([`bcd_word`]).
const WORD_OCTETS: usize = 8;
/// Each octet's low nibble.
const LOW_NIBBLES: u64 = 0x0f0f_0f0f_0f0f_0f0f;
/// Added to a nibble, carries into bit 4 exactly when the nibble is above 9.
const ABOVE_NINE: u64 = 0x0606_0606_0606_0606;
/// Bit 4 of each octet.
const BIT4: u64 = 0x1010_1010_1010_1010;
/// ASCII `'0'` in each octet of a 16-octet word.
const ASCII_ZEROS: u128 = 0x3030_3030_3030_3030_3030_3030_3030_3030;

/// Up to [`WORD_OCTETS`] octets as a little-endian word (missing octets are zero).
#[inline(always)]
fn bcd_word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; WORD_OCTETS];
    for (d, s) in w.iter_mut().zip(chunk) {
        *d = *s;
    }
    u64::from_le_bytes(w)
}

/// The low `octets` octets of a word set.
#[inline(always)]
const fn octet_mask(octets: usize) -> u64 {
    if octets >= WORD_OCTETS {
        u64::MAX
    } else {
        (1u64 << (8 * octets)) - 1
    }
}

/// The nibbles above 9 among the first `nibbles` (low nibble of each octet first) of a
/// word: bit `8 * i` for the low nibble of octet `i`, bit `8 * i + 1` for its high one.
#[inline(always)]
fn above_nine(w: u64, nibbles: usize) -> u64 {
    nibbles_carrying(w, nibbles, ABOVE_NINE)
}

/// Added to a nibble, carries into bit 4 exactly when the nibble is 0xF.
const ABOVE_FOURTEEN: u64 = 0x0101_0101_0101_0101;

/// The nibbles that are 0xF among the first `nibbles` of a word (bits as [`above_nine`]).
#[inline(always)]
fn fifteens(w: u64, nibbles: usize) -> u64 {
    nibbles_carrying(w, nibbles, ABOVE_FOURTEEN)
}

/// The nibbles among the first `nibbles` of a word that carry into bit 4 when `add` is
/// added to each (bits as [`above_nine`]).
#[inline(always)]
fn nibbles_carrying(w: u64, nibbles: usize, add: u64) -> u64 {
    let lo = ((w & LOW_NIBBLES) + add) & BIT4 & octet_mask(nibbles.div_ceil(2));
    let hi = (((w >> 4) & LOW_NIBBLES) + add) & BIT4 & octet_mask(nibbles / 2);
    (lo >> 4) | (hi >> 3)
}

/// The sixteen digit characters of a word's nibbles (low nibble of each octet first), each
/// nibble plus `'0'`: right for 0-9, which is all the word holds where this is used.
#[inline(always)]
fn word_chars(w: u64) -> [u8; 2 * WORD_OCTETS] {
    // octet i to bits 16 i (a 16-bit lane each), then its nibbles to the lane's two octets
    let mut y = u128::from(w);
    y = (y | (y << 32)) & 0x0000_0000_ffff_ffff_0000_0000_ffff_ffff;
    y = (y | (y << 16)) & 0x0000_ffff_0000_ffff_0000_ffff_0000_ffff;
    y = (y | (y << 8)) & 0x00ff_00ff_00ff_00ff_00ff_00ff_00ff_00ff;
    let lanes = (y & 0x000f_000f_000f_000f_000f_000f_000f_000f)
        | ((y << 4) & 0x0f00_0f00_0f00_0f00_0f00_0f00_0f00_0f00);
    (lanes | ASCII_ZEROS).to_le_bytes()
}

/// The index of the first of the `count` BCD nibbles of `data` (low nibble first) that is not
/// a decimal digit (0xA-0xF); nibbles past the data are not counted.
pub fn first_non_digit(data: &[u8], count: usize) -> Option<usize> {
    let count = count.min(data.len().saturating_mul(2));
    let octets = data.get(..count.div_ceil(2)).unwrap_or(data);
    for (i, chunk) in octets.chunks(WORD_OCTETS).enumerate() {
        let first = i * 2 * WORD_OCTETS;
        let bad = above_nine(bcd_word(chunk), count.saturating_sub(first));
        if bad != 0 {
            let t = bad.trailing_zeros() as usize;
            return Some(first + 2 * (t / 8) + t % 8);
        }
    }
    None
}

/// Decode exactly `count` BCD digits (low nibble first), as SCCP global titles carry them
/// (the odd/even indicator gives the count; the unused last nibble may be 0x0 or 0xF).
/// Missing nibbles (count beyond the data) are simply not produced.
pub fn bcd_count(data: &[u8], count: usize) -> Digits {
    let mut d = Digits::EMPTY;
    let count = count.min(data.len().saturating_mul(2));
    let keep = count.min(MAX_DIGITS);
    let octets = data.get(..count.div_ceil(2)).unwrap_or(data);
    // eight octets at a time: sixteen characters written (the last ones may lie past `keep`,
    // and are then cut by the length); flags cover every digit, only the first MAX_DIGITS
    // are kept (a word past the buffer is not written)
    for (i, chunk) in octets.chunks(WORD_OCTETS).enumerate() {
        let first = i * 2 * WORD_OCTETS;
        let w = bcd_word(chunk);
        let bad = above_nine(w, count.saturating_sub(first)) != 0;
        d.non_digit |= bad;
        let Some(out) = d.buf.get_mut(first..first + 2 * WORD_OCTETS) else {
            continue;
        };
        if bad {
            for (pair, b) in out.chunks_exact_mut(2).zip(chunk) {
                if let [x, y] = pair {
                    *x = nibble_char(b & 0x0f);
                    *y = nibble_char(b >> 4);
                }
            }
        } else {
            out.copy_from_slice(&word_chars(w));
        }
    }
    d.len = u8::try_from(keep).unwrap_or(u8::MAX);
    d.truncated = count > MAX_DIGITS;
    d
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

    /// The plain reading [`bcd_count`] and [`first_non_digit`] must agree with: one nibble at
    /// a time.
    fn bcd_reference(data: &[u8], count: usize) -> (Vec<u8>, bool, Option<usize>) {
        let nibbles: Vec<u8> = data
            .iter()
            .flat_map(|b| [b & 0x0f, b >> 4])
            .take(count)
            .collect();
        let chars = nibbles
            .iter()
            .take(MAX_DIGITS)
            .map(|n| TBCD_CHARS[usize::from(*n)])
            .collect();
        let first = nibbles.iter().position(|n| *n > 9);
        (chars, first.is_some(), first)
    }

    /// Global titles as real stacks send them, and the odd ones: odd and even counts, a
    /// 0x0 or 0xF filler, non-digits in either nibble of any octet, 16 digits and more.
    #[test]
    fn bcd_count_on_real_global_titles() {
        let cases: &[(&[u8], usize)] = &[
            (&[0x19, 0x89, 0x04, 0x00, 0x00, 0x00], 11), // 98 4000 0000 0 (odd, 0 filler)
            (&[0x19, 0x89, 0x04, 0x00, 0x00, 0xf0], 11), // odd, F filler
            (&[0x44, 0x77, 0x00, 0x11, 0x22, 0x33], 12),
            (&[0x44, 0x77, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66], 18),
            (&[0x44, 0x77, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x6b], 17),
            (&[0x44, 0x77, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0xb6], 17),
            (&[0x4a, 0x77], 4),
            (&[0xa4, 0x77], 4),
            (&[0x44, 0x77], 9),
            (&[], 3),
        ];
        for (data, count) in cases {
            let (chars, bad, first) = bcd_reference(data, *count);
            let d = bcd_count(data, *count);
            assert_eq!(d.as_bytes(), &chars[..], "{data:02x?} {count}");
            assert_eq!(d.non_digit, bad, "{data:02x?} {count}");
            assert_eq!(first_non_digit(data, *count), first, "{data:02x?} {count}");
        }
    }

    proptest! {
        /// Eight octets at a time, [`bcd_count`] and [`first_non_digit`] read as a nibble at
        /// a time does, for any octets and count (mostly digits, so that words pass whole).
        #[test]
        fn bcd_words_agree_with_nibbles(
            data in proptest::collection::vec(
                prop_oneof![4 => (0u8..10, 0u8..10).prop_map(|(a, b)| a | b << 4), 1 => any::<u8>()],
                0..48),
            count in 0usize..100,
        ) {
            let (chars, bad, first) = bcd_reference(&data, count);
            let d = bcd_count(&data, count);
            prop_assert_eq!(d.as_bytes(), &chars[..]);
            prop_assert_eq!(d.non_digit, bad);
            prop_assert_eq!(d.truncated, count.min(data.len() * 2) > MAX_DIGITS);
            prop_assert_eq!(first_non_digit(&data, count), first);
        }
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

        /// The same on strings of mostly digits (whole words read at once) with the fillers
        /// real identities end with (0xF, 0xFF), and the odd non-digit or inner filler.
        #[test]
        fn tbcd_words_match_tbcd_skip(
            mut b in proptest::collection::vec(
                prop_oneof![6 => (0u8..10, 0u8..10).prop_map(|(a, b)| a | b << 4), 1 => any::<u8>()],
                0..40),
            tail in prop_oneof![Just(vec![]), Just(vec![0xf0]), Just(vec![0xf5]), Just(vec![0xff, 0xff])],
        ) {
            b.extend(tail);
            let d = tbcd(&b);
            prop_assert_eq!(d, tbcd_skip(&b, 0));
            prop_assert_eq!(tbcd_flags(&b), (d.has_non_digit(), d.has_filler_inside()));
            let mut buf = [0u8; MAX_DIGITS];
            let n = tbcd_digits(&b, &mut buf);
            prop_assert_eq!(buf.get(..n), Some(d.as_bytes()));
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
