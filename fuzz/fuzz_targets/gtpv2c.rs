#![no_main]
//! GTPv2-C: header, piggybacking, grouped IEs walked recursively, typed values, validation,
//! owned round trip.
use libfuzzer_sys::fuzz_target;
use sigscope_gtp::v2::{walk, V2Repr, V2Slice};

fuzz_target!(|data: &[u8]| {
    if let Some(d) = sigscope_gtp::decode(data, 2123, 2123) {
        let _ = d.message.txn(2123, 2123);
    }
    if let Ok(m) = V2Slice::from_slice(data) {
        let _ = walk(m.ies(), &mut |ie| {
            let _ = ie.decode();
        });
        if let Ok(r) = V2Repr::parse(&m) {
            if let Ok(bytes) = r.to_bytes() {
                let again = V2Slice::from_slice(&bytes).expect("emitted message parses");
                assert_eq!(V2Repr::parse(&again).ok(), Some(r));
            }
        }
    }
});
