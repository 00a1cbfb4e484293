//! Profiling driver: the end-to-end path (pcap bytes → Demux → M3UA OPC/DPC) over a capture
//! file read into memory, run many times, for `valgrind --tool=callgrind`.
//! Run: `cargo run --release -p sigscope-capture --example profile_capture -- FILE [iterations] [nocrc]`.

use sigscope_capture::{Demux, DemuxOptions, SliceReader, Transport};
use sigscope_core::Anomalies;
use sigscope_sigtran::m3ua;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: profile_capture FILE [iterations] [nocrc]");
        return;
    };
    let iterations: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50);
    let verify = args.next().as_deref() != Some("nocrc");
    let cap = match path.as_str() {
        "synth1" => sigscope_capture::writer::synthetic_m3ua(2000, 1),
        "synth4" => sigscope_capture::writer::synthetic_m3ua(500, 4),
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
            demux.dissect(&p, &mut anomalies, &mut |s, _| {
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
