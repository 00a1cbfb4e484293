//! Operation and maintenance and IMEI management: checkIMEI (43), activateTraceMode (50),
//! deactivateTraceMode (51), sendIMSI (58).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, short_res, small_uint, wrong_outer, El, D};
use super::Role;

/// checkIMEI (43): CheckIMEI-Arg, or the bare IMEI (v1/v2).
pub(super) fn check_imei_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if is_os(&t) {
        return d.imei(e);
    }
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.imei(c);
        }
        c.1.tag == Tag::universal(false, 3) || (D::looks_like_ext(&c.1) && d.ext(c))
    });
    true
}

/// checkIMEI (43) result: CheckIMEI-Res, or the bare EquipmentStatus.
pub(super) fn check_imei_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag == Tag::ENUMERATED {
        d.p.equipment_status = first_octet(&t);
        return true;
    }
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if c.1.tag == Tag::ENUMERATED {
            d.p.equipment_status = first_octet(&c.1);
            return true;
        }
        match ctx_n(&c.1) {
            Some(0) => d.ext(c),
            Some(_) => true,
            None => c.1.tag == Tag::SEQUENCE,
        }
    });
    true
}

/// activateTraceMode (50) and deactivateTraceMode (51): ActivateTraceModeArg,
/// DeactivateTraceModeArg.
pub(super) fn trace_mode_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.imsi(c),
        Some(1) => {
            d.p.trace_reference = d.raw(c);
            true
        }
        Some(2) => {
            d.p.trace_type = small_uint(&c.1);
            true
        }
        Some(3) => d.addr(Role::OMC_ID, c),
        Some(4) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// activateTraceMode (50) result: ActivateTraceModeRes.
pub(super) fn activate_trace_mode_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |d, c, n| match n {
        Some(0) => Some(d.ext(c)),
        _ => None,
    })
}

/// sendIMSI (58): ISDN-AddressString (the MSISDN).
pub(super) fn send_imsi_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.addr(Role::MSISDN, e) || wrong_outer(d, e)
}

/// sendIMSI (58) result: IMSI.
pub(super) fn send_imsi_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.imsi(e) || wrong_outer(d, e)
}
