//! The decode path allocates nothing: SCCP message, both addresses with their global-title
//! digits, then TCAP with dialogue and every component, over the real UDTs of the shared
//! captures (`benches/corpus_udt.txt`), counted by stats_alloc's instrumented allocator.
//! Every one of them decodes. (One test in this binary: other threads would allocate.)

use std::alloc::System;

use sigscope_core::Anomalies;
use sigscope_sccp::{Message, PcFormat};
use sigscope_tcap::Tcap;
use stats_alloc::{StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn corpus() -> Vec<Vec<u8>> {
    sigscope_sccp::testdata::corpus_udt()
}

#[test]
fn sccp_and_tcap_decode_without_allocating() {
    let msgs = corpus();
    assert!(msgs.len() > 90, "corpus: {}", msgs.len());
    let mut checksum = 0usize;
    let mut tcap_msgs = 0usize;
    let before = GLOBAL.stats();
    for m in &msgs {
        let mut a = Anomalies::new();
        let msg = Message::decode(m, &mut a).expect("every real UDT decodes");
        for addr in [
            msg.called_address(PcFormat::Itu14, &mut a),
            msg.calling_address(PcFormat::Itu14, &mut a),
        ]
        .into_iter()
        .flatten()
        {
            checksum += addr.ssn.map_or(0, |s| usize::from(s.0));
            if let Some(gt) = addr.gt {
                checksum += gt.digits().len();
            }
        }
        let data = msg.user_data();
        if !Tcap::looks_like(data) {
            continue;
        }
        tcap_msgs += 1;
        let tc = Tcap::decode(data, &mut a).expect("every real TCAP decodes");
        if let Tcap::Itu(t) = &tc {
            checksum += t.otid.map_or(0, |x| x.len());
            if let Some(d) = t.dialogue(&mut a) {
                checksum += d.acn.map_or(0, |o| o.0.len());
            }
        }
        for c in tc.components() {
            let c = c.expect("every real component decodes");
            checksum += c.local_opcode().unwrap_or(0) as usize;
        }
    }
    let after = GLOBAL.stats();
    let allocs = after.allocations - before.allocations;
    let reallocs = after.reallocations - before.reallocations;
    assert!(checksum > 0 && tcap_msgs > 70, "{checksum} {tcap_msgs}");
    assert_eq!(
        (allocs, reallocs),
        (0, 0),
        "{} messages ({tcap_msgs} TCAP) decoded with {allocs} allocations",
        msgs.len()
    );
}
