//! Authentication and identification: sendParameters (9, v1), authenticationFailureReport (15),
//! sendIdentification (55), sendAuthenticationInfo (56). Vectors are counted, never exposed.

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, is_seq, short_res, small_uint, wrong_outer, El, D};
use super::{AuthVectors, Location, Role};
use crate::types::CellKind;

/// sendParameters (9, v1): SendParametersArg.
pub(super) fn send_parameters_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.imsi(c),
        Some(1) => {
            d.p.tmsi = d.raw(c);
            true
        }
        _ => c.1.tag == Tag::SEQUENCE,
    });
    true
}

/// sendParameters (9, v1) result: SentParameterList.
pub(super) fn send_parameters_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        match ctx_n(&c.1) {
            Some(0) => {
                d.imsi(c);
            }
            Some(1) => {
                let v = d.p.auth_vectors.get_or_insert_with(AuthVectors::default);
                v.triplets = v.triplets.saturating_add(1);
            }
            _ => {} // subscriber data, Ki, ...: not exposed
        }
        true
    });
    true
}

/// authenticationFailureReport (15): AuthenticationFailureReportArg.
pub(super) fn authentication_failure_report_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut os = 0;
    let mut en = 0;
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            os += 1;
            return os > 1 || d.imsi(c); // the second is the RAND: not exposed
        }
        if ct.tag == Tag::ENUMERATED {
            en += 1;
            if en == 1 {
                d.p.failure_cause = first_octet(ct);
            }
            return true;
        }
        match ctx_n(ct) {
            Some(0) => d.addr(Role::VLR_NUMBER, c),
            Some(1) => d.addr(Role::SGSN_NUMBER, c),
            Some(_) => true,
            None => ct.tag == Tag::universal(false, 1) || (D::looks_like_ext(ct) && d.ext(c)),
        }
    });
    true
}

/// authenticationFailureReport (15) result: AuthenticationFailureReportRes.
pub(super) fn authentication_failure_report_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |_, _, _| None)
}

/// sendIdentification (55): SendIdentificationArg (v3), or the bare TMSI (v2).
pub(super) fn send_identification_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if is_os(&t) {
        d.p.tmsi = d.raw(e);
        return true;
    }
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut os = 0;
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            os += 1;
            return match os {
                1 => {
                    d.p.tmsi = d.raw(c);
                    true
                }
                _ => d.addr(Role::MSC_NUMBER, c),
            };
        }
        if ct.tag == Tag::INTEGER {
            d.p.requested_vectors = small_uint(ct);
            return true;
        }
        match ctx_n(ct) {
            Some(0) => {
                let mut loc = Location {
                    cell: d.cell(c, CellKind::Lai),
                    ..Location::default()
                };
                loc.current_location_retrieved = false;
                d.p.location = Some(loc);
                true
            }
            Some(3) => d.addr(Role::NEW_VLR_NUMBER, c),
            Some(4) => d.lmsi(c),
            Some(_) => true,
            None => ct.tag == Tag::NULL || (D::looks_like_ext(ct) && d.ext(c)),
        }
    });
    true
}

/// sendAuthenticationInfo (56): SendAuthenticationInfoArg (v3), or the bare IMSI (v2).
pub(super) fn send_authentication_info_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if is_os(&t) {
        return d.imsi(e);
    }
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        let ct = &c.1;
        if ct.tag == Tag::INTEGER {
            d.p.requested_vectors = small_uint(ct);
            return true;
        }
        if ct.tag == Tag::SEQUENCE {
            d.p.resync = true; // re-synchronisationInfo: RAND + AUTS, not exposed
            return true;
        }
        match ctx_n(ct) {
            Some(0) => d.imsi(c),
            Some(2) => d.ext(c),
            Some(_) => true,
            None => ct.tag == Tag::NULL,
        }
    });
    true
}

/// sendIdentification (55) and sendAuthenticationInfo (56) results: the IMSI and the
/// authentication vectors (v3 under [3], v2 AuthenticationSetList).
pub(super) fn authentication_sets_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if !is_seq(&t) {
        return wrong_outer(d, e);
    }
    let v3_tag = t.tag == Tag::ctx_cons(3);
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            return d.imsi(c);
        }
        if ct.tag == Tag::SEQUENCE {
            if D::looks_like_ext(ct) {
                return d.ext(c);
            }
            // v2 AuthenticationSetList (SEQUENCE OF AuthenticationSet) inside the
            // result, or one AuthenticationSet of a v2 SAI result
            let first_is_seq =
                matches!(ct.children().next(), Some(Ok((_, k))) if k.tag == Tag::SEQUENCE);
            if first_is_seq {
                return d.auth_list(c);
            }
            let v = d.p.auth_vectors.get_or_insert_with(AuthVectors::default);
            v.triplets = v.triplets.saturating_add(1);
            return true;
        }
        match ctx_n(ct) {
            Some(0) | Some(1) => d.auth_list(c),
            Some(2) if d.p.opcode.0 == 56 => d.auth_list(c),
            Some(3) if d.p.opcode.0 == 55 || !v3_tag => d.ext(c),
            Some(_) => true,
            None => false,
        }
    });
    true
}
