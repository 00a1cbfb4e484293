#![no_main]
//! GTPv1-C: header, TV/TLV IE walk, typed IE decoding, validation, owned round trip.
use libfuzzer_sys::fuzz_target;
use sigscope_gtp::v1::{V1Repr, V1Slice};

fuzz_target!(|data: &[u8]| {
    if let Some(d) = sigscope_gtp::decode(data, 2123, 2123) {
        let _ = d.message.name();
    }
    if let Ok(m) = V1Slice::from_slice(data) {
        let mut a = sigscope_core::Anomalies::new();
        m.validate(&mut a);
        for ie in m.ies().flatten() {
            let _ = ie.decode();
        }
        if let Ok(r) = V1Repr::parse(&m) {
            if let Ok(bytes) = r.to_bytes() {
                let again = V1Slice::from_slice(&bytes).expect("emitted message parses");
                assert_eq!(V1Repr::parse(&again).ok(), Some(r));
            }
        }
    }
});
