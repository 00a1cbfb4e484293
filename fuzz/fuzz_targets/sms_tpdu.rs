//! Fuzz the SMS TPDU decoder (TS 23.040) in both directions, with user data header walking,
//! text rendering, time stamps, validity periods and concatenated-SMS reassembly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_map::concat::ConcatReassembler;
use sigscope_map::sms::{Direction, Tpdu};

fuzz_target!(|data: &[u8]| {
    let mut reasm = ConcatReassembler::new();
    for (i, dir) in [Direction::ToMs, Direction::FromMs].into_iter().enumerate() {
        let mut an = Anomalies::new();
        let Ok(t) = Tpdu::parse(data, dir, &mut an) else {
            continue;
        };
        let text = t.text().unwrap_or_default();
        let _ = t.scts.map(|s| s.to_string());
        let _ = t.discharge_time.map(|s| s.to_string());
        let _ = t.validity.map(|v| v.seconds());
        let _ = t.address.map(|a| a.text());
        if let Some(u) = t.user_data {
            let _ = u.ies().count();
            let _ = u.ports();
            if let Some(c) = u.concat() {
                let _ = reasm.push("peer", c, &text, i as u64, &mut an);
            }
        }
    }
});
