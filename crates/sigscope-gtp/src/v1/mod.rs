//! GTPv1-C (3GPP TS 29.060) and GTPv1-U (TS 29.281): header, extension header chain,
//! information elements (TV fixed-length table and TLV), typed IE values, validation, emit.

use std::net::IpAddr;

use sigscope_core::digits::{tbcd, Digits};
use sigscope_core::error::be_u16;
use sigscope_core::{open_enum, Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::common::{ip_from, need, u16_at, u32_at, u8_at, Labels, Pco, PlmnId, Tft};

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

open_enum! {
    /// GTP-U extension header types (TS 29.281 5.2.1, TS 29.060 6.1).
    pub struct ExtHeaderType(u8) {
        NO_MORE = 0x00 => "no_more_extension_headers",
        MBMS_SUPPORT_INDICATION = 0x01 => "mbms_support_indication",
        MS_INFO_CHANGE_REPORTING_SUPPORT = 0x02 => "ms_info_change_reporting_support_indication",
        LONG_PDCP_PDU_NUMBER_R16 = 0x03 => "long_pdcp_pdu_number",
        SERVICE_CLASS_INDICATOR = 0x20 => "service_class_indicator",
        UDP_PORT = 0x40 => "udp_port",
        RAN_CONTAINER = 0x81 => "ran_container",
        LONG_PDCP_PDU_NUMBER = 0x82 => "long_pdcp_pdu_number",
        XW_RAN_CONTAINER = 0x83 => "xw_ran_container",
        NR_RAN_CONTAINER = 0x84 => "nr_ran_container",
        PDU_SESSION_CONTAINER = 0x85 => "pdu_session_container",
        PDCP_PDU_NUMBER = 0xc0 => "pdcp_pdu_number",
        SUSPEND_REQUEST = 0xc1 => "suspend_request",
        SUSPEND_RESPONSE = 0xc2 => "suspend_response",
    }
}

impl ExtHeaderType {
    /// The two top bits say whether the receiver must understand the header (TS 29.281 5.2.1):
    /// 10 = required at the endpoint, 11 = required at every node.
    pub const fn comprehension_required(self) -> bool {
        self.0 & 0x80 != 0
    }
}

open_enum! {
    /// GTPv1 information element types (TS 29.060 7.7, Table 37; GTP' TS 32.295).
    pub struct IeType(u8) {
        CAUSE = 1 => "cause",
        IMSI = 2 => "imsi",
        RAI = 3 => "routeing_area_identity",
        TLLI = 4 => "tlli",
        P_TMSI = 5 => "p_tmsi",
        REORDERING_REQUIRED = 8 => "reordering_required",
        AUTHENTICATION_TRIPLET = 9 => "authentication_triplet",
        MAP_CAUSE = 11 => "map_cause",
        P_TMSI_SIGNATURE = 12 => "p_tmsi_signature",
        MS_VALIDATED = 13 => "ms_validated",
        RECOVERY = 14 => "recovery",
        SELECTION_MODE = 15 => "selection_mode",
        TEID_DATA_I = 16 => "teid_data_i",
        TEID_C_PLANE = 17 => "teid_c_plane",
        TEID_DATA_II = 18 => "teid_data_ii",
        TEARDOWN_IND = 19 => "teardown_ind",
        NSAPI = 20 => "nsapi",
        RANAP_CAUSE = 21 => "ranap_cause",
        RAB_CONTEXT = 22 => "rab_context",
        RADIO_PRIORITY_SMS = 23 => "radio_priority_sms",
        RADIO_PRIORITY = 24 => "radio_priority",
        PACKET_FLOW_ID = 25 => "packet_flow_id",
        CHARGING_CHARACTERISTICS = 26 => "charging_characteristics",
        TRACE_REFERENCE = 27 => "trace_reference",
        TRACE_TYPE = 28 => "trace_type",
        MS_NOT_REACHABLE_REASON = 29 => "ms_not_reachable_reason",
        PACKET_TRANSFER_COMMAND = 126 => "packet_transfer_command",
        CHARGING_ID = 127 => "charging_id",
        END_USER_ADDRESS = 128 => "end_user_address",
        MM_CONTEXT = 129 => "mm_context",
        PDP_CONTEXT = 130 => "pdp_context",
        APN = 131 => "apn",
        PCO = 132 => "protocol_configuration_options",
        GSN_ADDRESS = 133 => "gsn_address",
        MSISDN = 134 => "msisdn",
        QOS_PROFILE = 135 => "qos_profile",
        AUTHENTICATION_QUINTUPLET = 136 => "authentication_quintuplet",
        TFT = 137 => "traffic_flow_template",
        TARGET_IDENTIFICATION = 138 => "target_identification",
        UTRAN_TRANSPARENT_CONTAINER = 139 => "utran_transparent_container",
        RAB_SETUP_INFORMATION = 140 => "rab_setup_information",
        EXTENSION_HEADER_TYPE_LIST = 141 => "extension_header_type_list",
        TRIGGER_ID = 142 => "trigger_id",
        OMC_IDENTITY = 143 => "omc_identity",
        RAN_TRANSPARENT_CONTAINER = 144 => "ran_transparent_container",
        PDP_CONTEXT_PRIORITIZATION = 145 => "pdp_context_prioritization",
        ADDITIONAL_RAB_SETUP_INFORMATION = 146 => "additional_rab_setup_information",
        SGSN_NUMBER = 147 => "sgsn_number",
        COMMON_FLAGS = 148 => "common_flags",
        APN_RESTRICTION = 149 => "apn_restriction",
        RADIO_PRIORITY_LCS = 150 => "radio_priority_lcs",
        RAT_TYPE = 151 => "rat_type",
        USER_LOCATION_INFORMATION = 152 => "user_location_information",
        MS_TIME_ZONE = 153 => "ms_time_zone",
        IMEI_SV = 154 => "imei_sv",
        CAMEL_CHARGING_INFORMATION_CONTAINER = 155 => "camel_charging_information_container",
        MBMS_UE_CONTEXT = 156 => "mbms_ue_context",
        TMGI = 157 => "tmgi",
        RIM_ROUTING_ADDRESS = 158 => "rim_routing_address",
        MBMS_PCO = 159 => "mbms_protocol_configuration_options",
        MBMS_SERVICE_AREA = 160 => "mbms_service_area",
        SOURCE_RNC_PDCP_CONTEXT_INFO = 161 => "source_rnc_pdcp_context_info",
        ADDITIONAL_TRACE_INFO = 162 => "additional_trace_info",
        HOP_COUNTER = 163 => "hop_counter",
        SELECTED_PLMN_ID = 164 => "selected_plmn_id",
        MBMS_SESSION_IDENTIFIER = 165 => "mbms_session_identifier",
        MBMS_2G3G_INDICATOR = 166 => "mbms_2g_3g_indicator",
        ENHANCED_NSAPI = 167 => "enhanced_nsapi",
        MBMS_SESSION_DURATION = 168 => "mbms_session_duration",
        ADDITIONAL_MBMS_TRACE_INFO = 169 => "additional_mbms_trace_info",
        MBMS_SESSION_REPETITION_NUMBER = 170 => "mbms_session_repetition_number",
        MBMS_TIME_TO_DATA_TRANSFER = 171 => "mbms_time_to_data_transfer",
        BSS_CONTAINER = 173 => "bss_container",
        CELL_IDENTIFICATION = 174 => "cell_identification",
        PDU_NUMBERS = 175 => "pdu_numbers",
        BSSGP_CAUSE = 176 => "bssgp_cause",
        REQUIRED_MBMS_BEARER_CAPABILITIES = 177 => "required_mbms_bearer_capabilities",
        RIM_ROUTING_ADDRESS_DISCRIMINATOR = 178 => "rim_routing_address_discriminator",
        LIST_OF_SET_UP_PFCS = 179 => "list_of_set_up_pfcs",
        PS_HANDOVER_XID_PARAMETERS = 180 => "ps_handover_xid_parameters",
        MS_INFO_CHANGE_REPORTING_ACTION = 181 => "ms_info_change_reporting_action",
        DIRECT_TUNNEL_FLAGS = 182 => "direct_tunnel_flags",
        CORRELATION_ID = 183 => "correlation_id",
        BEARER_CONTROL_MODE = 184 => "bearer_control_mode",
        MBMS_FLOW_IDENTIFIER = 185 => "mbms_flow_identifier",
        MBMS_IP_MULTICAST_DISTRIBUTION = 186 => "mbms_ip_multicast_distribution",
        MBMS_DISTRIBUTION_ACKNOWLEDGEMENT = 187 => "mbms_distribution_acknowledgement",
        RELIABLE_INTER_RAT_HANDOVER_INFO = 188 => "reliable_inter_rat_handover_info",
        RFSP_INDEX = 189 => "rfsp_index",
        FQDN = 190 => "fqdn",
        EVOLVED_ARP_I = 191 => "evolved_allocation_retention_priority_i",
        EVOLVED_ARP_II = 192 => "evolved_allocation_retention_priority_ii",
        EXTENDED_COMMON_FLAGS = 193 => "extended_common_flags",
        USER_CSG_INFORMATION = 194 => "user_csg_information",
        CSG_INFORMATION_REPORTING_ACTION = 195 => "csg_information_reporting_action",
        CSG_ID = 196 => "csg_id",
        CSG_MEMBERSHIP_INDICATION = 197 => "csg_membership_indication",
        APN_AMBR = 198 => "apn_ambr",
        UE_NETWORK_CAPABILITY = 199 => "ue_network_capability",
        UE_AMBR = 200 => "ue_ambr",
        APN_AMBR_WITH_NSAPI = 201 => "apn_ambr_with_nsapi",
        GGSN_BACK_OFF_TIME = 202 => "ggsn_back_off_time",
        SIGNALLING_PRIORITY_INDICATION = 203 => "signalling_priority_indication",
        SIGNALLING_PRIORITY_INDICATION_WITH_NSAPI = 204 => "signalling_priority_indication_with_nsapi",
        HIGHER_BITRATES_THAN_16MBPS_FLAG = 205 => "higher_bitrates_than_16mbps_flag",
        ADDITIONAL_MM_CONTEXT_FOR_SRVCC = 207 => "additional_mm_context_for_srvcc",
        ADDITIONAL_FLAGS_FOR_SRVCC = 208 => "additional_flags_for_srvcc",
        STN_SR = 209 => "stn_sr",
        C_MSISDN = 210 => "c_msisdn",
        EXTENDED_RANAP_CAUSE = 211 => "extended_ranap_cause",
        ENODEB_ID = 212 => "enodeb_id",
        SELECTION_MODE_WITH_NSAPI = 213 => "selection_mode_with_nsapi",
        ULI_TIMESTAMP = 214 => "uli_timestamp",
        LHN_ID_WITH_NSAPI = 215 => "lhn_id_with_nsapi",
        CN_OPERATOR_SELECTION_ENTITY = 216 => "cn_operator_selection_entity",
        UE_USAGE_TYPE = 217 => "ue_usage_type",
        EXTENDED_COMMON_FLAGS_II = 218 => "extended_common_flags_ii",
        NODE_IDENTIFIER = 219 => "node_identifier",
        CIOT_OPTIMIZATIONS_SUPPORT_INDICATION = 220 => "ciot_optimizations_support_indication",
        SCEF_PDN_CONNECTION = 221 => "scef_pdn_connection",
        IOV_UPDATES_COUNTER = 222 => "iov_updates_counter",
        MAPPED_UE_USAGE_TYPE = 223 => "mapped_ue_usage_type",
        UP_FUNCTION_SELECTION_INDICATION_FLAGS = 224 => "up_function_selection_indication_flags",
        IE_TYPE_EXTENSION = 238 => "ie_type_extension",
        SEQUENCE_NUMBERS_OF_RELEASED_PACKETS = 249 => "sequence_numbers_of_released_packets",
        SEQUENCE_NUMBERS_OF_CANCELLED_PACKETS = 250 => "sequence_numbers_of_cancelled_packets",
        CHARGING_GATEWAY_ADDRESS = 251 => "charging_gateway_address",
        DATA_RECORD_PACKET = 252 => "data_record_packet",
        REQUESTS_RESPONDED = 253 => "requests_responded",
        ADDRESS_OF_RECOMMENDED_NODE = 254 => "address_of_recommended_node",
        PRIVATE_EXTENSION = 255 => "private_extension",
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

/// One extension header.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExtHeader<'a> {
    /// Its type (from the previous next-type field).
    pub ext_type: ExtHeaderType,
    /// Offset of its length octet within the datagram.
    pub offset: usize,
    /// Content between the length octet and the next-type octet.
    pub content: &'a [u8],
    /// The next extension header type it announces.
    pub next: ExtHeaderType,
}

/// Decoded content of the common extension headers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExtValue<'a> {
    /// UDP Port (of the source of an Error Indication trigger).
    UdpPort(u16),
    /// PDCP PDU number.
    PdcpPduNumber(u16),
    /// Long PDCP PDU number (18 bits).
    LongPdcpPduNumber(u32),
    /// Service class indicator.
    ServiceClassIndicator(u8),
    /// PDU Session Container (TS 38.415): PDU type (0 DL, 1 UL) and QFI.
    PduSessionContainer {
        /// PDU type.
        pdu_type: u8,
        /// QoS flow identifier.
        qfi: u8,
        /// Reflective QoS indicator (DL) / spare.
        rqi: bool,
    },
    /// RAN / Xw / NR RAN container and anything else: raw.
    Raw(&'a [u8]),
}

impl<'a> ExtHeader<'a> {
    /// Decode the content of the header types that have a fixed layout.
    pub fn value(&self) -> ExtValue<'a> {
        match (self.ext_type, self.content) {
            (ExtHeaderType::UDP_PORT, [a, b]) => ExtValue::UdpPort(u16::from_be_bytes([*a, *b])),
            (ExtHeaderType::PDCP_PDU_NUMBER, [a, b]) => {
                ExtValue::PdcpPduNumber(u16::from_be_bytes([*a, *b]))
            }
            (
                ExtHeaderType::LONG_PDCP_PDU_NUMBER | ExtHeaderType::LONG_PDCP_PDU_NUMBER_R16,
                [a, b, c, ..],
            ) => ExtValue::LongPdcpPduNumber(u32::from_be_bytes([0, *a & 0x03, *b, *c])),
            (ExtHeaderType::SERVICE_CLASS_INDICATOR, [a, ..]) => {
                ExtValue::ServiceClassIndicator(*a)
            }
            (ExtHeaderType::PDU_SESSION_CONTAINER, [a, b, ..]) => ExtValue::PduSessionContainer {
                pdu_type: a >> 4,
                qfi: b & 0x3f,
                rqi: b & 0x40 != 0,
            },
            _ => ExtValue::Raw(self.content),
        }
    }
}

/// Iterator over the extension header chain.
#[derive(Clone, Debug)]
pub struct ExtHeaderIter<'a> {
    data: &'a [u8],
    pos: usize,
    next: u8,
    count: usize,
}

impl<'a> Iterator for ExtHeaderIter<'a> {
    type Item = Result<ExtHeader<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.next == 0 {
            return None;
        }
        let ty = self.next;
        self.next = 0;
        if self.count >= MAX_EXT_HEADERS {
            return Some(Err(Error::Limit {
                layer: L,
                what: "extension headers",
                limit: MAX_EXT_HEADERS,
                offset: self.pos,
            }));
        }
        self.count += 1;
        let units = match self.data.get(self.pos) {
            Some(&u) => usize::from(u),
            None => return Some(Err(Error::len(L, 1, 0, self.pos))),
        };
        if units == 0 {
            return Some(Err(Error::value(L, "extension header length", 0, self.pos)));
        }
        let total = units * 4;
        let Some(h) = self.data.get(self.pos..self.pos + total) else {
            return Some(Err(Error::len(
                L,
                total,
                self.data.len().saturating_sub(self.pos),
                self.pos,
            )));
        };
        let content = h.get(1..total - 1).unwrap_or(&[]);
        let next = h.last().copied().unwrap_or(0);
        let off = self.pos;
        self.pos += total;
        self.next = next;
        Some(Ok(ExtHeader {
            ext_type: ExtHeaderType(ty),
            offset: off,
            content,
            next: ExtHeaderType(next),
        }))
    }
}

/// One GTPv1 IE (TV or TLV), borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ie<'a> {
    /// IE type.
    pub ie_type: IeType,
    /// Offset of the type octet within the datagram.
    pub offset: usize,
    /// Value bytes (without type and length).
    pub value: &'a [u8],
    /// TLV (type >= 128) rather than TV.
    pub tlv: bool,
    /// The numbering it was read with: GTPv1, GTP' or GTPv0 (for [`Ie::name`], [`Ie::decode`]).
    pub table: TvTable,
}

/// Iterator over GTPv1 (or GTP' / GTPv0) IEs; stops after the first error.
#[derive(Clone, Debug)]
pub struct IeIter<'a> {
    data: &'a [u8],
    pos: usize,
    base: usize,
    table: TvTable,
    count: usize,
    done: bool,
}

impl<'a> IeIter<'a> {
    /// Walk `data` (IE bytes) whose first byte is at `base` within the datagram.
    pub const fn new(data: &'a [u8], base: usize, table: TvTable) -> Self {
        IeIter {
            data,
            pos: 0,
            base,
            table,
            count: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for IeIter<'a> {
    type Item = Result<Ie<'a>, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.data.get(self.pos..).unwrap_or(&[]);
        let (&t, tail) = rest.split_first()?;
        let off = self.base + self.pos;
        if self.count >= MAX_IES {
            self.done = true;
            return Some(Err(Error::Limit {
                layer: L,
                what: "IEs per message",
                limit: MAX_IES,
                offset: off,
            }));
        }
        self.count += 1;
        let (len, hdr) = if t == IeType::EXTENSION_HEADER_TYPE_LIST.0 {
            match tail.first() {
                Some(&l) => (usize::from(l), 2),
                None => {
                    self.done = true;
                    return Some(Err(Error::len(L, 2, rest.len(), off)));
                }
            }
        } else if t >= 128 {
            match be_u16(tail, 0, L) {
                Ok(l) => (usize::from(l), 3),
                Err(_) => {
                    self.done = true;
                    return Some(Err(Error::len(L, 3, rest.len(), off)));
                }
            }
        } else {
            match self.table.tv_len(t) {
                Some(l) => (l, 1),
                None => {
                    self.done = true;
                    return Some(Err(Error::value(
                        L,
                        "unassigned TV IE type",
                        u64::from(t),
                        off,
                    )));
                }
            }
        };
        match rest.get(hdr..hdr + len) {
            Some(value) => {
                self.pos += hdr + len;
                Some(Ok(Ie {
                    ie_type: IeType(t),
                    offset: off,
                    value,
                    tlv: t >= 128,
                    table: self.table,
                }))
            }
            None => {
                self.done = true;
                Some(Err(Error::len(L, hdr + len, rest.len(), off)))
            }
        }
    }
}

/// User Location Information (TS 29.060 7.7.51).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Uli {
    /// Geographic location type: 0 CGI, 1 SAI, 2 RAI.
    pub location_type: u8,
    /// PLMN.
    pub plmn: PlmnId,
    /// Location area code.
    pub lac: u16,
    /// CI (CGI), SAC (SAI) or RAC (RAI, in the high octet).
    pub id: u16,
}

/// End User Address (TS 29.060 7.7.27).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct EndUserAddress {
    /// PDP type organisation (0 ETSI, 1 IETF).
    pub organisation: u8,
    /// PDP type number (IETF: 0x21 IPv4, 0x57 IPv6, 0x8d IPv4v6; ETSI: 1 PPP).
    pub pdp_type: u8,
    /// The IPv4 (or only) address, when one is allocated.
    pub addr: Option<IpAddr>,
    /// The IPv6 address of an IPv4v6 allocation.
    pub addr2: Option<IpAddr>,
}

/// Evolved Allocation/Retention Priority (TS 29.060 7.7.91 / TS 29.274 8.86).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Arp {
    /// Pre-emption capability (PCI): true = may not pre-empt.
    pub pci: bool,
    /// Priority level (1-15).
    pub pl: u8,
    /// Pre-emption vulnerability (PVI).
    pub pvi: bool,
}

impl Arp {
    /// Decode the ARP octet.
    pub const fn from_octet(b: u8) -> Arp {
        Arp {
            pci: b & 0x40 != 0,
            pl: (b >> 2) & 0x0f,
            pvi: b & 0x01 != 0,
        }
    }
}

/// Typed value of a GTPv1 IE.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum V1Value<'a> {
    /// Cause (1).
    Cause(u8),
    /// IMSI (2), TBCD.
    Imsi(Digits),
    /// Routeing Area Identity (3).
    Rai {
        /// PLMN.
        plmn: PlmnId,
        /// LAC.
        lac: u16,
        /// RAC.
        rac: u8,
    },
    /// TLLI (4).
    Tlli(u32),
    /// P-TMSI (5).
    PTmsi(u32),
    /// Reordering Required (8).
    ReorderingRequired(bool),
    /// MAP Cause (11).
    MapCause(u8),
    /// P-TMSI Signature (12).
    PTmsiSignature(u32),
    /// MS Validated (13).
    MsValidated(bool),
    /// Recovery restart counter (14).
    Recovery(u8),
    /// Selection mode (15, 2 bits).
    SelectionMode(u8),
    /// TEID Data I (16).
    TeidDataI(u32),
    /// TEID C-plane (17).
    TeidCPlane(u32),
    /// TEID Data II (18).
    TeidDataII {
        /// NSAPI.
        nsapi: u8,
        /// TEID.
        teid: u32,
    },
    /// Teardown Ind (19).
    TeardownInd(bool),
    /// NSAPI (20) / Enhanced NSAPI (167).
    Nsapi(u8),
    /// RANAP Cause (21).
    RanapCause(u8),
    /// Radio priority SMS (23) / Radio priority (24) / Radio priority LCS (150).
    RadioPriority(u8),
    /// Packet Flow Id (25).
    PacketFlowId {
        /// NSAPI.
        nsapi: u8,
        /// PFI.
        pfi: u8,
    },
    /// Charging characteristics (26).
    ChargingCharacteristics(u16),
    /// Trace reference (27).
    TraceReference(u16),
    /// Trace type (28).
    TraceType(u16),
    /// MS not reachable reason (29).
    MsNotReachableReason(u8),
    /// Packet transfer command (GTP' 126).
    PacketTransferCommand(u8),
    /// Charging ID (127).
    ChargingId(u32),
    /// End user address (128).
    EndUserAddress(EndUserAddress),
    /// APN (131).
    Apn(Labels<'a>),
    /// Protocol configuration options (132) / MBMS PCO (159).
    Pco(Pco<'a>),
    /// GSN address (133), charging gateway address (251), address of recommended node (254).
    Address(IpAddr),
    /// MSISDN (134), SGSN number (147), C-MSISDN (210): address-type octet + TBCD digits.
    Msisdn {
        /// Extension / nature of address / numbering plan octet.
        ton_npi: u8,
        /// Digits.
        digits: Digits,
    },
    /// QoS profile (135): allocation/retention priority + TS 24.008 QoS octets.
    QosProfile {
        /// Allocation/retention priority.
        arp: u8,
        /// QoS profile data (from octet 3 of TS 24.008 10.5.6.5).
        data: &'a [u8],
    },
    /// Traffic flow template (137).
    Tft(Tft<'a>),
    /// Trigger Id (142), OMC identity (143): octet strings.
    Text(&'a [u8]),
    /// Common flags (148), direct tunnel flags (182), extended common flags (193, 218),
    /// signalling priority indication (203), MS Info change reporting action (181), ...
    Flags(u8),
    /// APN restriction (149).
    ApnRestriction(u8),
    /// RAT type (151).
    RatType(u8),
    /// User location information (152).
    Uli(Uli),
    /// MS time zone (153).
    MsTimeZone {
        /// Time zone octet (TS 24.008 10.5.3.8 encoding).
        tz: u8,
        /// Daylight saving adjustment (0-2 hours).
        dst: u8,
    },
    /// IMEI(SV) (154), TBCD.
    Imei(Digits),
    /// Hop counter (163).
    HopCounter(u8),
    /// Selected PLMN ID (164).
    Plmn(PlmnId),
    /// FQDN (190).
    Fqdn(Labels<'a>),
    /// Evolved ARP I (191).
    EvolvedArp(Arp),
    /// Evolved ARP II (192): NSAPI + ARP.
    EvolvedArpII {
        /// NSAPI.
        nsapi: u8,
        /// ARP.
        arp: Arp,
    },
    /// CSG ID (196), 27 bits.
    CsgId(u32),
    /// APN-AMBR (198), kbps.
    ApnAmbr {
        /// Uplink.
        ul: u32,
        /// Downlink.
        dl: u32,
    },
    /// UE-AMBR (200), kbps.
    UeAmbr {
        /// Subscribed uplink.
        ul: u32,
        /// Subscribed downlink.
        dl: u32,
        /// Authorized uplink/downlink when present.
        authorized: Option<(u32, u32)>,
    },
    /// APN-AMBR with NSAPI (201).
    ApnAmbrWithNsapi {
        /// NSAPI.
        nsapi: u8,
        /// Authorized uplink.
        ul: u32,
        /// Authorized downlink.
        dl: u32,
    },
    /// UE usage type (217).
    UeUsageType(u32),
    /// Extension header type list (141).
    ExtHeaderTypes(&'a [u8]),
    /// GTPv0 Quality of Service Profile (GSM 09.60 7.9.6): GSM 04.08 QoS octets 3-5.
    QosProfileV0 {
        /// Delay class (3 bits).
        delay_class: u8,
        /// Reliability class (3 bits).
        reliability_class: u8,
        /// Peak throughput (4 bits).
        peak_throughput: u8,
        /// Precedence class (3 bits).
        precedence_class: u8,
        /// Mean throughput (5 bits).
        mean_throughput: u8,
    },
    /// GTPv0 Flow Label Data I (16) / Flow Label Signalling (17) (GSM 09.60 7.9.13, 7.9.14).
    FlowLabel(u16),
    /// GTPv0 Flow Label Data II (18): NSAPI + flow label (GSM 09.60 7.9.15).
    FlowLabelDataII {
        /// NSAPI.
        nsapi: u8,
        /// Flow label.
        flow_label: u16,
    },
    /// Requests responded (GTP' 253): sequence numbers.
    SequenceNumbers(&'a [u8]),
    /// Data record packet (GTP' 252).
    DataRecordPacket {
        /// Number of data records.
        records: u8,
        /// Data record format.
        format: u8,
        /// Records, undecoded.
        data: &'a [u8],
    },
    /// Private extension (255).
    PrivateExtension {
        /// IANA enterprise number.
        enterprise: u16,
        /// Proprietary value.
        value: &'a [u8],
    },
    /// An IE whose value is not decoded further.
    Raw(&'a [u8]),
}

fn one(v: &[u8]) -> Result<u8, Error> {
    u8_at(v, 0)
}

fn digits_checked(v: &[u8]) -> Result<Digits, Error> {
    need(v, 1)?;
    Ok(tbcd(v))
}

/// Name of a GTPv0 IE type (GSM 09.60 7.9), `None` for a type GSM 09.60 does not assign.
/// Types 1-15 and the TLV types it has share the GTPv1 names; 6 and 16-19 are its own.
pub fn v0_ie_name(t: u8) -> Option<&'static str> {
    match t {
        6 => Some("quality_of_service_profile"),
        16 => Some("flow_label_data_i"),
        17 => Some("flow_label_signalling"),
        18 => Some("flow_label_data_ii"),
        19 => Some("ms_not_reachable_reason"),
        1..=5 | 8 | 9 | 11..=15 | 127..=134 | 251 | 255 => IeType(t).name(),
        _ => None,
    }
}

impl<'a> Ie<'a> {
    /// Name of the IE type in the numbering it was read with (GTPv0 has its own for a few).
    pub fn name(&self) -> Option<&'static str> {
        match self.table {
            TvTable::V0 => v0_ie_name(self.ie_type.0),
            TvTable::V1 | TvTable::Prime => self.ie_type.name(),
        }
    }

    /// Decode the value by type: GTPv1 / GTP' meaning, or GSM 09.60 for an IE of a GTPv0
    /// message (where types 6 and 16-19 mean something else and the later GTPv1 types do
    /// not exist: those stay raw).
    pub fn decode(&self) -> Result<V1Value<'a>, Error> {
        if self.table == TvTable::V0 {
            return self.decode_v0();
        }
        self.decode_v1()
    }

    fn decode_v0(&self) -> Result<V1Value<'a>, Error> {
        let v = self.value;
        Ok(match self.ie_type.0 {
            6 => match v {
                [a, b, c] => V1Value::QosProfileV0 {
                    delay_class: (a >> 3) & 0x07,
                    reliability_class: a & 0x07,
                    peak_throughput: b >> 4,
                    precedence_class: b & 0x07,
                    mean_throughput: c & 0x1f,
                },
                _ => return Err(Error::len(L, 3, v.len(), self.offset)),
            },
            16 | 17 => V1Value::FlowLabel(u16_at(v, 0)?),
            18 => V1Value::FlowLabelDataII {
                nsapi: one(v)? & 0x0f,
                flow_label: u16_at(v, 1)?,
            },
            19 => V1Value::MsNotReachableReason(one(v)?),
            t if v0_ie_name(t).is_some() => self.decode_v1()?,
            _ => V1Value::Raw(v),
        })
    }

    fn decode_v1(&self) -> Result<V1Value<'a>, Error> {
        let v = self.value;
        Ok(match self.ie_type.0 {
            1 => V1Value::Cause(one(v)?),
            2 => V1Value::Imsi(digits_checked(v)?),
            3 => V1Value::Rai {
                plmn: PlmnId::parse(v)?,
                lac: u16_at(v, 3)?,
                rac: u8_at(v, 5)?,
            },
            4 => V1Value::Tlli(u32_at(v, 0)?),
            5 => V1Value::PTmsi(u32_at(v, 0)?),
            8 => V1Value::ReorderingRequired(one(v)? & 1 != 0),
            11 => V1Value::MapCause(one(v)?),
            12 => V1Value::PTmsiSignature(match v {
                [a, b, c] => u32::from_be_bytes([0, *a, *b, *c]),
                _ => return Err(Error::len(L, 3, v.len(), self.offset)),
            }),
            13 => V1Value::MsValidated(one(v)? & 1 != 0),
            14 => V1Value::Recovery(one(v)?),
            15 => V1Value::SelectionMode(one(v)? & 0x03),
            16 => V1Value::TeidDataI(u32_at(v, 0)?),
            17 => V1Value::TeidCPlane(u32_at(v, 0)?),
            18 => V1Value::TeidDataII {
                nsapi: one(v)? & 0x0f,
                teid: u32_at(v, 1)?,
            },
            19 => V1Value::TeardownInd(one(v)? & 1 != 0),
            20 | 167 => V1Value::Nsapi(one(v)? & 0x0f),
            21 => V1Value::RanapCause(one(v)?),
            23 | 24 | 150 => V1Value::RadioPriority(one(v)? & 0x07),
            25 => V1Value::PacketFlowId {
                nsapi: one(v)? & 0x0f,
                pfi: u8_at(v, 1)? & 0x7f,
            },
            26 => V1Value::ChargingCharacteristics(u16_at(v, 0)?),
            27 => V1Value::TraceReference(u16_at(v, 0)?),
            28 => V1Value::TraceType(u16_at(v, 0)?),
            29 => V1Value::MsNotReachableReason(one(v)?),
            126 => V1Value::PacketTransferCommand(one(v)?),
            127 => V1Value::ChargingId(u32_at(v, 0)?),
            128 => {
                let org = one(v)? & 0x0f;
                let ty = u8_at(v, 1)?;
                let rest = v.get(2..).unwrap_or(&[]);
                let (addr, addr2) = match rest.len() {
                    0 => (None, None),
                    4 | 16 => (ip_from(rest), None),
                    20 => (
                        ip_from(rest.get(..4).unwrap_or(&[])),
                        ip_from(rest.get(4..).unwrap_or(&[])),
                    ),
                    n => {
                        return Err(Error::value(
                            L,
                            "end user address length",
                            n as u64,
                            self.offset,
                        ))
                    }
                };
                V1Value::EndUserAddress(EndUserAddress {
                    organisation: org,
                    pdp_type: ty,
                    addr,
                    addr2,
                })
            }
            131 => V1Value::Apn(Labels::new(v)),
            132 | 159 => V1Value::Pco(Pco::parse(v)?),
            133 | 251 | 254 => {
                // 4/16 bytes, or address type + length prefix (5/17) as some nodes send.
                let a = ip_from(v).or_else(|| ip_from(v.get(1..).unwrap_or(&[])));
                V1Value::Address(a.ok_or(Error::value(
                    L,
                    "address length",
                    v.len() as u64,
                    self.offset,
                ))?)
            }
            134 | 147 | 210 => V1Value::Msisdn {
                ton_npi: one(v)?,
                digits: tbcd(v.get(1..).unwrap_or(&[])),
            },
            135 => V1Value::QosProfile {
                arp: one(v)?,
                data: v.get(1..).unwrap_or(&[]),
            },
            137 => V1Value::Tft(Tft::parse(v)?),
            141 => V1Value::ExtHeaderTypes(v),
            142 | 143 => V1Value::Text(v),
            148 | 181 | 182 | 193 | 203 | 218 | 220 | 224 => V1Value::Flags(one(v)?),
            149 => V1Value::ApnRestriction(one(v)?),
            151 => V1Value::RatType(one(v)?),
            152 => {
                let location_type = one(v)?;
                let plmn = PlmnId::parse(v.get(1..).unwrap_or(&[]))?;
                V1Value::Uli(Uli {
                    location_type,
                    plmn,
                    lac: u16_at(v, 4)?,
                    id: u16_at(v, 6)?,
                })
            }
            153 => V1Value::MsTimeZone {
                tz: one(v)?,
                dst: u8_at(v, 1)? & 0x03,
            },
            154 => V1Value::Imei(digits_checked(v)?),
            163 => V1Value::HopCounter(one(v)?),
            164 => V1Value::Plmn(PlmnId::parse(v)?),
            190 => V1Value::Fqdn(Labels::new(v)),
            191 => V1Value::EvolvedArp(Arp::from_octet(one(v)?)),
            192 => V1Value::EvolvedArpII {
                nsapi: one(v)? & 0x0f,
                arp: Arp::from_octet(u8_at(v, 1)?),
            },
            196 => V1Value::CsgId(u32_at(v, 0)? & 0x07ff_ffff),
            198 => V1Value::ApnAmbr {
                ul: u32_at(v, 0)?,
                dl: u32_at(v, 4)?,
            },
            200 => V1Value::UeAmbr {
                ul: u32_at(v, 0)?,
                dl: u32_at(v, 4)?,
                authorized: match (u32_at(v, 8), u32_at(v, 12)) {
                    (Ok(a), Ok(b)) => Some((a, b)),
                    _ => None,
                },
            },
            201 => V1Value::ApnAmbrWithNsapi {
                nsapi: one(v)? & 0x0f,
                ul: u32_at(v, 1)?,
                dl: u32_at(v, 5)?,
            },
            217 => V1Value::UeUsageType(u32_at(v, 0)?),
            249 | 250 | 253 => V1Value::SequenceNumbers(v),
            252 => V1Value::DataRecordPacket {
                records: one(v)?,
                format: u8_at(v, 1)?,
                data: v.get(2..).unwrap_or(&[]),
            },
            255 => V1Value::PrivateExtension {
                enterprise: u16_at(v, 0)?,
                value: v.get(2..).unwrap_or(&[]),
            },
            _ => V1Value::Raw(v),
        })
    }
}

/// An owned extension header, for [`V1Repr`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExtHeaderRepr {
    /// Type.
    pub ext_type: u8,
    /// Content; its length must be 4n-2 (n >= 1) and at most 1018 bytes.
    pub content: Vec<u8>,
}

/// Octets between the type octet and the value: 2 for a TLV, 1 for the Extension Header Type
/// List (141, whose length is one octet although its type is >= 128: TS 29.060 7.7.40,
/// TS 29.281 8.5), 0 for a TV.
const fn header_len_after_type(t: u8) -> usize {
    if t == IeType::EXTENSION_HEADER_TYPE_LIST.0 {
        1
    } else if t >= 128 {
        2
    } else {
        0
    }
}

/// An owned GTPv1 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IeRepr {
    /// Type (< 128: TV, value length must match the TV table).
    pub ie_type: u8,
    /// Value bytes.
    pub value: Vec<u8>,
}

impl IeRepr {
    /// Raw IE.
    pub fn new(ie_type: u8, value: Vec<u8>) -> Self {
        IeRepr { ie_type, value }
    }
    /// Cause (1).
    pub fn cause(c: u8) -> Self {
        Self::new(1, vec![c])
    }
    /// IMSI (2) from digits (`None` when not 1-16 digits).
    pub fn imsi(digits: &str) -> Option<Self> {
        let mut v = vec![0xffu8; 8];
        if digits.is_empty() || digits.len() > 16 {
            return None;
        }
        sigscope_core::digits::encode_tbcd_into(digits, &mut v)?;
        Some(Self::new(2, v))
    }
    /// Recovery (14).
    pub fn recovery(n: u8) -> Self {
        Self::new(14, vec![n])
    }
    /// TEID Data I (16).
    pub fn teid_data_i(t: u32) -> Self {
        Self::new(16, t.to_be_bytes().to_vec())
    }
    /// TEID C-plane (17).
    pub fn teid_c_plane(t: u32) -> Self {
        Self::new(17, t.to_be_bytes().to_vec())
    }
    /// NSAPI (20).
    pub fn nsapi(n: u8) -> Self {
        Self::new(20, vec![n & 0x0f])
    }
    /// APN (131) from a dotted name.
    pub fn apn(name: &str) -> Option<Self> {
        crate::common::encode_labels(name).map(|v| Self::new(131, v))
    }
    /// GSN address (133).
    pub fn gsn_address(a: IpAddr) -> Self {
        Self::new(
            133,
            match a {
                IpAddr::V4(a) => a.octets().to_vec(),
                IpAddr::V6(a) => a.octets().to_vec(),
            },
        )
    }
    /// MSISDN (134): international E.164, ISDN numbering plan (0x91).
    pub fn msisdn(digits: &str) -> Option<Self> {
        let mut v = vec![0x91];
        v.extend(sigscope_core::digits::encode_tbcd(digits)?);
        Some(Self::new(134, v))
    }
    /// Private extension (255).
    pub fn private_extension(enterprise: u16, value: &[u8]) -> Self {
        let mut v = enterprise.to_be_bytes().to_vec();
        v.extend_from_slice(value);
        Self::new(255, v)
    }
    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        1 + header_len_after_type(self.ie_type) + self.value.len()
    }
    /// Append the encoding. Errors when a TV value has the wrong length or a TLV is too long.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        out.push(self.ie_type);
        if self.ie_type == IeType::EXTENSION_HEADER_TYPE_LIST.0 {
            let len = u8::try_from(self.value.len()).map_err(|_| Error::Limit {
                layer: L,
                what: "extension header type list length",
                limit: 255,
                offset: out.len(),
            })?;
            out.push(len);
        } else if self.ie_type >= 128 {
            let len = u16::try_from(self.value.len()).map_err(|_| Error::Limit {
                layer: L,
                what: "TLV length",
                limit: 65535,
                offset: out.len(),
            })?;
            out.extend_from_slice(&len.to_be_bytes());
        } else if TvTable::V1.tv_len(self.ie_type) != Some(self.value.len()) {
            return Err(Error::value(
                L,
                "TV value length",
                self.value.len() as u64,
                out.len(),
            ));
        }
        out.extend_from_slice(&self.value);
        Ok(())
    }
    /// From a parsed IE.
    pub fn from_ie(ie: &Ie<'_>) -> Self {
        Self::new(ie.ie_type.0, ie.value.to_vec())
    }
}

/// The body of an owned GTPv1 message.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum BodyRepr {
    /// Signalling IEs.
    Ies(Vec<IeRepr>),
    /// User data (G-PDU T-PDU) or any raw body.
    Payload(Vec<u8>),
}

/// An owned GTPv1 message: header, extension headers, body.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct V1Repr {
    /// Message type.
    pub msg_type: u8,
    /// TEID.
    pub teid: u32,
    /// Sequence number (sets S).
    pub seq: Option<u16>,
    /// N-PDU number (sets PN).
    pub npdu: Option<u8>,
    /// Extension headers (set E).
    pub ext_headers: Vec<ExtHeaderRepr>,
    /// Body.
    pub body: BodyRepr,
}

impl V1Repr {
    /// Read a parsed message back into owned form (IEs for signalling, payload for G-PDU;
    /// a body whose IE walk fails is kept as payload).
    pub fn parse(s: &V1Slice<'_>) -> Result<V1Repr, Error> {
        let mut ext = Vec::new();
        for h in s.ext_headers() {
            let h = h?;
            ext.push(ExtHeaderRepr {
                ext_type: h.ext_type.0,
                content: h.content.to_vec(),
            });
        }
        let body = if s.is_gpdu() {
            BodyRepr::Payload(s.body().to_vec())
        } else {
            match s
                .ies()
                .map(|r| r.map(|ie| IeRepr::from_ie(&ie)))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(v) => BodyRepr::Ies(v),
                Err(_) => BodyRepr::Payload(s.body().to_vec()),
            }
        };
        Ok(V1Repr {
            msg_type: s.message_type().0,
            teid: s.teid(),
            seq: s.sequence(),
            npdu: s.npdu(),
            ext_headers: ext,
            body,
        })
    }

    fn has_opt(&self) -> bool {
        self.seq.is_some() || self.npdu.is_some() || !self.ext_headers.is_empty()
    }

    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        let mut n = HEADER_LEN;
        if self.has_opt() {
            n += OPT_HEADER_LEN;
        }
        n += self
            .ext_headers
            .iter()
            .map(|h| h.content.len() + 2)
            .sum::<usize>();
        n + match &self.body {
            BodyRepr::Ies(v) => v.iter().map(IeRepr::buffer_len).sum(),
            BodyRepr::Payload(p) => p.len(),
        }
    }

    /// Append the encoding to `out`.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let start = out.len();
        let mut fl = 0x30u8;
        if !self.ext_headers.is_empty() {
            fl |= flags::E;
        }
        if self.seq.is_some() {
            fl |= flags::S;
        }
        if self.npdu.is_some() {
            fl |= flags::PN;
        }
        out.push(fl);
        out.push(self.msg_type);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&self.teid.to_be_bytes());
        if self.has_opt() {
            out.extend_from_slice(&self.seq.unwrap_or(0).to_be_bytes());
            out.push(self.npdu.unwrap_or(0));
            out.push(self.ext_headers.first().map_or(0, |h| h.ext_type));
        }
        for (i, h) in self.ext_headers.iter().enumerate() {
            let total = h.content.len() + 2;
            if total % 4 != 0 || total / 4 > 255 || h.ext_type == 0 {
                return Err(Error::value(
                    L,
                    "extension header content length",
                    h.content.len() as u64,
                    out.len(),
                ));
            }
            out.push((total / 4) as u8);
            out.extend_from_slice(&h.content);
            out.push(self.ext_headers.get(i + 1).map_or(0, |n| n.ext_type));
        }
        match &self.body {
            BodyRepr::Ies(v) => {
                for ie in v {
                    ie.emit(out)?;
                }
            }
            BodyRepr::Payload(p) => out.extend_from_slice(p),
        }
        let len = out.len() - start - HEADER_LEN;
        let len16 = u16::try_from(len).map_err(|_| Error::Limit {
            layer: L,
            what: "GTPv1 length",
            limit: 65535,
            offset: start + 2,
        })?;
        if let Some(slot) = out.get_mut(start + 2..start + 4) {
            slot.copy_from_slice(&len16.to_be_bytes());
        }
        Ok(())
    }

    /// Encode into a new vector.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut v = Vec::with_capacity(self.buffer_len());
        self.emit(&mut v)?;
        Ok(v)
    }
}
