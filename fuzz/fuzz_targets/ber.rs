//! The zero-copy BER reader, walked recursively (bounded depth), OID text, and the audit of
//! exploit-shaped BER (`ber_audit`: whatever it finds lies within the input).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_core::ber::{oid_to_string, TlvIter, MAX_DEPTH};
use sigscope_core::ber_audit::{audit, audit_whole};

fn walk(d: &[u8], depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for t in TlvIter::new(d).flatten() {
        let (_, t) = t;
        if t.tag.constructed {
            walk(t.value, depth + 1);
        } else {
            let _ = t.int();
            let _ = oid_to_string(t.value);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    walk(data, 0);
    // a finding names a TLV of the input, or its end (an indefinite value never closed)
    for found in [audit(data), audit_whole(data)].into_iter().flatten() {
        assert!(found.offset <= data.len(), "finding past the input");
    }
});
