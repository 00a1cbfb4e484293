//! Alerts, with the parts of their EVE line (Suricata's `eve.json` alert shape) that do not
//! need the decoded message; the facade's EVE sink writes the whole line.

use std::net::IpAddr;
use std::sync::Arc;

use serde_json::{json, Value};

use crate::signatures::Signature;
use crate::user::RuleMeta;

/// The signature an alert names: a built-in one (gid 1) or an operator rule. Cheap to clone.
#[derive(Debug, Clone, PartialEq)]
pub enum SigRef {
    /// A built-in signature ([`crate::signatures`]).
    Builtin(&'static Signature),
    /// An operator rule ([`crate::user`]).
    User(Arc<RuleMeta>),
}

impl SigRef {
    /// `signature_id`.
    pub fn id(&self) -> u32 {
        match self {
            SigRef::Builtin(s) => s.id,
            SigRef::User(r) => r.sid,
        }
    }

    /// `gid` (1 for built-ins).
    pub fn gid(&self) -> u32 {
        match self {
            SigRef::Builtin(_) => 1,
            SigRef::User(r) => r.gid,
        }
    }

    /// `rev` (1 for built-ins).
    pub fn rev(&self) -> u32 {
        match self {
            SigRef::Builtin(_) => 1,
            SigRef::User(r) => r.rev,
        }
    }

    /// Stable snake_case name (`user_rule_<sid>` for user rules).
    pub fn name(&self) -> &str {
        match self {
            SigRef::Builtin(s) => s.name,
            SigRef::User(r) => &r.name,
        }
    }

    /// One line for people (`alert.signature`): the title, or the rule's `msg`.
    pub fn title(&self) -> &str {
        match self {
            SigRef::Builtin(s) => s.title,
            SigRef::User(r) => &r.msg,
        }
    }

    /// `structure`, `content`, `behaviour`, or `user`.
    pub fn kind(&self) -> &str {
        match self {
            SigRef::Builtin(s) => s.kind,
            SigRef::User(_) => "user",
        }
    }

    /// EVE `alert.category`: the rule's `classtype` for user rules (`user-rule` without).
    pub fn category(&self) -> &str {
        match self {
            SigRef::Builtin(s) => s.category,
            SigRef::User(r) => r.classtype.as_deref().unwrap_or("user-rule"),
        }
    }

    /// 1 high, 2 medium, 3 low (a user rule's `priority`).
    pub fn severity(&self) -> u8 {
        match self {
            SigRef::Builtin(s) => s.severity,
            SigRef::User(r) => r.priority,
        }
    }

    /// MITRE ATT&CK technique ids.
    pub fn mitre(&self) -> Vec<&str> {
        match self {
            SigRef::Builtin(s) => s.mitre.to_vec(),
            SigRef::User(r) => r.mitre.iter().map(String::as_str).collect(),
        }
    }

    /// GSMA MoTIF technique ids (built-ins; a user rule's come in its metadata).
    pub fn motif(&self) -> &'static [&'static str] {
        match self {
            SigRef::Builtin(s) => crate::signatures::motif(s.id),
            SigRef::User(_) => &[],
        }
    }

    /// A user rule's other `metadata` entries (none for built-ins).
    pub fn metadata(&self) -> &[(String, String)] {
        match self {
            SigRef::Builtin(_) => &[],
            SigRef::User(r) => &r.metadata,
        }
    }

    /// The built-in signature, if it is one.
    pub fn builtin(&self) -> Option<&'static Signature> {
        match self {
            SigRef::Builtin(s) => Some(s),
            SigRef::User(_) => None,
        }
    }
}

/// One alert.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// The signature.
    pub sig: SigRef,
    /// Frame (1-based, as in Wireshark) of the message that raised it.
    pub frame: u64,
    /// Capture time, nanoseconds since the epoch.
    pub ts_nanos: u64,
    /// Source address, when the message came over IP.
    pub src: Option<IpAddr>,
    /// Destination address.
    pub dst: Option<IpAddr>,
    /// Source port.
    pub sport: Option<u16>,
    /// Destination port.
    pub dport: Option<u16>,
    /// What was seen: fields and values that made the decision (built only when an alert
    /// fires).
    pub evidence: Value,
    /// Alerts of the same signature and peers held back since the last one (rate limit).
    pub suppressed: u64,
    /// The flow (TCAP transaction, GTP peers, SCTP association, IP pair) the message
    /// belongs to: EVE `flow_id`.
    pub flow_id: u64,
    /// Not itself a finding: another message of a flow an alert flagged (EVE
    /// `alert.metadata.tagged: ["flow"]`).
    pub tagged: bool,
}

impl Alert {
    /// Capture time as seconds since the epoch.
    pub fn ts(&self) -> f64 {
        self.ts_nanos as f64 / 1e9
    }

    /// `alert.*` of the EVE line (Suricata's shape).
    pub fn eve_alert(&self) -> Value {
        let mut metadata = json!({
            "sigscope_name": [self.sig.name()],
            "sigscope_kind": [self.sig.kind()],
            "mitre_technique_id": self.sig.mitre(),
        });
        if let Some(o) = metadata.as_object_mut() {
            if !self.sig.motif().is_empty() {
                o.insert("gsma_motif_id".into(), json!(self.sig.motif()));
            }
            // Suricata's shape: each key with the list of its values
            for (k, v) in self.sig.metadata() {
                let e = o
                    .entry(k.clone())
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(a) = e {
                    a.push(Value::from(v.as_str()));
                }
            }
            if self.tagged {
                o.insert("tagged".into(), json!(["flow"]));
            }
        }
        json!({
            "action": "allowed",
            "gid": self.sig.gid(),
            "signature_id": self.sig.id(),
            "rev": self.sig.rev(),
            "signature": self.sig.title(),
            "category": self.sig.category(),
            "severity": self.sig.severity(),
            "metadata": metadata,
        })
    }

    /// EVE `timestamp` (Suricata's format, microseconds).
    pub fn timestamp(&self) -> String {
        rfc3339_nanos(self.ts_nanos)
    }
}

/// Nanoseconds since the epoch as `2025-11-25T10:00:00.450000+0000` (Suricata's format).
pub fn rfc3339_nanos(ts_nanos: u64) -> String {
    let secs = (ts_nanos / 1_000_000_000) as i64;
    let micros = (ts_nanos % 1_000_000_000) / 1000;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}+0000",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Seconds since the epoch as `2025-11-25T10:00:00.450000+0000` (Suricata's format).
pub fn rfc3339(ts: f64) -> String {
    let ts = if ts.is_finite() && ts > 0.0 { ts } else { 0.0 };
    let secs = ts.floor() as i64;
    let micros = ((ts - ts.floor()) * 1e6).round().min(999_999.0) as i64;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{micros:06}+0000",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(0.0), "1970-01-01T00:00:00.000000+0000");
        assert_eq!(rfc3339(1_764_000_000.45), "2025-11-24T16:00:00.450000+0000");
        assert_eq!(rfc3339(951_782_400.0), "2000-02-29T00:00:00.000000+0000");
        assert_eq!(rfc3339(f64::NAN), "1970-01-01T00:00:00.000000+0000");
        assert_eq!(
            rfc3339_nanos(1_764_000_000_450_000_999),
            "2025-11-24T16:00:00.450000+0000"
        );
    }
}
