//! Owned GTPv2-C messages and IEs (with piggybacking), for round trips and synthesis.

use sigscope_core::Error;

use super::{
    flags, FTeid, Ie, V2Slice, V2Value, HEADER_LEN_NO_TEID, HEADER_LEN_TEID, IE_HEADER_LEN, L,
    MAX_PIGGYBACKED,
};
use crate::common::PlmnId;

/// The value of an owned GTPv2 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IeValueRepr {
    /// Raw value bytes.
    Raw(Vec<u8>),
    /// Grouped IE.
    Grouped(Vec<IeRepr>),
}

/// An owned GTPv2 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IeRepr {
    /// Type.
    pub ie_type: u8,
    /// Instance (4 bits).
    pub instance: u8,
    /// Value.
    pub value: IeValueRepr,
}

impl IeRepr {
    /// Raw IE.
    pub fn raw(ie_type: u8, instance: u8, value: Vec<u8>) -> Self {
        IeRepr {
            ie_type,
            instance,
            value: IeValueRepr::Raw(value),
        }
    }
    /// Grouped IE.
    pub fn grouped(ie_type: u8, instance: u8, ies: Vec<IeRepr>) -> Self {
        IeRepr {
            ie_type,
            instance,
            value: IeValueRepr::Grouped(ies),
        }
    }
    /// IMSI (1).
    pub fn imsi(digits: &str) -> Option<Self> {
        Some(Self::raw(1, 0, sigscope_core::digits::encode_tbcd(digits)?))
    }
    /// MSISDN (76).
    pub fn msisdn(digits: &str) -> Option<Self> {
        Some(Self::raw(
            76,
            0,
            sigscope_core::digits::encode_tbcd(digits)?,
        ))
    }
    /// Cause (2).
    pub fn cause(value: u8) -> Self {
        Self::raw(2, 0, vec![value, 0])
    }
    /// Recovery (3).
    pub fn recovery(n: u8) -> Self {
        Self::raw(3, 0, vec![n])
    }
    /// APN (71).
    pub fn apn(name: &str) -> Option<Self> {
        Some(Self::raw(71, 0, crate::common::encode_labels(name)?))
    }
    /// AMBR (72).
    pub fn ambr(ul: u32, dl: u32) -> Self {
        let mut v = ul.to_be_bytes().to_vec();
        v.extend_from_slice(&dl.to_be_bytes());
        Self::raw(72, 0, v)
    }
    /// EBI (73).
    pub fn ebi(instance: u8, ebi: u8) -> Self {
        Self::raw(73, instance, vec![ebi & 0x0f])
    }
    /// RAT type (82).
    pub fn rat_type(t: u8) -> Self {
        Self::raw(82, 0, vec![t])
    }
    /// F-TEID (87).
    pub fn f_teid(instance: u8, f: &FTeid) -> Self {
        let mut v = vec![
            (f.interface_type & 0x3f)
                | if f.ipv4.is_some() { 0x80 } else { 0 }
                | if f.ipv6.is_some() { 0x40 } else { 0 },
        ];
        v.extend_from_slice(&f.teid.to_be_bytes());
        if let Some(a) = f.ipv4 {
            v.extend_from_slice(&a.octets());
        }
        if let Some(a) = f.ipv6 {
            v.extend_from_slice(&a.octets());
        }
        Self::raw(87, instance, v)
    }
    /// Serving network (83).
    pub fn serving_network(mcc: &str, mnc: &str) -> Option<Self> {
        Some(Self::raw(83, 0, PlmnId::encode(mcc, mnc)?.to_vec()))
    }
    /// Node features (152).
    pub fn node_features(f: u8) -> Self {
        Self::raw(152, 0, vec![f])
    }
    /// Private extension (255).
    pub fn private_extension(enterprise: u16, value: &[u8]) -> Self {
        let mut v = enterprise.to_be_bytes().to_vec();
        v.extend_from_slice(value);
        Self::raw(255, 0, v)
    }

    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        IE_HEADER_LEN
            + match &self.value {
                IeValueRepr::Raw(v) => v.len(),
                IeValueRepr::Grouped(v) => v.iter().map(IeRepr::buffer_len).sum(),
            }
    }

    /// Append the encoding.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let start = out.len();
        out.extend_from_slice(&[self.ie_type, 0, 0, self.instance & 0x0f]);
        match &self.value {
            IeValueRepr::Raw(v) => out.extend_from_slice(v),
            IeValueRepr::Grouped(v) => {
                for ie in v {
                    ie.emit(out)?;
                }
            }
        }
        let len = u16::try_from(out.len() - start - IE_HEADER_LEN).map_err(|_| Error::Limit {
            layer: L,
            what: "IE length",
            limit: 65535,
            offset: start,
        })?;
        if let Some(s) = out.get_mut(start + 1..start + 3) {
            s.copy_from_slice(&len.to_be_bytes());
        }
        Ok(())
    }

    /// From a parsed IE (grouped IEs recursively, up to the depth cap).
    pub fn from_ie(ie: &Ie<'_>) -> Result<Self, Error> {
        if ie.ie_type.is_grouped() {
            if let V2Value::Grouped(inner) = ie.decode()? {
                let v = inner
                    .map(|r| r.and_then(|i| IeRepr::from_ie(&i)))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Self::grouped(ie.ie_type.0, ie.instance, v));
            }
        }
        Ok(Self::raw(ie.ie_type.0, ie.instance, ie.value.to_vec()))
    }
}

/// An owned GTPv2-C message (with an optional piggybacked message).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct V2Repr {
    /// Message type.
    pub msg_type: u8,
    /// TEID (sets T).
    pub teid: Option<u32>,
    /// Sequence number (24 bits).
    pub seq: u32,
    /// Message priority (sets MP).
    pub priority: Option<u8>,
    /// IEs.
    pub ies: Vec<IeRepr>,
    /// Piggybacked message (sets P).
    pub piggybacked: Option<Box<V2Repr>>,
}

fn piggyback_limit(offset: usize) -> Error {
    Error::Limit {
        layer: L,
        what: "messages per datagram (piggybacking)",
        limit: MAX_PIGGYBACKED,
        offset,
    }
}

impl V2Repr {
    /// Read a parsed message (and what it piggybacks) into owned form. A chain of more than
    /// [`MAX_PIGGYBACKED`] messages (each with P = 1) is an [`Error::Limit`]; the chain is walked
    /// without recursion.
    pub fn parse(s: &V2Slice<'_>) -> Result<V2Repr, Error> {
        let mut chain = vec![Self::parse_one(s)?];
        let mut cur = *s;
        while let Some(next) = cur.piggybacked() {
            let next = next?;
            if chain.len() >= MAX_PIGGYBACKED {
                return Err(piggyback_limit(next.base()));
            }
            chain.push(Self::parse_one(&next)?);
            cur = next;
        }
        // Link back to front: the last message is the innermost `piggybacked`.
        let mut r = chain.pop().ok_or_else(|| piggyback_limit(s.base()))?;
        while let Some(mut outer) = chain.pop() {
            outer.piggybacked = Some(Box::new(r));
            r = outer;
        }
        Ok(r)
    }

    fn parse_one(s: &V2Slice<'_>) -> Result<V2Repr, Error> {
        let ies = s
            .ies()
            .map(|r| r.and_then(|i| IeRepr::from_ie(&i)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(V2Repr {
            msg_type: s.message_type().0,
            teid: s.teid(),
            seq: s.sequence(),
            priority: s.priority(),
            ies,
            piggybacked: None,
        })
    }

    /// This message and the ones it piggybacks, in order, at most [`MAX_PIGGYBACKED`] + 1 of
    /// them (one more than allowed, so that callers can tell the chain is too long).
    fn chain(&self) -> impl Iterator<Item = &V2Repr> {
        core::iter::successors(Some(self), |r| r.piggybacked.as_deref()).take(MAX_PIGGYBACKED + 1)
    }

    /// Encoded length (including the piggybacked messages, up to [`MAX_PIGGYBACKED`] in all).
    pub fn buffer_len(&self) -> usize {
        self.chain()
            .take(MAX_PIGGYBACKED)
            .map(|r| {
                let h = if r.teid.is_some() {
                    HEADER_LEN_TEID
                } else {
                    HEADER_LEN_NO_TEID
                };
                h + r.ies.iter().map(IeRepr::buffer_len).sum::<usize>()
            })
            .sum()
    }

    /// Append the encoding (the piggybacked messages too). A chain longer than
    /// [`MAX_PIGGYBACKED`] messages is an [`Error::Limit`] and nothing is appended.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        if self.chain().count() > MAX_PIGGYBACKED {
            return Err(piggyback_limit(out.len()));
        }
        for r in self.chain() {
            r.emit_one(out)?;
        }
        Ok(())
    }

    fn emit_one(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let start = out.len();
        let mut fl = 0x40u8;
        if self.piggybacked.is_some() {
            fl |= flags::P;
        }
        if self.teid.is_some() {
            fl |= flags::T;
        }
        if self.priority.is_some() {
            fl |= flags::MP;
        }
        out.extend_from_slice(&[fl, self.msg_type, 0, 0]);
        if let Some(t) = self.teid {
            out.extend_from_slice(&t.to_be_bytes());
        }
        let seq = self.seq.to_be_bytes();
        out.extend_from_slice(&seq[1..]);
        out.push(self.priority.map_or(0, |p| (p & 0x0f) << 4));
        for ie in &self.ies {
            ie.emit(out)?;
        }
        let len = u16::try_from(out.len() - start - 4).map_err(|_| Error::Limit {
            layer: L,
            what: "GTPv2 length",
            limit: 65535,
            offset: start,
        })?;
        if let Some(s) = out.get_mut(start + 2..start + 4) {
            s.copy_from_slice(&len.to_be_bytes());
        }
        Ok(())
    }

    /// Encode into a new vector.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut v = Vec::with_capacity(self.buffer_len());
        self.emit(&mut v)?;
        Ok(v)
    }
}
