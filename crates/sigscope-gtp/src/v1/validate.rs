//! Validation of a GTPv1 message: header flags and length, the optional part and the
//! extension header chain, then the IEs (order, repetition, Echo and Version Not Supported
//! contents, values that do not decode, mandatory IEs); the IE rules are shared with GTP'
//! and GTPv0 ([`Rules`]).

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error};

use super::{flags, IeIter, MsgType, V1Slice, V1Value, HEADER_LEN, L, OPT_HEADER_LEN};

impl<'a> V1Slice<'a> {
    /// Validate the message, pushing anomalies (offsets relative to the datagram start).
    pub fn validate(&self, out: &mut Anomalies) {
        if self.flags & flags::RESERVED != 0 {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::ReservedBitSet,
                    0,
                    "GTPv1 header reserved bit set",
                )
                .with_value(u64::from(self.flags)),
            );
        }
        if !self.pt() {
            out.push(Anomaly::new(
                L,
                AnomalyCode::ProtocolTypeMismatch,
                0,
                "GTPv1 header with PT=0 (GTP')",
            ));
        }
        if self.opt_truncated && !self.fields_length_short() {
            out.push(Anomaly::new(
                L,
                AnomalyCode::HeaderTruncated,
                HEADER_LEN,
                "flags announce the optional header but the datagram ends",
            ));
        }
        let declared = HEADER_LEN + usize::from(self.length);
        if declared != self.data.len() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::HeaderLengthMismatch,
                    2,
                    if declared > self.data.len() {
                        "length field exceeds the datagram"
                    } else {
                        "trailing bytes after the message"
                    },
                )
                .with_value(self.data.len() as u64),
            );
        }
        if !self.msg_type.is_known() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::UnassignedMessageType,
                    1,
                    "unassigned GTPv1 message type",
                )
                .with_value(u64::from(self.msg_type.0)),
            );
        }
        if self.opt_truncated && self.fields_length_short() {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::HeaderLengthMismatch,
                    2,
                    "length field shorter than the optional header",
                )
                .with_value(u64::from(self.length)),
            );
        }
        for r in self.ext_headers() {
            match r {
                Ok(h) => {
                    if !h.ext_type.is_known() && h.ext_type.comprehension_required() {
                        out.push(
                            Anomaly::new(
                                L,
                                AnomalyCode::ExtHeaderUnknownRequired,
                                h.offset,
                                "unknown extension header that must be understood",
                            )
                            .with_value(u64::from(h.ext_type.0)),
                        );
                    }
                }
                Err(e) => out.push(
                    Anomaly::new(
                        L,
                        AnomalyCode::ExtHeaderMalformed,
                        e.offset(),
                        "extension header chain is malformed",
                    )
                    .with_value(e.to_anomaly().value.unwrap_or(0)),
                ),
            }
        }
        if self.is_gpdu() || self.msg_type == MsgType::END_MARKER && self.body().is_empty() {
            return;
        }
        validate_ies(self.msg_type, self.ies(), Rules::V1, out);
    }

    fn fields_length_short(&self) -> bool {
        usize::from(self.length) < OPT_HEADER_LEN
    }
}

/// Which rule set [`validate_ies`] applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Rules {
    V1,
    Prime,
    V0,
}

/// IE types that may appear more than once in a GTPv1 message.
pub const fn may_repeat(t: u8) -> bool {
    matches!(
        t,
        9 | 18
            | 20
            | 22
            | 25
            | 130
            | 133
            | 136
            | 175
            | 179
            | 201
            | 204
            | 213
            | 215
            | 249
            | 250
            | 252
            | 255
    )
}

fn mandatory_v1(t: MsgType) -> &'static [(u8, u8)] {
    // (IE type, minimum count)
    match t.0 {
        2 => &[(14, 1)],
        16 => &[(16, 1), (20, 1), (133, 2), (135, 1)],
        18 | 20 => &[(20, 1)],
        26 => &[(16, 1), (133, 1)],
        31 => &[(141, 1)],
        52 => &[(1, 1)],
        _ if t.request_for().is_some() => &[(1, 1)],
        _ => &[],
    }
}

pub(crate) fn validate_ies(t: MsgType, ies: IeIter<'_>, rules: Rules, out: &mut Anomalies) {
    let mut seen = [0u8; 256];
    let mut last: u8 = 0;
    let is_echo = matches!(t.0, 1 | 2);
    for r in ies {
        let ie = match r {
            Ok(ie) => ie,
            Err(e) => {
                let code = if matches!(e, Error::Value { .. }) {
                    AnomalyCode::UnknownTvIe
                } else {
                    AnomalyCode::IeTruncated
                };
                out.push(
                    Anomaly::new(L, code, e.offset(), "IE walk stopped")
                        .with_value(e.to_anomaly().value.unwrap_or(0)),
                );
                break;
            }
        };
        let ty = ie.ie_type.0;
        if ty < last {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::IeOutOfOrder,
                    ie.offset,
                    "IE types not in ascending order",
                )
                .with_value(u64::from(ty)),
            );
        }
        last = ty;
        if let Some(c) = seen.get_mut(usize::from(ty)) {
            if *c == 1 && !may_repeat(ty) {
                out.push(
                    Anomaly::new(
                        L,
                        AnomalyCode::DuplicateIe,
                        ie.offset,
                        "IE that may not repeat appears again",
                    )
                    .with_value(u64::from(ty)),
                );
            }
            *c = c.saturating_add(1);
        }
        if is_echo && !matches!(ty, 14 | 255) {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::EchoUnexpectedIe,
                    ie.offset,
                    "Echo carries an IE other than Recovery / Private Extension",
                )
                .with_value(u64::from(ty)),
            );
        }
        if t == MsgType::VERSION_NOT_SUPPORTED {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::UnexpectedIe,
                    ie.offset,
                    "Version Not Supported carries IEs",
                )
                .with_value(u64::from(ty)),
            );
        }
        if rules == Rules::V1 {
            match ie.decode() {
                Err(_) => out.push(
                    Anomaly::new(
                        L,
                        AnomalyCode::IeMalformed,
                        ie.offset,
                        "IE value does not decode",
                    )
                    .with_value(u64::from(ty)),
                ),
                Ok(V1Value::Imsi(d) | V1Value::Msisdn { digits: d, .. } | V1Value::Imei(d)) => {
                    d.report(L, ie.offset, out)
                }
                Ok(_) => {}
            }
        }
    }
    let mand: &[(u8, u8)] = match rules {
        Rules::V1 => mandatory_v1(t),
        Rules::Prime | Rules::V0 => {
            if t.0 == 2 {
                &[(14, 1)]
            } else if t.0 == 241 {
                &[(1, 1)]
            } else {
                &[]
            }
        }
    };
    for &(ty, min) in mand {
        if seen.get(usize::from(ty)).copied().unwrap_or(0) < min {
            out.push(
                Anomaly::new(
                    L,
                    AnomalyCode::MandatoryIeMissing,
                    1,
                    "a mandatory IE is missing",
                )
                .with_value(u64::from(ty)),
            );
        }
    }
}
