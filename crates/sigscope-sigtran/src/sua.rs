//! SUA (RFC 3868): message classes and types, connectionless data (CLDT / CLDR) with their
//! source and destination addresses, and the parameters around them.

use sigscope_core::digits::{bcd_count, Digits};
use sigscope_core::error::{be_u16, be_u32};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::common::{Message, ParamIter};

sigscope_core::open_enum! {
    /// SUA parameter tags.
    pub struct ParamTag(u16) {
        INFO_STRING = 0x0004 => "INFO String",
        ROUTING_CONTEXT = 0x0006 => "Routing Context",
        DIAGNOSTIC_INFO = 0x0007 => "Diagnostic Info",
        HEARTBEAT_DATA = 0x0009 => "Heartbeat Data",
        TRAFFIC_MODE_TYPE = 0x000b => "Traffic Mode Type",
        ERROR_CODE = 0x000c => "Error Code",
        STATUS = 0x000d => "Status",
        ASP_IDENTIFIER = 0x0011 => "ASP Identifier",
        AFFECTED_POINT_CODE = 0x0012 => "Affected Point Code",
        CORRELATION_ID = 0x0013 => "Correlation ID",
        REGISTRATION_RESULT = 0x0014 => "Registration Result",
        DEREGISTRATION_RESULT = 0x0015 => "Deregistration Result",
        REGISTRATION_STATUS = 0x0016 => "Registration Status",
        DEREGISTRATION_STATUS = 0x0017 => "Deregistration Status",
        LOCAL_ROUTING_KEY_ID = 0x0018 => "Local Routing Key Identifier",
        SS7_HOP_COUNTER = 0x0101 => "SS7 Hop Counter",
        SOURCE_ADDRESS = 0x0102 => "Source Address",
        DESTINATION_ADDRESS = 0x0103 => "Destination Address",
        SOURCE_REFERENCE = 0x0104 => "Source Reference Number",
        DESTINATION_REFERENCE = 0x0105 => "Destination Reference Number",
        SCCP_CAUSE = 0x0106 => "SCCP Cause",
        SEQUENCE_NUMBER = 0x0107 => "Sequence Number",
        RECEIVE_SEQUENCE_NUMBER = 0x0108 => "Receive Sequence Number",
        ASP_CAPABILITIES = 0x0109 => "ASP Capabilities",
        CREDIT = 0x010a => "Credit",
        DATA = 0x010b => "Data",
        USER_CAUSE = 0x010c => "User/Cause",
        NETWORK_APPEARANCE = 0x010d => "Network Appearance",
        ROUTING_KEY = 0x010e => "Routing Key",
        DRN_LABEL = 0x010f => "DRN Label",
        TID_LABEL = 0x0110 => "TID Label",
        ADDRESS_RANGE = 0x0111 => "Address Range",
        SMI = 0x0112 => "SMI",
        IMPORTANCE = 0x0113 => "Importance",
        MESSAGE_PRIORITY = 0x0114 => "Message Priority",
        PROTOCOL_CLASS = 0x0115 => "Protocol Class",
        SEQUENCE_CONTROL = 0x0116 => "Sequence Control",
        SEGMENTATION = 0x0117 => "Segmentation",
        CONGESTION_LEVEL = 0x0118 => "Congestion Level",
        GLOBAL_TITLE = 0x8001 => "Global Title",
        POINT_CODE = 0x8002 => "Point Code",
        SUBSYSTEM_NUMBER = 0x8003 => "Subsystem Number",
        IPV4_ADDRESS = 0x8004 => "IPv4 Address",
        HOSTNAME = 0x8005 => "Hostname",
        IPV6_ADDRESS = 0x8006 => "IPv6 Address",
    }
}

/// Name of a SUA message (class, type).
pub fn message_name(class: u8, msg_type: u8) -> Option<&'static str> {
    if let Some(n) = crate::common::shared_message_name(class, msg_type) {
        return Some(n);
    }
    if class == 2 {
        return crate::common::ssnm_message_name(msg_type);
    }
    Some(match (class, msg_type) {
        (7, 1) => "CLDT",
        (7, 2) => "CLDR",
        (8, 1) => "CORE",
        (8, 2) => "COAK",
        (8, 3) => "COREF",
        (8, 4) => "RELRE",
        (8, 5) => "RELCO",
        (8, 6) => "RESCO",
        (8, 7) => "RESRE",
        (8, 8) => "CODT",
        (8, 9) => "CODA",
        (8, 10) => "COERR",
        (8, 11) => "COIT",
        (9, 1) => "REG_REQ",
        (9, 2) => "REG_RSP",
        (9, 3) => "DEREG_REQ",
        (9, 4) => "DEREG_RSP",
        _ => return None,
    })
}

/// A SUA global title (RFC 3868 §3.10.2.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuaGlobalTitle {
    /// Global title indicator.
    pub gti: u8,
    /// Translation type.
    pub tt: u8,
    /// Numbering plan.
    pub np: u8,
    /// Nature of address.
    pub nai: u8,
    /// Digits.
    pub digits: Digits,
}

/// A SUA address parameter (source or destination).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuaAddress {
    /// Routing indicator (1 route on GT, 2 on SSN+PC, 3 on hostname, 4 on SSN+IP).
    pub routing_indicator: u16,
    /// Address indicator bits.
    pub address_indicator: u16,
    /// Global title.
    pub gt: Option<SuaGlobalTitle>,
    /// Point code.
    pub pc: Option<u32>,
    /// Subsystem number.
    pub ssn: Option<u8>,
}

/// Offset of the first parameter in an address value (routing and address indicators).
const ADDRESS_PARAMS_AT: usize = 4;
/// Where a Global Title parameter's value holds its number of digits (after 3 spare octets
/// and the GTI).
const GT_DIGIT_COUNT_AT: usize = 4;
/// Octets of a Global Title parameter's value before its digits (the count, then translation
/// type, numbering plan and nature of address).
const GT_DIGITS_AT: usize = 8;

/// The digit octets of the global title in an address parameter's value (`source_raw` /
/// `destination_raw`) and how many digits they hold, as [`SuaGlobalTitle::digits`] reads them
/// (BCD, first digit in the low nibble, as in SCCP): the signals of an SCCP title's view of
/// the address. The count is capped at what the octets hold.
pub fn global_title_signals(address: &[u8]) -> Option<(&[u8], usize)> {
    let params = address.get(ADDRESS_PARAMS_AT..)?;
    // (the last, as `parse` keeps the last of several)
    let p = ParamIter::new(Layer::Sua, params, ADDRESS_PARAMS_AT)
        .flatten()
        .filter(|p| ParamTag(p.tag) == ParamTag::GLOBAL_TITLE)
        .last()?;
    let ndig = usize::from(*p.value.get(GT_DIGIT_COUNT_AT)?);
    let digits = p.value.get(GT_DIGITS_AT..)?;
    let n = ndig.min(digits.len() * 2);
    Some((digits.get(..n.div_ceil(2))?, n))
}

fn parse_address(
    value: &[u8],
    base: usize,
    anomalies: &mut Anomalies,
) -> Result<SuaAddress, Error> {
    let ri = be_u16(value, 0, Layer::Sua)?;
    let ai = be_u16(value, 2, Layer::Sua)?;
    let mut a = SuaAddress {
        routing_indicator: ri,
        address_indicator: ai,
        gt: None,
        pc: None,
        ssn: None,
    };
    for p in ParamIter::new(Layer::Sua, value.get(4..).unwrap_or(&[]), base + 4) {
        match p {
            Ok(p) => match ParamTag(p.tag) {
                ParamTag::GLOBAL_TITLE => match p.value {
                    [_, _, _, gti, ndig, tt, np, nai, digits @ ..] => {
                        let n = usize::from(*ndig);
                        if n > digits.len() * 2 {
                            anomalies.push(
                                Anomaly::new(
                                    Layer::Sua,
                                    AnomalyCode::GtDigitCountExceedsData,
                                    p.offset,
                                    "number of digits beyond the data",
                                )
                                .with_value(n as u64),
                            );
                        }
                        let d = bcd_count(digits, n);
                        d.report(Layer::Sua, p.offset + 12, anomalies);
                        if d.as_bytes().len() > sigscope_core::digits::MAX_TITLE_DIGITS {
                            anomalies.push(
                                Anomaly::new(
                                    Layer::Sua,
                                    AnomalyCode::GtDigitsTooLong,
                                    p.offset + 12,
                                    "global title of more digits than any numbering plan (value: how many)",
                                )
                                .with_value(d.as_bytes().len() as u64),
                            );
                        }
                        a.gt = Some(SuaGlobalTitle {
                            gti: gti & 0x0f,
                            tt: *tt,
                            np: *np,
                            nai: *nai,
                            digits: d,
                        });
                    }
                    _ => anomalies.push(Anomaly::new(
                        Layer::Sua,
                        AnomalyCode::GtShort,
                        p.offset,
                        "global title parameter too short",
                    )),
                },
                ParamTag::POINT_CODE => a.pc = p.u32(),
                ParamTag::SUBSYSTEM_NUMBER => a.ssn = p.u32().map(|v| (v & 0xff) as u8),
                _ => {}
            },
            Err(e) => anomalies.push(e.to_anomaly()),
        }
    }
    Ok(a)
}

/// A decoded SUA message.
#[derive(Clone, Copy, Debug)]
pub struct SuaMessage<'a> {
    /// Header.
    pub msg: Message<'a>,
    /// Protocol class (CL / CO).
    pub protocol_class: Option<u32>,
    /// Source address.
    pub source: Option<SuaAddress>,
    /// Destination address.
    pub destination: Option<SuaAddress>,
    /// Routing context.
    pub routing_context: Option<u32>,
    /// Data (TCAP for CLDT with GSM MAP / CAMEL users).
    pub data: Option<&'a [u8]>,
    /// Offset of `data` within the SUA message.
    pub data_offset: usize,
    /// SCCP cause (CLDR).
    pub cause: Option<u32>,
    /// Segmentation parameter present.
    pub segmented: bool,
    /// The Segmentation parameter, when it has its four octets.
    pub segmentation: Option<SuaSegmentation>,
    /// Offset of the Segmentation parameter within the SUA message.
    pub segmentation_offset: usize,
    /// The Source Address parameter's value as sent (empty without one).
    pub source_raw: &'a [u8],
    /// The Destination Address parameter's value as sent (empty without one).
    pub destination_raw: &'a [u8],
}

/// The SUA Segmentation parameter (RFC 3868 3.10.22): SCCP's segmentation (Q.714 4.1.1.2)
/// carried by SUA.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuaSegmentation {
    /// First segment.
    pub first: bool,
    /// Remaining segments after this one (7 bits here; SCCP allows 0-15).
    pub remaining: u8,
    /// Segmentation reference (24 bits).
    pub reference: u32,
}

impl SuaSegmentation {
    /// Length of the parameter value.
    pub const LEN: usize = 4;
    /// First-segment bit of the first octet.
    const FIRST: u8 = 0x80;
    /// Remaining-segments bits of the first octet.
    const REMAINING: u8 = 0x7f;

    /// The first segment with none remaining: a whole message.
    pub const fn is_single(&self) -> bool {
        self.first && self.remaining == 0
    }

    /// Decode the 4-octet value.
    pub fn parse(v: &[u8]) -> Option<SuaSegmentation> {
        match v {
            [o, a, b, c] => Some(SuaSegmentation {
                first: o & Self::FIRST != 0,
                remaining: o & Self::REMAINING,
                reference: u32::from_be_bytes([0, *a, *b, *c]),
            }),
            _ => None,
        }
    }
}

impl SuaMessage<'_> {
    /// Name.
    pub fn name(&self) -> Option<&'static str> {
        message_name(self.msg.class(), self.msg.msg_type())
    }
}

/// Decode a SUA message.
pub fn parse<'a>(data: &'a [u8], anomalies: &mut Anomalies) -> Result<SuaMessage<'a>, Error> {
    let msg = Message::parse(Layer::Sua, data, anomalies)?;
    if message_name(msg.class(), msg.msg_type()).is_none() {
        anomalies.push(
            Anomaly::new(
                Layer::Sua,
                AnomalyCode::UnassignedMessageType,
                2,
                "unassigned class/type",
            )
            .with_value(u64::from(msg.class()) << 8 | u64::from(msg.msg_type())),
        );
    }
    let mut out = SuaMessage {
        msg,
        protocol_class: None,
        source: None,
        destination: None,
        routing_context: None,
        data: None,
        data_offset: 0,
        cause: None,
        segmented: false,
        segmentation: None,
        segmentation_offset: 0,
        source_raw: &[],
        destination_raw: &[],
    };
    for p in msg.params() {
        let p = match p {
            Ok(p) => p,
            Err(e) => {
                anomalies.push(e.to_anomaly());
                break;
            }
        };
        if let Some(t) = p.truncation(Layer::Sua) {
            anomalies.push(t);
        }
        match ParamTag(p.tag) {
            ParamTag::PROTOCOL_CLASS => out.protocol_class = p.u32(),
            ParamTag::ROUTING_CONTEXT => out.routing_context = be_u32(p.value, 0, Layer::Sua).ok(),
            ParamTag::SOURCE_ADDRESS => {
                out.source_raw = p.value;
                match parse_address(p.value, p.offset + 4, anomalies) {
                    Ok(a) => out.source = Some(a),
                    Err(e) => anomalies.push(e.to_anomaly()),
                }
            }
            ParamTag::DESTINATION_ADDRESS => {
                out.destination_raw = p.value;
                match parse_address(p.value, p.offset + 4, anomalies) {
                    Ok(a) => out.destination = Some(a),
                    Err(e) => anomalies.push(e.to_anomaly()),
                }
            }
            ParamTag::DATA => {
                out.data = Some(p.value);
                out.data_offset = p.offset + 4;
            }
            ParamTag::SCCP_CAUSE => out.cause = p.u32(),
            ParamTag::SEGMENTATION => {
                out.segmented = true;
                out.segmentation = SuaSegmentation::parse(p.value);
                out.segmentation_offset = p.offset;
                if out.segmentation.is_none() {
                    anomalies.push(
                        Anomaly::new(
                            Layer::Sua,
                            AnomalyCode::ParameterLengthInvalid,
                            p.offset,
                            "Segmentation parameter is not four octets",
                        )
                        .with_value(p.value.len() as u64),
                    );
                }
            }
            t if !t.is_known() => anomalies.push(
                Anomaly::new(
                    Layer::Sua,
                    AnomalyCode::UnknownParameter,
                    p.offset,
                    "unassigned parameter tag",
                )
                .with_value(u64::from(p.tag)),
            ),
            _ => {}
        }
    }
    if msg.class() == 7 && out.data.is_none() {
        anomalies.push(Anomaly::new(
            Layer::Sua,
            AnomalyCode::MissingData,
            8,
            "connectionless message without Data",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::common::emit_message;
    use proptest::prelude::*;

    fn address(gt_digits: &[u8], ndig: u8, ssn: u8) -> Vec<u8> {
        let mut v = vec![0, 1, 0, 7];
        let mut gt = vec![0, 0, 0, 4, ndig, 0, 1, 4];
        gt.extend_from_slice(gt_digits);
        let gl = gt.len() + 4;
        v.extend_from_slice(&[0x80, 0x01, 0, gl as u8]);
        v.extend_from_slice(&gt);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v.extend_from_slice(&[0x80, 0x03, 0, 8, 0, 0, 0, ssn]);
        v
    }

    #[test]
    fn cldt() {
        let src = address(&[0x44, 0x77, 0x00, 0x09, 0x10, 0x02], 11, 8);
        let dst = address(&[0x94, 0x51], 4, 6);
        let tcap = [0x62, 0x03, 0x48, 0x01, 0x01];
        let mut out = Vec::new();
        emit_message(
            7,
            1,
            &[
                (0x0006, &[0, 0, 0, 1]),
                (0x0115, &[0, 0, 0, 0]),
                (0x0102, &src),
                (0x0103, &dst),
                (0x010b, &tcap),
            ],
            &mut out,
        )
        .unwrap();
        let mut a = Anomalies::new();
        let m = parse(&out, &mut a).unwrap();
        assert_eq!(m.name(), Some("CLDT"));
        assert_eq!(m.data, Some(&tcap[..]));
        let s = m.source.unwrap();
        assert_eq!(s.gt.unwrap().digits, "44770090012");
        assert_eq!(s.ssn, Some(8));
        assert_eq!(m.destination.unwrap().gt.unwrap().digits, "4915");
        assert_eq!(out.get(m.data_offset), Some(&0x62));
        assert!(a.is_empty(), "{a:?}");
    }

    /// The Segmentation parameter (RFC 3868 3.10.22): first-segment bit, seven bits of
    /// remaining segments, a 24-bit reference; the addresses are kept as sent (the
    /// reassembly key); a value of another length is an anomaly.
    #[test]
    fn cldt_segmentation() {
        let src = address(&[0x44, 0x77, 0x00, 0x09, 0x10, 0x02], 11, 8);
        let dst = address(&[0x94, 0x51], 4, 6);
        let data = [0x62, 0x81, 0x90, 0x48];
        for (value, want) in [
            (
                &[0x82, 0x12, 0x34, 0x56][..],
                Some(SuaSegmentation {
                    first: true,
                    remaining: 2,
                    reference: 0x12_3456,
                }),
            ),
            (
                &[0x09, 0, 0, 1][..],
                Some(SuaSegmentation {
                    first: false,
                    remaining: 9,
                    reference: 1,
                }),
            ),
            (&[0x80, 0, 1][..], None),
        ] {
            let mut out = Vec::new();
            emit_message(
                7,
                1,
                &[
                    (0x0102, &src),
                    (0x0103, &dst),
                    (0x0117, value),
                    (0x010b, &data),
                ],
                &mut out,
            )
            .unwrap();
            let mut a = Anomalies::new();
            let m = parse(&out, &mut a).unwrap();
            assert!(m.segmented);
            assert_eq!(m.segmentation, want);
            assert_eq!(m.source_raw, &src[..]);
            assert_eq!(m.destination_raw, &dst[..]);
            assert_eq!(
                out.get(m.segmentation_offset..m.segmentation_offset + 2),
                Some(&[0x01, 0x17][..])
            );
            assert_eq!(
                a.contains(AnomalyCode::ParameterLengthInvalid),
                want.is_none(),
                "{a:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut a = Anomalies::new();
            let _ = parse(&d, &mut a);
        }
    }
}
