//! Fuzz the TCAP decoder (ITU and ANSI), the dialogue portion, the component iterator and
//! the transaction matcher.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_tcap::{Matcher, Tcap};

fuzz_target!(|data: &[u8]| {
    let mut a = Anomalies::new();
    let _ = Tcap::looks_like(data);
    if let Ok(t) = Tcap::decode(data, &mut a) {
        for c in t.components().flatten() {
            c.check(&mut a);
            let _ = c.problem.map(|p| p.name());
        }
        if let Tcap::Itu(m) = t {
            if let Some(d) = m.dialogue(&mut a) {
                let _ = d.acn.map(|o| o.to_string());
            }
            let mut mt = Matcher::with_capacity_limit(4);
            mt.observe(&m, 1, 0, &mut a);
            mt.observe(&m, 1, 1, &mut a);
        }
    }
});
