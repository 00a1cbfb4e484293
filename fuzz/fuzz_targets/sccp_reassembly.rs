//! Fuzz the XUDT/LUDT reassembler with a sequence of segments: each record is
//! `[flags, remaining|local_ref, time step, length, data...]`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigscope_core::Anomalies;
use sigscope_sccp::{Reassembler, ReassemblyLimits, SegmentKey, SegmentOutcome, Segmentation};

fuzz_target!(|data: &[u8]| {
    let mut r = Reassembler::with_limits(ReassemblyLimits {
        max_entries: 4,
        max_bytes: 8192,
        max_message_len: 4096,
        timeout_nanos: 1_000,
        // small, so that floods from one origin and one point-code pair are reached
        max_open_per_origin: 2,
        max_open_per_link: 3,
    });
    let mut a = Anomalies::new();
    let mut ts = 0u64;
    let mut frame = 0u64;
    let mut rest = data;
    while let [flags, rl, step, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (seg_data, next) = tail.split_at(n);
        rest = next;
        ts += u64::from(*step);
        let called = [flags & 0x03];
        let key = SegmentKey {
            opc: u32::from(flags >> 4),
            dpc: 1,
            called: &called,
            calling: &[],
            local_ref: u32::from(rl >> 4),
        };
        let seg = Segmentation {
            first: flags & 0x80 != 0,
            in_sequence: flags & 0x40 != 0,
            remaining: rl & 0x0f,
            spare: 0,
            local_ref: u32::from(rl >> 4),
        };
        frame += 1;
        r.clear_completed();
        if let SegmentOutcome::Complete(b) = r.push_at(&key, seg, seg_data, 0, (frame, ts), &mut a) {
            assert!(b.len() <= 4096 || seg.is_single());
            // the other segments named, each an earlier frame
            assert!(r.completed().len() < 16);
            assert!(r.completed().iter().all(|(f, _)| *f < frame));
        }
        assert!(r.len() <= 4 && r.bytes() <= 8192);
    }
    r.flush(&mut a);
    assert!(r.is_empty());
});
