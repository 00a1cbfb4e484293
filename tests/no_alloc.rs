//! The decode → detect path allocates nothing per message in the steady state: real
//! captures are decoded and every message goes through the detection engine twice — once to
//! warm the state tables up, once measured (timestamps shifted by an hour, so transactions,
//! dialogues and peers are seen again as a live network would) — counted by stats_alloc's
//! instrumented allocator. (One test in this binary: other threads would allocate.)

mod common;

use std::alloc::System;

use sigscope::capture::{Packet, SliceReader};
use sigscope::record::Decoder;
use sigscope::rules::{Engine, Policy};
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, Ordering};

use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Set during the measured pass when `SIGSCOPE_ALLOC_TRACE` is set: each allocation prints
/// its backtrace (to find what allocated).
static TRACE: AtomicBool = AtomicBool::new(false);

/// stats_alloc's counter, plus the optional backtrace of each allocation.
struct Traced;

fn trace(what: &str, size: usize) {
    if TRACE.swap(false, Ordering::SeqCst) {
        eprintln!(
            "{what} {size} bytes\n{}",
            std::backtrace::Backtrace::force_capture()
        );
        TRACE.store(true, Ordering::SeqCst);
    }
}

// SAFETY: every call is forwarded unchanged to stats_alloc's instrumented system allocator.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Traced {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        trace("alloc", l.size());
        // SAFETY: the caller's contract is passed on unchanged.
        unsafe { GLOBAL.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        // SAFETY: as above.
        unsafe { GLOBAL.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        trace("realloc", n);
        // SAFETY: as above.
        unsafe { GLOBAL.realloc(p, l, n) }
    }
}

#[global_allocator]
static TRACED: Traced = Traced;

/// Benign captures (no alert: an alert is output, and its evidence is built when it fires):
/// MAP over M3UA and over MTP2, CAP, USSD, ISUP, GTPv1-C/U and GTPv2-C, S1AP beside GTP, and
/// SCTP-fragmented messages (DATA reassembly).
const CAPTURES: &[&str] = &[
    "raw/ajbanjara+Wireshark/3gpp_mc.cap",
    "raw/ajbanjara+Wireshark/CAP.pcap",
    "raw/ajbanjara+Wireshark/gsm_map_with_ussd_string.pcap",
    "raw/ajbanjara+Wireshark/m3ua_isup.cap",
    "raw/ajbanjara+Wireshark/DangerM.pcap",
    "raw/open5gs+open5gs/srsenb.pcapng",
    "raw/open5gs+open5gs/volte.pcapng",
    "raw/magma+magma/nsa_connection.pcap",
];

/// One pass of every frame through decoder and engine; returns the messages seen and the
/// alerts raised.
fn pass(
    frames: &[(u64, u64, u32, Vec<u8>)],
    shift: u64,
    dec: &mut Decoder,
    e: &mut Engine,
) -> (u64, u64) {
    let mut n = 0u64;
    let mut alerts = 0u64;
    for (frame, ts, lt, data) in frames {
        let pkt = Packet {
            frame: *frame,
            ts_nanos: ts + shift,
            linktype: *lt,
            data,
            orig_len: data.len() as u32,
            interface: 0,
        };
        dec.packet(&pkt, &mut |m| {
            n += 1;
            e.observe(m, &mut |a| {
                alerts += 1;
                std::hint::black_box(a);
            });
        });
    }
    (n, alerts)
}

#[test]
fn decode_and_detect_without_allocating() {
    let Some(dir) = common::captures_dir() else {
        return;
    };
    let mut total = 0u64;
    let mut files = 0;
    for rel in CAPTURES {
        let Ok(bytes) = std::fs::read(dir.join(rel)) else {
            continue;
        };
        let (_, opts) = common::decode_options(&dir, rel);
        // frames held in memory, so that reading allocates nothing during the measure
        let mut frames = Vec::new();
        let Ok(mut r) = SliceReader::new(&bytes) else {
            continue;
        };
        while let Ok(Some(p)) = r.next_packet() {
            frames.push((p.frame, p.ts_nanos, p.linktype, p.data.to_vec()));
        }
        let mut dec = Decoder::new(opts);
        let mut e = Engine::new(Policy::default());
        const HOUR: u64 = 3_600_000_000_000;
        for warm in 0..3 {
            pass(&frames, 2 * warm * HOUR, &mut dec, &mut e);
        }
        let tracing = std::env::var_os("SIGSCOPE_ALLOC_TRACE").is_some();
        let before = GLOBAL.stats();
        TRACE.store(tracing, Ordering::SeqCst);
        let (n, alerts) = pass(&frames, 6 * HOUR, &mut dec, &mut e);
        TRACE.store(false, Ordering::SeqCst);
        let after = GLOBAL.stats();
        let allocs =
            after.allocations + after.reallocations - before.allocations - before.reallocations;
        println!("{rel}: {n} messages, {allocs} allocations");
        assert_eq!(alerts, 0, "{rel}: a benign capture raised {alerts} alerts");
        assert_eq!(allocs, 0, "{rel}: {allocs} allocations over {n} messages");
        total += n;
        files += 1;
    }
    println!("{files} captures, {total} messages, 0 allocations");
}
