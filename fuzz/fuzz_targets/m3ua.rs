//! M3UA message decoding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_sigtran::m3ua;

fuzz_target!(|data: &[u8]| {
    let mut a = Anomalies::new();
    if let Ok(m) = m3ua::parse(data, &mut a) {
        if let Some(r) = m3ua::DataRepr::parse(&m) {
            let mut out = Vec::new();
            assert!(r.emit(&mut out).is_ok(), "a parsed DATA message re-emits");
            let mut b = Anomalies::new();
            let again = m3ua::parse(&out, &mut b).ok().and_then(|m| m3ua::DataRepr::parse(&m));
            assert_eq!(again.as_ref(), Some(&r), "emit/parse round trip");
        }
    }
});
