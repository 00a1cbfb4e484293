//! Value types shared by GTPv1, GTPv2 and GTP': PLMN identities, APN/FQDN label strings,
//! IP addresses, protocol configuration options and traffic flow templates (TS 24.008).

use core::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use sigscope_core::error::{be_u16, be_u32};
use sigscope_core::{Error, Layer};

const L: Layer = Layer::Gtp;

/// Most labels walked in one APN / FQDN.
pub const MAX_LABELS: usize = 64;
/// Most options walked in one PCO / APCO / ePCO.
pub const MAX_PCO_OPTIONS: usize = 64;
/// Most packet filters walked in one TFT.
pub const MAX_TFT_FILTERS: usize = 16;

const NIBBLE_CHARS: &[u8; 16] = b"0123456789*#abc?";

/// A PLMN identity (MCC + MNC, TS 24.008 10.5.1.3 / TS 29.274 8.18): 3 octets of swapped digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PlmnId {
    raw: [u8; 3],
    digits: [u8; 6],
    mnc_len: u8,
}

impl PlmnId {
    /// Decode the first 3 bytes of `b`.
    pub fn parse(b: &[u8]) -> Result<PlmnId, Error> {
        match b {
            [a, c, d, ..] => Ok(PlmnId::from_raw([*a, *c, *d])),
            _ => Err(Error::len(L, 3, b.len(), 0)),
        }
    }

    /// From 3 raw octets.
    pub fn from_raw(raw: [u8; 3]) -> PlmnId {
        let [a, b, c] = raw;
        let ch = |n: u8| {
            NIBBLE_CHARS
                .get(usize::from(n & 0xf))
                .copied()
                .unwrap_or(b'?')
        };
        let mnc3 = b >> 4;
        let digits = [
            ch(a & 0xf),
            ch(a >> 4),
            ch(b & 0xf),
            ch(c & 0xf),
            ch(c >> 4),
            ch(mnc3),
        ];
        PlmnId {
            raw,
            digits,
            mnc_len: if mnc3 == 0xf { 2 } else { 3 },
        }
    }

    /// Encode MCC (3 digits) and MNC (2 or 3 digits); `None` on anything else.
    pub fn encode(mcc: &str, mnc: &str) -> Option<[u8; 3]> {
        let d = |c: u8| {
            if c.is_ascii_digit() {
                Some(c - b'0')
            } else {
                None
            }
        };
        let m = mcc.as_bytes();
        let n = mnc.as_bytes();
        let (m1, m2, m3) = match m {
            [a, b, c] => (d(*a)?, d(*b)?, d(*c)?),
            _ => return None,
        };
        let (n1, n2, n3) = match n {
            [a, b] => (d(*a)?, d(*b)?, 0xf),
            [a, b, c] => (d(*a)?, d(*b)?, d(*c)?),
            _ => return None,
        };
        Some([m1 | (m2 << 4), m3 | (n3 << 4), n1 | (n2 << 4)])
    }

    /// The three raw octets.
    pub const fn raw(&self) -> [u8; 3] {
        self.raw
    }

    /// Mobile country code (3 characters).
    pub fn mcc(&self) -> &str {
        self.digits
            .get(..3)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Mobile network code (2 or 3 characters).
    pub fn mnc(&self) -> &str {
        let end = 3 + usize::from(self.mnc_len);
        self.digits
            .get(3..end)
            .and_then(|b| core::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Every nibble is a decimal digit (the filler aside).
    pub fn is_clean(&self) -> bool {
        self.mcc()
            .bytes()
            .chain(self.mnc().bytes())
            .all(|c| c.is_ascii_digit())
    }
}

impl fmt::Display for PlmnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.mcc(), self.mnc())
    }
}

impl fmt::Debug for PlmnId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PlmnId({self})")
    }
}

/// A dotted name in DNS label form (APN, FQDN): borrowed, decoded lazily.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Labels<'a> {
    raw: &'a [u8],
}

impl<'a> Labels<'a> {
    /// Wrap the raw label bytes.
    pub const fn new(raw: &'a [u8]) -> Self {
        Labels { raw }
    }

    /// The raw bytes.
    pub const fn raw(&self) -> &'a [u8] {
        self.raw
    }

    /// Iterate over the labels; a label whose length overruns the data yields the rest and
    /// [`Labels::is_well_formed`] is false.
    pub fn iter(&self) -> LabelIter<'a> {
        LabelIter {
            rest: self.raw,
            count: 0,
        }
    }

    /// Every label length fits, no empty label, at most [`MAX_LABELS`] labels, printable ASCII.
    pub fn is_well_formed(&self) -> bool {
        let mut rest = self.raw;
        let mut n = 0;
        while let Some((&len, tail)) = rest.split_first() {
            let len = usize::from(len);
            match tail.get(..len) {
                Some(label) if len > 0 && label.iter().all(|c| c.is_ascii_graphic()) => {
                    rest = tail.get(len..).unwrap_or(&[]);
                }
                _ => return false,
            }
            n += 1;
            if n > MAX_LABELS {
                return false;
            }
        }
        true
    }
}

/// Iterator over the labels of [`Labels`].
#[derive(Clone, Debug)]
pub struct LabelIter<'a> {
    rest: &'a [u8],
    count: usize,
}

impl<'a> Iterator for LabelIter<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.count >= MAX_LABELS {
            return None;
        }
        let (&len, tail) = self.rest.split_first()?;
        self.count += 1;
        let len = usize::from(len);
        match (tail.get(..len), tail.get(len..)) {
            (Some(label), Some(rest)) => {
                self.rest = rest;
                Some(label)
            }
            _ => {
                self.rest = &[];
                Some(tail)
            }
        }
    }
}

impl fmt::Display for Labels<'_> {
    /// Labels joined by '.', non-printable bytes as `\xNN`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, label) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            for &c in label {
                if c.is_ascii_graphic() {
                    write!(f, "{}", c as char)?;
                } else {
                    write!(f, "\\x{c:02x}")?;
                }
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Labels<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Labels({self})")
    }
}

/// Encode a dotted name into label form (empty labels are skipped). `None` if a label is
/// longer than 63 bytes.
pub fn encode_labels(name: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(name.len() + 1);
    for label in name.split('.').filter(|l| !l.is_empty()) {
        let len = u8::try_from(label.len()).ok().filter(|l| *l <= 63)?;
        out.push(len);
        out.extend_from_slice(label.as_bytes());
    }
    Some(out)
}

/// An IPv4 or IPv6 address from 4 or 16 bytes.
pub fn ip_from(b: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(b) {
        return Some(IpAddr::V4(Ipv4Addr::from(a)));
    }
    <[u8; 16]>::try_from(b)
        .ok()
        .map(|a| IpAddr::V6(Ipv6Addr::from(a)))
}

/// Read 4 bytes at `at` as IPv4.
pub fn ipv4_at(b: &[u8], at: usize) -> Result<Ipv4Addr, Error> {
    be_u32(b, at, L).map(Ipv4Addr::from)
}

/// Read 16 bytes at `at` as IPv6.
pub fn ipv6_at(b: &[u8], at: usize) -> Result<Ipv6Addr, Error> {
    let s = sigscope_core::error::take(b, at, 16, L)?;
    <[u8; 16]>::try_from(s)
        .map(Ipv6Addr::from)
        .map_err(|_| Error::len(L, 16, s.len(), at))
}

/// Protocol configuration options (TS 24.008 10.5.6.3): header octet + (id, len, content) list.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Pco<'a> {
    /// Configuration protocol (low 3 bits of the first octet; 0 = PPP with IP PDP).
    pub protocol: u8,
    /// The extension bit (bit 8 of the first octet) is set, as it must be.
    pub ext: bool,
    /// The options, undecoded.
    pub options: &'a [u8],
}

impl<'a> Pco<'a> {
    /// Parse the value of a PCO / APCO / ePCO IE.
    pub fn parse(b: &'a [u8]) -> Result<Pco<'a>, Error> {
        let (&h, options) = b.split_first().ok_or(Error::len(L, 1, 0, 0))?;
        Ok(Pco {
            protocol: h & 0x07,
            ext: h & 0x80 != 0,
            options,
        })
    }

    /// Iterate `(protocol/container id, contents)`.
    pub fn iter(&self) -> PcoIter<'a> {
        PcoIter {
            rest: self.options,
            offset: 1,
            count: 0,
        }
    }
}

/// Iterator over PCO options; a truncated option ends it with an error.
#[derive(Clone, Debug)]
pub struct PcoIter<'a> {
    rest: &'a [u8],
    offset: usize,
    count: usize,
}

impl<'a> Iterator for PcoIter<'a> {
    type Item = Result<(u16, &'a [u8]), Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        if self.count >= MAX_PCO_OPTIONS {
            self.rest = &[];
            return Some(Err(Error::Limit {
                layer: L,
                what: "PCO options",
                limit: MAX_PCO_OPTIONS,
                offset: self.offset,
            }));
        }
        self.count += 1;
        match self.rest {
            [a, b, len, tail @ ..] => {
                let id = u16::from_be_bytes([*a, *b]);
                let len = usize::from(*len);
                match (tail.get(..len), tail.get(len..)) {
                    (Some(c), Some(rest)) => {
                        self.rest = rest;
                        self.offset += 3 + len;
                        Some(Ok((id, c)))
                    }
                    _ => {
                        self.rest = &[];
                        Some(Err(Error::len(L, len, tail.len(), self.offset + 3)))
                    }
                }
            }
            _ => {
                let n = self.rest.len();
                self.rest = &[];
                Some(Err(Error::len(L, 3, n, self.offset)))
            }
        }
    }
}

/// A traffic flow template (TS 24.008 10.5.6.12): operation code, filter count, raw filters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tft<'a> {
    /// TFT operation code (1 create new, 2 delete existing, 3 add, 4 replace, 5 delete filters, 6 no-op).
    pub op_code: u8,
    /// E bit: parameters list present.
    pub e_bit: bool,
    /// Number of packet filters.
    pub filter_count: u8,
    /// Packet filters and parameters, undecoded.
    pub rest: &'a [u8],
}

impl<'a> Tft<'a> {
    /// Parse a TFT value.
    pub fn parse(b: &'a [u8]) -> Result<Tft<'a>, Error> {
        let (&h, rest) = b.split_first().ok_or(Error::len(L, 1, 0, 0))?;
        Ok(Tft {
            op_code: h >> 5,
            e_bit: h & 0x10 != 0,
            filter_count: h & 0x0f,
            rest,
        })
    }

    /// Iterate packet filters `(identifier+direction octet, precedence, components)` for the
    /// operation codes that carry full filters (create, add, replace).
    pub fn filters(&self) -> TftFilterIter<'a> {
        let carries = matches!(self.op_code, 1 | 3 | 4);
        TftFilterIter {
            rest: if carries { self.rest } else { &[] },
            left: self.filter_count.min(MAX_TFT_FILTERS as u8),
        }
    }
}

/// Packet filter of a TFT.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TftFilter<'a> {
    /// Packet filter identifier (low 4 bits).
    pub id: u8,
    /// Direction (bits 5-6): 0 pre-Rel-7, 1 downlink, 2 uplink, 3 bidirectional.
    pub direction: u8,
    /// Evaluation precedence.
    pub precedence: u8,
    /// Filter components, undecoded.
    pub contents: &'a [u8],
}

/// Iterator over TFT packet filters.
#[derive(Clone, Debug)]
pub struct TftFilterIter<'a> {
    rest: &'a [u8],
    left: u8,
}

impl<'a> Iterator for TftFilterIter<'a> {
    type Item = Result<TftFilter<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        match self.rest {
            [h, prec, len, tail @ ..] => {
                let len = usize::from(*len);
                match (tail.get(..len), tail.get(len..)) {
                    (Some(c), Some(rest)) => {
                        self.rest = rest;
                        Some(Ok(TftFilter {
                            id: h & 0x0f,
                            direction: (h >> 4) & 0x03,
                            precedence: *prec,
                            contents: c,
                        }))
                    }
                    _ => {
                        self.left = 0;
                        Some(Err(Error::len(L, len, tail.len(), 3)))
                    }
                }
            }
            _ => {
                self.left = 0;
                Some(Err(Error::len(L, 3, self.rest.len(), 0)))
            }
        }
    }
}

/// Read a big-endian u16, as the IE decoders do.
pub(crate) fn u16_at(b: &[u8], at: usize) -> Result<u16, Error> {
    be_u16(b, at, L)
}

/// Read a big-endian u32, as the IE decoders do.
pub(crate) fn u32_at(b: &[u8], at: usize) -> Result<u32, Error> {
    be_u32(b, at, L)
}

/// Read one byte.
pub(crate) fn u8_at(b: &[u8], at: usize) -> Result<u8, Error> {
    sigscope_core::error::u8_at(b, at, L)
}

/// Require exactly/at least `n` bytes.
pub(crate) fn need(b: &[u8], n: usize) -> Result<(), Error> {
    if b.len() < n {
        Err(Error::len(L, n, b.len(), 0))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plmn() {
        // MCC 262, MNC 01 (TS 24.008 example): 62 F2 10
        let p = PlmnId::parse(&[0x62, 0xf2, 0x10]).unwrap();
        assert_eq!((p.mcc(), p.mnc()), ("262", "01"));
        assert_eq!(PlmnId::encode("262", "01"), Some([0x62, 0xf2, 0x10]));
        let p = PlmnId::parse(&[0x13, 0x00, 0x62]).unwrap();
        assert_eq!(p.to_string(), "310-260");
        assert!(p.is_clean());
        assert!(PlmnId::parse(&[1, 2]).is_err());
    }

    #[test]
    fn labels() {
        let raw = encode_labels("mms.voicestream.com").unwrap();
        let l = Labels::new(&raw);
        assert_eq!(l.to_string(), "mms.voicestream.com");
        assert!(l.is_well_formed());
        let bad = [5u8, b'a', b'b'];
        assert!(!Labels::new(&bad).is_well_formed());
        assert_eq!(Labels::new(&bad).to_string(), "ab");
    }

    #[test]
    fn pco_walk() {
        // PCO from DangerM.pcap frame 7510 (IPCP option): 80 8021 10 ...
        let b = [0x80, 0x80, 0x21, 0x02, 0x01, 0x00, 0x00, 0x0d, 0x00];
        let p = Pco::parse(&b).unwrap();
        assert!(p.ext);
        let v: Vec<_> = p.iter().collect();
        assert_eq!(v[0], Ok((0x8021, &[1u8, 0][..])));
        assert_eq!(v[1], Ok((0x000d, &[][..])));
        assert!(v.get(2).is_none() || v[2].is_err());
    }
}
