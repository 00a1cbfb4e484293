//! Profiling driver: the end-to-end bench path (pcap bytes → M3UA OPC/DPC) run many times on
//! a synthetic capture, for `valgrind --tool=callgrind` or `perf`.
//! Run: `cargo run --release --example profile_pipeline -- [iterations]`.

use sigscope::capture::reader::linktype;
use sigscope::capture::writer::{ethernet_ipv4, PcapWriter};
use sigscope::capture::{Demux, DemuxOptions, SliceReader, Transport};
use sigscope::core::Anomalies;
use sigscope::sigtran::m3ua::{self, DataRepr};
use sigscope::sigtran::sctp::{DataChunkRepr, SctpRepr};

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50);
    let mut w = PcapWriter::new(linktype::ETHERNET, false);
    for f in 0..2000u32 {
        let mut m = Vec::new();
        DataRepr {
            network_appearance: None,
            routing_context: Some(1),
            opc: f % 7,
            dpc: 2,
            si: 3,
            ni: 2,
            mp: 0,
            sls: 1,
            user_data: vec![9; 120],
        }
        .emit(&mut m)
        .expect("fits an M3UA parameter");
        let sctp = SctpRepr {
            source_port: 2905,
            destination_port: 2905,
            verification_tag: 1,
            chunks: vec![DataChunkRepr {
                flags: 3,
                tsn: f,
                stream: 1,
                ssn: f as u16,
                ppid: 3,
                payload: m,
            }],
        }
        .emit()
        .expect("fits an SCTP packet");
        w.packet(
            u64::from(f) * 1000,
            &ethernet_ipv4([10, 0, 0, 1], [10, 0, 0, 2], 132, &sctp),
        );
    }
    let cap = w.into_bytes();
    let mut total = 0u64;
    let start = std::time::Instant::now();
    for _ in 0..iterations {
        let Ok(mut r) = SliceReader::new(&cap) else {
            return;
        };
        let mut demux = Demux::new(DemuxOptions {
            verify_sctp_checksum: true,
        });
        let mut anomalies = Anomalies::new();
        while let Ok(Some(p)) = r.next_packet() {
            demux.dissect(&p, &mut anomalies, &mut |s| {
                if let Transport::Sctp { .. } = s.transport {
                    let mut a = Anomalies::new();
                    if let Ok(m) = m3ua::parse(s.data, &mut a) {
                        if let Some(pd) = m.protocol_data {
                            total += u64::from(pd.opc + pd.dpc);
                        }
                    }
                }
            });
        }
    }
    let el = start.elapsed();
    let msgs = 2000.0 * iterations as f64;
    println!(
        "{} messages in {:?}: {:.2} M/s (checksum {total})",
        msgs,
        el,
        msgs / el.as_secs_f64() / 1e6
    );
}
