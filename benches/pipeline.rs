//! End to end: pcap bytes in memory → frames → Ethernet/IPv4 → SCTP (chunks, CRC32c) → M3UA →
//! OPC/DPC of every DATA message. Reported as messages per second (one core).
//!
//! Inputs: a synthetic capture made with the project's emitters (always), and real captures
//! from ../shared/captures when present (`SIGSCOPE_CAPTURES` overrides the path).

use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use sigscope::capture::{Demux, DemuxOptions, SliceReader, Transport};
use sigscope::core::Anomalies;
use sigscope::sigtran::m3ua;

/// Run the path over a capture held in memory; returns (messages, checksum of OPC+DPC).
fn run(capture: &[u8], verify_crc: bool) -> (u64, u64) {
    let Ok(mut r) = SliceReader::new(capture) else {
        return (0, 0);
    };
    let mut demux = Demux::new(DemuxOptions {
        verify_sctp_checksum: verify_crc,
    });
    let mut n = 0u64;
    let mut sum = 0u64;
    let mut anomalies = Anomalies::new();
    while let Ok(Some(p)) = r.next_packet() {
        demux.dissect(&p, &mut anomalies, &mut |s, _| {
            if let Transport::Sctp { .. } = s.transport {
                let mut a = Anomalies::new();
                if let Ok(m) = m3ua::parse(s.data, &mut a) {
                    if let Some(pd) = m.protocol_data {
                        n += 1;
                        sum = sum.wrapping_add(u64::from(pd.opc) + u64::from(pd.dpc));
                    }
                }
            }
        });
    }
    (n, sum)
}

fn real_capture(rel: &str) -> Option<Vec<u8>> {
    let base = std::env::var_os("SIGSCOPE_CAPTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/captures"));
    std::fs::read(base.join(rel)).ok()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("pcap_to_m3ua_opc_dpc");
    let mut inputs: Vec<(String, Vec<u8>)> = vec![
        (
            "synthetic_1_per_packet".into(),
            sigscope::capture::writer::synthetic_m3ua(2000, 1),
        ),
        (
            "synthetic_4_per_packet".into(),
            sigscope::capture::writer::synthetic_m3ua(500, 4),
        ),
    ];
    for rel in [
        "raw/ajbanjara+Wireshark/m3ua_isup.cap",
        "raw/ajbanjara+Wireshark/3gpp_mc.cap",
    ] {
        if let Some(b) = real_capture(rel) {
            inputs.push((rel.rsplit('/').next().unwrap_or(rel).to_string(), b));
        }
    }
    for (name, bytes) in &inputs {
        for verify in [true, false] {
            let (n, _) = run(bytes, verify);
            if n == 0 {
                continue;
            }
            g.throughput(Throughput::Elements(n));
            let id = BenchmarkId::new(
                if verify {
                    "crc_verified"
                } else {
                    "crc_skipped"
                },
                name,
            );
            g.bench_with_input(id, bytes, |b, bytes| {
                b.iter(|| run(std::hint::black_box(bytes), verify))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
