//! The parameter walk: every parameter checked (length, repetition, assigned codes, where it
//! may appear) and stored in the [`M3uaMessage`], with a one-pass fast path for the usual
//! DATA message and the decoding of the nested parameters (Routing Key, Registration and
//! Deregistration Results).

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Layer};

use super::{
    message_name, CongestionLevel, DeregistrationResult, DeregistrationStatus, ErrorCode,
    M3uaMessage, MaskedPc, MtpUserIdentity, ParamTag, ProtocolData, RegistrationResult,
    RegistrationStatus, RoutingKey, Status, StatusType, TrafficModeType, UnavailabilityCause,
    UserCause, WordList, MAX_INFO_STRING_LEN, PROTOCOL_DATA_FIXED_LEN,
};
use crate::common::{self, Message, Param, ParamIter};

/// `parameter_length_invalid`: the value's length does not fit the parameter (not reported for a
/// truncated parameter, which has its own anomaly).
pub(super) fn bad_len(p: &Param<'_>, anomalies: &mut Anomalies) {
    if !p.truncated {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::ParameterLengthInvalid,
                p.offset + 2,
                "parameter length does not fit its tag",
            )
            .with_value(u64::from(p.tag)),
        );
    }
}

/// A 4-byte value.
pub(super) fn word(p: &Param<'_>, anomalies: &mut Anomalies) -> Option<[u8; 4]> {
    match p.value {
        &[a, b, c, d] => Some([a, b, c, d]),
        _ => {
            bad_len(p, anomalies);
            None
        }
    }
}

pub(super) fn u32_value(p: &Param<'_>, anomalies: &mut Anomalies) -> Option<u32> {
    word(p, anomalies).map(u32::from_be_bytes)
}

/// A non-empty list of 4-byte words.
pub(super) fn word_list<'a>(p: &Param<'a>, anomalies: &mut Anomalies) -> Option<WordList<'a>> {
    if p.value.is_empty() || p.value.len() % 4 != 0 {
        bad_len(p, anomalies);
    }
    (!p.value.is_empty()).then(|| WordList::new(p.value, p.offset + 4))
}

/// Store `v` unless the slot is taken (then `duplicate_parameter`).
pub(super) fn once<T>(
    slot: &mut Option<T>,
    v: Option<T>,
    p: &Param<'_>,
    anomalies: &mut Anomalies,
) {
    if slot.is_some() {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::DuplicateParameter,
                p.offset,
                "parameter repeated",
            )
            .with_value(u64::from(p.tag)),
        );
    } else {
        *slot = v;
    }
}

pub(super) fn traffic_mode(p: &Param<'_>, anomalies: &mut Anomalies) -> Option<TrafficModeType> {
    let t = TrafficModeType(u32_value(p, anomalies)?);
    if !t.is_known() {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::UnknownTrafficMode,
                p.offset + 4,
                "unassigned Traffic Mode Type",
            )
            .with_value(u64::from(t.0)),
        );
    }
    Some(t)
}

/// Walk the parameters nested in `p` (Routing Key, Registration / Deregistration Result).
pub(super) fn nested<'a>(
    p: &Param<'a>,
    anomalies: &mut Anomalies,
    mut f: impl FnMut(&Param<'a>, &mut Anomalies),
) {
    for q in ParamIter::new(Layer::M3ua, p.value, p.offset + 4) {
        match q {
            Ok(q) => {
                if let Some(t) = q.truncation(Layer::M3ua) {
                    anomalies.push(t);
                }
                f(&q, anomalies);
            }
            Err(e) => anomalies.push(e.to_anomaly()),
        }
    }
}

pub(super) fn unexpected_nested(q: &Param<'_>, anomalies: &mut Anomalies) {
    anomalies.push(
        Anomaly::new(
            Layer::M3ua,
            AnomalyCode::UnexpectedParameter,
            q.offset,
            "parameter not allowed inside this one",
        )
        .with_value(u64::from(q.tag)),
    );
}

pub(super) fn routing_key<'a>(p: &Param<'a>, anomalies: &mut Anomalies) -> RoutingKey<'a> {
    let mut rk = RoutingKey {
        offset: p.offset,
        ..RoutingKey::default()
    };
    nested(p, anomalies, |q, a| match ParamTag(q.tag) {
        ParamTag::LOCAL_ROUTING_KEY_ID => once(&mut rk.local_rk_id, u32_value(q, a), q, a),
        ParamTag::ROUTING_CONTEXT => {
            let first = word_list(q, a).and_then(|l| l.u32s().next()?.ok());
            once(&mut rk.routing_context, first, q, a)
        }
        ParamTag::TRAFFIC_MODE_TYPE => once(&mut rk.traffic_mode, traffic_mode(q, a), q, a),
        ParamTag::NETWORK_APPEARANCE => once(&mut rk.network_appearance, u32_value(q, a), q, a),
        // DPC / SI / OPC list may come in several sets: keep the first of each.
        ParamTag::DESTINATION_POINT_CODE => {
            let v = word(q, a).map(MaskedPc::from_word);
            rk.dpc = rk.dpc.or(v);
        }
        ParamTag::SERVICE_INDICATORS => {
            rk.service_indicators = rk.service_indicators.or(Some(q.value))
        }
        ParamTag::ORIGINATING_POINT_CODE_LIST => {
            let v = word_list(q, a);
            rk.opc_list = rk.opc_list.or(v);
        }
        _ => unexpected_nested(q, a),
    });
    rk
}

pub(super) fn registration_result(p: &Param<'_>, anomalies: &mut Anomalies) -> RegistrationResult {
    let mut r = RegistrationResult {
        offset: p.offset,
        ..RegistrationResult::default()
    };
    nested(p, anomalies, |q, a| match ParamTag(q.tag) {
        ParamTag::LOCAL_ROUTING_KEY_ID => once(&mut r.local_rk_id, u32_value(q, a), q, a),
        ParamTag::REGISTRATION_STATUS => {
            let v = u32_value(q, a).map(RegistrationStatus);
            once(&mut r.status, v, q, a)
        }
        ParamTag::ROUTING_CONTEXT => once(&mut r.routing_context, u32_value(q, a), q, a),
        _ => unexpected_nested(q, a),
    });
    r
}

pub(super) fn deregistration_result(
    p: &Param<'_>,
    anomalies: &mut Anomalies,
) -> DeregistrationResult {
    let mut r = DeregistrationResult {
        offset: p.offset,
        ..DeregistrationResult::default()
    };
    nested(p, anomalies, |q, a| match ParamTag(q.tag) {
        ParamTag::ROUTING_CONTEXT => once(&mut r.routing_context, u32_value(q, a), q, a),
        ParamTag::DEREGISTRATION_STATUS => {
            let v = u32_value(q, a).map(DeregistrationStatus);
            once(&mut r.status, v, q, a)
        }
        _ => unexpected_nested(q, a),
    });
    r
}

/// What [`plain_data`] finds.
pub(super) struct PlainData<'a> {
    pub(super) protocol_data: ProtocolData<'a>,
    pub(super) network_appearance: Option<u32>,
    pub(super) routing_contexts: Option<WordList<'a>>,
}

/// The usual DATA message decoded in one pass: at most one Network Appearance (4 bytes), one
/// Routing Context list and one Protocol Data (at least 12 bytes), nothing else, every
/// parameter within the message. Then there is nothing to report, and the result is what
/// [`parameters`] gives; otherwise `None`.
#[inline(always)]
pub(super) fn plain_data<'a>(msg: &Message<'a>) -> Option<PlainData<'a>> {
    let body = msg.body();
    let mut pos = 0;
    let mut na = None;
    let mut rc: Option<WordList<'a>> = None;
    let mut pd = None;
    while pos < body.len() {
        let &[t0, t1, l0, l1] = body.get(pos..pos + 4)? else {
            return None;
        };
        let len = usize::from(u16::from_be_bytes([l0, l1]));
        if len < 4 {
            return None;
        }
        let value = body.get(pos + 4..pos + len)?;
        let offset = common::COMMON_HEADER_LEN + pos;
        match ParamTag(u16::from_be_bytes([t0, t1])) {
            ParamTag::PROTOCOL_DATA if pd.is_none() => {
                pd = Some(protocol_data_of(value, offset)?);
            }
            ParamTag::ROUTING_CONTEXT
                if rc.is_none() && !value.is_empty() && value.len() % 4 == 0 =>
            {
                rc = Some(WordList::new(value, offset + 4));
            }
            ParamTag::NETWORK_APPEARANCE if na.is_none() => match value {
                &[a, b, c, d] => na = Some(u32::from_be_bytes([a, b, c, d])),
                _ => return None,
            },
            _ => return None,
        }
        pos += (len + 3) & !3;
    }
    Some(PlainData {
        protocol_data: pd?,
        network_appearance: na,
        routing_contexts: rc,
    })
}

/// Protocol Data (RFC 4666 3.3.1) from the value of the parameter at `offset`: OPC, DPC,
/// SI, NI, MP, SLS and the user data; `None` when shorter than its fixed part.
#[inline(always)]
pub(super) fn protocol_data_of(value: &[u8], offset: usize) -> Option<ProtocolData<'_>> {
    match value {
        &[o0, o1, o2, o3, d0, d1, d2, d3, si, ni, mp, sls, ref rest @ ..] => Some(ProtocolData {
            opc: u32::from_be_bytes([o0, o1, o2, o3]),
            dpc: u32::from_be_bytes([d0, d1, d2, d3]),
            si,
            ni,
            mp,
            sls,
            user_data: rest,
            user_data_offset: offset + 4 + PROTOCOL_DATA_FIXED_LEN,
        }),
        _ => None,
    }
}

/// Every parameter, checked and stored.
pub(super) fn parameters<'a>(
    msg: &Message<'a>,
    out: &mut M3uaMessage<'a>,
    anomalies: &mut Anomalies,
) {
    if message_name(msg.class(), msg.msg_type()).is_none() {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::UnassignedMessageType,
                2,
                "unassigned class/type",
            )
            .with_value(u64::from(msg.class()) << 8 | u64::from(msg.msg_type())),
        );
    }
    let is_data = msg.class() == 1 && msg.msg_type() == 1;
    for p in msg.params() {
        let p = match p {
            Ok(p) => p,
            Err(e) => {
                anomalies.push(e.to_anomaly());
                continue;
            }
        };
        if let Some(t) = p.truncation(Layer::M3ua) {
            anomalies.push(t);
        }
        let a = &mut *anomalies;
        match ParamTag(p.tag) {
            ParamTag::PROTOCOL_DATA => protocol_data(&p, is_data, out, a),
            ParamTag::NETWORK_APPEARANCE => {
                once(&mut out.network_appearance, u32_value(&p, a), &p, a)
            }
            ParamTag::ROUTING_CONTEXT => {
                let l = word_list(&p, a);
                if out.routing_contexts.is_none() {
                    out.routing_context = l.and_then(|l| l.u32s().next()?.ok());
                }
                once(&mut out.routing_contexts, l, &p, a);
            }
            ParamTag::INFO_STRING => {
                if p.value.len() > MAX_INFO_STRING_LEN {
                    a.push(
                        Anomaly::new(
                            Layer::M3ua,
                            AnomalyCode::InfoStringTooLong,
                            p.offset + 2,
                            "INFO String longer than 255 octets",
                        )
                        .with_value(p.value.len() as u64),
                    );
                }
                if let Err(e) = core::str::from_utf8(p.value) {
                    a.push(Anomaly::new(
                        Layer::M3ua,
                        AnomalyCode::InfoStringNotUtf8,
                        p.offset + 4 + e.valid_up_to(),
                        "INFO String is not UTF-8 text",
                    ));
                }
                once(&mut out.info_string, Some(p.value), &p, a);
            }
            ParamTag::DIAGNOSTIC_INFO => once(&mut out.diagnostic_info, Some(p.value), &p, a),
            ParamTag::HEARTBEAT_DATA => once(&mut out.heartbeat_data, Some(p.value), &p, a),
            ParamTag::TRAFFIC_MODE_TYPE => once(&mut out.traffic_mode, traffic_mode(&p, a), &p, a),
            ParamTag::ERROR_CODE => {
                let v = u32_value(&p, a).map(ErrorCode);
                if let Some(c) = v.filter(|c| !c.is_known()) {
                    a.push(
                        Anomaly::new(
                            Layer::M3ua,
                            AnomalyCode::UnknownErrorCode,
                            p.offset + 4,
                            "Error Code unassigned in M3UA",
                        )
                        .with_value(u64::from(c.0)),
                    );
                }
                once(&mut out.error_code, v, &p, a);
            }
            ParamTag::STATUS => {
                let v = word(&p, a).map(|[t0, t1, i0, i1]| Status {
                    status_type: StatusType(u16::from_be_bytes([t0, t1])),
                    info: u16::from_be_bytes([i0, i1]),
                });
                if let Some(s) = v.filter(|s| s.info_name().is_none()) {
                    a.push(
                        Anomaly::new(
                            Layer::M3ua,
                            AnomalyCode::UnknownStatus,
                            p.offset + 4,
                            "unassigned Status Type / Status Information",
                        )
                        .with_value(u64::from(s.status_type.0) << 16 | u64::from(s.info)),
                    );
                }
                once(&mut out.status, v, &p, a);
            }
            ParamTag::ASP_IDENTIFIER => once(&mut out.asp_id, u32_value(&p, a), &p, a),
            ParamTag::AFFECTED_POINT_CODE => {
                once(&mut out.affected_point_codes, word_list(&p, a), &p, a)
            }
            ParamTag::CORRELATION_ID => once(&mut out.correlation_id, u32_value(&p, a), &p, a),
            ParamTag::USER_CAUSE => {
                let v = word(&p, a).map(|[c0, c1, u0, u1]| UserCause {
                    cause: UnavailabilityCause(u16::from_be_bytes([c0, c1])),
                    user: MtpUserIdentity(u16::from_be_bytes([u0, u1])),
                });
                once(&mut out.user_cause, v, &p, a);
            }
            ParamTag::CONGESTION_INDICATIONS => {
                let v = word(&p, a).map(|[_, _, _, level]| CongestionLevel(level));
                once(&mut out.congestion_level, v, &p, a);
            }
            ParamTag::CONCERNED_DESTINATION => {
                let v = word(&p, a).map(|[_, x, y, z]| u32::from_be_bytes([0, x, y, z]));
                once(&mut out.concerned_dpc, v, &p, a);
            }
            ParamTag::REGISTRATION_STATUS => {
                let v = u32_value(&p, a).map(RegistrationStatus);
                once(&mut out.registration_status, v, &p, a);
            }
            ParamTag::DEREGISTRATION_STATUS => {
                let v = u32_value(&p, a).map(DeregistrationStatus);
                once(&mut out.deregistration_status, v, &p, a);
            }
            // Repeatable; checked here, decoded on demand by the accessors.
            ParamTag::ROUTING_KEY => {
                let _ = routing_key(&p, a);
            }
            ParamTag::REGISTRATION_RESULT => {
                let _ = registration_result(&p, a);
            }
            ParamTag::DEREGISTRATION_RESULT => {
                let _ = deregistration_result(&p, a);
            }
            ParamTag::LOCAL_ROUTING_KEY_ID
            | ParamTag::DESTINATION_POINT_CODE
            | ParamTag::SERVICE_INDICATORS
            | ParamTag::ORIGINATING_POINT_CODE_LIST => a.push(
                Anomaly::new(
                    Layer::M3ua,
                    AnomalyCode::UnexpectedParameter,
                    p.offset,
                    "Routing Key part outside a Routing Key",
                )
                .with_value(u64::from(p.tag)),
            ),
            t if !t.is_known() => a.push(
                Anomaly::new(
                    Layer::M3ua,
                    AnomalyCode::UnknownParameter,
                    p.offset,
                    "unassigned parameter tag",
                )
                .with_value(u64::from(p.tag)),
            ),
            _ => {}
        }
    }
    if is_data && out.protocol_data.is_none() {
        anomalies.push(Anomaly::new(
            Layer::M3ua,
            AnomalyCode::MissingProtocolData,
            8,
            "DATA without Protocol Data",
        ));
    }
}

pub(super) fn protocol_data<'a>(
    p: &Param<'a>,
    is_data: bool,
    out: &mut M3uaMessage<'a>,
    anomalies: &mut Anomalies,
) {
    if !is_data {
        anomalies.push(Anomaly::new(
            Layer::M3ua,
            AnomalyCode::UnexpectedParameter,
            p.offset,
            "Protocol Data outside DATA",
        ));
    }
    if out.protocol_data.is_some() {
        anomalies.push(Anomaly::new(
            Layer::M3ua,
            AnomalyCode::DuplicateParameter,
            p.offset,
            "second Protocol Data",
        ));
        return;
    }
    match protocol_data_of(p.value, p.offset) {
        Some(pd) => out.protocol_data = Some(pd),
        None => anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::ProtocolDataShort,
                p.offset,
                "Protocol Data shorter than 12 bytes",
            )
            .with_value(p.value.len() as u64),
        ),
    }
}
