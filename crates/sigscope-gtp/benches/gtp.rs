//! GTP benchmarks: a real GTPv2-C Create Session Request with its full IE walk (grouped IEs
//! entered, every IE value decoded), and a real GTP-U G-PDU from header to inner IP/transport.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope_gtp::{gtpu, v1, v2};

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// raw/ajbanjara+Wireshark/GTPV2-Default.pcap frame 1: Create Session Request (213 bytes).
const CS_REQ: &str = "482000d1000000000b83f8000100080033333333333333f34c00080013210800011050f356000d001800000000010000000000d4d45300030000000052000100064d0002000000570009008a000000690a0a61035700090187000000000a0a610647001e0006616161636f6d03636f6d066d6e63303030066d63633030300467707273800001000063000100014f00050001000000007f0001000048000800000051ec0000a3d85d002500490001000550001600480500000000000000000000000000000000000000005f00020001000300010098";
/// raw/seladb+PcapPlusPlus/gtp-u.pcap frame 1: G-PDU carrying IPv4/ICMP.
const GPDU: &str = "32ff00580000000128db0000450000540000400040015ea5ca0b289ec0a828b20800bee70000287b0411204bf43d0d0008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

fn bench(c: &mut Criterion) {
    let cs = unhex(CS_REQ);
    let gpdu = unhex(GPDU);

    let mut g = c.benchmark_group("gtpv2c");
    g.throughput(Throughput::Elements(1));
    g.bench_function("create_session_request_full_walk", |b| {
        b.iter(|| {
            let m = v2::V2Slice::from_slice(black_box(&cs)).ok()?;
            let mut n = 0u32;
            v2::walk(m.ies(), &mut |ie| {
                if ie.decode().is_ok() {
                    n += 1;
                }
            })
            .ok()?;
            Some(n)
        })
    });
    g.bench_function("create_session_request_structure_walk", |b| {
        b.iter(|| {
            let m = v2::V2Slice::from_slice(black_box(&cs)).ok()?;
            v2::walk(m.ies(), &mut |ie| {
                black_box(ie.value.len());
            })
            .ok()
        })
    });
    g.bench_function("create_session_request_decode_validate", |b| {
        b.iter(|| sigscope_gtp::decode(black_box(&cs), 2123, 2123).map(|d| d.anomalies.len()))
    });
    g.finish();

    let mut g = c.benchmark_group("gtpu");
    g.throughput(Throughput::Elements(1));
    g.bench_function("header_to_inner_ip", |b| {
        b.iter(|| {
            let m = v1::V1Slice::from_slice(black_box(&gpdu)).ok()?;
            let p = gtpu::inner_packet(m.body())?;
            Some(p.net.is_some() && p.transport.is_some())
        })
    });
    g.bench_function("header_to_inner_summary", |b| {
        b.iter(|| {
            let m = v1::V1Slice::from_slice(black_box(&gpdu)).ok()?;
            gtpu::summarize(m.body()).map(|s| s.protocol)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
