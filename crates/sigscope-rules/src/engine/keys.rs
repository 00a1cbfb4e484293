//! The keys of detection state: digit strings (global titles, IMSIs, MSISDNs) packed into
//! integers, and the ends of a message (global title, point code or IP address).

use std::net::IpAddr;

use serde_json::Value;
use sigscope_core::digits::Digits;

/// A digit string (global title, IMSI, MSISDN) as a compact key: up to 16 hex digits packed
/// four bits each with the length, else a 64-bit hash of the text with the length (global
/// titles longer than 16 digits do not occur in practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DigitKey {
    packed: u64,
    /// The length (low octet) and whether the key is a hash (bit 8), in one field: written
    /// and read as one (a key returned through memory and read back whole after two separate
    /// one-octet stores would stall the load until the stores retire).
    meta: u16,
}

/// [`DigitKey::meta`]'s mark of a hashed key.
const HASHED: u16 = 1 << 8;

/// Digits a [`DigitKey`] packs (four bits each in a `u64`).
const PACKED_DIGITS: usize = 16;
/// Marks an octet that is no hex digit (see [`nibble`]).
const NOT_NIBBLE: u8 = 0x10;

/// The value of an octet as a hex digit, [`NOT_NIBBLE`] for the others.
const fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => NOT_NIBBLE,
    }
}

/// Octets read at once by [`pack8`].
const LANE: usize = 8;
/// Every octet's high nibble, and what it is for an ASCII digit.
const HIGH_NIBBLES: u64 = 0xf0f0_f0f0_f0f0_f0f0;
const ASCII_DIGIT_HIGH: u64 = 0x3030_3030_3030_3030;
/// Every octet's low nibble.
const LOW_NIBBLES: u64 = 0x0f0f_0f0f_0f0f_0f0f;
/// Added to every low nibble: carries into the high nibble exactly when it is over 9.
const OVER_NINE: u64 = 0x0606_0606_0606_0606;

/// Eight ASCII decimal digits (first digit in the high octet) as eight nibbles (first digit
/// in the high nibble); `None` when one is not a decimal digit.
const fn pack8(x: u64) -> Option<u64> {
    if x & HIGH_NIBBLES != ASCII_DIGIT_HIGH {
        return None;
    }
    let n = x & LOW_NIBBLES;
    if (n + OVER_NINE) & HIGH_NIBBLES != 0 {
        return None;
    }
    let n = ((n >> 4) | n) & 0x00ff_00ff_00ff_00ff;
    let n = ((n >> 8) | n) & 0x0000_ffff_0000_ffff;
    Some(((n >> 16) | n) & 0x0000_0000_ffff_ffff)
}

/// 8 to 16 ASCII decimal digits packed four bits each (what the nibble loop of
/// [`DigitKey::of_bytes`] makes of them), two lanes at a time: the last eight octets, and the
/// first eight (overlapping them) of which only the leading ones are kept.
fn pack_decimal(b: &[u8]) -> Option<u64> {
    let n = b.len();
    if !(LANE..=PACKED_DIGITS).contains(&n) {
        return None;
    }
    let lane = |s: &[u8]| Some(u64::from_be_bytes(s.try_into().ok()?));
    let head = pack8(lane(b.get(..LANE)?)?)?;
    let tail = pack8(lane(b.get(n - LANE..)?)?)?;
    // the head's digits beyond the first n - 8 are the tail's
    let lead = head >> (4 * (PACKED_DIGITS - n));
    Some((lead << 32) | tail)
}

impl DigitKey {
    /// A key from its value, length and kind.
    const fn new(packed: u64, len: u8, hashed: bool) -> DigitKey {
        DigitKey {
            packed,
            meta: len as u16 | if hashed { HASHED } else { 0 },
        }
    }

    /// The length of the digit string (cut at 255).
    const fn len(&self) -> u8 {
        self.meta as u8
    }

    /// Whether the key is a hash of the digits (too long to pack, or not hex digits).
    pub(super) const fn hashed(&self) -> bool {
        self.meta & HASHED != 0
    }

    /// The key of a digit string.
    pub fn of(d: &str) -> DigitKey {
        DigitKey::of_bytes(d.as_bytes())
    }

    /// The key of decoded digits (read as octets: no UTF-8 check).
    pub fn of_digits(d: &Digits) -> DigitKey {
        DigitKey::of_bytes(d.as_bytes())
    }

    /// The key of a digit string given as octets.
    pub fn of_bytes(b: &[u8]) -> DigitKey {
        if let Some(packed) = pack_decimal(b) {
            return DigitKey::new(packed, b.len() as u8, false);
        }
        if b.len() <= PACKED_DIGITS {
            let mut packed = 0u64;
            let mut bad = 0u8;
            for c in b {
                let v = nibble(*c);
                bad |= v;
                packed = (packed << 4) | u64::from(v & 0xf);
            }
            if bad & NOT_NIBBLE == 0 {
                return DigitKey::new(packed, b.len() as u8, false);
            }
        }
        let mut h =
            std::hash::BuildHasher::build_hasher(DIGIT_KEY_STATE.get_or_init(Default::default));
        std::hash::Hasher::write(&mut h, b);
        DigitKey::new(
            std::hash::Hasher::finish(&h),
            b.len().min(usize::from(u8::MAX)) as u8,
            true,
        )
    }

    /// The digits back (`#<hash>` for a hashed key).
    pub fn text(&self) -> String {
        if self.hashed() {
            return format!("#{:016x}", self.packed);
        }
        (0..self.len())
            .rev()
            .filter_map(|i| {
                let v = (self.packed >> (4 * u32::from(i))) & 0xf;
                char::from_digit(v as u32, 16)
            })
            .collect()
    }
}

/// Seed of the hash of digit strings too long to pack (keys only; never shown).
static DIGIT_KEY_STATE: std::sync::OnceLock<foldhash::quality::RandomState> =
    std::sync::OnceLock::new();

/// One end of a message, as detection names it: the SCCP global title, else the point
/// code, else the IP address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    /// Global-title digits.
    Gt(DigitKey),
    /// Signalling point code.
    Pc(u32),
    /// IP address.
    Ip(IpAddr),
    /// Nothing known.
    Unknown,
}

impl End {
    /// Three words no other end has: the value, the kind (with a key's length) and the
    /// upper half of an IPv6 address.
    pub(super) fn words(&self) -> [u64; 3] {
        match self {
            End::Gt(k) => [
                k.packed,
                1 | (u64::from(k.len()) << 8) | (u64::from(k.hashed()) << 16),
                0,
            ],
            End::Pc(p) => [u64::from(*p), 2, 0],
            End::Ip(IpAddr::V4(a)) => [u64::from(u32::from(*a)), 3, 0],
            End::Ip(IpAddr::V6(a)) => {
                let v = u128::from(*a);
                [v as u64, 4, (v >> 64) as u64]
            }
            End::Unknown => [0, 0, 0],
        }
    }

    /// As evidence shows it: digits, `pc<n>`, the address, or empty.
    pub fn to_json(&self) -> Value {
        match self {
            End::Gt(d) => d.text().into(),
            End::Pc(p) => format!("pc{p}").into(),
            End::Ip(a) => a.to_string().into(),
            End::Unknown => "".into(),
        }
    }
}

#[cfg(test)]
mod digit_key_tests {
    use super::*;
    use crate::engine::{digits_ok, tbcd_decimal_len, tbcd_leading, Id};
    use sigscope_core::digits::tbcd;

    /// The key as the nibble loop alone makes it (the reference of the two-lane path).
    fn by_nibbles(s: &str) -> Option<u64> {
        if s.len() > PACKED_DIGITS {
            return None;
        }
        s.bytes().try_fold(0u64, |p, c| {
            let v = nibble(c);
            (v != NOT_NIBBLE).then_some((p << 4) | u64::from(v))
        })
    }

    /// The identity check's reading of TBCD octets, and the identities decoded here, agree
    /// with the decoded digits.
    fn check_tbcd_reading(raw: &[u8]) {
        let d = tbcd(raw);
        let s = d.as_bytes();
        assert_eq!(Id::of_tbcd(raw).as_bytes(), s, "{raw:02x?}");
        assert_eq!(Id::of_tbcd(raw).as_str(), d.as_str(), "{raw:02x?}");
        let want = digits_ok(s).then_some(s.len());
        assert_eq!(tbcd_decimal_len(raw), want, "{raw:02x?}");
        if want.is_some_and(|n| n >= MCC_TEST_DIGITS) {
            let lead = s
                .iter()
                .take(MCC_TEST_DIGITS)
                .fold(0u16, |v, c| v * 10 + u16::from(c - b'0'));
            assert_eq!(tbcd_leading(raw, MCC_TEST_DIGITS), lead, "{raw:02x?}");
        }
    }

    const MCC_TEST_DIGITS: usize = 3;

    #[test]
    fn tbcd_reading_agrees_with_decoding() {
        check_tbcd_reading(&[]);
        for a in 0..=255u8 {
            check_tbcd_reading(&[a]);
            for b in 0..=255u8 {
                check_tbcd_reading(&[a, b]);
            }
        }
        // longer strings: digits with fillers, non-digits and 0xF placed around the end
        let mut x = 0x1234_5678_9abc_def0u64;
        for _ in 0..200_000 {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let len = (x >> 58) as usize % 40;
            let mut raw: Vec<u8> = (0..len)
                .map(|i| {
                    let r = (x >> (i % 56)) as u8;
                    (r % 10) | ((r / 10 % 10) << 4)
                })
                .collect();
            match (x >> 8) % 6 {
                0 => {}
                1 => raw.push(0xf0 | ((x >> 12) as u8 & 0xf)),
                2 => raw.extend([0xff, 0xff]),
                3 => {
                    if let Some(b) = raw.get_mut((x >> 16) as usize % len.max(1)) {
                        *b = (x >> 24) as u8;
                    }
                }
                4 => raw.extend([0xf1, 0xff]),
                _ => raw.push((x >> 32) as u8),
            }
            check_tbcd_reading(&raw);
        }
    }

    #[test]
    fn two_lanes_pack_as_the_nibble_loop() {
        let all = "9876543210123456789";
        for n in 0..=all.len() {
            for start in 0..3 {
                let Some(s) = all.get(start..(start + n).min(all.len())) else {
                    continue;
                };
                let k = DigitKey::of(s);
                assert_eq!(
                    by_nibbles(s).map(|p| (p, s.len() as u8, false)),
                    (!k.hashed()).then_some((k.packed, k.len(), k.hashed())),
                    "{s}"
                );
                if !k.hashed() {
                    assert_eq!(k.text(), s);
                }
            }
        }
        for s in [
            "44770090012",
            "4477009001abcdef",
            "447700900:",
            "12345678/",
            "1234567890*#",
            "0000000000000000",
            "99999999",
            "A1B2C3D4E5F6",
        ] {
            let k = DigitKey::of(s);
            assert_eq!(by_nibbles(s), (!k.hashed()).then_some(k.packed), "{s}");
        }
        assert!(DigitKey::of("12345678901234567").hashed());
        assert_eq!(
            DigitKey::of("447700900123"),
            DigitKey::of_digits(&Digits::from_ascii("447700900123"))
        );
    }
}
