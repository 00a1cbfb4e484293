//! Decode records: one JSON object per signalling message (schema in DESIGN.md).
mod gtp;
mod sccp_tcap;
