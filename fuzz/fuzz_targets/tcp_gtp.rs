//! GTP' over TCP: the input cut into segments (each prefixed by a sequence-number step and a
//! length) fed to the stream cutter; every piece it hands out is a whole message by its
//! header's length (or, past the per-segment bound, the rest of a segment) and is decoded as
//! a datagram on the GTP' port is. Nothing panics, and what is held stays bounded.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_decode::tcp_gtp::{TcpGtpStreams, TCP_GTP_MAX_HELD};

fuzz_target!(|data: &[u8]| {
    let mut streams = TcpGtpStreams::default();
    let mut seq = 1000u32;
    let mut rest = data;
    while let [step, len, tail @ ..] = rest {
        let n = usize::from(*len).min(tail.len());
        let (seg, after) = tail.split_at(n);
        rest = after;
        // steps 0..=3: in order; others: a gap, a retransmission or a jump
        seq = match step % 8 {
            0..=3 => seq,
            4 => seq.wrapping_add(u32::from(*step)),
            5 => seq.wrapping_sub(u32::from(*len)),
            _ => seq.wrapping_add(u32::from(*step) << 16),
        };
        let key = u64::from(step % 2) + 1;
        let _ = streams.segment(key, seq, seg, &mut |d, _| {
            assert!(d.len() <= TCP_GTP_MAX_HELD + usize::from(u8::MAX));
            let mut out = sigscope_gtp::Decoded::empty();
            let _ = sigscope_gtp::decode_into(d, 40000, sigscope_gtp::PORT_PRIME, &mut out);
        });
        seq = seq.wrapping_add(n as u32);
    }
});
