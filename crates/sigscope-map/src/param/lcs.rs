//! Location services (LCS): provideSubscriberLocation (83), sendRoutingInfoForLCS (85),
//! subscriberLocationReport (86).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, short_res, small_uint, wrong_outer, El, D};
use super::Role;

use super::walker::additional_number;

/// provideSubscriberLocation (83): ProvideSubscriberLocation-Arg.
pub(super) fn provide_subscriber_location_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        let ct = &c.1;
        if ct.tag == Tag::SEQUENCE {
            // locationType
            d.each(c, |d, l| {
                if ctx_n(&l.1) == Some(0) {
                    d.p.location_estimate_type = first_octet(&l.1);
                }
                true
            });
            return true;
        }
        if is_os(ct) {
            return d.addr(Role::MLC_NUMBER, c);
        }
        match ctx_n(ct) {
            Some(0) => {
                // lcs-ClientID: externalAddress / dialled by MS
                d.each(c, |d, l| {
                    match ctx_n(&l.1) {
                        Some(1) => {
                            d.each(l, |d, x| {
                                if ctx_n(&x.1) == Some(0) {
                                    d.addr(Role::LCS_CLIENT_ADDRESS, x);
                                }
                                true
                            });
                        }
                        Some(2) => {
                            d.addr(Role::LCS_CLIENT_ADDRESS, l);
                        }
                        _ => {}
                    }
                    true
                });
                true
            }
            Some(2) => d.imsi(c),
            Some(3) => d.addr(Role::MSISDN, c),
            Some(4) => d.lmsi(c),
            Some(5) => d.imei(c),
            Some(8) => d.ext(c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// provideSubscriberLocation (83) result: ProvideSubscriberLocation-Res.
pub(super) fn provide_subscriber_location_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            d.p.location_estimate = d.raw(c);
            return true;
        }
        match ctx_n(&c.1) {
            Some(0) => {
                d.p.age_of_location_estimate = small_uint(&c.1);
                true
            }
            Some(1) => d.ext(c),
            Some(6) => cell_or_sai(d, c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// sendRoutingInfoForLCS (85): RoutingInfoForLCS-Arg.
pub(super) fn send_routing_info_for_lcs_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.addr(Role::MLC_NUMBER, c),
        Some(1) => d.subscriber_identity(c),
        Some(2) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// sendRoutingInfoForLCS (85) result: RoutingInfoForLCS-Res.
pub(super) fn send_routing_info_for_lcs_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.subscriber_identity(c),
        Some(1) => lcs_location_info(d, c),
        Some(2) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// subscriberLocationReport (86): SubscriberLocationReport-Arg.
pub(super) fn subscriber_location_report_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut seqs = 0;
    d.each(e, |d, c| {
        let ct = &c.1;
        if ct.tag == Tag::ENUMERATED {
            d.p.lcs_event = first_octet(ct);
            return true;
        }
        if ct.tag == Tag::SEQUENCE {
            seqs += 1;
            if seqs == 2 {
                lcs_location_info(d, c);
            }
            return true;
        }
        match ctx_n(ct) {
            Some(0) => d.addr(Role::MSISDN, c),
            Some(1) => d.imsi(c),
            Some(2) => d.imei(c),
            Some(3) => d.addr(Role::NA_ESRD, c),
            Some(4) => d.addr(Role::NA_ESRK, c),
            Some(5) => {
                d.p.location_estimate = d.raw(c);
                true
            }
            Some(6) => {
                d.p.age_of_location_estimate = small_uint(ct);
                true
            }
            Some(7) => d.ext(c),
            Some(13) => cell_or_sai(d, c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// subscriberLocationReport (86) result: SubscriberLocationReport-Res (na-ESRK [0],
/// na-ESRD [1]).
pub(super) fn subscriber_location_report_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |d, c, n| match n {
        Some(0) => Some(d.addr(Role::NA_ESRK, c)),
        Some(1) => Some(d.addr(Role::NA_ESRD, c)),
        _ => None,
    })
}

/// LCSLocationInfo ::= SEQUENCE { networkNode-Number, lmsi [0], ext [1], ..., additional-Number [3] }
fn lcs_location_info<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.addr(Role::NETWORK_NODE_NUMBER, c);
        }
        match ctx_n(&c.1) {
            Some(0) => d.lmsi(c),
            Some(1) => d.ext(c),
            Some(3) => additional_number(d, c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// CellGlobalIdOrServiceAreaIdOrLAI under an explicit tag (LCS results).
fn cell_or_sai<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let mut loc = d.p.location.unwrap_or_default();
    d.cell_choice(e, &mut loc, false);
    d.p.location = Some(loc);
    true
}
