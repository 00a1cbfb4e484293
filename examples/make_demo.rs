//! Writes testdata/demo.pcap, the capture `sigscope` decodes when given no file: the `demo`
//! scenario of `sigscope::synth` (an M3UA association coming up, a MAP SMS routing enquiry and
//! its answer, a location enquiry from a foreign global title, USSD — one carrying a base64
//! command — GTPv2 echoes, one carrying an IE an Echo never carries, a Create Session Request,
//! GTP-U, and a GTPv1 Echo whose private extension looks encrypted), every byte made with the
//! project's emitters. `tests/synth.rs` checks the scenario against the committed file, and
//! `tests/demo_vs_tshark.rs` the file against tshark.
//!
//! Run: `cargo run --example make_demo` (from the workspace root).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bytes = sigscope::synth::generate("demo", 0).map_err(|e| format!("demo: {e:?}"))?;
    std::fs::write("testdata/demo.pcap", &bytes)?;
    println!("testdata/demo.pcap: {} bytes", bytes.len());
    Ok(())
}
