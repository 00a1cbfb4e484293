//! GTP' over TCP: a charging stream of 64 Data Record Transfer Requests (200 to 1,400 octets
//! of records each) cut into 1,460-octet segments, cut back into its messages and each
//! decoded as GTP'. Reported as messages per second (one core).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope_decode::tcp_gtp::TcpGtpStreams;

/// A GTP' Data Record Transfer Request (6-octet header) carrying `n` octets of records.
fn drt(seq: u16, n: usize) -> Vec<u8> {
    let mut d = vec![0x4e, 240];
    d.extend_from_slice(&(n as u16).to_be_bytes());
    d.extend_from_slice(&seq.to_be_bytes());
    d.extend((0..n).map(|i| (i * 7 + usize::from(seq)) as u8));
    d
}

fn bench(c: &mut Criterion) {
    let stream: Vec<u8> = (0..64u16)
        .flat_map(|i| drt(i, 200 + usize::from(i) * 19))
        .collect();
    let segments: Vec<&[u8]> = stream.chunks(1460).collect();
    let mut g = c.benchmark_group("tcp_gtp");
    g.throughput(Throughput::Elements(64));
    g.bench_function("cut_and_decode", |b| {
        b.iter(|| {
            let mut s = TcpGtpStreams::default();
            let (mut seq, mut n) = (1u32, 0usize);
            for seg in &segments {
                let _ = s.segment(7, seq, seg, &mut |d, _| {
                    let mut out = sigscope_gtp::Decoded::empty();
                    if sigscope_gtp::decode_into(d, 40000, sigscope_gtp::PORT_PRIME, &mut out) {
                        n += 1;
                    }
                });
                seq = seq.wrapping_add(seg.len() as u32);
            }
            assert_eq!(n, 64);
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
