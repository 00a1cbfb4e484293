//! Short message service: mt-forwardSM (44), sendRoutingInfoForSM (45), mo-forwardSM /
//! forwardSM (46), reportSM-DeliveryStatus (47), noteSubscriberPresent (48, v1),
//! alertServiceCentreWithoutResult (49, v1), informServiceCentre (63), alertServiceCentre (64),
//! readyForSM (66).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, short_res, wrong_outer, El, D};
use super::{Raw, Role};
use sigscope_core::digits::tbcd_flags;
use sigscope_core::AnomalyCode;

use super::walker::{additional_number, anom};
use super::{SmRpDa, SmRpOa};
use crate::sms::Direction;
use crate::types::AddressString;

/// mt-forwardSM (44), mo-forwardSM / forwardSM (46) arguments: SM-RP-DA / SM-RP-OA /
/// SM-RP-UI and what follows (forwardSM v1/v2 carries MO and MT; mo-/mt-forwardSM v3).
pub(super) fn forward_sm<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    if e.1.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let op = d.p.opcode;
    let mut stage = 0;
    d.each(e, |d, c| {
        let t = &c.1;
        match stage {
            0 => {
                stage = 1;
                d.p.sm_rp_da = Some(match ctx_n(t) {
                    Some(0) => match d.tbcd_id(c, 3, 8) {
                        Some(v) => SmRpDa::Imsi(v),
                        None => return false,
                    },
                    Some(1) => SmRpDa::Lmsi(t.value),
                    Some(3) => SmRpDa::RoamingNumber(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(4) => SmRpDa::ServiceCentre(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(5) => SmRpDa::None,
                    _ => return false,
                });
                true
            }
            1 => {
                stage = 2;
                d.p.sm_rp_oa = Some(match ctx_n(t) {
                    Some(2) => SmRpOa::Msisdn(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(4) => SmRpOa::ServiceCentre(AddressString {
                        raw: t.value,
                        offset: c.0 + t.header_len,
                    }),
                    Some(5) => SmRpOa::None,
                    _ => return false,
                });
                true
            }
            2 => {
                stage = 3;
                if !is_os(t) {
                    return false;
                }
                d.p.sm_rp_ui = d.raw(c);
                true
            }
            _ => {
                if t.tag == Tag::NULL {
                    d.p.more_messages_to_send = true;
                    return true;
                }
                if D::looks_like_ext(t) {
                    return d.ext(c);
                }
                match (op.0, ctx_n(t)) {
                    (46, None) if is_os(t) => d.imsi(c),
                    (44, None) => true, // smDeliveryTimer, smDeliveryStartTime
                    (46, Some(1)) => {
                        d.p.sm_delivery_outcome = first_octet(t);
                        true
                    }
                    (44, Some(3)) => d.addr(Role::SMS_GMSC_ADDRESS, c),
                    (_, Some(_)) => true,
                    _ => false,
                }
            }
        }
    });
    // Direction of the TPDU.
    d.p.sms_direction = Some(match op.0 {
        44 => Direction::ToMs,
        _ if d.p.version >= 3 => Direction::FromMs,
        _ => match (d.p.sm_rp_oa, d.p.sm_rp_da) {
            (Some(SmRpOa::ServiceCentre(_)), _) => Direction::ToMs,
            (_, Some(SmRpDa::ServiceCentre(_))) => Direction::FromMs,
            (_, Some(SmRpDa::Imsi(_) | SmRpDa::Lmsi(_) | SmRpDa::RoamingNumber(_))) => {
                Direction::ToMs
            }
            _ => Direction::FromMs,
        },
    });
    // the SM-RP-DA / OA address strings also count as identities
    if let Some(SmRpDa::Imsi(i)) = d.p.sm_rp_da {
        if d.p.imsi.is_none() {
            d.p.imsi = Some(i);
        }
    }
    if let Some(SmRpDa::Lmsi(l)) = d.p.sm_rp_da {
        d.p.lmsi = Some(Raw {
            bytes: l,
            offset: 0,
        });
    }
    for a in [
        match d.p.sm_rp_da {
            Some(SmRpDa::ServiceCentre(a) | SmRpDa::RoamingNumber(a)) => Some(a),
            _ => None,
        },
        match d.p.sm_rp_oa {
            Some(SmRpOa::ServiceCentre(a) | SmRpOa::Msisdn(a)) => Some(a),
            _ => None,
        },
    ]
    .into_iter()
    .flatten()
    {
        if tbcd_flags(a.digit_octets()).0 {
            d.an.push(anom(
                AnomalyCode::TbcdNonDigit,
                a.offset,
                "address digits hold a nibble 0xA-0xE",
            ));
        }
    }
    true
}

/// mt-forwardSM (44), mo-forwardSM / forwardSM (46) results: sm-RP-UI (the report TPDU).
pub(super) fn forward_sm_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            d.p.sm_rp_ui = d.raw(c);
            return true;
        }
        D::looks_like_ext(&c.1) && d.ext(c)
    });
    d.p.sms_direction = Some(if d.p.opcode.0 == 44 {
        Direction::FromMs
    } else {
        Direction::ToMs
    });
    true
}

/// sendRoutingInfoForSM (45): RoutingInfoForSM-Arg.
pub(super) fn send_routing_info_for_sm_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.addr(Role::MSISDN, c),
        Some(1) => {
            d.p.sm_rp_pri = first_octet(&c.1).map(|b| b != 0);
            true
        }
        Some(2) => d.addr(Role::SERVICE_CENTRE_ADDRESS, c),
        Some(6) => d.ext(c),
        Some(8) => {
            d.p.sm_rp_mti = first_octet(&c.1);
            true
        }
        Some(12) => d.imsi(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// sendRoutingInfoForSM (45) result: RoutingInfoForSM-Res (IMSI, LocationInfoWithLMSI).
pub(super) fn send_routing_info_for_sm_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let v1 = d.p.version == 1;
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.imsi(c);
        }
        match ctx_n(&c.1) {
            Some(0) => {
                d.each(c, |d, l| {
                    if is_os(&l.1) {
                        return d.lmsi(l);
                    }
                    match ctx_n(&l.1) {
                        Some(0) => d.addr(Role::ROAMING_NUMBER, l),
                        Some(1) if v1 => d.addr(Role::MSC_NUMBER, l),
                        Some(1) => d.addr(Role::NETWORK_NODE_NUMBER, l),
                        Some(6) => additional_number(d, l),
                        Some(9) => additional_number(d, l),
                        Some(_) => true,
                        None => D::looks_like_ext(&l.1) && d.ext(l),
                    }
                });
                true
            }
            Some(4) => d.ext(c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// reportSM-DeliveryStatus (47): ReportSM-DeliveryStatusArg.
pub(super) fn report_sm_delivery_status_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut os = 0;
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            os += 1;
            return match os {
                1 => d.addr(Role::MSISDN, c),
                2 => d.addr(Role::SERVICE_CENTRE_ADDRESS, c),
                _ => false,
            };
        }
        if ct.tag == Tag::ENUMERATED {
            d.p.sm_delivery_outcome = first_octet(ct);
            return true;
        }
        match ctx_n(ct) {
            Some(1) => d.ext(c),
            Some(9) => d.imsi(c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// reportSM-DeliveryStatus (47) result: ReportSM-DeliveryStatusRes, or the bare
/// storedMSISDN (v2).
pub(super) fn report_sm_delivery_status_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if is_os(&t) {
        return d.addr(Role::STORED_MSISDN, e);
    }
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.addr(Role::STORED_MSISDN, c);
        }
        D::looks_like_ext(&c.1) && d.ext(c)
    });
    true
}

/// noteSubscriberPresent (48, v1): IMSI.
pub(super) fn note_subscriber_present_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.imsi(e) || wrong_outer(d, e)
}

/// alertServiceCentre (64) and alertServiceCentreWithoutResult (49, v1):
/// AlertServiceCentreArg.
pub(super) fn alert_service_centre_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut os = 0;
    d.each(e, |d, c| {
        if is_os(&c.1) {
            os += 1;
            return match os {
                1 => d.addr(Role::MSISDN, c),
                2 => d.addr(Role::SERVICE_CENTRE_ADDRESS, c),
                3 => d.imsi(c),
                _ => false,
            };
        }
        // maximumUeAvailabilityTime [0], smsGmscAlertEvent [1],
        // smsGmscDiameterAddress [2], newSGSNNumber [3], newSGSNDiameterAddress [4],
        // newMMENumber [5], newMMEDiameterAddress [6], newMSCNumber [7]
        // (TS 29.002 MAP-SM-DataTypes AlertServiceCentreArg); correlationID is an
        // untagged SEQUENCE
        match ctx_n(&c.1) {
            Some(3) => d.addr(Role::NEW_SGSN_NUMBER, c),
            Some(5) => d.addr(Role::NEW_MME_NUMBER, c),
            Some(7) => d.addr(Role::NEW_MSC_NUMBER, c),
            Some(_) => true,
            // correlationID (not exposed); the argument has no extension container
            None => c.1.tag == Tag::SEQUENCE,
        }
    });
    true
}

/// informServiceCentre (63): InformServiceCentreArg.
pub(super) fn inform_service_centre_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            return d.addr(Role::STORED_MSISDN, c);
        }
        if ct.tag == Tag::universal(false, 3) || ct.tag == Tag::INTEGER {
            return true;
        }
        match ctx_n(ct) {
            Some(_) => true,
            None => D::looks_like_ext(ct) && d.ext(c),
        }
    });
    true
}

/// readyForSM (66): ReadyForSM-Arg.
pub(super) fn ready_for_sm_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        let ct = &c.1;
        if ct.tag == Tag::ENUMERATED {
            d.p.alert_reason = first_octet(ct);
            return true;
        }
        match ctx_n(ct) {
            Some(0) => d.imsi(c),
            Some(_) => true,
            None => ct.tag == Tag::NULL || (D::looks_like_ext(ct) && d.ext(c)),
        }
    });
    true
}

/// readyForSM (66) result: ReadyForSM-Res.
pub(super) fn ready_for_sm_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |_, _, _| None)
}
