//! Fuzz MAP parameter decoding across operation codes, component kinds and versions: the
//! first three octets choose opcode, kind and version, the rest is the parameter. The SMS
//! TPDU, USSD text and MAP dialogue decoders are driven from what the parameter yields.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_map::{decode, GeoInfo, Kind, MapDialogue, OpCode};

fuzz_target!(|data: &[u8]| {
    let [op, kind, version, param @ ..] = data else {
        return;
    };
    let kind = match kind % 3 {
        0 => Kind::Invoke,
        1 => Kind::ReturnResult,
        _ => Kind::ReturnError,
    };
    let mut an = Anomalies::new();
    let p = decode(OpCode(*op), kind, version % 5, param, &mut an);
    for (_, a) in p.addresses() {
        let _ = a.digits();
    }
    let _ = p.imsi.map(|i| i.digits());
    if let Some(Ok(t)) = p.sms(&mut an) {
        let _ = t.text();
    }
    if let Some(u) = p.ussd {
        let _ = u.text();
    }
    for l in [p.location, p.location_gprs, p.location_eps]
        .into_iter()
        .flatten()
    {
        for c in [l.cell, l.rai, l.ecgi, l.tai].into_iter().flatten() {
            let _ = (c.plmn(), c.lac(), c.cell());
        }
        let _ = l.geographical.map(|g| GeoInfo::parse(g.bytes));
    }
    let _ = MapDialogue::decode(param, &mut an);
});
