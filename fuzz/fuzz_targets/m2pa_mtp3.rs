//! M2PA and M2UA to MTP3 (every label variant), and MTP2 signal units.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_sigtran::{m2pa, mtp3, Mtp3Variant};

fuzz_target!(|data: &[u8]| {
    let mut a = Anomalies::new();
    let variants = [Mtp3Variant::Itu, Mtp3Variant::Ansi, Mtp3Variant::Chinese, Mtp3Variant::Japan];
    if let Ok(m) = m2pa::parse_m2pa(data, &mut a) {
        for v in variants {
            let _ = mtp3::parse(m.mtp3, v, &mut a);
        }
    }
    if let Ok(m) = m2pa::parse_m2ua(data, &mut a) {
        if let Some(d) = m.mtp3 {
            for v in variants {
                let _ = mtp3::parse(d, v, &mut a);
            }
        }
    }
    let _ = mtp3::parse_mtp2(data, &mut a);
    for v in variants {
        if let Ok(m) = mtp3::parse(data, v, &mut a) {
            let r = mtp3::LabelRepr::parse(&m);
            let mut out = Vec::new();
            r.emit(&mut out);
            let mut b = Anomalies::new();
            let again = mtp3::parse(&out, v, &mut b).map(|m| mtp3::LabelRepr::parse(&m));
            assert_eq!(again, Ok(r));
        }
    }
});
