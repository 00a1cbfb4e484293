//! The zero-copy BER reader, walked recursively (bounded depth), and OID text.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_core::ber::{oid_to_string, TlvIter, MAX_DEPTH};

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

fuzz_target!(|data: &[u8]| walk(data, 0));
