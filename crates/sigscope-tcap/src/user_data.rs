//! Is this SCCP user data TCAP? The decision the SCCP → TCAP step takes for every message,
//! kept here so that anyone embedding `sigscope-sccp` + `sigscope-tcap` takes it the same way.
//!
//! User data to or from a subsystem whose user speaks TCAP (MAP, CAP: [`Ssn::is_tcap_user`])
//! must be TCAP: a real node never sends anything else there, a covert channel over SIGTRAN
//! might. SCCP management (SSN 1) carries SCMG, never TCAP.

use sigscope_core::{Anomaly, AnomalyCode, Layer};
use sigscope_sccp::Ssn;

use crate::message::Tcap;

/// What SCCP user data is, judged from the two subsystem numbers and the first octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserData {
    /// SCCP management (either SSN is 1): decode as SCMG.
    Scmg,
    /// Looks like TCAP ([`Tcap::looks_like`]): decode as TCAP.
    Tcap,
    /// A TCAP package tag whose contents break Q.773 (tshark says "BER Error"), to or from a
    /// TCAP user: `tcap_malformed` (value: the tag).
    MalformedTcap(u8),
    /// Data to or from a TCAP user that is not TCAP at all: `sccp_data_not_tcap` (value: the
    /// SSN).
    NotTcap(Ssn),
    /// Not TCAP, between subsystems that need not speak it (ISUP-over-SCCP, BSSAP, ...), or
    /// empty.
    Other,
}

impl UserData {
    /// Classify `data` sent from `calling` to `called` (either may be unknown).
    #[inline(always)]
    pub fn classify(called: Option<Ssn>, calling: Option<Ssn>, data: &[u8]) -> UserData {
        if called == Some(Ssn::SCMG) || calling == Some(Ssn::SCMG) {
            return UserData::Scmg;
        }
        if Tcap::looks_like(data) {
            return UserData::Tcap;
        }
        let tcap_user = [called, calling]
            .into_iter()
            .flatten()
            .find(|s| s.is_tcap_user());
        match (data.first(), tcap_user) {
            (Some(&first), Some(_)) if Tcap::is_package_tag(first) => {
                UserData::MalformedTcap(first)
            }
            (Some(_), Some(ssn)) => UserData::NotTcap(ssn),
            _ => UserData::Other,
        }
    }

    /// The anomaly this classification raises (offset: where the user data starts).
    pub fn anomaly(self, offset: usize) -> Option<Anomaly> {
        match self {
            UserData::MalformedTcap(tag) => Some(
                Anomaly::new(
                    Layer::Tcap,
                    AnomalyCode::TcapMalformed,
                    offset,
                    "TCAP package tag, but its contents break Q.773 (value: the tag)",
                )
                .with_value(u64::from(tag)),
            ),
            UserData::NotTcap(ssn) => Some(
                Anomaly::new(
                    Layer::Sccp,
                    AnomalyCode::SccpDataNotTcap,
                    offset,
                    "user data to or from a TCAP subsystem is not TCAP (value: the SSN)",
                )
                .with_value(u64::from(ssn.0)),
            ),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification() {
        let hlr = Some(Ssn(6));
        let msc = Some(Ssn(8));
        // a Begin with an otid (from the demo's SRI-SM)
        let begin = [0x62, 0x06, 0x48, 0x04, 0x0a, 0x0b, 0x0c, 0x0d];
        assert_eq!(UserData::classify(hlr, msc, &begin), UserData::Tcap);
        assert_eq!(
            UserData::classify(hlr, msc, b"hello"),
            UserData::NotTcap(Ssn(6))
        );
        assert_eq!(
            UserData::classify(hlr, msc, &[0x62, 0x02, 0x30, 0x00]),
            UserData::MalformedTcap(0x62)
        );
        assert_eq!(UserData::classify(Some(Ssn(1)), msc, b"x"), UserData::Scmg);
        // BSSAP (SSN 254) need not be TCAP
        assert_eq!(
            UserData::classify(Some(Ssn(254)), None, b"\x00\x01"),
            UserData::Other
        );
        assert_eq!(UserData::classify(hlr, msc, &[]), UserData::Other);
        assert!(UserData::NotTcap(Ssn(6)).anomaly(3).is_some());
        assert!(UserData::Tcap.anomaly(0).is_none());
    }
}
