//! Profiling driver: the end-to-end path (pcap bytes → Demux → M3UA OPC/DPC) over a capture
//! file read into memory, run many times, for `valgrind --tool=callgrind`.
//! Run: `cargo run --release -p sigscope-capture --example profile_capture -- FILE [iterations] [nocrc]`.

use sigscope_capture::reader::linktype;
use sigscope_capture::writer::{ethernet_ipv4, PcapWriter};
use sigscope_capture::{Demux, DemuxOptions, SliceReader, Transport};
use sigscope_core::Anomalies;
use sigscope_sigtran::m3ua::{self, DataRepr};
use sigscope_sigtran::sctp::{DataChunkRepr, SctpRepr};

/// The synthetic capture of benches/pipeline.rs: `frames` frames of `per_packet` DATA chunks.
fn synthetic(frames: usize, per_packet: usize) -> Vec<u8> {
    let mut w = PcapWriter::new(linktype::ETHERNET, false);
    for f in 0..frames {
        let chunks = (0..per_packet)
            .map(|c| {
                let mut m = Vec::new();
                DataRepr {
                    network_appearance: None,
                    routing_context: Some(1),
                    opc: 100 + (f % 7) as u32,
                    dpc: 200 + c as u32,
                    si: 3,
                    ni: 2,
                    mp: 0,
                    sls: (f % 16) as u8,
                    user_data: vec![0x09; 120],
                }
                .emit(&mut m)
                .expect("fits an M3UA parameter");
                DataChunkRepr {
                    flags: 3,
                    tsn: (f * per_packet + c) as u32,
                    stream: 1,
                    ssn: f as u16,
                    ppid: 3,
                    payload: m,
                }
            })
            .collect();
        let sctp = SctpRepr {
            source_port: 2905,
            destination_port: 2905,
            verification_tag: 1,
            chunks,
        }
        .emit()
        .expect("fits an SCTP packet");
        w.packet(
            1_700_000_000_000_000_000 + f as u64 * 1000,
            &ethernet_ipv4([10, 0, 0, 1], [10, 0, 0, 2], 132, &sctp),
        );
    }
    w.into_bytes()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: profile_capture FILE [iterations] [nocrc]");
        return;
    };
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let verify = args.next().as_deref() != Some("nocrc");
    let cap = match path.as_str() {
        "synth1" => synthetic(2000, 1),
        "synth4" => synthetic(500, 4),
        _ => match std::fs::read(&path) {
            Ok(c) => c,
            Err(_) => {
                eprintln!("cannot read {path}");
                return;
            }
        },
    };
    let mut msgs = 0u64;
    let mut total = 0u64;
    let start = std::time::Instant::now();
    for _ in 0..iterations {
        let Ok(mut r) = SliceReader::new(&cap) else {
            return;
        };
        let mut demux = Demux::new(DemuxOptions {
            verify_sctp_checksum: verify,
        });
        let mut anomalies = Anomalies::new();
        while let Ok(Some(p)) = r.next_packet() {
            demux.dissect(&p, &mut anomalies, &mut |s| {
                if let Transport::Sctp { .. } = s.transport {
                    let mut a = Anomalies::new();
                    if let Ok(m) = m3ua::parse(s.data, &mut a) {
                        if let Some(pd) = m.protocol_data {
                            msgs += 1;
                            total = total.wrapping_add(u64::from(pd.opc) + u64::from(pd.dpc));
                        }
                    }
                }
            });
        }
    }
    let el = start.elapsed();
    println!(
        "{msgs} messages in {el:?}: {:.2} M/s (checksum {total})",
        msgs as f64 / el.as_secs_f64() / 1e6
    );
}
