//! M2PA (RFC 4165) and M2UA (RFC 3331): the MTP3 message they carry.

use sigscope_core::error::be_u32;
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::common::{Message, COMMON_HEADER_LEN};

/// M2PA message class.
pub const M2PA_CLASS: u8 = 11;
/// M2PA: BSN + FSN after the common header.
pub const M2PA_SEQ_LEN: usize = 8;

/// A decoded M2PA message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct M2pa<'a> {
    /// Message type: 1 User Data, 2 Link Status.
    pub msg_type: u8,
    /// Backward sequence number (24 bits).
    pub bsn: u32,
    /// Forward sequence number (24 bits).
    pub fsn: u32,
    /// User Data: priority octet (RFC 4165 §2.3.2; only the top two bits are used, in Japan).
    pub priority: Option<u8>,
    /// User Data: the MTP3 message (SIO + routing label + user part); empty when the message
    /// carries no data (an acknowledgement).
    pub mtp3: &'a [u8],
    /// Offset of `mtp3` within the M2PA message.
    pub mtp3_offset: usize,
    /// Link Status: the state.
    pub link_status: Option<u32>,
}

impl M2pa<'_> {
    /// Message name.
    pub fn name(&self) -> Option<&'static str> {
        match self.msg_type {
            1 => Some("User Data"),
            2 => Some("Link Status"),
            _ => None,
        }
    }
}

/// Decode an M2PA message.
pub fn parse_m2pa<'a>(data: &'a [u8], anomalies: &mut Anomalies) -> Result<M2pa<'a>, Error> {
    let msg = Message::parse(Layer::M2pa, data, anomalies)?;
    if msg.class() != M2PA_CLASS {
        anomalies.push(
            Anomaly::new(
                Layer::M2pa,
                AnomalyCode::UnexpectedClass,
                2,
                "M2PA class is 11",
            )
            .with_value(u64::from(msg.class())),
        );
    }
    let body = msg.body();
    let bsn = be_u32(body, 0, Layer::M2pa)
        .map_err(|e| sigscope_core::ber::shift(e, COMMON_HEADER_LEN))?
        & 0x00ff_ffff;
    let fsn = be_u32(body, 4, Layer::M2pa)
        .map_err(|e| sigscope_core::ber::shift(e, COMMON_HEADER_LEN))?
        & 0x00ff_ffff;
    let rest = body.get(M2PA_SEQ_LEN..).unwrap_or(&[]);
    let mut out = M2pa {
        msg_type: msg.msg_type(),
        bsn,
        fsn,
        priority: None,
        mtp3: &[],
        mtp3_offset: COMMON_HEADER_LEN + M2PA_SEQ_LEN,
        link_status: None,
    };
    match msg.msg_type() {
        1 => {
            if let Some((prio, mtp3)) = rest.split_first() {
                out.priority = Some(*prio);
                out.mtp3 = mtp3;
                out.mtp3_offset += 1;
                if prio & 0x3f != 0 {
                    anomalies.push(Anomaly::new(
                        Layer::M2pa,
                        AnomalyCode::ReservedBitSet,
                        COMMON_HEADER_LEN + M2PA_SEQ_LEN,
                        "priority octet spare bits set",
                    ));
                }
            }
        }
        2 => out.link_status = be_u32(rest, 0, Layer::M2pa).ok(),
        t => anomalies.push(
            Anomaly::new(
                Layer::M2pa,
                AnomalyCode::UnassignedMessageType,
                3,
                "unassigned M2PA type",
            )
            .with_value(u64::from(t)),
        ),
    }
    Ok(out)
}

/// M2UA class MAUP.
pub const M2UA_CLASS_MAUP: u8 = 6;
/// M2UA Protocol Data 1 parameter.
pub const M2UA_PROTOCOL_DATA_1: u16 = 0x0300;
/// M2UA Protocol Data 2 (TTC) parameter.
pub const M2UA_PROTOCOL_DATA_2: u16 = 0x0301;
/// M2UA Interface Identifier (integer).
pub const M2UA_INTERFACE_ID_INT: u16 = 0x0001;

/// Name of an M2UA message.
pub fn m2ua_message_name(class: u8, msg_type: u8) -> Option<&'static str> {
    if let Some(n) = crate::common::shared_message_name(class, msg_type) {
        return Some(n);
    }
    Some(match (class, msg_type) {
        (6, 1) => "DATA",
        (6, 2) => "ESTABLISH_REQ",
        (6, 3) => "ESTABLISH_CONF",
        (6, 4) => "RELEASE_REQ",
        (6, 5) => "RELEASE_CONF",
        (6, 6) => "RELEASE_IND",
        (6, 7) => "STATE_REQ",
        (6, 8) => "STATE_CONF",
        (6, 9) => "STATE_IND",
        (6, 10) => "DATA_RETRIEVAL_REQ",
        (6, 11) => "DATA_RETRIEVAL_CONF",
        (6, 12) => "DATA_RETRIEVAL_IND",
        (6, 13) => "DATA_RETRIEVAL_COMPL_IND",
        (6, 14) => "CONGESTION_IND",
        (6, 15) => "DATA_ACK",
        (10, 1) => "REG_REQ",
        (10, 2) => "REG_RSP",
        (10, 3) => "DEREG_REQ",
        (10, 4) => "DEREG_RSP",
        _ => return None,
    })
}

/// A decoded M2UA message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct M2ua<'a> {
    /// Class.
    pub class: u8,
    /// Type.
    pub msg_type: u8,
    /// Interface identifier (integer form).
    pub interface_id: Option<u32>,
    /// DATA: the MTP3 message (from Protocol Data 1, or Protocol Data 2 without its LI octet).
    pub mtp3: Option<&'a [u8]>,
    /// Offset of `mtp3` within the M2UA message.
    pub mtp3_offset: usize,
}

/// Decode an M2UA message.
pub fn parse_m2ua<'a>(data: &'a [u8], anomalies: &mut Anomalies) -> Result<M2ua<'a>, Error> {
    let msg = Message::parse(Layer::M2ua, data, anomalies)?;
    if m2ua_message_name(msg.class(), msg.msg_type()).is_none() {
        anomalies.push(
            Anomaly::new(
                Layer::M2ua,
                AnomalyCode::UnassignedMessageType,
                2,
                "unassigned class/type",
            )
            .with_value(u64::from(msg.class()) << 8 | u64::from(msg.msg_type())),
        );
    }
    let mut out = M2ua {
        class: msg.class(),
        msg_type: msg.msg_type(),
        interface_id: None,
        mtp3: None,
        mtp3_offset: 0,
    };
    for p in msg.params() {
        if let Some(t) = p.as_ref().ok().and_then(|p| p.truncation(Layer::M2ua)) {
            anomalies.push(t);
        }
        match p {
            Ok(p) => match p.tag {
                M2UA_INTERFACE_ID_INT => out.interface_id = p.u32(),
                M2UA_PROTOCOL_DATA_1 => {
                    out.mtp3 = Some(p.value);
                    out.mtp3_offset = p.offset + 4;
                }
                M2UA_PROTOCOL_DATA_2 => {
                    out.mtp3 = Some(p.value.get(1..).unwrap_or(&[]));
                    out.mtp3_offset = p.offset + 5;
                }
                _ => {}
            },
            Err(e) => anomalies.push(e.to_anomaly()),
        }
    }
    if msg.class() == M2UA_CLASS_MAUP && msg.msg_type() == 1 && out.mtp3.is_none() {
        anomalies.push(Anomaly::new(
            Layer::M2ua,
            AnomalyCode::MissingProtocolData,
            8,
            "DATA without Protocol Data",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::emit_message;
    use proptest::prelude::*;

    #[test]
    fn m2pa_user_data() {
        // common header + BSN 0x000001 + FSN 0x000002 + priority 0 + MTP3 (SIO 0x83 + label)
        let d = [
            1, 0, 11, 1, 0, 0, 0, 22, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 0x83, 1, 0x80, 0, 0x50,
        ];
        let mut a = Anomalies::new();
        let m = parse_m2pa(&d, &mut a).unwrap();
        assert_eq!((m.bsn, m.fsn), (1, 2));
        assert_eq!(m.mtp3, &[0x83, 1, 0x80, 0, 0x50]);
        assert_eq!(m.mtp3_offset, 17);
        assert!(a.is_empty(), "{a:?}");
        // ack only: no data
        let d = [1, 0, 11, 1, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 2];
        assert_eq!(parse_m2pa(&d, &mut a).unwrap().mtp3, &[] as &[u8]);
    }

    #[test]
    fn m2ua_data() {
        let mut out = Vec::new();
        emit_message(
            6,
            1,
            &[(1, &[0, 0, 0, 7]), (0x0300, &[0x83, 1, 0x80, 0, 0x50, 9])],
            &mut out,
        )
        .unwrap();
        let mut a = Anomalies::new();
        let m = parse_m2ua(&out, &mut a).unwrap();
        assert_eq!(m.interface_id, Some(7));
        assert_eq!(m.mtp3, Some(&[0x83, 1, 0x80, 0, 0x50, 9][..]));
        assert_eq!(out.get(m.mtp3_offset), Some(&0x83));
        assert!(a.is_empty(), "{a:?}");
    }

    proptest! {
        #[test]
        fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..100)) {
            let mut a = Anomalies::new();
            let _ = parse_m2pa(&d, &mut a);
            let _ = parse_m2ua(&d, &mut a);
        }
    }
}
