//! GTPv2-C (3GPP TS 29.274): header (P/T/MP flags, piggybacking), IEs (type, length,
//! instance), grouped IEs walked recursively with a depth cap, typed IE values, validation, emit.
//!
//! Layout: the header view ([`V2Slice`]) and message types here; IE types, the IE iterator and
//! [`walk`] in `ie`, typed values in `value` and their decoding in `decode`, validation in
//! `validate`, the owned forms in `emit`.

mod decode;
mod emit;
mod ie;
mod validate;
mod value;

pub use emit::{IeRepr, IeValueRepr, V2Repr};
pub use ie::{walk, Ie, IeIter, IeType};
pub use value::{Cause, FTeid, FqCsid, Paa, Qos, TargetId, TraceInfo, Uli, V2Value};

use sigscope_core::{open_enum, Error, Layer};

const L: Layer = Layer::Gtp;

/// Header length without TEID (T = 0).
pub const HEADER_LEN_NO_TEID: usize = 8;
/// Header length with TEID (T = 1).
pub const HEADER_LEN_TEID: usize = 12;
/// IE header length (type, length, spare/instance).
pub const IE_HEADER_LEN: usize = 4;
/// Deepest nesting of grouped IEs decoded (TS 29.274 nests at most 2 levels today).
pub const MAX_GROUP_DEPTH: usize = 4;
/// Most IEs walked at one level of one message.
pub const MAX_IES: usize = 256;
/// Most messages walked in one datagram (the first plus piggybacked ones).
pub const MAX_PIGGYBACKED: usize = 2;

/// Flag bits of the first octet.
pub mod flags {
    /// Piggybacking flag.
    pub const P: u8 = 0x10;
    /// TEID flag.
    pub const T: u8 = 0x08;
    /// Message priority flag (Rel-11+).
    pub const MP: u8 = 0x04;
    /// Spare bits.
    pub const SPARE: u8 = 0x03;
}

open_enum! {
    /// GTPv2-C message types (TS 29.274 Table 6.1-1).
    pub struct MsgType(u8) {
        ECHO_REQUEST = 1 => "echo_request",
        ECHO_RESPONSE = 2 => "echo_response",
        VERSION_NOT_SUPPORTED_INDICATION = 3 => "version_not_supported_indication",
        DIRECT_TRANSFER_REQUEST = 4 => "direct_transfer_request",
        DIRECT_TRANSFER_RESPONSE = 5 => "direct_transfer_response",
        NOTIFICATION_REQUEST = 6 => "notification_request",
        NOTIFICATION_RESPONSE = 7 => "notification_response",
        RIM_INFORMATION_TRANSFER = 17 => "rim_information_transfer",
        SRVCC_PS_TO_CS_REQUEST = 25 => "srvcc_ps_to_cs_request",
        SRVCC_PS_TO_CS_RESPONSE = 26 => "srvcc_ps_to_cs_response",
        SRVCC_PS_TO_CS_COMPLETE_NOTIFICATION = 27 => "srvcc_ps_to_cs_complete_notification",
        SRVCC_PS_TO_CS_COMPLETE_ACKNOWLEDGE = 28 => "srvcc_ps_to_cs_complete_acknowledge",
        SRVCC_PS_TO_CS_CANCEL_NOTIFICATION = 29 => "srvcc_ps_to_cs_cancel_notification",
        SRVCC_PS_TO_CS_CANCEL_ACKNOWLEDGE = 30 => "srvcc_ps_to_cs_cancel_acknowledge",
        SRVCC_CS_TO_PS_REQUEST = 31 => "srvcc_cs_to_ps_request",
        CREATE_SESSION_REQUEST = 32 => "create_session_request",
        CREATE_SESSION_RESPONSE = 33 => "create_session_response",
        MODIFY_BEARER_REQUEST = 34 => "modify_bearer_request",
        MODIFY_BEARER_RESPONSE = 35 => "modify_bearer_response",
        DELETE_SESSION_REQUEST = 36 => "delete_session_request",
        DELETE_SESSION_RESPONSE = 37 => "delete_session_response",
        CHANGE_NOTIFICATION_REQUEST = 38 => "change_notification_request",
        CHANGE_NOTIFICATION_RESPONSE = 39 => "change_notification_response",
        REMOTE_UE_REPORT_NOTIFICATION = 40 => "remote_ue_report_notification",
        REMOTE_UE_REPORT_ACKNOWLEDGE = 41 => "remote_ue_report_acknowledge",
        MODIFY_BEARER_COMMAND = 64 => "modify_bearer_command",
        MODIFY_BEARER_FAILURE_INDICATION = 65 => "modify_bearer_failure_indication",
        DELETE_BEARER_COMMAND = 66 => "delete_bearer_command",
        DELETE_BEARER_FAILURE_INDICATION = 67 => "delete_bearer_failure_indication",
        BEARER_RESOURCE_COMMAND = 68 => "bearer_resource_command",
        BEARER_RESOURCE_FAILURE_INDICATION = 69 => "bearer_resource_failure_indication",
        DOWNLINK_DATA_NOTIFICATION_FAILURE_INDICATION = 70 => "downlink_data_notification_failure_indication",
        TRACE_SESSION_ACTIVATION = 71 => "trace_session_activation",
        TRACE_SESSION_DEACTIVATION = 72 => "trace_session_deactivation",
        STOP_PAGING_INDICATION = 73 => "stop_paging_indication",
        CREATE_BEARER_REQUEST = 95 => "create_bearer_request",
        CREATE_BEARER_RESPONSE = 96 => "create_bearer_response",
        UPDATE_BEARER_REQUEST = 97 => "update_bearer_request",
        UPDATE_BEARER_RESPONSE = 98 => "update_bearer_response",
        DELETE_BEARER_REQUEST = 99 => "delete_bearer_request",
        DELETE_BEARER_RESPONSE = 100 => "delete_bearer_response",
        DELETE_PDN_CONNECTION_SET_REQUEST = 101 => "delete_pdn_connection_set_request",
        DELETE_PDN_CONNECTION_SET_RESPONSE = 102 => "delete_pdn_connection_set_response",
        PGW_DOWNLINK_TRIGGERING_NOTIFICATION = 103 => "pgw_downlink_triggering_notification",
        PGW_DOWNLINK_TRIGGERING_ACKNOWLEDGE = 104 => "pgw_downlink_triggering_acknowledge",
        IDENTIFICATION_REQUEST = 128 => "identification_request",
        IDENTIFICATION_RESPONSE = 129 => "identification_response",
        CONTEXT_REQUEST = 130 => "context_request",
        CONTEXT_RESPONSE = 131 => "context_response",
        CONTEXT_ACKNOWLEDGE = 132 => "context_acknowledge",
        FORWARD_RELOCATION_REQUEST = 133 => "forward_relocation_request",
        FORWARD_RELOCATION_RESPONSE = 134 => "forward_relocation_response",
        FORWARD_RELOCATION_COMPLETE_NOTIFICATION = 135 => "forward_relocation_complete_notification",
        FORWARD_RELOCATION_COMPLETE_ACKNOWLEDGE = 136 => "forward_relocation_complete_acknowledge",
        FORWARD_ACCESS_CONTEXT_NOTIFICATION = 137 => "forward_access_context_notification",
        FORWARD_ACCESS_CONTEXT_ACKNOWLEDGE = 138 => "forward_access_context_acknowledge",
        RELOCATION_CANCEL_REQUEST = 139 => "relocation_cancel_request",
        RELOCATION_CANCEL_RESPONSE = 140 => "relocation_cancel_response",
        CONFIGURATION_TRANSFER_TUNNEL = 141 => "configuration_transfer_tunnel",
        DETACH_NOTIFICATION = 149 => "detach_notification",
        DETACH_ACKNOWLEDGE = 150 => "detach_acknowledge",
        CS_PAGING_INDICATION = 151 => "cs_paging_indication",
        RAN_INFORMATION_RELAY = 152 => "ran_information_relay",
        ALERT_MME_NOTIFICATION = 153 => "alert_mme_notification",
        ALERT_MME_ACKNOWLEDGE = 154 => "alert_mme_acknowledge",
        UE_ACTIVITY_NOTIFICATION = 155 => "ue_activity_notification",
        UE_ACTIVITY_ACKNOWLEDGE = 156 => "ue_activity_acknowledge",
        ISR_STATUS_INDICATION = 157 => "isr_status_indication",
        UE_REGISTRATION_QUERY_REQUEST = 158 => "ue_registration_query_request",
        UE_REGISTRATION_QUERY_RESPONSE = 159 => "ue_registration_query_response",
        CREATE_FORWARDING_TUNNEL_REQUEST = 160 => "create_forwarding_tunnel_request",
        CREATE_FORWARDING_TUNNEL_RESPONSE = 161 => "create_forwarding_tunnel_response",
        SUSPEND_NOTIFICATION = 162 => "suspend_notification",
        SUSPEND_ACKNOWLEDGE = 163 => "suspend_acknowledge",
        RESUME_NOTIFICATION = 164 => "resume_notification",
        RESUME_ACKNOWLEDGE = 165 => "resume_acknowledge",
        CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST = 166 => "create_indirect_data_forwarding_tunnel_request",
        CREATE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE = 167 => "create_indirect_data_forwarding_tunnel_response",
        DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_REQUEST = 168 => "delete_indirect_data_forwarding_tunnel_request",
        DELETE_INDIRECT_DATA_FORWARDING_TUNNEL_RESPONSE = 169 => "delete_indirect_data_forwarding_tunnel_response",
        RELEASE_ACCESS_BEARERS_REQUEST = 170 => "release_access_bearers_request",
        RELEASE_ACCESS_BEARERS_RESPONSE = 171 => "release_access_bearers_response",
        DOWNLINK_DATA_NOTIFICATION = 176 => "downlink_data_notification",
        DOWNLINK_DATA_NOTIFICATION_ACKNOWLEDGE = 177 => "downlink_data_notification_acknowledge",
        PGW_RESTART_NOTIFICATION = 179 => "pgw_restart_notification",
        PGW_RESTART_NOTIFICATION_ACKNOWLEDGE = 180 => "pgw_restart_notification_acknowledge",
        UPDATE_PDN_CONNECTION_SET_REQUEST = 200 => "update_pdn_connection_set_request",
        UPDATE_PDN_CONNECTION_SET_RESPONSE = 201 => "update_pdn_connection_set_response",
        MODIFY_ACCESS_BEARERS_REQUEST = 211 => "modify_access_bearers_request",
        MODIFY_ACCESS_BEARERS_RESPONSE = 212 => "modify_access_bearers_response",
        MBMS_SESSION_START_REQUEST = 231 => "mbms_session_start_request",
        MBMS_SESSION_START_RESPONSE = 232 => "mbms_session_start_response",
        MBMS_SESSION_UPDATE_REQUEST = 233 => "mbms_session_update_request",
        MBMS_SESSION_UPDATE_RESPONSE = 234 => "mbms_session_update_response",
        MBMS_SESSION_STOP_REQUEST = 235 => "mbms_session_stop_request",
        MBMS_SESSION_STOP_RESPONSE = 236 => "mbms_session_stop_response",
    }
}

impl MsgType {
    /// The request (or command) this response / acknowledge / failure indication answers.
    pub const fn request_for(self) -> Option<MsgType> {
        match self.0 {
            2 | 5 | 7 | 26 | 28 | 30 | 33 | 35 | 37 | 39 | 41 | 65 | 67 | 69 | 96 | 98 | 100
            | 102 | 104 | 129 | 131 | 134 | 136 | 138 | 140 | 150 | 154 | 156 | 159 | 161 | 163
            | 165 | 167 | 169 | 171 | 177 | 180 | 201 | 212 | 232 | 234 | 236 => {
                Some(MsgType(self.0 - 1))
            }
            _ => None,
        }
    }

    /// For a message that acknowledges a *response* (sent by the requester to the responder with
    /// the request's sequence number): the request whose exchange it completes. Context
    /// Acknowledge (132) completes Context Request (130) / Context Response (131).
    pub const fn acknowledges(self) -> Option<MsgType> {
        match self.0 {
            132 => Some(MsgType(130)),
            _ => None,
        }
    }

    /// True for messages that expect a response.
    pub const fn is_request(self) -> bool {
        matches!(
            self.0,
            1 | 4
                | 6
                | 25
                | 27
                | 29
                | 31
                | 32
                | 34
                | 36
                | 38
                | 40
                | 64
                | 66
                | 68
                | 95
                | 97
                | 99
                | 101
                | 103
                | 128
                | 130
                | 133
                | 135
                | 137
                | 139
                | 149
                | 153
                | 155
                | 158
                | 160
                | 162
                | 164
                | 166
                | 168
                | 170
                | 176
                | 179
                | 200
                | 211
                | 231
                | 233
                | 235
        )
    }

    /// Messages whose header carries no TEID (T = 0).
    pub const fn has_no_teid(self) -> bool {
        matches!(self.0, 1..=3)
    }
}

/// A zero-copy view of one GTPv2-C message.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct V2Slice<'a> {
    data: &'a [u8],
    base: usize,
    flags: u8,
    msg_type: MsgType,
    length: u16,
    teid: Option<u32>,
    seq: u32,
    last: u8,
    header_len: usize,
    end: usize,
}

impl<'a> V2Slice<'a> {
    /// Parse a message starting at the beginning of `data` (the rest of the datagram may follow).
    #[inline]
    pub fn from_slice(data: &'a [u8]) -> Result<V2Slice<'a>, Error> {
        Self::at(data, 0)
    }

    /// Like [`V2Slice::from_slice`], remembering that `data` starts `base` bytes into the datagram
    /// (IE offsets are then datagram-relative).
    pub fn at(data: &'a [u8], base: usize) -> Result<V2Slice<'a>, Error> {
        let (fl, ty, length) = match data {
            [f, t, a, b, ..] => (*f, *t, u16::from_be_bytes([*a, *b])),
            _ => return Err(Error::len(L, HEADER_LEN_NO_TEID, data.len(), base)),
        };
        if fl >> 5 != 2 {
            return Err(Error::value(L, "GTPv2 version", u64::from(fl >> 5), base));
        }
        let t = fl & flags::T != 0;
        let header_len = if t {
            HEADER_LEN_TEID
        } else {
            HEADER_LEN_NO_TEID
        };
        let h = data
            .get(..header_len)
            .ok_or(Error::len(L, header_len, data.len(), base))?;
        let (teid, rest) = match (t, h) {
            (true, [_, _, _, _, a, b, c, d, rest @ ..]) => {
                (Some(u32::from_be_bytes([*a, *b, *c, *d])), rest)
            }
            (false, [_, _, _, _, rest @ ..]) => (None, rest),
            _ => return Err(Error::len(L, header_len, data.len(), base)),
        };
        let (seq, last) = match rest {
            [a, b, c, d] => (u32::from_be_bytes([0, *a, *b, *c]), *d),
            _ => return Err(Error::len(L, header_len, data.len(), base)),
        };
        let end = (4 + usize::from(length)).clamp(header_len, data.len());
        Ok(V2Slice {
            data,
            base,
            flags: fl,
            msg_type: MsgType(ty),
            length,
            teid,
            seq,
            last,
            header_len,
            end,
        })
    }

    /// Every byte given to [`V2Slice::at`]: for the first message of a datagram, the whole
    /// UDP payload (including a piggybacked message and trailing bytes).
    pub const fn datagram(&self) -> &'a [u8] {
        self.data
    }
    /// Flags octet.
    pub const fn flags(&self) -> u8 {
        self.flags
    }
    /// Piggybacking flag.
    pub const fn p(&self) -> bool {
        self.flags & flags::P != 0
    }
    /// TEID flag.
    pub const fn t(&self) -> bool {
        self.flags & flags::T != 0
    }
    /// Message priority flag.
    pub const fn mp(&self) -> bool {
        self.flags & flags::MP != 0
    }
    /// Message type.
    pub const fn message_type(&self) -> MsgType {
        self.msg_type
    }
    /// Length field (bytes after the first 4).
    pub const fn length(&self) -> u16 {
        self.length
    }
    /// TEID when T = 1.
    pub const fn teid(&self) -> Option<u32> {
        self.teid
    }
    /// Sequence number (24 bits).
    pub const fn sequence(&self) -> u32 {
        self.seq
    }
    /// Message priority (0-15) when MP = 1.
    pub const fn priority(&self) -> Option<u8> {
        if self.mp() {
            Some(self.last >> 4)
        } else {
            None
        }
    }
    /// Header length (8 or 12).
    pub const fn header_len(&self) -> usize {
        self.header_len
    }
    /// Offset of this message within the datagram.
    pub const fn base(&self) -> usize {
        self.base
    }
    /// Bytes of this message as the length field delimits it (clipped to the datagram).
    pub fn message(&self) -> &'a [u8] {
        self.data.get(..self.end).unwrap_or(self.data)
    }
    /// The IE bytes.
    pub fn ie_bytes(&self) -> &'a [u8] {
        self.data.get(self.header_len..self.end).unwrap_or(&[])
    }
    /// Bytes after this message in the datagram (a piggybacked message when P = 1).
    pub fn trailing(&self) -> &'a [u8] {
        self.data.get(self.end..).unwrap_or(&[])
    }
    /// The datagram ends before the length field says.
    pub fn is_truncated(&self) -> bool {
        4 + usize::from(self.length) > self.data.len()
    }
    /// Iterate the top-level IEs.
    pub fn ies(&self) -> IeIter<'a> {
        IeIter::new(self.ie_bytes(), self.base + self.header_len, 0)
    }
    /// The piggybacked message (P = 1 and bytes follow).
    pub fn piggybacked(&self) -> Option<Result<V2Slice<'a>, Error>> {
        if !self.p() || self.trailing().is_empty() {
            return None;
        }
        Some(V2Slice::at(self.trailing(), self.base + self.end))
    }
}
