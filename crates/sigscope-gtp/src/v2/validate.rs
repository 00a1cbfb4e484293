//! Validation of a GTPv2-C message: header flags and length, piggybacking, TEID presence,
//! and per level of IEs duplicates, spare bits, mandatory IEs (in the message and in the
//! grouped IEs of the first level), values that do not decode and the grouped depth cap.

use sigscope_core::digits::{tbcd_flags, MAX_DIGITS};
use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error};

use super::{flags, IeIter, MsgType, V2Slice, V2Value, L, MAX_GROUP_DEPTH};

impl<'a> V2Slice<'a> {
    /// Validate this message (not the piggybacked one), anomalies at datagram offsets.
    pub fn validate(&self, out: &mut Anomalies) {
        let b = self.base;
        if self.flags & flags::SPARE != 0 {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::ReservedBitSet,
                    b,
                    "GTPv2 header spare bits set",
                )
                .with_value(u64::from(self.flags)),
            );
        }
        let spare_last = if self.mp() {
            self.last & 0x0f
        } else {
            self.last
        };
        if spare_last != 0 {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::ReservedBitSet,
                    b + self.header_len - 1,
                    "GTPv2 header spare octet not zero",
                )
                .with_value(u64::from(self.last)),
            );
        }
        let declared = 4 + usize::from(self.length);
        if declared > self.data.len() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::HeaderLengthMismatch,
                    b + 2,
                    "length field exceeds the datagram",
                )
                .with_value(self.data.len() as u64),
            );
        } else if declared < self.header_len {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::HeaderLengthMismatch,
                    b + 2,
                    "length field shorter than the header",
                )
                .with_value(u64::from(self.length)),
            );
            if !self.trailing().is_empty() && !self.p() {
                out.push(
                    Anomaly::new(
                        L,
                        AnomalyCode::TrailingBytes,
                        b + self.end,
                        "bytes after the header that the length field ignores",
                    )
                    .with_value(self.trailing().len() as u64),
                );
            }
        } else if declared < self.data.len() && !self.p() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::HeaderLengthMismatch,
                    b + 2,
                    "trailing bytes after the message",
                )
                .with_value(self.data.len() as u64),
            );
        }
        if self.p() && self.trailing().is_empty() {
            out.push(Anomaly::new(
                L,
                AnomalyCode::PiggybackMissing,
                b,
                "P flag set but nothing follows",
            ));
        }
        if self.p() && self.base != 0 {
            out.push(Anomaly::new(
                L,
                AnomalyCode::PiggybackNested,
                b,
                "a piggybacked message has the P flag set",
            ));
        }
        if self.p() && !matches!(self.msg_type.0, 33 | 35 | 96) {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::PiggybackNotAllowed,
                    b,
                    "piggybacking on a message that may not carry one",
                )
                .with_value(u64::from(self.msg_type.0)),
            );
        }
        if !self.msg_type.is_known() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::UnassignedMessageType,
                    b + 1,
                    "unassigned GTPv2 message type",
                )
                .with_value(u64::from(self.msg_type.0)),
            );
        } else if self.msg_type.has_no_teid() && self.t() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::TeidFlagUnexpected,
                    b,
                    "T flag set on a message without TEID",
                )
                .with_value(u64::from(self.msg_type.0)),
            );
        } else if !self.msg_type.has_no_teid() && !self.t() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::TeidFlagMissing,
                    b,
                    "T flag clear on a message that carries a TEID",
                )
                .with_value(u64::from(self.msg_type.0)),
            );
        }
        let mand = mandatory(self.msg_type);
        let mut found = 0u32;
        validate_level(self.msg_type, self.ies(), 0, (mand, &mut found), out);
        report_missing(mand, found, b + 1, "a mandatory IE is missing", out);
    }
}

fn mandatory(t: MsgType) -> &'static [(u8, u8)] {
    match t.0 {
        1 | 2 => &[(3, 0)],
        32 => &[(71, 0), (82, 0), (87, 0), (93, 0)],
        64 => &[(72, 0), (93, 0)],
        66 => &[(93, 0)],
        // Linked EBI, PTI, Traffic Aggregate Description (Table 7.2.5-1).
        68 => &[(73, 0), (100, 0), (85, 0)],
        // Context Acknowledge (Table 7.3.7-1): Cause.
        132 => &[(2, 0)],
        95 => &[(73, 0), (93, 0)],
        96 | 98 => &[(2, 0), (93, 0)],
        97 => &[(72, 0), (93, 0)],
        _ if t.request_for().is_some() => &[(2, 0)],
        _ => &[],
    }
}

/// The IEs a grouped IE (`group` = its type and instance, at the top level of a message of type
/// `t`) must carry, as (type, instance).
fn group_mandatory(t: MsgType, group: (u8, u8)) -> &'static [(u8, u8)] {
    match (t.0, group) {
        // Create Session Request, Bearer Contexts to be created (Table 7.2.1-2): EBI, Bearer QoS;
        // Bearer Contexts to be removed (Table 7.2.1-3): EBI.
        (32, (93, 0)) => &[(73, 0), (80, 0)],
        (32, (93, 1)) => &[(73, 0)],
        // Create Session Response, Bearer Contexts created (Table 7.2.2-2) and marked for
        // removal (Table 7.2.2-3): EBI, Cause.
        (33, (93, 0 | 1)) => &[(73, 0), (2, 0)],
        _ => &[],
    }
}

fn report_missing(
    mand: &[(u8, u8)],
    found: u32,
    offset: usize,
    detail: &'static str,
    out: &mut Anomalies,
) {
    for (i, &(ty, _)) in mand.iter().enumerate().take(32) {
        if found & (1 << i) == 0 {
            out.push(
                Anomaly::new(L, AnomalyCode::MandatoryIeMissing, offset, detail)
                    .with_value(u64::from(ty)),
            );
        }
    }
}

fn validate_level(
    t: MsgType,
    ies: IeIter<'_>,
    depth: usize,
    mand: (&[(u8, u8)], &mut u32),
    out: &mut Anomalies,
) {
    let (mand_list, found) = mand;
    // Duplicate detection without allocation: a 256-bit map per instance would be 4 KiB; IEs
    // per level are few, so compare against the ones already walked (the first 64), and only
    // when an IE of the same type is among them (`types`, one bit per type).
    let mut walked: [(u8, u8); 64] = [(0, 0); 64];
    let mut types = [0u64; 4];
    let mut n = 0usize;
    let is_echo = matches!(t.0, 1 | 2) && depth == 0;
    for r in ies {
        let ie = match r {
            Ok(ie) => ie,
            Err(e) => {
                let code = match e {
                    Error::Limit { .. } => AnomalyCode::IeLimitReached,
                    _ => AnomalyCode::IeTruncated,
                };
                out.push(
                    Anomaly::new(L, code, e.offset(), "IE walk stopped")
                        .with_value(e.to_anomaly().value.unwrap_or(0)),
                );
                break;
            }
        };
        let key = (ie.ie_type.0, ie.instance);
        let (word, bit) = (usize::from(key.0 >> 6), 1u64 << (key.0 & 63));
        let type_seen = types.get(word).is_some_and(|w| w & bit != 0);
        if type_seen && !ie.ie_type.may_repeat() && walked.iter().take(n).any(|k| *k == key) {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::DuplicateIe,
                    ie.offset,
                    "IE (type, instance) that may not repeat appears again",
                )
                .with_value(u64::from(key.0)),
            );
        }
        if let Some(slot) = walked.get_mut(n) {
            *slot = key;
            n += 1;
            if let Some(w) = types.get_mut(word) {
                *w |= bit;
            }
        }
        for (i, m) in mand_list.iter().enumerate().take(32) {
            if *m == key {
                *found |= 1 << i;
            }
        }
        if ie.spare != 0 {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::IeSpareBitsSet,
                    ie.offset + 3,
                    "IE spare (CR) bits set",
                )
                .with_value(u64::from(ie.spare)),
            );
        }
        if is_echo && !matches!(ie.ie_type.0, 3 | 152 | 255) {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::EchoUnexpectedIe,
                    ie.offset,
                    "Echo carries an IE other than Recovery / Node Features / Private Extension",
                )
                .with_value(u64::from(ie.ie_type.0)),
            );
        }
        if t == MsgType::VERSION_NOT_SUPPORTED_INDICATION && depth == 0 {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::UnexpectedIe,
                    ie.offset,
                    "Version Not Supported Indication carries IEs",
                )
                .with_value(u64::from(ie.ie_type.0)),
            );
        }
        if matches!(ie.ie_type.0, 1 | 75 | 76)
            && !ie.value.is_empty()
            && ie.value.len() * 2 <= MAX_DIGITS
            && tbcd_flags(ie.value) == (false, false)
        {
            // IMSI / MEI / MSISDN that decode to clean digits: nothing to report, and no need
            // to build the digit string.
            continue;
        }
        match ie.decode() {
            Ok(V2Value::Grouped(inner)) => {
                let group_mand = if depth == 0 {
                    group_mandatory(t, key)
                } else {
                    &[]
                };
                let mut group_found = 0u32;
                validate_level(t, inner, depth + 1, (group_mand, &mut group_found), out);
                report_missing(
                    group_mand,
                    group_found,
                    ie.offset,
                    "a mandatory IE is missing from a grouped IE",
                    out,
                );
            }
            Ok(V2Value::Imsi(d) | V2Value::Msisdn(d) | V2Value::Mei(d)) => {
                d.report(L, ie.offset, out)
            }
            Ok(_) => {}
            Err(Error::Limit { .. }) => out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::GroupDepthExceeded,
                    ie.offset,
                    "grouped IEs nested deeper than MAX_GROUP_DEPTH",
                )
                .with_value(MAX_GROUP_DEPTH as u64),
            ),
            Err(_) => out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::IeMalformed,
                    ie.offset,
                    "IE value does not decode",
                )
                .with_value(u64::from(ie.ie_type.0)),
            ),
        }
    }
}
