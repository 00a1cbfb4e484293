//! Named limits of the rule language: every table and text it keeps is bounded.

/// Most rules one [`super::RuleSet`] holds (all files together).
pub const MAX_RULES: usize = 100_000;
/// Largest rule file read, in octets.
pub const MAX_RULE_FILE_BYTES: u64 = 16 << 20;
/// Longest logical rule, in characters (continuations joined).
pub const MAX_RULE_CHARS: usize = 65_536;
/// Most options in one rule.
pub const MAX_OPTIONS: usize = 128;
/// Longest `content` / `prefix` value, in octets.
pub const MAX_CONTENT_LEN: usize = 1024;
/// Longest `pcre` pattern, in characters.
pub const MAX_PCRE_LEN: usize = 2048;
/// Compiled size limit of one `pcre` (the `regex` crate's size limit, in octets).
pub const MAX_PCRE_COMPILED: usize = 1 << 20;
/// Longest `msg`, in octets.
pub const MAX_MSG_LEN: usize = 1024;
/// Most values in one list (numbers, words, prefixes, addresses, ports).
pub const MAX_LIST: usize = 256;
/// Deepest nesting of address / port lists.
pub const MAX_NESTING: usize = 8;
/// Deepest chain of variables naming variables.
pub const MAX_VAR_DEPTH: usize = 8;
/// Largest `byte_test` offset.
pub const MAX_BUFFER_OFFSET: u64 = 65_535;
/// Most (rule, tracked end) entries of the threshold / detection_filter table; a full table
/// is emptied (counted) rather than grown.
pub const MAX_THRESHOLD_ENTRIES: usize = 65_536;
/// The `pcre` flags supported (Perl's `i`, `m`, `s`, `x` and PCRE's `U`, ungreedy).
pub const PCRE_FLAGS: &str = "imsxU";
