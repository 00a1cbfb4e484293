//! The SCCP → TCAP → typed MAP chain per message, shared by `benches/chain.rs` and the
//! profiling driver `examples/profile_sccp_tcap.rs` (included with `#[path]`).

use sigscope::core::Anomalies;
use sigscope::map::{self, OpCode};
use sigscope::sccp::Message;
use sigscope::tcap::{Code, ComponentKind, Tcap};

/// Decode one SCCP payload down to typed MAP; returns how many MAP parameters were decoded.
pub fn chain<'c>(udt: &'c [u8], view: &mut map::MapParam<'c>) -> usize {
    let mut a = Anomalies::new();
    let Ok(s) = Message::decode(udt, &mut a) else {
        return 0;
    };
    let Ok(Tcap::Itu(t)) = Tcap::decode(s.user_data(), &mut a) else {
        return 0;
    };
    let version = t
        .dialogue(&mut a)
        .and_then(|d| d.acn)
        .map_or(Some(1), |oid| map::version_of(Some(oid.0)));
    let Some(version) = version else { return 0 };
    let mut n = 0;
    for c in t.components().flatten() {
        let kind = match c.kind {
            ComponentKind::Invoke | ComponentKind::InvokeNotLast => map::Kind::Invoke,
            ComponentKind::ReturnResultLast | ComponentKind::ReturnResultNotLast => {
                map::Kind::ReturnResult
            }
            ComponentKind::ReturnError => map::Kind::ReturnError,
            _ => continue,
        };
        let (Some(Code::Local(op)), Some(p)) = (c.opcode, c.parameter) else {
            continue;
        };
        let Some(op) = OpCode::from_local(op) else {
            continue;
        };
        map::decode_into(view, op, kind, version, p.raw, &mut a);
        std::hint::black_box(&*view);
        n += 1;
    }
    n
}
