//! BER: the hand-written zero-copy walk against asn1-rs `Any::from_ber` on the same real
//! TCAP message (TCAP Begin with dialogue portion and a CAMEL InitialDP-style invoke, from
//! ../shared/captures raw/arkime+arkime/m3ua_synthetic.pcap frame 20), walking every TLV.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope_core::asn1_rs::{self, FromBer};
use sigscope_core::ber::TlvIter;
use sigscope_core::digits::tbcd;

const TCAP: &[u8] = &[
    0x62, 0x50, 0x48, 0x04, 0xab, 0xcd, 0xef, 0x12, 0x6b, 0x26, 0x28, 0x24, 0x06, 0x07, 0x00, 0x11,
    0x86, 0x05, 0x01, 0x01, 0x01, 0xa0, 0x19, 0x60, 0x17, 0x80, 0x02, 0x07, 0x80, 0xa1, 0x09, 0x06,
    0x07, 0x04, 0x00, 0x00, 0x01, 0x00, 0x32, 0x01, 0xbe, 0x06, 0x28, 0x04, 0x06, 0x02, 0x51, 0x01,
    0x6c, 0x1c, 0xa1, 0x1a, 0x02, 0x01, 0x11, 0x02, 0x01, 0x00, 0x30, 0x12, 0x80, 0x07, 0x91, 0x55,
    0x55, 0x55, 0x55, 0x55, 0xf5, 0x83, 0x07, 0x91, 0x66, 0x66, 0x66, 0x66, 0x66, 0xf6,
];

fn walk_ours(d: &[u8], depth: usize) -> usize {
    let mut n = 0;
    for (_, t) in TlvIter::new(d).flatten() {
        n += 1;
        if t.tag.constructed && depth < 16 {
            n += walk_ours(t.value, depth + 1);
        }
    }
    n
}

fn walk_asn1(d: &[u8], depth: usize) -> usize {
    let mut n = 0;
    let mut rem = d;
    while !rem.is_empty() {
        match asn1_rs::Any::from_ber(rem) {
            Ok((r, any)) => {
                n += 1;
                if any.header.is_constructed() && depth < 16 {
                    n += walk_asn1(any.data, depth + 1);
                }
                rem = r;
            }
            Err(_) => break,
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    assert_eq!(walk_ours(TCAP, 0), walk_asn1(TCAP, 0));
    let mut g = c.benchmark_group("ber_walk_tcap_message");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sigscope_core::ber", |b| {
        b.iter(|| walk_ours(std::hint::black_box(TCAP), 0))
    });
    g.bench_function("asn1_rs::Any::from_ber", |b| {
        b.iter(|| walk_asn1(std::hint::black_box(TCAP), 0))
    });
    g.finish();
    let mut g = c.benchmark_group("digits");
    let imsi = [0x62u8, 0x02, 0x11, 0x32, 0x54, 0x76, 0x98, 0xf0];
    g.bench_function("tbcd_imsi", |b| {
        b.iter(|| tbcd(std::hint::black_box(&imsi)).len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
