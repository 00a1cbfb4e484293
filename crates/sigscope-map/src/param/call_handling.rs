//! Call handling: provideRoamingNumber (4), sendRoutingInfo (22).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, is_seq, wrong_outer, El, D};
use super::Role;

/// provideRoamingNumber (4): ProvideRoamingNumberArg.
pub(super) fn provide_roaming_number_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.imsi(c),
        Some(1) => d.addr(Role::MSC_NUMBER, c),
        Some(2) => d.addr(Role::MSISDN, c),
        Some(3) => d.addr(Role::PREVIOUS_ROAMING_NUMBER, c),
        Some(4) => d.lmsi(c),
        Some(8) => d.addr(Role::GMSC_ADDRESS, c),
        Some(11) => d.ext(c),
        Some(25) => d.addr(Role::OLD_MSC_NUMBER, c),
        Some(_) => true,
        None => false,
    });
    true
}

/// provideRoamingNumber (4) result: ProvideRoamingNumberRes, or the bare roaming number (v1/v2).
pub(super) fn provide_roaming_number_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if is_os(&t) {
        return d.addr(Role::ROAMING_NUMBER, e);
    }
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.addr(Role::ROAMING_NUMBER, c);
        }
        match ctx_n(&c.1) {
            Some(0) => d.addr(Role::VMSC_ADDRESS, c),
            Some(_) => true,
            None => c.1.tag == Tag::NULL || (D::looks_like_ext(&c.1) && d.ext(c)),
        }
    });
    true
}

/// sendRoutingInfo (22): SendRoutingInfoArg.
pub(super) fn send_routing_info_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.addr(Role::MSISDN, c),
        Some(2) => {
            d.p.number_of_forwarding = first_octet(&c.1);
            true
        }
        Some(3) => {
            d.p.interrogation_type = first_octet(&c.1);
            true
        }
        Some(6) => d.addr(Role::GMSC_ADDRESS, c),
        Some(13) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// sendRoutingInfo (22) result: SendRoutingInfoRes (v3 under [3], v1/v2 SEQUENCE).
pub(super) fn send_routing_info_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if !is_seq(&t) {
        return wrong_outer(d, e);
    }
    let v3 = t.tag == Tag::ctx_cons(3);
    let mut os = 0;
    d.each(e, |d, c| {
        let ct = &c.1;
        if is_os(ct) {
            os += 1;
            return if !v3 && os == 1 {
                d.imsi(c)
            } else {
                d.addr(Role::ROAMING_NUMBER, c)
            };
        }
        if ct.tag == Tag::SEQUENCE {
            // forwardingData (or, v1/v2, cug-CheckInfo / extension container)
            if D::looks_like_ext(ct) && !v3 {
                return d.ext(c);
            }
            return forwarding_data(d, c);
        }
        match ctx_n(ct) {
            Some(0) if v3 => d.ext(c),
            Some(2) => d.addr(Role::VMSC_ADDRESS, c),
            Some(7) => d.subscriber_info(c),
            Some(8) => {
                // camelRoutingInfo: forwardingData first
                d.each(c, |d, x| {
                    if x.1.tag == Tag::SEQUENCE {
                        forwarding_data(d, x);
                    }
                    true
                });
                true
            }
            Some(9) => d.imsi(c),
            Some(12) => d.addr(Role::MSISDN, c),
            Some(_) => true,
            None => false,
        }
    });
    true
}

/// ForwardingData ::= SEQUENCE { forwardedToNumber [5], forwardedToSubaddress [4],
/// forwardingOptions [6], extensionContainer [7], longForwardedToNumber [8] }
fn forwarding_data<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(5) | Some(8) => d.addr(Role::FORWARDED_TO_NUMBER, c),
        Some(7) => d.ext(c),
        _ => true,
    });
    true
}
