//! Subscriber identities (IMSI, MSISDN, IMEI) never leave in clear: each is replaced by
//! `hmac-sha256:<kind>:<hex>`, the HMAC-SHA256 of `<kind>:<digits>` keyed with a salt the
//! sharing operators agree on (so the same subscriber gives the same label at every operator
//! holding the salt, and nobody without it can test guesses). Without a salt identities are
//! withheld altogether: the label is `withheld:<kind>` and no value of any kind is derived.
//!
//! [`scrub`] walks alert evidence: values under identity keys are labelled; network
//! identities (global titles, point codes, IP addresses) stay in clear; and, as a safety net,
//! any run of [`IDENTITY_RUN_MIN`] or more digits in any other string (free text, payloads,
//! unknown keys) is labelled too, so no IMSI or IMEI survives in clear whatever the key.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// Fewest bytes a salt file must hold (after trimming surrounding white space).
pub const MIN_SALT_LEN: usize = 16;
/// Most bytes read from a salt file.
pub const MAX_SALT_LEN: usize = 4096;
/// Runs of this many digits or more in free text are taken for an IMSI / IMEI and labelled.
pub const IDENTITY_RUN_MIN: usize = 14;
/// Deepest nesting of evidence walked; deeper values are replaced by `null`.
pub const MAX_EVIDENCE_DEPTH: usize = 16;

/// Evidence keys whose values are subscriber identities (the value, or every string and
/// number below it), with the kind their label carries.
pub const IDENTITY_KEYS: &[(&str, &str)] = &[
    ("imsi", "imsi"),
    ("msisdn", "msisdn"),
    ("imei", "imei"),
    ("imeisv", "imei"),
    ("mei", "imei"),
    ("sm_rp_da", "address"),
    ("sm_rp_oa", "address"),
    ("originator", "address"),
    ("recipient", "address"),
    ("identities", "identity"),
    ("subscriber", "identity"),
    ("msrn", "msisdn"),
];

/// Evidence keys whose values are network identities and stay in clear.
pub const NETWORK_KEYS: &[&str] = &[
    "calling_gt",
    "called_gt",
    "gt",
    "from",
    "to",
    "from_node",
    "to_node",
    "outside",
    "pc",
    "opc",
    "dpc",
    "ip",
];

/// Why a salt could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SaltError(pub String);

impl core::fmt::Display for SaltError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SaltError {}

/// Labels subscriber identities: keyed (with a salt) or withheld (without).
#[derive(Clone)]
pub struct IdentityHasher {
    salt: Option<Vec<u8>>,
}

impl core::fmt::Debug for IdentityHasher {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // the salt itself is never printed
        f.debug_struct("IdentityHasher")
            .field("salted", &self.salt.is_some())
            .finish()
    }
}

impl IdentityHasher {
    /// A hasher without salt: every identity is withheld.
    pub fn withheld() -> IdentityHasher {
        IdentityHasher { salt: None }
    }

    /// A hasher keyed with the contents of a salt file (surrounding white space trimmed).
    pub fn from_salt(bytes: &[u8]) -> Result<IdentityHasher, SaltError> {
        let salt = bytes.trim_ascii();
        if salt.len() < MIN_SALT_LEN {
            return Err(SaltError(format!(
                "salt of {} bytes; at least {MIN_SALT_LEN} needed",
                salt.len()
            )));
        }
        if salt.len() > MAX_SALT_LEN {
            return Err(SaltError(format!(
                "salt of {} bytes; at most {MAX_SALT_LEN} read",
                salt.len()
            )));
        }
        Ok(IdentityHasher {
            salt: Some(salt.to_vec()),
        })
    }

    /// Identities are shared (hashed) rather than withheld.
    pub fn is_salted(&self) -> bool {
        self.salt.is_some()
    }

    /// The label of one identity: `hmac-sha256:<kind>:<64 hex digits>`, or `withheld:<kind>`.
    pub fn label(&self, kind: &str, value: &str) -> String {
        let Some(salt) = &self.salt else {
            return format!("withheld:{kind}");
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(salt) else {
            // HMAC takes keys of any length; this cannot happen, but never fall back to clear
            return format!("withheld:{kind}");
        };
        mac.update(kind.as_bytes());
        mac.update(b":");
        mac.update(value.as_bytes());
        let tag = mac.finalize().into_bytes();
        let mut out = String::with_capacity(16 + kind.len() + 64);
        out.push_str("hmac-sha256:");
        out.push_str(kind);
        out.push(':');
        for b in tag {
            out.push(hex_digit(b >> 4));
            out.push(hex_digit(b & 0xf));
        }
        out
    }
}

fn hex_digit(v: u8) -> char {
    char::from_digit(u32::from(v), 16).unwrap_or('0')
}

/// The evidence with every subscriber identity replaced by its label; the labels found are
/// pushed to `found` (once each).
pub fn scrub(evidence: &Value, hasher: &IdentityHasher, found: &mut Vec<String>) -> Value {
    walk(evidence, None, false, hasher, found, 0)
}

fn note(found: &mut Vec<String>, label: &str) {
    if !found.iter().any(|l| l == label) {
        found.push(label.to_string());
    }
}

fn walk(
    v: &Value,
    identity: Option<&str>,
    network: bool,
    hasher: &IdentityHasher,
    found: &mut Vec<String>,
    depth: usize,
) -> Value {
    if depth > MAX_EVIDENCE_DEPTH {
        return Value::Null;
    }
    match v {
        Value::Object(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (k, x) in map {
                let id = IDENTITY_KEYS
                    .iter()
                    .find(|(key, _)| *key == k.as_str())
                    .map(|(_, kind)| *kind)
                    .or(identity);
                let net = id.is_none() && (network || NETWORK_KEYS.contains(&k.as_str()));
                out.insert(k.clone(), walk(x, id, net, hasher, found, depth + 1));
            }
            Value::Object(out)
        }
        Value::Array(xs) => Value::Array(
            xs.iter()
                .map(|x| walk(x, identity, network, hasher, found, depth + 1))
                .collect(),
        ),
        Value::String(s) => match identity {
            Some(kind) => {
                let l = hasher.label(kind, s);
                note(found, &l);
                Value::String(l)
            }
            None if network => Value::String(s.clone()),
            None => Value::String(scrub_text(s, hasher, found)),
        },
        Value::Number(n) => match identity {
            Some(kind) => {
                let l = hasher.label(kind, &n.to_string());
                note(found, &l);
                Value::String(l)
            }
            None => Value::Number(n.clone()),
        },
        Value::Bool(_) | Value::Null => v.clone(),
    }
}

/// Free text with every run of [`IDENTITY_RUN_MIN`] or more digits replaced by its label.
pub fn scrub_text(s: &str, hasher: &IdentityHasher, found: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String, found: &mut Vec<String>| {
        if run.len() >= IDENTITY_RUN_MIN {
            let l = hasher.label("digits", run);
            note(found, &l);
            out.push_str(&l);
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            flush(&mut run, &mut out, found);
            out.push(c);
        }
    }
    flush(&mut run, &mut out, found);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn labels_are_keyed_and_stable() {
        let h = IdentityHasher::from_salt(b"  correct horse battery staple\n").unwrap();
        let a = h.label("imsi", "234150000000001");
        assert_eq!(a, h.label("imsi", "234150000000001"));
        assert!(a.starts_with("hmac-sha256:imsi:"));
        assert_eq!(a.len(), "hmac-sha256:imsi:".len() + 64);
        assert_ne!(a, h.label("msisdn", "234150000000001"));
        let other = IdentityHasher::from_salt(b"another salt of enough length").unwrap();
        assert_ne!(a, other.label("imsi", "234150000000001"));
        assert!(IdentityHasher::from_salt(b"short").is_err());
        assert_eq!(
            IdentityHasher::withheld().label("imsi", "234150000000001"),
            "withheld:imsi"
        );
    }

    #[test]
    fn rfc4231_case_2() {
        // HMAC-SHA256 test vector (key "Jefe"), checked through the same code path
        let mut mac = Hmac::<Sha256>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn scrub_hashes_identities_and_keeps_network_ids() {
        let h = IdentityHasher::from_salt(b"0123456789abcdef").unwrap();
        let ev = json!({"calling_gt": "85290001234", "imsi": "234150000000001",
            "msisdn": "447700900123", "ussd": "send 234150000000002 now",
            "identities": [{"kind": "imsi", "digits": "1234"}], "from": {"gt": "447700900001"}});
        let mut found = Vec::new();
        let out = scrub(&ev, &h, &mut found).to_string();
        assert!(out.contains("85290001234"));
        assert!(out.contains("447700900001"));
        assert!(!out.contains("234150000000001"));
        assert!(!out.contains("234150000000002"));
        assert!(!out.contains("447700900123"));
        assert!(out.contains("send hmac-sha256:digits:"));
        assert_eq!(found.len(), 5, "{found:?}");
        let mut none = Vec::new();
        let withheld = scrub(&ev, &IdentityHasher::withheld(), &mut none).to_string();
        assert!(!withheld.contains("hmac"));
        assert!(!withheld.contains("234150000000001"));
    }
}
