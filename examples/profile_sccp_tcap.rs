//! Profiling driver: SCCP (message, addresses, GT digits) then TCAP (dialogue, components)
//! and typed MAP over the real UDTs of `corpus_udt.txt`, many times, for
//! `valgrind --tool=callgrind` or `perf`.
//! Run: `cargo run --release --example profile_sccp_tcap -- [iterations] [sccp|tcap|chain|map|gtp]`.

#[path = "../benches/common/chain.rs"]
mod chain_fn;

use chain_fn::chain;
use sigscope::core::Anomalies;
use sigscope::map::{self, OpCode};
use sigscope::sccp::{Message, PcFormat};
use sigscope::tcap::Tcap;

fn corpus() -> Vec<Vec<u8>> {
    sigscope::sccp::testdata::corpus_udt()
}

fn sccp(m: &[u8]) -> usize {
    let mut a = Anomalies::new();
    let Ok(msg) = Message::decode(m, &mut a) else {
        return 0;
    };
    let mut n = msg.user_data().len();
    for addr in [
        msg.called_address(PcFormat::Itu14, &mut a),
        msg.calling_address(PcFormat::Itu14, &mut a),
    ]
    .into_iter()
    .flatten()
    {
        n += addr.ssn.map_or(0, |s| usize::from(s.0));
        if let Some(gt) = addr.gt {
            n += gt.digits().len();
        }
    }
    n
}

fn tcap(t: &[u8]) -> usize {
    let mut a = Anomalies::new();
    let Ok(tc) = Tcap::decode(t, &mut a) else {
        return 0;
    };
    let mut n = 0;
    if let Tcap::Itu(m) = &tc {
        n += m.otid.map_or(0, |x| x.len()) + m.dtid.map_or(0, |x| x.len());
        if let Some(d) = m.dialogue(&mut a) {
            n += d.acn.map_or(0, |o| o.0.len());
        }
    }
    for c in tc.components().flatten() {
        n += c.local_opcode().unwrap_or(0) as usize + c.parameter.map_or(0, |p| p.value.len());
    }
    n
}

fn unhex_gtp() -> Vec<u8> {
    const CS_REQ: &str = "482000d1000000000b83f8000100080033333333333333f34c00080013210800011050f356000d001800000000010000000000d4d45300030000000052000100064d0002000000570009008a000000690a0a61035700090187000000000a0a610647001e0006616161636f6d03636f6d066d6e63303030066d63633030300467707273800001000063000100014f00050001000000007f0001000048000800000051ec0000a3d85d002500490001000550001600480500000000000000000000000000000000000000005f00020001000300010098";
    (0..CS_REQ.len())
        .step_by(2)
        .filter_map(|i| u8::from_str_radix(CS_REQ.get(i..i + 2)?, 16).ok())
        .collect()
}

fn main() {
    let iterations: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20_000);
    let what = std::env::args().nth(2).unwrap_or_else(|| "sccp".into());
    let msgs = corpus();
    let tcaps: Vec<&[u8]> = msgs
        .iter()
        .filter_map(|m| {
            let mut a = Anomalies::new();
            Message::decode(m, &mut a).ok().map(|x| x.user_data())
        })
        .filter(|d| Tcap::looks_like(d))
        .collect();
    let cs_req = unhex_gtp();
    let mut view = map::MapParam::empty();
    let t0 = std::time::Instant::now();
    let mut sum = 0usize;
    let mut count = 0usize;
    for _ in 0..iterations {
        match what.as_str() {
            "tcap" => {
                for t in &tcaps {
                    sum += tcap(std::hint::black_box(t));
                }
                count += tcaps.len();
            }
            "gtp" => {
                // GTPV2-Default.pcap frame 1: Create Session Request, every IE decoded
                if let Ok(m) = sigscope::gtp::v2::V2Slice::from_slice(std::hint::black_box(&cs_req))
                {
                    let _ = sigscope::gtp::v2::walk(m.ies(), &mut |ie| {
                        if ie.decode().is_ok() {
                            sum += 1;
                        }
                    });
                }
                count += 1;
            }
            "gtpdec" => {
                // the same Create Session Request through decode + validation
                if let Some(d) = sigscope::gtp::decode(std::hint::black_box(&cs_req), 2123, 2123) {
                    sum += d.anomalies.len() + 1;
                }
                count += 1;
            }
            "map" => {
                // SRI-SM argument (pycrate vector of sigscope-map's bench)
                let b: &[u8] = &[
                    0x30, 0x15, 0x80, 0x07, 0x91, 0x44, 0x77, 0x00, 0x09, 0x10, 0x32, 0x81, 0x01,
                    0xff, 0x82, 0x07, 0x91, 0x44, 0x77, 0x00, 0x09, 0x90, 0x99,
                ];
                let mut a = Anomalies::new();
                let p = map::decode(
                    OpCode(45),
                    map::Kind::Invoke,
                    3,
                    std::hint::black_box(b),
                    &mut a,
                );
                sum += p.addresses().count();
                count += 1;
            }
            "chain" => {
                for m in &msgs {
                    sum += chain(std::hint::black_box(m), &mut view);
                }
                count += msgs.len();
            }
            _ => {
                for m in &msgs {
                    sum += sccp(std::hint::black_box(m));
                }
                count += msgs.len();
            }
        }
    }
    let dt = t0.elapsed().as_secs_f64();
    println!(
        "{what}: {count} messages in {dt:.3} s = {:.2} M/s (checksum {sum})",
        count as f64 / dt / 1e6
    );
}
