//! The `gtp` object of decode records.
//! PLACEHOLDER written by the lead so the facade compiles; the GTP helper replaces this file entirely.
use serde_json::{Map, Value};
use sigscope_core::Anomaly;

/// Per-session GTP state.
#[derive(Default)]
pub struct GtpState {}

/// Placeholder: not GTP.
#[allow(clippy::too_many_arguments)]
pub fn add_gtp(
    _state: &mut GtpState,
    _payload: &[u8],
    _sport: u16,
    _dport: u16,
    _peer: &str,
    _ts_nanos: u64,
    _rec: &mut Map<String, Value>,
    _anomalies: &mut Vec<Anomaly>,
) -> bool {
    false
}
