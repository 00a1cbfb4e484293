//! Per-message cost of the SIGTRAN parsers on a real packet
//! (../shared/captures raw/arkime+arkime/m3ua_synthetic.pcap frame 20, bytes inlined).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sigscope_core::Anomalies;
use sigscope_sigtran::sctp::SctpSlice;
use sigscope_sigtran::{m3ua, mtp3, Mtp3Variant};

const SCTP: &[u8] = sigscope_sigtran::testdata::M3UA_SYNTHETIC_F20_SCTP;

fn sctp_m3ua(verify: bool) -> u32 {
    let Ok(p) = SctpSlice::from_slice(std::hint::black_box(SCTP)) else {
        return 0;
    };
    if verify && !p.checksum_ok() {
        return 0;
    }
    let mut sum = 0;
    for c in p.chunks().flatten() {
        if let Some(Ok(d)) = c.data() {
            let mut a = Anomalies::new();
            if let Ok(m) = m3ua::parse(d.payload, &mut a) {
                if let Some(pd) = m.protocol_data {
                    sum += pd.opc ^ pd.dpc;
                }
            }
        }
    }
    sum
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("sigtran");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sctp_m3ua_crc", |b| b.iter(|| sctp_m3ua(true)));
    g.bench_function("sctp_m3ua_no_crc", |b| b.iter(|| sctp_m3ua(false)));
    let m3 = [0x83u8, 0x01, 0x80, 0x00, 0x50, 0x09];
    g.bench_function("mtp3_itu_label", |b| {
        b.iter(|| {
            let mut a = Anomalies::new();
            mtp3::parse(std::hint::black_box(&m3), Mtp3Variant::Itu, &mut a)
                .map(|m| m.opc)
                .unwrap_or(0)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
