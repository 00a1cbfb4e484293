//! The `sccp` and `tcap` objects of decode records.
