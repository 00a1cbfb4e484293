//! Unstructured supplementary service data: processUnstructuredSS-Data (19, v1),
//! processUnstructuredSS-Request (59), unstructuredSS-Request (60), unstructuredSS-Notify (61).

use sigscope_core::ber::Tag;

use super::walker::{ctx_n, first_octet, is_os, wrong_outer, El, D};
use super::Role;
use crate::ussd::Ussd;

/// USSD-Arg / USSD-Res: processUnstructuredSS-Request (59), unstructuredSS-Request (60),
/// unstructuredSS-Notify (61) arguments and the results of 59 and 60.
pub(super) fn ussd<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    if e.1.tag != Tag::SEQUENCE {
        return wrong_outer(d, e);
    }
    let mut idx = 0;
    let mut dcs = None;
    d.each(e, |d, c| {
        if is_os(&c.1) {
            idx += 1;
            match idx {
                1 => dcs = first_octet(&c.1),
                2 => {
                    d.p.ussd = Some(Ussd {
                        dcs,
                        string: c.1.value,
                        offset: c.0 + c.1.header_len,
                    })
                }
                _ => {} // alertingPattern
            }
            return true;
        }
        match ctx_n(&c.1) {
            Some(0) => d.addr(Role::MSISDN, c),
            _ => D::looks_like_ext(&c.1) && d.ext(c),
        }
    });
    true
}

/// processUnstructuredSS-Data (19, v1): SS-UserData (IA5String).
pub(super) fn process_unstructured_ss_data_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    d.p.ussd = Some(Ussd {
        dcs: None,
        string: t.value,
        offset: t.header_len,
    });
    true
}

/// processUnstructuredSS-Data (19, v1) result: SS-UserData (IA5String).
pub(super) fn process_unstructured_ss_data_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    d.p.ussd = Some(Ussd {
        dcs: None,
        string: t.value,
        offset: t.header_len,
    });
    true
}
