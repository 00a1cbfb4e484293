//! One frame through link → IP (defragmentation) → UDP / SCTP (chunks, reassembly); the first
//! byte picks the link type, so several frames share reassembly state.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_capture::{Demux, Packet};
use sigscope_core::Anomalies;

const LINKTYPES: [u32; 12] = [0, 1, 12, 101, 108, 113, 139, 140, 141, 228, 229, 276];

fuzz_target!(|data: &[u8]| {
    let mut demux = Demux::default();
    // Split the input into frames at 0xFF 0x00 markers so reassembly sees sequences.
    for (i, frame) in data.split(|b| *b == 0xfe).enumerate() {
        let Some((lt, rest)) = frame.split_first() else { continue };
        let linktype = LINKTYPES[usize::from(*lt) % LINKTYPES.len()];
        let pkt = Packet { frame: i as u64 + 1, ts_nanos: i as u64 * 1_000_000, linktype, data: rest, orig_len: rest.len() as u32, interface: 0 };
        let mut a = Anomalies::new();
        demux.dissect(&pkt, &mut a, &mut |s, _| {
            std::hint::black_box(s.data.len());
        });
    }
});
