//! Handover: prepareHandover (68), prepareSubsequentHandover (69).

use super::walker::{ctx_n, is_os, is_seq, wrong_outer, El, D};
use super::{Location, Role};
use crate::types::CellKind;

/// prepareHandover (68) and prepareSubsequentHandover (69) arguments, v3 (PrepareHO-Arg,
/// PrepareSubsequentHO-Arg under [3] or as a SEQUENCE; earlier versions are not typed).
pub(super) fn prepare_handover_arg<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let op = d.p.opcode.0;
    d.each(e, |d, c| match (op, ctx_n(&c.1)) {
        (_, Some(0)) => {
            // targetCellId: GlobalCellId (CGI)
            let cell = d.cell(c, CellKind::Cgi);
            d.p.location = Some(Location {
                cell,
                ..Location::default()
            });
            true
        }
        (68, Some(4)) => d.imsi(c),
        (68, Some(22)) => {
            d.p.imeisv = d.tbcd_id(c, 8, 8);
            true
        }
        (69, Some(1)) => d.addr(Role::TARGET_MSC_NUMBER, c),
        (_, Some(_)) => true,
        _ => false,
    });
    true
}

/// prepareHandover (68) result: handoverNumber first (v2), or PrepareHO-Res (v3).
pub(super) fn prepare_handover_res<'a>(d: &mut D<'a, '_>, e: El<'a>) -> bool {
    let t = e.1;
    if !is_seq(&t) {
        return wrong_outer(d, e);
    }
    d.each(e, |d, c| {
        if is_os(&c.1) {
            return d.addr(Role::HANDOVER_NUMBER, c);
        }
        match ctx_n(&c.1) {
            Some(0) if d.p.version >= 3 => d.addr(Role::HANDOVER_NUMBER, c),
            _ => true,
        }
    });
    true
}
