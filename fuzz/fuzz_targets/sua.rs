//! SUA message decoding.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_sigtran::sua;

fuzz_target!(|data: &[u8]| {
    let mut a = Anomalies::new();
    let _ = sua::parse(data, &mut a);
});
