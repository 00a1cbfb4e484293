//! Supplementary services: registerSS (10), eraseSS (11), activateSS (12), deactivateSS (13),
//! interrogateSS (14), registerPassword (17), getPassword (18), ss-InvocationNotification (72).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, short_res, wrong_outer, El, D};
use super::Role;

/// registerSS (10), eraseSS (11), activateSS (12), deactivateSS (13), interrogateSS (14):
/// RegisterSS-Arg / SS-ForBS-Code (the SS code; registerSS's forwarded-to number).
pub(super) fn ss_operation_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.ss_code(c);
        }
        match ctx_n(&c.1) {
            Some(4) if d.p.opcode.0 == 10 => d.addr(Role::FORWARDED_TO_NUMBER, c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// SS-Info results (registerSS, eraseSS, activateSS, deactivateSS).
pub(super) fn ss_info_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    match ctx_n(&e.1) {
        Some(0 | 1 | 3) => d.ss_info_alt(e, false),
        _ => wrong_outer(d, e),
    }
}

/// interrogateSS (14) result: InterrogateSS-Res.
pub(super) fn interrogate_ss_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    match ctx_n(&t) {
        Some(0) => d.p.ss_status = first_octet(&t),
        Some(3) => {
            d.each(e, |d, ff| {
                d.each(ff, |d, f| match ctx_n(&f.1) {
                    Some(4) => {
                        d.p.ss_status = first_octet(&f.1);
                        true
                    }
                    Some(5) | Some(9) => d.addr(Role::FORWARDED_TO_NUMBER, f),
                    _ => true,
                });
                true
            });
        }
        Some(2 | 4) => {}
        _ => return wrong_outer(d, e),
    }
    true
}

/// registerPassword (17): SS-Code.
pub(super) fn register_password_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.ss_code(e) || wrong_outer(d, e)
}

/// getPassword (18): GuidanceInfo.
pub(super) fn get_password_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    d.p.guidance_info = first_octet(&t);
    true
}

/// registerPassword (17) and getPassword (18) results: the password (its length only).
pub(super) fn password_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    d.p.password_len = Some(t.value.len().min(255) as u8);
    true
}

/// ss-InvocationNotification (72): SS-InvocationNotificationArg.
pub(super) fn ss_invocation_notification_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.imsi(c),
        Some(1) => d.addr(Role::MSISDN, c),
        Some(2) => d.ss_code(c),
        Some(3) => {
            d.each(c, |d, a| d.addr(Role::SS_EVENT_ADDRESS, a));
            true
        }
        Some(4) => d.ext(c),
        Some(5) => d.addr(Role::B_SUBSCRIBER_NUMBER, c),
        Some(_) => true,
        None => false,
    });
    true
}

/// ss-InvocationNotification (72) result: SS-InvocationNotificationRes.
pub(super) fn ss_invocation_notification_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    short_res(d, e, |_, _, _| None)
}
