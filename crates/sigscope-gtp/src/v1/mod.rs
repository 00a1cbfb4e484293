//! GTPv1-C (3GPP TS 29.060) and GTPv1-U (TS 29.281): header, extension header chain,
//! information elements (TV fixed-length table and TLV), typed IE values, validation, emit.
//!
//! Layout: the header view ([`V1Slice`]), message types and TV tables here; extension
//! headers in `ext`, IE types and the IE iterator in `ie`, typed values and their decoding
//! in `value`, validation in `validate`, the owned forms in `emit`.

mod emit;
mod ext;
mod ie;
mod validate;
mod value;

pub use emit::{BodyRepr, ExtHeaderRepr, IeRepr, V1Repr};
pub use ext::{ExtHeader, ExtHeaderIter, ExtHeaderType, ExtValue};
pub use ie::{Ie, IeIter, IeType};
pub use validate::may_repeat;
pub(crate) use validate::{validate_ies, Rules};
pub use value::{v0_ie_name, Arp, EndUserAddress, Uli, V1Value};

use sigscope_core::{open_enum, Error, Layer};

const L: Layer = Layer::Gtp;

/// Length of the mandatory GTPv1 header (flags, type, length, TEID).
pub const HEADER_LEN: usize = 8;
/// Length of the optional part (sequence, N-PDU number, next extension header type).
pub const OPT_HEADER_LEN: usize = 4;
/// Most extension headers walked in one message.
pub const MAX_EXT_HEADERS: usize = 16;
/// Most IEs walked in one message.
pub const MAX_IES: usize = 256;

/// Flag bits of the first octet.
pub mod flags {
    /// Protocol type: 1 = GTP, 0 = GTP'.
    pub const PT: u8 = 0x10;
    /// Reserved (spare) bit, must be 0.
    pub const RESERVED: u8 = 0x08;
    /// Extension header flag.
    pub const E: u8 = 0x04;
    /// Sequence number flag.
    pub const S: u8 = 0x02;
    /// N-PDU number flag.
    pub const PN: u8 = 0x01;
}

open_enum! {
    /// GTPv1 message types (TS 29.060 Table 1, TS 29.281 Table 6.1-1, TS 32.295).
    pub struct MsgType(u8) {
        ECHO_REQUEST = 1 => "echo_request",
        ECHO_RESPONSE = 2 => "echo_response",
        VERSION_NOT_SUPPORTED = 3 => "version_not_supported",
        NODE_ALIVE_REQUEST = 4 => "node_alive_request",
        NODE_ALIVE_RESPONSE = 5 => "node_alive_response",
        REDIRECTION_REQUEST = 6 => "redirection_request",
        REDIRECTION_RESPONSE = 7 => "redirection_response",
        CREATE_PDP_CONTEXT_REQUEST = 16 => "create_pdp_context_request",
        CREATE_PDP_CONTEXT_RESPONSE = 17 => "create_pdp_context_response",
        UPDATE_PDP_CONTEXT_REQUEST = 18 => "update_pdp_context_request",
        UPDATE_PDP_CONTEXT_RESPONSE = 19 => "update_pdp_context_response",
        DELETE_PDP_CONTEXT_REQUEST = 20 => "delete_pdp_context_request",
        DELETE_PDP_CONTEXT_RESPONSE = 21 => "delete_pdp_context_response",
        INITIATE_PDP_CONTEXT_ACTIVATION_REQUEST = 22 => "initiate_pdp_context_activation_request",
        INITIATE_PDP_CONTEXT_ACTIVATION_RESPONSE = 23 => "initiate_pdp_context_activation_response",
        ERROR_INDICATION = 26 => "error_indication",
        PDU_NOTIFICATION_REQUEST = 27 => "pdu_notification_request",
        PDU_NOTIFICATION_RESPONSE = 28 => "pdu_notification_response",
        PDU_NOTIFICATION_REJECT_REQUEST = 29 => "pdu_notification_reject_request",
        PDU_NOTIFICATION_REJECT_RESPONSE = 30 => "pdu_notification_reject_response",
        SUPPORTED_EXTENSION_HEADERS_NOTIFICATION = 31 => "supported_extension_headers_notification",
        SEND_ROUTING_INFO_FOR_GPRS_REQUEST = 32 => "send_routing_info_for_gprs_request",
        SEND_ROUTING_INFO_FOR_GPRS_RESPONSE = 33 => "send_routing_info_for_gprs_response",
        FAILURE_REPORT_REQUEST = 34 => "failure_report_request",
        FAILURE_REPORT_RESPONSE = 35 => "failure_report_response",
        NOTE_MS_GPRS_PRESENT_REQUEST = 36 => "note_ms_gprs_present_request",
        NOTE_MS_GPRS_PRESENT_RESPONSE = 37 => "note_ms_gprs_present_response",
        IDENTIFICATION_REQUEST = 48 => "identification_request",
        IDENTIFICATION_RESPONSE = 49 => "identification_response",
        SGSN_CONTEXT_REQUEST = 50 => "sgsn_context_request",
        SGSN_CONTEXT_RESPONSE = 51 => "sgsn_context_response",
        SGSN_CONTEXT_ACKNOWLEDGE = 52 => "sgsn_context_acknowledge",
        FORWARD_RELOCATION_REQUEST = 53 => "forward_relocation_request",
        FORWARD_RELOCATION_RESPONSE = 54 => "forward_relocation_response",
        FORWARD_RELOCATION_COMPLETE = 55 => "forward_relocation_complete",
        RELOCATION_CANCEL_REQUEST = 56 => "relocation_cancel_request",
        RELOCATION_CANCEL_RESPONSE = 57 => "relocation_cancel_response",
        FORWARD_SRNS_CONTEXT = 58 => "forward_srns_context",
        FORWARD_RELOCATION_COMPLETE_ACKNOWLEDGE = 59 => "forward_relocation_complete_acknowledge",
        FORWARD_SRNS_CONTEXT_ACKNOWLEDGE = 60 => "forward_srns_context_acknowledge",
        UE_REGISTRATION_QUERY_REQUEST = 61 => "ue_registration_query_request",
        UE_REGISTRATION_QUERY_RESPONSE = 62 => "ue_registration_query_response",
        RAN_INFORMATION_RELAY = 70 => "ran_information_relay",
        MBMS_NOTIFICATION_REQUEST = 96 => "mbms_notification_request",
        MBMS_NOTIFICATION_RESPONSE = 97 => "mbms_notification_response",
        MBMS_NOTIFICATION_REJECT_REQUEST = 98 => "mbms_notification_reject_request",
        MBMS_NOTIFICATION_REJECT_RESPONSE = 99 => "mbms_notification_reject_response",
        CREATE_MBMS_CONTEXT_REQUEST = 100 => "create_mbms_context_request",
        CREATE_MBMS_CONTEXT_RESPONSE = 101 => "create_mbms_context_response",
        UPDATE_MBMS_CONTEXT_REQUEST = 102 => "update_mbms_context_request",
        UPDATE_MBMS_CONTEXT_RESPONSE = 103 => "update_mbms_context_response",
        DELETE_MBMS_CONTEXT_REQUEST = 104 => "delete_mbms_context_request",
        DELETE_MBMS_CONTEXT_RESPONSE = 105 => "delete_mbms_context_response",
        MBMS_REGISTRATION_REQUEST = 112 => "mbms_registration_request",
        MBMS_REGISTRATION_RESPONSE = 113 => "mbms_registration_response",
        MBMS_DE_REGISTRATION_REQUEST = 114 => "mbms_de_registration_request",
        MBMS_DE_REGISTRATION_RESPONSE = 115 => "mbms_de_registration_response",
        MBMS_SESSION_START_REQUEST = 116 => "mbms_session_start_request",
        MBMS_SESSION_START_RESPONSE = 117 => "mbms_session_start_response",
        MBMS_SESSION_STOP_REQUEST = 118 => "mbms_session_stop_request",
        MBMS_SESSION_STOP_RESPONSE = 119 => "mbms_session_stop_response",
        MBMS_SESSION_UPDATE_REQUEST = 120 => "mbms_session_update_request",
        MBMS_SESSION_UPDATE_RESPONSE = 121 => "mbms_session_update_response",
        MS_INFO_CHANGE_NOTIFICATION_REQUEST = 128 => "ms_info_change_notification_request",
        MS_INFO_CHANGE_NOTIFICATION_RESPONSE = 129 => "ms_info_change_notification_response",
        DATA_RECORD_TRANSFER_REQUEST = 240 => "data_record_transfer_request",
        DATA_RECORD_TRANSFER_RESPONSE = 241 => "data_record_transfer_response",
        END_MARKER = 254 => "end_marker",
        G_PDU = 255 => "g_pdu",
    }
}

impl MsgType {
    /// The request type this response answers (`None` for requests and unpaired messages).
    ///
    /// SGSN Context Acknowledge (52) is not here: it answers the SGSN Context *Response*, so it
    /// travels in the direction of the SGSN Context Request; see [`MsgType::acknowledges`].
    pub const fn request_for(self) -> Option<MsgType> {
        match self.0 {
            2 | 5 | 7 | 17 | 19 | 21 | 23 | 28 | 30 | 33 | 35 | 37 | 49 | 51 | 54 | 57 | 62
            | 97 | 99 | 101 | 103 | 105 | 113 | 115 | 117 | 119 | 121 | 129 | 241 => {
                Some(MsgType(self.0 - 1))
            }
            59 => Some(MsgType(55)),
            60 => Some(MsgType(58)),
            _ => None,
        }
    }

    /// For a message that acknowledges a *response* (a three-way exchange, sent by the
    /// requester to the responder with the request's sequence number): the request type whose
    /// exchange it completes. SGSN Context Acknowledge (52) completes SGSN Context Request (50) /
    /// Response (51) (TS 29.060 7.5.5).
    pub const fn acknowledges(self) -> Option<MsgType> {
        match self.0 {
            52 => Some(MsgType(50)),
            _ => None,
        }
    }

    /// True for messages that expect a response.
    pub const fn is_request(self) -> bool {
        matches!(
            self.0,
            1 | 4
                | 6
                | 16
                | 18
                | 20
                | 22
                | 27
                | 29
                | 32
                | 34
                | 36
                | 48
                | 50
                | 53
                | 55
                | 56
                | 58
                | 61
                | 96
                | 98
                | 100
                | 102
                | 104
                | 112
                | 114
                | 116
                | 118
                | 120
                | 128
                | 240
        )
    }

    /// Messages that belong to GTP-U (TS 29.281 Table 6.1-1). Echo belongs to both planes.
    pub const fn is_user_plane(self) -> bool {
        matches!(self.0, 1 | 2 | 26 | 31 | 254 | 255)
    }

    /// Messages only the user plane carries (never valid on the GTP-C port). Supported
    /// Extension Headers Notification (31) is a path management message of both planes
    /// (TS 29.060 7.2 and Table 1, TS 29.281 7.2), so it is not one of them.
    pub const fn is_user_plane_only(self) -> bool {
        matches!(self.0, 26 | 254 | 255)
    }
}

/// Which TV table applies: GTPv1 (TS 29.060 Table 37), GTP' (TS 32.295) or GTPv0 (GSM 09.60).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TvTable {
    /// TS 29.060.
    V1,
    /// TS 32.295 (GTP').
    Prime,
    /// GSM 09.60 (GTPv0).
    V0,
}

impl TvTable {
    /// Value length (without the type octet) of a TV IE, or `None` for an unassigned TV type.
    pub const fn tv_len(self, t: u8) -> Option<usize> {
        match self {
            TvTable::V1 => match t {
                1 => Some(1),
                2 => Some(8),
                3 => Some(6),
                4 | 5 => Some(4),
                8 => Some(1),
                9 => Some(28),
                11 => Some(1),
                12 => Some(3),
                13..=15 => Some(1),
                16 | 17 => Some(4),
                18 => Some(5),
                19..=21 => Some(1),
                22 => Some(9),
                23 | 24 => Some(1),
                25..=28 => Some(2),
                29 => Some(1),
                127 => Some(4),
                _ => None,
            },
            TvTable::Prime => match t {
                1 | 14 | 126 => Some(1),
                127 => Some(4),
                _ => None,
            },
            TvTable::V0 => match t {
                1 => Some(1),
                2 => Some(8),
                3 => Some(6),
                4 | 5 => Some(4),
                6 => Some(3),
                8 => Some(1),
                9 => Some(28),
                11 => Some(1),
                12 => Some(3),
                13..=15 => Some(1),
                16 | 17 => Some(2),
                18 => Some(3),
                19 => Some(1),
                127 => Some(4),
                _ => None,
            },
        }
    }
}

/// A zero-copy view of one GTPv1 message (header checked once; accessors cannot fail).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct V1Slice<'a> {
    data: &'a [u8],
    flags: u8,
    msg_type: MsgType,
    length: u16,
    teid: u32,
    opt: Option<[u8; 4]>,
    opt_truncated: bool,
    body_start: usize,
    end: usize,
    ext_error: Option<Error>,
    ext_count: usize,
}

impl<'a> V1Slice<'a> {
    /// Check the mandatory header (8 bytes, version 1). The optional part and extension headers
    /// are read when present; when the flags announce them but bytes are missing the slice is
    /// still returned and [`V1Slice::validate`] reports it.
    #[inline]
    pub fn from_slice(data: &'a [u8]) -> Result<V1Slice<'a>, Error> {
        let (fl, ty, length, teid) = match data {
            [f, t, l0, l1, a, b, c, d, ..] => (
                *f,
                *t,
                u16::from_be_bytes([*l0, *l1]),
                u32::from_be_bytes([*a, *b, *c, *d]),
            ),
            _ => return Err(Error::len(L, HEADER_LEN, data.len(), 0)),
        };
        if fl >> 5 != 1 {
            return Err(Error::value(L, "GTPv1 version", u64::from(fl >> 5), 0));
        }
        let end = (HEADER_LEN + usize::from(length)).min(data.len());
        let mut s = V1Slice {
            data,
            flags: fl,
            msg_type: MsgType(ty),
            length,
            teid,
            opt: None,
            opt_truncated: false,
            body_start: HEADER_LEN.min(end),
            end,
            ext_error: None,
            ext_count: 0,
        };
        if fl & (flags::E | flags::S | flags::PN) != 0 {
            // The optional part belongs to the message: a length field below 4 leaves it out
            // (as Wireshark reads it), and so does a datagram that ends early.
            let opt = if usize::from(length) >= OPT_HEADER_LEN {
                data.get(HEADER_LEN..HEADER_LEN + OPT_HEADER_LEN)
            } else {
                None
            };
            match opt {
                Some(&[a, b, c, d]) => {
                    s.opt = Some([a, b, c, d]);
                    s.body_start =
                        (HEADER_LEN + OPT_HEADER_LEN).min(end.max(HEADER_LEN + OPT_HEADER_LEN));
                }
                _ => {
                    s.opt_truncated = true;
                    s.body_start = end;
                }
            }
        }
        if s.opt.is_some() && fl & flags::E != 0 {
            let mut it = s.ext_headers();
            let mut count = 0;
            for r in it.by_ref() {
                match r {
                    Ok(_) => count += 1,
                    Err(e) => {
                        s.ext_error = Some(e);
                        break;
                    }
                }
            }
            s.ext_count = count;
            s.body_start = it.pos;
        }
        if s.body_start > s.end {
            s.end = s.body_start.min(data.len());
        }
        Ok(s)
    }

    /// Every byte given to [`V1Slice::from_slice`] (including trailing bytes).
    pub const fn datagram(&self) -> &'a [u8] {
        self.data
    }

    /// The flags octet.
    pub const fn flags(&self) -> u8 {
        self.flags
    }
    /// Protocol type bit (1 = GTP).
    pub const fn pt(&self) -> bool {
        self.flags & flags::PT != 0
    }
    /// E flag.
    pub const fn e(&self) -> bool {
        self.flags & flags::E != 0
    }
    /// S flag.
    pub const fn s(&self) -> bool {
        self.flags & flags::S != 0
    }
    /// PN flag.
    pub const fn pn(&self) -> bool {
        self.flags & flags::PN != 0
    }
    /// Message type.
    pub const fn message_type(&self) -> MsgType {
        self.msg_type
    }
    /// The length field (bytes after the 8-byte mandatory header).
    pub const fn length(&self) -> u16 {
        self.length
    }
    /// Tunnel endpoint identifier.
    pub const fn teid(&self) -> u32 {
        self.teid
    }
    /// Sequence number, when the S flag says it is meaningful.
    pub fn sequence(&self) -> Option<u16> {
        if self.s() {
            self.raw_sequence()
        } else {
            None
        }
    }
    /// The sequence-number field whenever the optional header is present (as Wireshark shows it).
    pub fn raw_sequence(&self) -> Option<u16> {
        self.opt.map(|[a, b, _, _]| u16::from_be_bytes([a, b]))
    }
    /// N-PDU number, when the PN flag says it is meaningful.
    pub fn npdu(&self) -> Option<u8> {
        match self.opt {
            Some([_, _, n, _]) if self.pn() => Some(n),
            _ => None,
        }
    }
    /// The next-extension-header-type field of the optional header.
    pub fn next_ext_type(&self) -> Option<ExtHeaderType> {
        self.opt.map(|[_, _, _, t]| ExtHeaderType(t))
    }
    /// The flags announce the optional part but the datagram ends before it.
    pub const fn is_header_truncated(&self) -> bool {
        self.opt_truncated
    }
    /// Number of extension headers read.
    pub const fn ext_header_count(&self) -> usize {
        self.ext_count
    }
    /// The error that stopped the extension header walk, if any.
    pub const fn ext_header_error(&self) -> Option<Error> {
        self.ext_error
    }
    /// Iterate over the extension header chain.
    pub fn ext_headers(&self) -> ExtHeaderIter<'a> {
        let next = match (self.e(), self.opt) {
            (true, Some([_, _, _, t])) => t,
            _ => 0,
        };
        ExtHeaderIter {
            data: self
                .data
                .get(
                    ..self
                        .end
                        .max(HEADER_LEN + OPT_HEADER_LEN)
                        .min(self.data.len()),
                )
                .unwrap_or(&[]),
            pos: HEADER_LEN + OPT_HEADER_LEN,
            next,
            count: 0,
        }
    }
    /// Offset of the body (IEs or T-PDU) within the datagram.
    pub const fn body_offset(&self) -> usize {
        self.body_start
    }
    /// The body: IEs for signalling messages, the T-PDU for a G-PDU.
    pub fn body(&self) -> &'a [u8] {
        self.data.get(self.body_start..self.end).unwrap_or(&[])
    }
    /// The whole message as the length field delimits it (clipped to the datagram).
    pub fn message(&self) -> &'a [u8] {
        self.data.get(..self.end).unwrap_or(self.data)
    }
    /// Bytes after the message (the datagram is longer than the length field says).
    pub fn trailing(&self) -> &'a [u8] {
        self.data.get(self.end..).unwrap_or(&[])
    }
    /// The datagram is shorter than the length field says.
    pub fn is_truncated(&self) -> bool {
        HEADER_LEN + usize::from(self.length) > self.data.len()
    }
    /// Iterate over the IEs (not for G-PDU, whose body is user data).
    pub fn ies(&self) -> IeIter<'a> {
        IeIter::new(self.body(), self.body_start, TvTable::V1)
    }
    /// True for a G-PDU (user data).
    pub fn is_gpdu(&self) -> bool {
        self.msg_type == MsgType::G_PDU
    }
}
