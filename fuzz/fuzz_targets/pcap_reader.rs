//! pcap/pcapng reading, streaming and in-memory: never panics, and on a capture that is not
//! gzip both readers yield the same frames (up to the end or the first error).
#![no_main]
use libfuzzer_sys::fuzz_target;
use sigscope_capture::{Reader, SliceReader};

/// Octets of the first frames compared (a long input is not compared to its end).
const MAX_COMPARED: usize = 256;

fuzz_target!(|data: &[u8]| {
    let mut slice = Vec::new();
    if let Ok(mut r) = SliceReader::new(data) {
        while let Ok(Some(p)) = r.next_packet() {
            if slice.len() < MAX_COMPARED {
                slice.push((p.frame, p.ts_nanos, p.linktype, p.data.to_vec()));
            }
        }
    }
    let mut stream = Vec::new();
    if let Ok(mut r) = Reader::new(Box::new(std::io::Cursor::new(data.to_vec()))) {
        while let Ok(Some(p)) = r.next_packet() {
            if stream.len() < MAX_COMPARED {
                stream.push((p.frame, p.ts_nanos, p.linktype, p.data.to_vec()));
            }
        }
    }
    if !data.starts_with(&[0x1f, 0x8b]) {
        assert_eq!(slice, stream, "the two readers disagree");
    }
});
