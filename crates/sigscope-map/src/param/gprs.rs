//! GPRS location management and network-requested PDP context activation: updateGprsLocation
//! (23), sendRoutingInfoForGprs (24), failureReport (25), noteMsPresentForGprs (26).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, is_os, short_res, wrong_outer, El, D};
use super::Role;

/// updateGprsLocation (23): UpdateGprsLocationArg.
pub(super) fn update_gprs_location_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
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
                2 => d.addr(Role::SGSN_NUMBER, c),
                3 => {
                    d.p.sgsn_address = d.raw(c);
                    true
                }
                _ => false,
            };
        }
        match ctx_n(&c.1) {
            Some(4) => {
                d.each(c, |d, a| {
                    if ctx_n(&a.1) == Some(0) {
                        d.p.imeisv = d.tbcd_id(a, 8, 8);
                    }
                    true
                });
                true
            }
            Some(16) => d.addr(Role::MME_NUMBER_FOR_MT_SMS, c),
            Some(_) => true,
            None => D::looks_like_ext(&c.1) && d.ext(c),
        }
    });
    true
}

/// updateGprsLocation (23) result: UpdateGprsLocationRes, hlr-Number first like
/// updateLocation's (`location::update_location_res`).
pub(super) fn update_gprs_location_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    super::location::update_location_res(d, e)
}

/// sendRoutingInfoForGprs (24), failureReport (25), noteMsPresentForGprs (26):
/// SendRoutingInfoForGprsArg, FailureReportArg, NoteMsPresentForGprsArg.
pub(super) fn pdp_context_activation_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let op = d.p.opcode.0;
    d.each(e, |d, c| match (op, ctx_n(&c.1)) {
        (_, Some(0)) => d.imsi(c),
        (24, Some(1)) | (25, Some(2)) | (26, Some(2)) => {
            d.p.ggsn_address = d.raw(c);
            true
        }
        (24, Some(2)) | (25, Some(1)) => d.addr(Role::GGSN_NUMBER, c),
        (26, Some(1)) => {
            d.p.sgsn_address = d.raw(c);
            true
        }
        (_, Some(3)) => d.ext(c),
        (_, Some(_)) => true,
        _ => false,
    });
    true
}

/// sendRoutingInfoForGprs (24) result: SendRoutingInfoForGprsRes.
pub(super) fn send_routing_info_for_gprs_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |d, c, n| match n {
        Some(0) => {
            d.p.sgsn_address = d.raw(c);
            Some(true)
        }
        Some(1) => {
            d.p.ggsn_address = d.raw(c);
            Some(true)
        }
        Some(3) => Some(d.ext(c)),
        _ => None,
    })
}

/// failureReport (25) result: FailureReportRes.
pub(super) fn failure_report_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |d, c, n| match n {
        Some(0) => {
            d.p.ggsn_address = d.raw(c);
            Some(true)
        }
        Some(1 | 3) => Some(d.ext(c)),
        _ => None,
    })
}

/// noteMsPresentForGprs (26) result: NoteMsPresentForGprsRes.
pub(super) fn note_ms_present_for_gprs_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |d, c, n| match n {
        Some(0) => Some(d.ext(c)),
        _ => None,
    })
}
