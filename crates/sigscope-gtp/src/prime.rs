//! GTP' (3GPP TS 32.295, charging data transfer) and GTPv0 (GSM 09.60): headers, message
//! types and the IE walk (TV + TLV). Values are decoded by [`crate::v1::Ie::decode`]: GTP'
//! shares the GTPv1 numbering for the IEs it has; GTPv0 IEs carry their table, and get the
//! GSM 09.60 meanings where they differ (QoS Profile 6, Flow Labels 16-18, MS Not Reachable
//! Reason 19; see [`crate::v1::v0_ie_name`]).

use sigscope_core::digits::{bcd_count, Digits};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::v1::{validate_ies, IeIter, MsgType, Rules, TvTable};

const L: Layer = Layer::Gtp;

/// GTP' short header length (versions 1, 2; version 0 with the header-length bit set).
pub const PRIME_SHORT_HEADER_LEN: usize = 6;
/// GTP' long header length (version 0 with the header-length bit clear; 14 filler octets).
pub const PRIME_LONG_HEADER_LEN: usize = 20;
/// GTPv0 header length.
pub const V0_HEADER_LEN: usize = 20;

/// GTP' message types are a subset of the GTPv1 numbering: is `t` one of them?
pub const fn is_prime_type(t: u8) -> bool {
    matches!(t, 1..=7 | 240 | 241)
}

/// GTPv0 message types (GSM 09.60 7.1).
pub const fn is_v0_type(t: u8) -> bool {
    matches!(t, 1..=5 | 16..=37 | 48..=52 | 240 | 241 | 255) && !matches!(t, 31)
}

/// Name of a GTPv0 message type (where GSM 09.60 differs from GTPv1, its own name).
pub fn v0_name(t: u8) -> Option<&'static str> {
    match t {
        22 => Some("create_aa_pdp_context_request"),
        23 => Some("create_aa_pdp_context_response"),
        24 => Some("delete_aa_pdp_context_request"),
        25 => Some("delete_aa_pdp_context_response"),
        255 => Some("t_pdu"),
        _ if is_v0_type(t) => MsgType(t).name(),
        _ => None,
    }
}

/// A zero-copy view of one GTP' message.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PrimeSlice<'a> {
    data: &'a [u8],
    flags: u8,
    msg_type: MsgType,
    length: u16,
    seq: u16,
    header_len: usize,
    end: usize,
}

/// Octets of the GTP' or GTPv0 message at the front of `data` as its header says (header
/// length + length field), so that messages sent back to back in a TCP stream can be cut
/// apart (TS 32.295 6.1.4); `None` while fewer octets than the length field's end are there.
pub fn message_len(data: &[u8]) -> Option<usize> {
    let (fl, length) = match data {
        [f, _, a, b, ..] => (*f, u16::from_be_bytes([*a, *b])),
        _ => return None,
    };
    let header_len = if fl & 0x10 != 0 {
        V0_HEADER_LEN
    } else if fl >> 5 == 0 && fl & 0x01 == 0 {
        PRIME_LONG_HEADER_LEN
    } else {
        PRIME_SHORT_HEADER_LEN
    };
    Some(header_len + usize::from(length))
}

impl<'a> PrimeSlice<'a> {
    /// Parse a GTP' header (PT = 0).
    pub fn from_slice(data: &'a [u8]) -> Result<PrimeSlice<'a>, Error> {
        let (fl, ty, length, seq) = match data {
            [f, t, a, b, c, d, ..] => (
                *f,
                *t,
                u16::from_be_bytes([*a, *b]),
                u16::from_be_bytes([*c, *d]),
            ),
            _ => return Err(Error::len(L, PRIME_SHORT_HEADER_LEN, data.len(), 0)),
        };
        if fl & 0x10 != 0 {
            return Err(Error::value(L, "GTP' protocol type", 1, 0));
        }
        let header_len = if fl >> 5 == 0 && fl & 0x01 == 0 {
            PRIME_LONG_HEADER_LEN
        } else {
            PRIME_SHORT_HEADER_LEN
        };
        if data.len() < header_len {
            return Err(Error::len(L, header_len, data.len(), 0));
        }
        let end = (header_len + usize::from(length)).min(data.len());
        Ok(PrimeSlice {
            data,
            flags: fl,
            msg_type: MsgType(ty),
            length,
            seq,
            header_len,
            end,
        })
    }

    /// Every byte given to [`PrimeSlice::from_slice`] (including trailing bytes).
    pub const fn datagram(&self) -> &'a [u8] {
        self.data
    }
    /// Version (0, 1 or 2).
    pub const fn version(&self) -> u8 {
        self.flags >> 5
    }
    /// Flags octet.
    pub const fn flags(&self) -> u8 {
        self.flags
    }
    /// Message type (GTPv1 numbering).
    pub const fn message_type(&self) -> MsgType {
        self.msg_type
    }
    /// Length field (bytes after the header).
    pub const fn length(&self) -> u16 {
        self.length
    }
    /// Sequence number.
    pub const fn sequence(&self) -> u16 {
        self.seq
    }
    /// Header length (6 or 20).
    pub const fn header_len(&self) -> usize {
        self.header_len
    }
    /// IE bytes.
    pub fn body(&self) -> &'a [u8] {
        self.data.get(self.header_len..self.end).unwrap_or(&[])
    }
    /// Bytes after the message.
    pub fn trailing(&self) -> &'a [u8] {
        self.data.get(self.end..).unwrap_or(&[])
    }
    /// IEs (GTP' TV table).
    pub fn ies(&self) -> IeIter<'a> {
        IeIter::new(self.body(), self.header_len, TvTable::Prime)
    }
    /// Validate (anomalies at datagram offsets).
    pub fn validate(&self, out: &mut Anomalies) {
        if self.flags & 0x0e != 0x0e {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::ReservedBitSet,
                    0,
                    "GTP' spare bits are not all 1",
                )
                .with_value(u64::from(self.flags)),
            );
        }
        if self.version() > 2 {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::UnsupportedVersion,
                    0,
                    "GTP' version above 2",
                )
                .with_value(u64::from(self.version())),
            );
        }
        let declared = self.header_len + usize::from(self.length);
        if declared != self.data.len() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::HeaderLengthMismatch,
                    2,
                    "GTP' length disagrees with the datagram",
                )
                .with_value(self.data.len() as u64),
            );
        }
        if !is_prime_type(self.msg_type.0) {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::UnassignedMessageType,
                    1,
                    "not a GTP' message type",
                )
                .with_value(u64::from(self.msg_type.0)),
            );
        }
        validate_ies(self.msg_type, self.ies(), Rules::Prime, out);
    }
}

/// A zero-copy view of one GTPv0 message (20-byte header with TID).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct V0Slice<'a> {
    data: &'a [u8],
    header: &'a [u8; V0_HEADER_LEN],
    length: u16,
    end: usize,
}

impl<'a> V0Slice<'a> {
    /// Parse a GTPv0 header (version 0, PT = 1).
    pub fn from_slice(data: &'a [u8]) -> Result<V0Slice<'a>, Error> {
        let header: &[u8; V0_HEADER_LEN] = data
            .get(..V0_HEADER_LEN)
            .and_then(|h| h.try_into().ok())
            .ok_or(Error::len(L, V0_HEADER_LEN, data.len(), 0))?;
        let [fl, _, a, b, ..] = *header;
        if fl >> 5 != 0 || fl & 0x10 == 0 {
            return Err(Error::value(L, "GTPv0 version/PT", u64::from(fl), 0));
        }
        let length = u16::from_be_bytes([a, b]);
        let end = (V0_HEADER_LEN + usize::from(length)).min(data.len());
        Ok(V0Slice {
            data,
            header,
            length,
            end,
        })
    }

    fn at(&self, i: usize) -> u8 {
        self.header.get(i).copied().unwrap_or(0)
    }
    /// Every byte given to [`V0Slice::from_slice`] (including trailing bytes).
    pub const fn datagram(&self) -> &'a [u8] {
        self.data
    }
    /// Flags octet.
    pub fn flags(&self) -> u8 {
        self.at(0)
    }
    /// Message type.
    pub fn message_type(&self) -> MsgType {
        MsgType(self.at(1))
    }
    /// Length field (bytes after the 20-byte header).
    pub const fn length(&self) -> u16 {
        self.length
    }
    /// Sequence number.
    pub fn sequence(&self) -> u16 {
        u16::from_be_bytes([self.at(4), self.at(5)])
    }
    /// Flow label.
    pub fn flow_label(&self) -> u16 {
        u16::from_be_bytes([self.at(6), self.at(7)])
    }
    /// SNDCP N-PDU LLC number.
    pub fn sndcp_npdu(&self) -> u8 {
        self.at(8)
    }
    /// TID octets (IMSI + NSAPI).
    pub fn tid(&self) -> [u8; 8] {
        let mut t = [0u8; 8];
        if let Some(s) = self.header.get(12..20) {
            t.copy_from_slice(s);
        }
        t
    }
    /// IMSI from the TID: the first 15 nibbles (the 16th is the NSAPI).
    pub fn tid_imsi(&self) -> Digits {
        bcd_count(&self.tid(), 15)
    }
    /// NSAPI from the TID.
    pub fn tid_nsapi(&self) -> u8 {
        self.tid().get(7).copied().unwrap_or(0) >> 4
    }
    /// Body (IEs, or the T-PDU for message type 255).
    pub fn body(&self) -> &'a [u8] {
        self.data.get(V0_HEADER_LEN..self.end).unwrap_or(&[])
    }
    /// Bytes after the message.
    pub fn trailing(&self) -> &'a [u8] {
        self.data.get(self.end..).unwrap_or(&[])
    }
    /// IEs (GSM 09.60 TV table).
    pub fn ies(&self) -> IeIter<'a> {
        IeIter::new(self.body(), V0_HEADER_LEN, TvTable::V0)
    }
    /// Validate (anomalies at datagram offsets).
    pub fn validate(&self, out: &mut Anomalies) {
        if self.flags() & 0x0e != 0x0e {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::ReservedBitSet,
                    0,
                    "GTPv0 spare bits are not all 1",
                )
                .with_value(u64::from(self.flags())),
            );
        }
        let declared = V0_HEADER_LEN + usize::from(self.length);
        if declared != self.data.len() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::HeaderLengthMismatch,
                    2,
                    "GTPv0 length disagrees with the datagram",
                )
                .with_value(self.data.len() as u64),
            );
        }
        let t = self.message_type().0;
        if !is_v0_type(t) {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::UnassignedMessageType,
                    1,
                    "not a GTPv0 message type",
                )
                .with_value(u64::from(t)),
            );
        }
        if t != 255 {
            validate_ies(self.message_type(), self.ies(), Rules::V0, out);
        }
    }
}

/// GTP' flags octet for version 2 with the short header: version 2, PT 0, spare bits 1,
/// header-length bit 0 (ignored for versions 1 and 2).
pub const PRIME_V2_FLAGS: u8 = 0x4e;

/// One GTP' IE to emit: TV when `ie_type` < 128 (the value length must be the TV table's),
/// TLV with a 2-octet length otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimeIeRepr {
    /// IE type.
    pub ie_type: u8,
    /// Value octets.
    pub value: Vec<u8>,
}

/// A GTP' message to emit with the 6-octet header (versions 1 and 2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimeRepr {
    /// Flags octet (version in bits 8-6; see [`PRIME_V2_FLAGS`]).
    pub flags: u8,
    /// Message type (e.g. 240 Data Record Transfer Request).
    pub msg_type: u8,
    /// Sequence number.
    pub seq: u16,
    /// IEs, in order.
    pub ies: Vec<PrimeIeRepr>,
}

/// GTP' Data Record Transfer Request (TS 32.295 6.2.4.5).
pub const DATA_RECORD_TRANSFER_REQUEST: u8 = 240;
/// GTP' Packet Transfer Command IE (TV, one octet).
pub const IE_PACKET_TRANSFER_COMMAND: u8 = 126;
/// Packet Transfer Command value "Send Data Record Packet".
pub const SEND_DATA_RECORD_PACKET: u8 = 1;
/// GTP' Data Record Packet IE (TLV).
pub const IE_DATA_RECORD_PACKET: u8 = 252;

impl PrimeRepr {
    /// A version 2 Data Record Transfer Request of sequence number `seq` sending
    /// `data_record_packet` (the Data Record Packet IE's value, as given): what a node sends
    /// its charging gateway.
    pub fn data_record_transfer(seq: u16, data_record_packet: Vec<u8>) -> PrimeRepr {
        PrimeRepr {
            flags: PRIME_V2_FLAGS,
            msg_type: DATA_RECORD_TRANSFER_REQUEST,
            seq,
            ies: vec![
                PrimeIeRepr {
                    ie_type: IE_PACKET_TRANSFER_COMMAND,
                    value: vec![SEND_DATA_RECORD_PACKET],
                },
                PrimeIeRepr {
                    ie_type: IE_DATA_RECORD_PACKET,
                    value: data_record_packet,
                },
            ],
        }
    }

    /// Append the message to `out`. Errors when a TV IE has the wrong length, a TLV value or
    /// the whole body does not fit its 16-bit length, or the flags ask for the long header.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        if self.flags & 0x10 != 0 || (self.flags >> 5 == 0 && self.flags & 0x01 == 0) {
            return Err(Error::value(L, "GTP' flags", u64::from(self.flags), 0));
        }
        let mut body = Vec::new();
        for ie in &self.ies {
            body.push(ie.ie_type);
            if ie.ie_type >= 128 {
                let len = u16::try_from(ie.value.len()).map_err(|_| Error::Limit {
                    layer: L,
                    what: "GTP' TLV length",
                    limit: usize::from(u16::MAX),
                    offset: body.len(),
                })?;
                body.extend_from_slice(&len.to_be_bytes());
            } else if TvTable::Prime.tv_len(ie.ie_type) != Some(ie.value.len()) {
                return Err(Error::value(
                    L,
                    "GTP' TV value length",
                    ie.value.len() as u64,
                    body.len(),
                ));
            }
            body.extend_from_slice(&ie.value);
        }
        let len = u16::try_from(body.len()).map_err(|_| Error::Limit {
            layer: L,
            what: "GTP' message length",
            limit: usize::from(u16::MAX),
            offset: 2,
        })?;
        out.push(self.flags);
        out.push(self.msg_type);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&self.seq.to_be_bytes());
        out.extend(body);
        Ok(())
    }
}

#[cfg(test)]
mod emit_tests {
    use super::*;

    #[test]
    fn prime_round_trip() {
        let r = PrimeRepr::data_record_transfer(0x1234, vec![1, 1, 0x13, 0, 3, 0xaa, 0xbb, 0xcc]);
        let mut out = Vec::new();
        r.emit(&mut out).unwrap();
        let s = PrimeSlice::from_slice(&out).unwrap();
        assert_eq!(s.version(), 2);
        assert_eq!(s.message_type().0, 240);
        assert_eq!(s.sequence(), 0x1234);
        assert_eq!(usize::from(s.length()), out.len() - PRIME_SHORT_HEADER_LEN);
        let ies: Vec<_> = s.ies().map(|i| i.unwrap()).collect();
        assert_eq!(ies.len(), 2);
        assert_eq!(ies[0].ie_type.0, 126);
        assert_eq!(ies[1].value, &[1, 1, 0x13, 0, 3, 0xaa, 0xbb, 0xcc]);
        let mut an = Anomalies::default();
        s.validate(&mut an);
        assert!(an.is_empty(), "{an:?}");
        // a TV IE of the wrong length does not emit
        let bad = PrimeRepr {
            ies: vec![PrimeIeRepr {
                ie_type: 1,
                value: vec![],
            }],
            ..r
        };
        assert!(bad.emit(&mut Vec::new()).is_err());
    }

    proptest::proptest! {
        #[test]
        fn prime_proptest_round_trip(seq in proptest::prelude::any::<u16>(),
                                     msg_type in proptest::prelude::any::<u8>(),
                                     values in proptest::collection::vec(
                                         proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200), 0..5)) {
            let ies: Vec<PrimeIeRepr> = values
                .iter()
                .enumerate()
                .map(|(i, v)| PrimeIeRepr { ie_type: 128 + i as u8, value: v.clone() })
                .collect();
            let r = PrimeRepr { flags: PRIME_V2_FLAGS, msg_type, seq, ies };
            let mut out = Vec::new();
            r.emit(&mut out).unwrap();
            let s = PrimeSlice::from_slice(&out).unwrap();
            proptest::prop_assert_eq!(s.sequence(), seq);
            proptest::prop_assert_eq!(s.message_type().0, msg_type);
            let got: Vec<Vec<u8>> = s.ies().map(|i| i.unwrap().value.to_vec()).collect();
            proptest::prop_assert_eq!(got, values);
        }
    }
}
