//! Owned GTPv1 messages, extension headers and IEs, for round trips and synthesis.

use std::net::IpAddr;

use sigscope_core::Error;

use super::{flags, Ie, IeType, TvTable, V1Slice, HEADER_LEN, L, OPT_HEADER_LEN};

/// An owned extension header, for [`V1Repr`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExtHeaderRepr {
    /// Type.
    pub ext_type: u8,
    /// Content; its length must be 4n-2 (n >= 1) and at most 1018 bytes.
    pub content: Vec<u8>,
}

/// Octets between the type octet and the value: 2 for a TLV, 1 for the Extension Header Type
/// List (141, whose length is one octet although its type is >= 128: TS 29.060 7.7.40,
/// TS 29.281 8.5), 0 for a TV.
const fn header_len_after_type(t: u8) -> usize {
    if t == IeType::EXTENSION_HEADER_TYPE_LIST.0 {
        1
    } else if t >= 128 {
        2
    } else {
        0
    }
}

/// An owned GTPv1 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IeRepr {
    /// Type (< 128: TV, value length must match the TV table).
    pub ie_type: u8,
    /// Value bytes.
    pub value: Vec<u8>,
}

impl IeRepr {
    /// Raw IE.
    pub fn new(ie_type: u8, value: Vec<u8>) -> Self {
        IeRepr { ie_type, value }
    }
    /// Cause (1).
    pub fn cause(c: u8) -> Self {
        Self::new(1, vec![c])
    }
    /// IMSI (2) from digits (`None` when not 1-16 digits).
    pub fn imsi(digits: &str) -> Option<Self> {
        let mut v = vec![0xffu8; 8];
        if digits.is_empty() || digits.len() > 16 {
            return None;
        }
        sigscope_core::digits::encode_tbcd_into(digits, &mut v)?;
        Some(Self::new(2, v))
    }
    /// Recovery (14).
    pub fn recovery(n: u8) -> Self {
        Self::new(14, vec![n])
    }
    /// TEID Data I (16).
    pub fn teid_data_i(t: u32) -> Self {
        Self::new(16, t.to_be_bytes().to_vec())
    }
    /// TEID C-plane (17).
    pub fn teid_c_plane(t: u32) -> Self {
        Self::new(17, t.to_be_bytes().to_vec())
    }
    /// NSAPI (20).
    pub fn nsapi(n: u8) -> Self {
        Self::new(20, vec![n & 0x0f])
    }
    /// APN (131) from a dotted name.
    pub fn apn(name: &str) -> Option<Self> {
        crate::common::encode_labels(name).map(|v| Self::new(131, v))
    }
    /// GSN address (133).
    pub fn gsn_address(a: IpAddr) -> Self {
        Self::new(
            133,
            match a {
                IpAddr::V4(a) => a.octets().to_vec(),
                IpAddr::V6(a) => a.octets().to_vec(),
            },
        )
    }
    /// MSISDN (134): international E.164, ISDN numbering plan (0x91).
    pub fn msisdn(digits: &str) -> Option<Self> {
        let mut v = vec![0x91];
        v.extend(sigscope_core::digits::encode_tbcd(digits)?);
        Some(Self::new(134, v))
    }
    /// Private extension (255).
    pub fn private_extension(enterprise: u16, value: &[u8]) -> Self {
        let mut v = enterprise.to_be_bytes().to_vec();
        v.extend_from_slice(value);
        Self::new(255, v)
    }
    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        1 + header_len_after_type(self.ie_type) + self.value.len()
    }
    /// Append the encoding. Errors when a TV value has the wrong length or a TLV is too long.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        out.push(self.ie_type);
        if self.ie_type == IeType::EXTENSION_HEADER_TYPE_LIST.0 {
            let len = u8::try_from(self.value.len()).map_err(|_| Error::Limit {
                layer: L,
                what: "extension header type list length",
                limit: 255,
                offset: out.len(),
            })?;
            out.push(len);
        } else if self.ie_type >= 128 {
            let len = u16::try_from(self.value.len()).map_err(|_| Error::Limit {
                layer: L,
                what: "TLV length",
                limit: 65535,
                offset: out.len(),
            })?;
            out.extend_from_slice(&len.to_be_bytes());
        } else if TvTable::V1.tv_len(self.ie_type) != Some(self.value.len()) {
            return Err(Error::value(
                L,
                "TV value length",
                self.value.len() as u64,
                out.len(),
            ));
        }
        out.extend_from_slice(&self.value);
        Ok(())
    }
    /// From a parsed IE.
    pub fn from_ie(ie: &Ie<'_>) -> Self {
        Self::new(ie.ie_type.0, ie.value.to_vec())
    }
}

/// The body of an owned GTPv1 message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BodyRepr {
    /// Signalling IEs.
    Ies(Vec<IeRepr>),
    /// User data (G-PDU T-PDU) or any raw body.
    Payload(Vec<u8>),
}

/// An owned GTPv1 message: header, extension headers, body.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct V1Repr {
    /// Message type.
    pub msg_type: u8,
    /// TEID.
    pub teid: u32,
    /// Sequence number (sets S).
    pub seq: Option<u16>,
    /// N-PDU number (sets PN).
    pub npdu: Option<u8>,
    /// Extension headers (set E).
    pub ext_headers: Vec<ExtHeaderRepr>,
    /// Body.
    pub body: BodyRepr,
}

impl V1Repr {
    /// Read a parsed message back into owned form (IEs for signalling, payload for G-PDU;
    /// a body whose IE walk fails is kept as payload).
    pub fn parse(s: &V1Slice<'_>) -> Result<V1Repr, Error> {
        let mut ext = Vec::new();
        for h in s.ext_headers() {
            let h = h?;
            ext.push(ExtHeaderRepr {
                ext_type: h.ext_type.0,
                content: h.content.to_vec(),
            });
        }
        let body = if s.is_gpdu() {
            BodyRepr::Payload(s.body().to_vec())
        } else {
            match s
                .ies()
                .map(|r| r.map(|ie| IeRepr::from_ie(&ie)))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(v) => BodyRepr::Ies(v),
                Err(_) => BodyRepr::Payload(s.body().to_vec()),
            }
        };
        Ok(V1Repr {
            msg_type: s.message_type().0,
            teid: s.teid(),
            seq: s.sequence(),
            npdu: s.npdu(),
            ext_headers: ext,
            body,
        })
    }

    fn has_opt(&self) -> bool {
        self.seq.is_some() || self.npdu.is_some() || !self.ext_headers.is_empty()
    }

    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        let mut n = HEADER_LEN;
        if self.has_opt() {
            n += OPT_HEADER_LEN;
        }
        n += self
            .ext_headers
            .iter()
            .map(|h| h.content.len() + 2)
            .sum::<usize>();
        n + match &self.body {
            BodyRepr::Ies(v) => v.iter().map(IeRepr::buffer_len).sum(),
            BodyRepr::Payload(p) => p.len(),
        }
    }

    /// Append the encoding to `out`.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let start = out.len();
        let mut fl = 0x30u8;
        if !self.ext_headers.is_empty() {
            fl |= flags::E;
        }
        if self.seq.is_some() {
            fl |= flags::S;
        }
        if self.npdu.is_some() {
            fl |= flags::PN;
        }
        out.push(fl);
        out.push(self.msg_type);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.teid.to_be_bytes());
        if self.has_opt() {
            out.extend_from_slice(&self.seq.unwrap_or(0).to_be_bytes());
            out.push(self.npdu.unwrap_or(0));
            out.push(self.ext_headers.first().map_or(0, |h| h.ext_type));
        }
        for (i, h) in self.ext_headers.iter().enumerate() {
            let total = h.content.len() + 2;
            if total % 4 != 0 || total / 4 > 255 || h.ext_type == 0 {
                return Err(Error::value(
                    L,
                    "extension header content length",
                    h.content.len() as u64,
                    out.len(),
                ));
            }
            out.push((total / 4) as u8);
            out.extend_from_slice(&h.content);
            out.push(self.ext_headers.get(i + 1).map_or(0, |n| n.ext_type));
        }
        match &self.body {
            BodyRepr::Ies(v) => {
                for ie in v {
                    ie.emit(out)?;
                }
            }
            BodyRepr::Payload(p) => out.extend_from_slice(p),
        }
        let len = out.len() - start - HEADER_LEN;
        let len16 = u16::try_from(len).map_err(|_| Error::Limit {
            layer: L,
            what: "GTPv1 length",
            limit: 65535,
            offset: start + 2,
        })?;
        if let Some(slot) = out.get_mut(start + 2..start + 4) {
            slot.copy_from_slice(&len16.to_be_bytes());
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
