//! The `gtp` object of decode records.
