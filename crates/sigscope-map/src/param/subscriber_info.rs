//! Subscriber information enquiry and any-time interrogation: anyTimeSubscriptionInterrogation
//! (62), anyTimeModification (65), provideSubscriberInfo (70), anyTimeInterrogation (71).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, wrong_outer, El, D};
use super::Role;

/// anyTimeSubscriptionInterrogation (62): AnyTimeSubscriptionInterrogationArg.
pub(super) fn any_time_subscription_interrogation_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.subscriber_identity(c),
        Some(1) => {
            // RequestedSubscriptionInfo: requestedSS-Info [1] SS-ForBS-Code, ...,
            // extensionContainer [6]
            d.each(c, |d, r| match ctx_n(&r.1) {
                Some(1) => {
                    d.each(r, |d, s| {
                        if is_os(&s.1) {
                            d.ss_code(s);
                        }
                        true
                    });
                    true
                }
                Some(6) => d.ext(r),
                _ => true,
            });
            true
        }
        Some(2) => d.addr(Role::GSMSCF_ADDRESS, c),
        Some(3) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// anyTimeSubscriptionInterrogation (62) result: AnyTimeSubscriptionInterrogationRes.
pub(super) fn any_time_subscription_interrogation_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(1) => {
            // callForwardingData: forwardingFeatureList (Ext-ForwFeatureList) first,
            // notificationToCSE NULL, extensionContainer [0]
            d.each(c, |d, x| {
                if x.1.tag == Tag::SEQUENCE {
                    d.each(x, |d, ff| d.forwarding_feature(ff, true));
                } else if ctx_n(&x.1) == Some(0) {
                    d.ext(x);
                }
                true
            });
            true
        }
        Some(7) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// anyTimeModification (65): AnyTimeModificationArg.
pub(super) fn any_time_modification_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.subscriber_identity(c),
        Some(1) => d.addr(Role::GSMSCF_ADDRESS, c),
        Some(2) | Some(3) | Some(11..=15) => {
            // modificationRequestFor-CF/CB/CW/CLIP/CLIR/HOLD/ECT-Info: ss-Code [0]
            d.each(c, |d, m| match ctx_n(&m.1) {
                Some(0) => d.ss_code(m),
                Some(2) => {
                    d.p.ss_status = first_octet(&m.1);
                    true
                }
                Some(3) => d.addr(Role::FORWARDED_TO_NUMBER, m),
                _ => true,
            });
            true
        }
        Some(5) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// anyTimeModification (65) result: AnyTimeModificationRes.
pub(super) fn any_time_modification_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => {
            if let Some(x) = d.inner(c) {
                d.each(x, |d, f| match ctx_n(&f.1) {
                    Some(0) => d.ss_code(f),
                    _ => true,
                });
            }
            true
        }
        Some(2) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// provideSubscriberInfo (70): ProvideSubscriberInfoArg.
pub(super) fn provide_subscriber_info_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.imsi(c),
        Some(1) => d.lmsi(c),
        Some(2) => d.requested_info(c),
        Some(3) => d.ext(c),
        Some(_) => true,
        None => false,
    });
    true
}

/// anyTimeInterrogation (71): AnyTimeInterrogationArg.
pub(super) fn any_time_interrogation_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| match ctx_n(&c.1) {
        Some(0) => d.subscriber_identity(c),
        Some(1) => d.requested_info(c),
        Some(2) => d.ext(c),
        Some(3) => d.addr(Role::GSMSCF_ADDRESS, c),
        Some(_) => true,
        None => false,
    });
    true
}

/// provideSubscriberInfo (70) and anyTimeInterrogation (71) results: SubscriberInfo, then an
/// extension container.
pub(super) fn subscriber_info_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if t.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut seqs = 0;
    d.each(e, |d, c| {
        if c.1.tag == Tag::SEQUENCE {
            seqs += 1;
            return if seqs == 1 {
                d.subscriber_info(c)
            } else {
                d.ext(c)
            };
        }
        false
    });
    true
}
