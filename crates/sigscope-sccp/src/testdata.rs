//! Real bytes used by tests, benches and profiling drivers (not part of the API): the SCCP
//! UDT payloads of the shared captures, one per line of `benches/corpus_udt.txt` with their
//! capture and frame.

/// The corpus file as committed.
pub const CORPUS_UDT: &str = include_str!("../benches/corpus_udt.txt");

/// The corpus as message bytes (94 real UDTs).
pub fn corpus_udt() -> Vec<Vec<u8>> {
    CORPUS_UDT
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().nth(2))
        .map(|h| {
            (0..h.len() / 2)
                .filter_map(|i| u8::from_str_radix(h.get(2 * i..2 * i + 2)?, 16).ok())
                .collect()
        })
        .collect()
}
