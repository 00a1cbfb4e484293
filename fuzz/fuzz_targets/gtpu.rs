#![no_main]
//! GTP-U: header with extension header chain, G-PDU inner IP through etherparse, GTP-in-GTP-U
//! check, and the request/response matcher fed with whatever decodes.
use libfuzzer_sys::fuzz_target;
use sigscope_gtp::{gtpu, matcher::Matcher, v1::V1Slice};

fuzz_target!(|data: &[u8]| {
    let mut m = Matcher::new();
    if let Some(d) = sigscope_gtp::decode(data, 2152, 2152) {
        let _ = m.observe(
            &d.message.txn(2152, 2152),
            [10, 0, 0, 1].into(),
            [10, 0, 0, 2].into(),
            1,
        );
    }
    if let Ok(s) = V1Slice::from_slice(data) {
        for h in s.ext_headers().flatten() {
            let _ = h.value();
        }
        let _ = gtpu::summarize(s.body());
        let mut a = sigscope_core::Anomalies::new();
        let _ = gtpu::check_inner(&s, &mut a);
    }
});
