//! M3UA (RFC 4666): every message class and type, parameters, and the DATA message's
//! protocol data (OPC, DPC, SI, NI, MP, SLS, user data).

use sigscope_core::{Anomalies, Anomaly, Error, Layer};

use crate::common::{self, Message};

sigscope_core::open_enum! {
    /// M3UA message classes.
    pub struct MessageClass(u8) {
        MGMT = 0 => "MGMT",
        TRANSFER = 1 => "Transfer",
        SSNM = 2 => "SSNM",
        ASPSM = 3 => "ASPSM",
        ASPTM = 4 => "ASPTM",
        RKM = 9 => "RKM",
    }
}

sigscope_core::open_enum! {
    /// M3UA parameter tags.
    pub struct ParamTag(u16) {
        INFO_STRING = 0x0004 => "INFO String",
        ROUTING_CONTEXT = 0x0006 => "Routing Context",
        DIAGNOSTIC_INFO = 0x0007 => "Diagnostic Information",
        HEARTBEAT_DATA = 0x0009 => "Heartbeat Data",
        TRAFFIC_MODE_TYPE = 0x000b => "Traffic Mode Type",
        ERROR_CODE = 0x000c => "Error Code",
        STATUS = 0x000d => "Status",
        ASP_IDENTIFIER = 0x0011 => "ASP Identifier",
        AFFECTED_POINT_CODE = 0x0012 => "Affected Point Code",
        CORRELATION_ID = 0x0013 => "Correlation ID",
        NETWORK_APPEARANCE = 0x0200 => "Network Appearance",
        USER_CAUSE = 0x0204 => "User/Cause",
        CONGESTION_INDICATIONS = 0x0205 => "Congestion Indications",
        CONCERNED_DESTINATION = 0x0206 => "Concerned Destination",
        ROUTING_KEY = 0x0207 => "Routing Key",
        REGISTRATION_RESULT = 0x0208 => "Registration Result",
        DEREGISTRATION_RESULT = 0x0209 => "Deregistration Result",
        LOCAL_ROUTING_KEY_ID = 0x020a => "Local Routing Key Identifier",
        DESTINATION_POINT_CODE = 0x020b => "Destination Point Code",
        SERVICE_INDICATORS = 0x020c => "Service Indicators",
        ORIGINATING_POINT_CODE_LIST = 0x020e => "Originating Point Code List",
        PROTOCOL_DATA = 0x0210 => "Protocol Data",
        REGISTRATION_STATUS = 0x0212 => "Registration Status",
        DEREGISTRATION_STATUS = 0x0213 => "Deregistration Status",
    }
}

/// Name of an M3UA message (class, type), e.g. `"DATA"`, `"ASPUP"`, `"DUNA"`.
pub fn message_name(class: u8, msg_type: u8) -> Option<&'static str> {
    if let Some(n) = crate::common::shared_message_name(class, msg_type) {
        return Some(n);
    }
    if class == 2 {
        return crate::common::ssnm_message_name(msg_type);
    }
    Some(match (class, msg_type) {
        (1, 1) => "DATA",
        (9, 1) => "REG_REQ",
        (9, 2) => "REG_RSP",
        (9, 3) => "DEREG_REQ",
        (9, 4) => "DEREG_RSP",
        _ => return None,
    })
}

/// Length of the fixed part of Protocol Data (OPC, DPC, SI, NI, MP, SLS).
pub const PROTOCOL_DATA_FIXED_LEN: usize = 12;

/// The Protocol Data parameter of a DATA message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolData<'a> {
    /// Originating point code.
    pub opc: u32,
    /// Destination point code.
    pub dpc: u32,
    /// Service indicator (3 = SCCP, 5 = ISUP, ...).
    pub si: u8,
    /// Network indicator.
    pub ni: u8,
    /// Message priority.
    pub mp: u8,
    /// Signalling link selection.
    pub sls: u8,
    /// User data (the MTP3 user part: SCCP, ISUP, ...).
    pub user_data: &'a [u8],
    /// Offset of the user data within the M3UA message.
    pub user_data_offset: usize,
}

/// A decoded M3UA message.
#[derive(Clone, Copy, Debug)]
pub struct M3uaMessage<'a> {
    /// Header and parameters.
    pub msg: Message<'a>,
    /// Protocol data when this is DATA and it decoded.
    pub protocol_data: Option<ProtocolData<'a>>,
    /// Network appearance, if present.
    pub network_appearance: Option<u32>,
    /// Routing context (first value), if present.
    pub routing_context: Option<u32>,
}

impl<'a> M3uaMessage<'a> {
    /// Class.
    pub fn class(&self) -> MessageClass {
        MessageClass(self.msg.class())
    }

    /// Type within the class.
    pub fn msg_type(&self) -> u8 {
        self.msg.msg_type()
    }

    /// Name, if the class/type is assigned.
    pub fn name(&self) -> Option<&'static str> {
        message_name(self.msg.class(), self.msg.msg_type())
    }
}

/// Decode an M3UA message; anomalies offsets are within `data`.
pub fn parse<'a>(data: &'a [u8], anomalies: &mut Anomalies) -> Result<M3uaMessage<'a>, Error> {
    let msg = Message::parse(Layer::M3ua, data, anomalies)?;
    if message_name(msg.class(), msg.msg_type()).is_none() {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                "unknown_message_type",
                2,
                "unassigned class/type",
            )
            .with_value(u64::from(msg.class()) << 8 | u64::from(msg.msg_type())),
        );
    }
    let mut out = M3uaMessage {
        msg,
        protocol_data: None,
        network_appearance: None,
        routing_context: None,
    };
    let is_data = msg.class() == 1 && msg.msg_type() == 1;
    for p in msg.params() {
        if let Some(t) = p.as_ref().ok().and_then(|p| p.truncation(Layer::M3ua)) {
            anomalies.push(t);
        }
        match p {
            Ok(p) => match ParamTag(p.tag) {
                ParamTag::PROTOCOL_DATA => {
                    if !is_data {
                        anomalies.push(Anomaly::new(
                            Layer::M3ua,
                            "unexpected_parameter",
                            p.offset,
                            "Protocol Data outside DATA",
                        ));
                    }
                    if out.protocol_data.is_some() {
                        anomalies.push(Anomaly::new(
                            Layer::M3ua,
                            "duplicate_parameter",
                            p.offset,
                            "second Protocol Data",
                        ));
                        continue;
                    }
                    match p.value {
                        [o0, o1, o2, o3, d0, d1, d2, d3, si, ni, mp, sls, rest @ ..] => {
                            out.protocol_data = Some(ProtocolData {
                                opc: u32::from_be_bytes([*o0, *o1, *o2, *o3]),
                                dpc: u32::from_be_bytes([*d0, *d1, *d2, *d3]),
                                si: *si,
                                ni: *ni,
                                mp: *mp,
                                sls: *sls,
                                user_data: rest,
                                user_data_offset: p.offset + 4 + PROTOCOL_DATA_FIXED_LEN,
                            })
                        }
                        _ => anomalies.push(
                            Anomaly::new(
                                Layer::M3ua,
                                "protocol_data_short",
                                p.offset,
                                "Protocol Data shorter than 12 bytes",
                            )
                            .with_value(p.value.len() as u64),
                        ),
                    }
                }
                ParamTag::NETWORK_APPEARANCE => out.network_appearance = p.u32(),
                ParamTag::ROUTING_CONTEXT => {
                    out.routing_context = p.value.get(..4).and_then(|v| match v {
                        &[a, b, c, d] => Some(u32::from_be_bytes([a, b, c, d])),
                        _ => None,
                    })
                }
                t if !t.is_known() => anomalies.push(
                    Anomaly::new(
                        Layer::M3ua,
                        "unknown_parameter",
                        p.offset,
                        "unassigned parameter tag",
                    )
                    .with_value(u64::from(p.tag)),
                ),
                _ => {}
            },
            Err(e) => anomalies.push(e.to_anomaly()),
        }
    }
    if is_data && out.protocol_data.is_none() {
        anomalies.push(Anomaly::new(
            Layer::M3ua,
            "missing_protocol_data",
            8,
            "DATA without Protocol Data",
        ));
    }
    Ok(out)
}

/// Owned M3UA DATA message, for emitting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRepr {
    /// Network appearance.
    pub network_appearance: Option<u32>,
    /// Routing context.
    pub routing_context: Option<u32>,
    /// OPC.
    pub opc: u32,
    /// DPC.
    pub dpc: u32,
    /// SI.
    pub si: u8,
    /// NI.
    pub ni: u8,
    /// MP.
    pub mp: u8,
    /// SLS.
    pub sls: u8,
    /// User data.
    pub user_data: Vec<u8>,
}

impl DataRepr {
    /// From a decoded DATA message.
    pub fn parse(m: &M3uaMessage<'_>) -> Option<Self> {
        let pd = m.protocol_data?;
        Some(DataRepr {
            network_appearance: m.network_appearance,
            routing_context: m.routing_context,
            opc: pd.opc,
            dpc: pd.dpc,
            si: pd.si,
            ni: pd.ni,
            mp: pd.mp,
            sls: pd.sls,
            user_data: pd.user_data.to_vec(),
        })
    }

    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        let opt = |o: Option<u32>| if o.is_some() { 8 } else { 0 };
        common::COMMON_HEADER_LEN
            + opt(self.network_appearance)
            + opt(self.routing_context)
            + ((4 + PROTOCOL_DATA_FIXED_LEN + self.user_data.len() + 3) & !3)
    }

    /// Append the message.
    pub fn emit(&self, out: &mut Vec<u8>) {
        let mut pd = Vec::with_capacity(PROTOCOL_DATA_FIXED_LEN + self.user_data.len());
        pd.extend_from_slice(&self.opc.to_be_bytes());
        pd.extend_from_slice(&self.dpc.to_be_bytes());
        pd.extend_from_slice(&[self.si, self.ni, self.mp, self.sls]);
        pd.extend_from_slice(&self.user_data);
        let na = self.network_appearance.map(u32::to_be_bytes);
        let rc = self.routing_context.map(u32::to_be_bytes);
        let mut params: Vec<(u16, &[u8])> = Vec::with_capacity(3);
        if let Some(na) = na.as_ref() {
            params.push((ParamTag::NETWORK_APPEARANCE.0, na));
        }
        if let Some(rc) = rc.as_ref() {
            params.push((ParamTag::ROUTING_CONTEXT.0, rc));
        }
        params.push((ParamTag::PROTOCOL_DATA.0, &pd));
        common::emit_message(1, 1, &params, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_data_message() {
        let sctp = crate::testdata::M3UA_SYNTHETIC_F20_SCTP;
        let d = &sctp[crate::testdata::M3UA_OFFSET..];
        let mut a = Anomalies::new();
        let m = parse(&d[..120], &mut a).unwrap();
        let pd = m.protocol_data.unwrap();
        assert_eq!(
            (pd.opc, pd.dpc, pd.si, pd.ni, pd.mp, pd.sls),
            (600, 500, 3, 0, 0, 0)
        );
        assert_eq!(pd.user_data.len(), 120 - 8 - 4 - 12 - 2); // protocol data len 0x6e = 110 incl. 4-byte header
        assert_eq!(pd.user_data.first(), Some(&0x09)); // SCCP UDT
        assert_eq!(m.name(), Some("DATA"));
        assert!(a.is_empty(), "{a:?}");
        let r = DataRepr::parse(&m).unwrap();
        let mut out = Vec::new();
        r.emit(&mut out);
        assert_eq!(&out[..], &d[..120]);
    }

    #[test]
    fn aspup_and_unknown() {
        let mut out = Vec::new();
        common::emit_message(3, 1, &[], &mut out);
        let mut a = Anomalies::new();
        let m = parse(&out, &mut a).unwrap();
        assert_eq!(m.name(), Some("ASPUP"));
        out.clear();
        common::emit_message(7, 9, &[(0x7777, &[1, 2, 3])], &mut out);
        let m = parse(&out, &mut a).unwrap();
        assert_eq!(m.name(), None);
        assert!(a.contains("unknown_message_type"));
        assert!(a.contains("unknown_parameter"));
    }

    #[test]
    fn bad_lengths() {
        let mut a = Anomalies::new();
        assert!(parse(&[1, 0, 1, 1, 0, 0], &mut a).is_err());
        let d = [1, 0, 1, 1, 0, 0, 0, 40, 0x02, 0x10, 0x00, 0x08, 0, 0, 0, 1];
        let m = parse(&d, &mut a).unwrap();
        assert!(m.protocol_data.is_none());
        assert!(a.contains("length_exceeds_data"));
        assert!(a.contains("protocol_data_short"));
    }

    proptest! {
        #[test]
        fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut a = Anomalies::new();
            let _ = parse(&d, &mut a);
        }

        #[test]
        fn round_trip(opc: u32, dpc: u32, si: u8, ni: u8, mp: u8, sls: u8, na: Option<u32>, rc: Option<u32>,
                      user_data in proptest::collection::vec(any::<u8>(), 0..100)) {
            let r = DataRepr { network_appearance: na, routing_context: rc, opc, dpc, si, ni, mp, sls, user_data };
            let mut b = Vec::new();
            r.emit(&mut b);
            prop_assert_eq!(b.len(), r.buffer_len());
            let mut a = Anomalies::new();
            let m = parse(&b, &mut a).unwrap();
            prop_assert_eq!(DataRepr::parse(&m), Some(r));
            prop_assert!(a.is_empty());
        }
    }
}
