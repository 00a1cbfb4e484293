//! Location management, subscriber data management and fault recovery: updateLocation (2),
//! cancelLocation (3), insertSubscriberData (7), deleteSubscriberData (8), reset (37),
//! restoreData (57), purgeMS (67).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, is_seq, short_res, wrong_outer, El, D};
use super::Role;

/// updateLocation (2): UpdateLocationArg.
pub(super) fn update_location_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut os = 0;
    d.each(e, |d, c| {
        if is_os(&c.1) {
            os += 1;
            return match os {
                1 => d.imsi(c),
                2 => d.addr(Role::VLR_NUMBER, c),
                _ => false,
            };
        }
        match ctx_n(&c.1) {
            Some(0) => d.addr(Role::ROAMING_NUMBER, c),
            Some(1) => d.addr(Role::MSC_NUMBER, c),
            Some(10) => d.lmsi(c),
            Some(13) => {
                d.each(c, |d, a| match ctx_n(&a.1) {
                    Some(0) => {
                        d.p.imeisv = d.tbcd_id(a, 8, 8);
                        true
                    }
                    _ => true,
                });
                true
            }
            Some(_) => true,
            None => D::looks_like_ext(&c.1) && d.ext(c),
        }
    });
    true
}

/// updateLocation (2) and restoreData (57) results (and updateGprsLocation's, the same
/// layout): hlr-Number first.
pub(super) fn update_location_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if is_os(&t) {
        return d.addr(Role::HLR_NUMBER, e);
    }
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.addr(Role::HLR_NUMBER, c);
        }
        match ctx_n(&c.1) {
            Some(_) => true,
            None => c.1.tag == Tag::NULL || (D::looks_like_ext(&c.1) && d.ext(c)),
        }
    });
    true
}

/// cancelLocation (3): CancelLocationArg (v2/v3), or the v1 Identity (imsi or
/// imsi-WithLMSI) as the whole parameter.
pub(super) fn cancel_location_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if is_os(&t) {
        return d.imsi(e);
    }
    if !is_seq(&t) {
        return wrong_outer(d, e);
    }
    // v1: CHOICE imsi-WithLMSI as the whole parameter (a SEQUENCE of two octet strings)
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            if d.p.imsi.is_none() {
                return d.imsi(c);
            }
            return d.lmsi(c);
        }
        if ct.tag == Tag::SEQUENCE && !D::looks_like_ext(ct) {
            // imsi-WithLMSI
            let mut n = 0;
            d.each(c, |d, x| {
                n += 1;
                if n == 1 {
                    d.imsi(x)
                } else {
                    d.lmsi(x)
                }
            });
            return true;
        }
        if ct.tag == Tag::ENUMERATED {
            d.p.cancellation_type = first_octet(ct);
            return true;
        }
        // v3 extensions: typeOfUpdate [0], mtrf-SupportedAndAuthorized [1],
        // mtrf-SupportedAndNotAuthorized [2], newMSC-Number [3], newVLR-Number [4],
        // new-lmsi [5], reattach-Required [6] (TS 29.002 CancelLocationArg)
        match ctx_n(ct) {
            Some(3) => d.addr(Role::NEW_MSC_NUMBER, c),
            Some(4) => d.addr(Role::NEW_VLR_NUMBER, c),
            Some(5) => {
                // the identity's LMSI stays the parameter's LMSI
                let identity_lmsi = d.p.lmsi;
                let ok = d.lmsi(c);
                if identity_lmsi.is_some() {
                    d.p.lmsi = identity_lmsi;
                }
                ok
            }
            Some(_) => true,
            None => D::looks_like_ext(ct) && d.ext(c),
        }
    });
    true
}

/// cancelLocation (3) result: CancelLocationRes.
pub(super) fn cancel_location_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |_, _, _| None)
}

/// insertSubscriberData (7): InsertSubscriberDataArg.
pub(super) fn insert_subscriber_data_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.imsi(c),
        Some(1) => d.addr(Role::MSISDN, c),
        Some(2) => {
            d.p.category = first_octet(&c.1);
            true
        }
        Some(3) => {
            d.p.subscriber_status = first_octet(&c.1);
            true
        }
        Some(4) => {
            d.p.bearer_services = d.count(c);
            true
        }
        Some(6) => {
            d.p.teleservices = d.count(c);
            true
        }
        Some(7) => {
            // provisionedSS: Ext-SS-InfoList in v3, SS-InfoList before
            let ext = d.p.version >= 3;
            d.each(c, |d, ssi| d.ss_info_alt(ssi, ext));
            true
        }
        Some(14) => d.ext(c),
        Some(34) => d.addr(Role::SGSN_NUMBER, c),
        Some(41) => d.addr(Role::ADDITIONAL_MSISDN, c),
        Some(_) => true,
        None => false,
    });
    true
}

/// insertSubscriberData (7) result: InsertSubscriberDataRes.
pub(super) fn insert_subscriber_data_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(1) => {
            d.p.teleservices = d.count(c);
            true
        }
        Some(2) => {
            d.p.bearer_services = d.count(c);
            true
        }
        Some(3) => d.ss_list(c),
        Some(7) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// deleteSubscriberData (8): DeleteSubscriberDataArg.
pub(super) fn delete_subscriber_data_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.imsi(c),
        Some(1) => {
            d.count(c);
            true
        }
        Some(2) => d.ss_list(c),
        Some(6) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// deleteSubscriberData (8) result: DeleteSubscriberDataRes (an untagged element is taken
/// as its extension container).
pub(super) fn delete_subscriber_data_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |d, c, n| match n {
        None => Some(d.ext(c)),
        Some(_) => None,
    })
}

/// reset (37): ResetArg (v1 networkResource, hlr-Number, hlr-List).
pub(super) fn reset_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            return d.addr(Role::HLR_NUMBER, c);
        }
        if ct.tag == Tag::ENUMERATED {
            return true; // networkResource (v1)
        }
        if ct.tag == Tag::SEQUENCE && !D::looks_like_ext(ct) {
            d.p.hlr_list = d.count(c);
            return true;
        }
        match ctx_n(ct) {
            Some(1) => d.addr(Role::CSS_NUMBER, c),
            Some(_) => true,
            None => D::looks_like_ext(ct) && d.ext(c),
        }
    });
    true
}

/// restoreData (57): RestoreDataArg.
pub(super) fn restore_data_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut os = 0;
    d.each(e, |d, c| {
        if is_os(&c.1) {
            os += 1;
            return if os == 1 { d.imsi(c) } else { d.lmsi(c) };
        }
        match ctx_n(&c.1) {
            Some(_) => true,
            None => D::looks_like_ext(&c.1) && d.ext(c),
        }
    });
    true
}

/// purgeMS (67): PurgeMS-Arg (v3 under [3], v2 SEQUENCE).
pub(super) fn purge_ms_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if !is_seq(&t) {
        return wrong_outer(d, e);
    }
    let mut os = 0;
    d.each(e, |d, c| {
        if is_os(&c.1) {
            os += 1;
            return if os == 1 {
                d.imsi(c)
            } else {
                d.addr(Role::VLR_NUMBER, c)
            };
        }
        match ctx_n(&c.1) {
            Some(0) => d.addr(Role::VLR_NUMBER, c),
            Some(1) => d.addr(Role::SGSN_NUMBER, c),
            Some(2) => d.location_cs(c),
            Some(3) => d.location_gprs(c),
            Some(4) => d.location_eps(c),
            Some(_) => true,
            None => D::looks_like_ext(&c.1) && d.ext(c),
        }
    });
    true
}

/// purgeMS (67) result: PurgeMS-Res.
pub(super) fn purge_ms_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |_, _, _| None)
}
