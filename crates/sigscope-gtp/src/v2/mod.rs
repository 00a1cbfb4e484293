//! GTPv2-C (3GPP TS 29.274): header (P/T/MP flags, piggybacking), IEs (type, length,
//! instance), grouped IEs walked recursively with a depth cap, typed IE values, validation, emit.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use sigscope_core::digits::{tbcd, tbcd_flags, Digits, MAX_DIGITS};
use sigscope_core::{open_enum, Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::common::{
    ip_from, ipv4_at, ipv6_at, need, u16_at, u32_at, u8_at, Labels, Pco, PlmnId, Tft,
};
use crate::v1::Arp;

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

open_enum! {
    /// GTPv2 IE types (TS 29.274 Table 8.1-1).
    pub struct IeType(u8) {
        IMSI = 1 => "imsi",
        CAUSE = 2 => "cause",
        RECOVERY = 3 => "recovery",
        STN_SR = 51 => "stn_sr",
        SOURCE_TO_TARGET_TRANSPARENT_CONTAINER = 52 => "source_to_target_transparent_container",
        TARGET_TO_SOURCE_TRANSPARENT_CONTAINER = 53 => "target_to_source_transparent_container",
        MM_CONTEXT_EUTRAN_SRVCC = 54 => "mm_context_for_eutran_srvcc",
        MM_CONTEXT_UTRAN_SRVCC = 55 => "mm_context_for_utran_srvcc",
        SRVCC_CAUSE = 56 => "srvcc_cause",
        TARGET_RNC_ID = 57 => "target_rnc_id",
        TARGET_GLOBAL_CELL_ID = 58 => "target_global_cell_id",
        TEID_C = 59 => "teid_c",
        SV_FLAGS = 60 => "sv_flags",
        SERVICE_AREA_IDENTIFIER = 61 => "service_area_identifier",
        MM_CONTEXT_CS_TO_PS_SRVCC = 62 => "mm_context_for_cs_to_ps_srvcc",
        APN = 71 => "apn",
        AMBR = 72 => "ambr",
        EBI = 73 => "ebi",
        IP_ADDRESS = 74 => "ip_address",
        MEI = 75 => "mei",
        MSISDN = 76 => "msisdn",
        INDICATION = 77 => "indication",
        PCO = 78 => "pco",
        PAA = 79 => "paa",
        BEARER_QOS = 80 => "bearer_qos",
        FLOW_QOS = 81 => "flow_qos",
        RAT_TYPE = 82 => "rat_type",
        SERVING_NETWORK = 83 => "serving_network",
        BEARER_TFT = 84 => "bearer_tft",
        TAD = 85 => "tad",
        ULI = 86 => "uli",
        F_TEID = 87 => "f_teid",
        TMSI = 88 => "tmsi",
        GLOBAL_CN_ID = 89 => "global_cn_id",
        S103PDF = 90 => "s103pdf",
        S1UDF = 91 => "s1udf",
        DELAY_VALUE = 92 => "delay_value",
        BEARER_CONTEXT = 93 => "bearer_context",
        CHARGING_ID = 94 => "charging_id",
        CHARGING_CHARACTERISTICS = 95 => "charging_characteristics",
        TRACE_INFORMATION = 96 => "trace_information",
        BEARER_FLAGS = 97 => "bearer_flags",
        PDN_TYPE = 99 => "pdn_type",
        PTI = 100 => "pti",
        MM_CONTEXT_GSM_KEY_TRIPLETS = 103 => "mm_context_gsm_key_and_triplets",
        MM_CONTEXT_UMTS_KEY_CIPHER_QUINTUPLETS = 104 => "mm_context_umts_key_used_cipher_and_quintuplets",
        MM_CONTEXT_GSM_KEY_CIPHER_QUINTUPLETS = 105 => "mm_context_gsm_key_used_cipher_and_quintuplets",
        MM_CONTEXT_UMTS_KEY_QUINTUPLETS = 106 => "mm_context_umts_key_and_quintuplets",
        MM_CONTEXT_EPS_SECURITY = 107 => "mm_context_eps_security_context_quadruplets_and_quintuplets",
        MM_CONTEXT_UMTS_KEY_QUADRUPLETS_QUINTUPLETS = 108 => "mm_context_umts_key_quadruplets_and_quintuplets",
        PDN_CONNECTION = 109 => "pdn_connection",
        PDU_NUMBERS = 110 => "pdu_numbers",
        P_TMSI = 111 => "p_tmsi",
        P_TMSI_SIGNATURE = 112 => "p_tmsi_signature",
        HOP_COUNTER = 113 => "hop_counter",
        UE_TIME_ZONE = 114 => "ue_time_zone",
        TRACE_REFERENCE = 115 => "trace_reference",
        COMPLETE_REQUEST_MESSAGE = 116 => "complete_request_message",
        GUTI = 117 => "guti",
        F_CONTAINER = 118 => "f_container",
        F_CAUSE = 119 => "f_cause",
        PLMN_ID = 120 => "plmn_id",
        TARGET_IDENTIFICATION = 121 => "target_identification",
        PACKET_FLOW_ID = 123 => "packet_flow_id",
        RAB_CONTEXT = 124 => "rab_context",
        SOURCE_RNC_PDCP_CONTEXT_INFO = 125 => "source_rnc_pdcp_context_info",
        PORT_NUMBER = 126 => "port_number",
        APN_RESTRICTION = 127 => "apn_restriction",
        SELECTION_MODE = 128 => "selection_mode",
        SOURCE_IDENTIFICATION = 129 => "source_identification",
        CHANGE_REPORTING_ACTION = 131 => "change_reporting_action",
        FQ_CSID = 132 => "fq_csid",
        CHANNEL_NEEDED = 133 => "channel_needed",
        EMLPP_PRIORITY = 134 => "emlpp_priority",
        NODE_TYPE = 135 => "node_type",
        FQDN = 136 => "fqdn",
        TI = 137 => "ti",
        MBMS_SESSION_DURATION = 138 => "mbms_session_duration",
        MBMS_SERVICE_AREA = 139 => "mbms_service_area",
        MBMS_SESSION_IDENTIFIER = 140 => "mbms_session_identifier",
        MBMS_FLOW_IDENTIFIER = 141 => "mbms_flow_identifier",
        MBMS_IP_MULTICAST_DISTRIBUTION = 142 => "mbms_ip_multicast_distribution",
        MBMS_DISTRIBUTION_ACKNOWLEDGE = 143 => "mbms_distribution_acknowledge",
        RFSP_INDEX = 144 => "rfsp_index",
        UCI = 145 => "uci",
        CSG_INFORMATION_REPORTING_ACTION = 146 => "csg_information_reporting_action",
        CSG_ID = 147 => "csg_id",
        CMI = 148 => "cmi",
        SERVICE_INDICATOR = 149 => "service_indicator",
        DETACH_TYPE = 150 => "detach_type",
        LDN = 151 => "ldn",
        NODE_FEATURES = 152 => "node_features",
        MBMS_TIME_TO_DATA_TRANSFER = 153 => "mbms_time_to_data_transfer",
        THROTTLING = 154 => "throttling",
        ARP = 155 => "arp",
        EPC_TIMER = 156 => "epc_timer",
        SIGNALLING_PRIORITY_INDICATION = 157 => "signalling_priority_indication",
        TMGI = 158 => "tmgi",
        ADDITIONAL_MM_CONTEXT_FOR_SRVCC = 159 => "additional_mm_context_for_srvcc",
        ADDITIONAL_FLAGS_FOR_SRVCC = 160 => "additional_flags_for_srvcc",
        MDT_CONFIGURATION = 162 => "mdt_configuration",
        APCO = 163 => "apco",
        ABSOLUTE_TIME_OF_MBMS_DATA_TRANSFER = 164 => "absolute_time_of_mbms_data_transfer",
        HENB_INFORMATION_REPORTING = 165 => "henb_information_reporting",
        IPV4_CONFIGURATION_PARAMETERS = 166 => "ipv4_configuration_parameters",
        CHANGE_TO_REPORT_FLAGS = 167 => "change_to_report_flags",
        ACTION_INDICATION = 168 => "action_indication",
        TWAN_IDENTIFIER = 169 => "twan_identifier",
        ULI_TIMESTAMP = 170 => "uli_timestamp",
        MBMS_FLAGS = 171 => "mbms_flags",
        RAN_NAS_CAUSE = 172 => "ran_nas_cause",
        CN_OPERATOR_SELECTION_ENTITY = 173 => "cn_operator_selection_entity",
        TRUSTED_WLAN_MODE_INDICATION = 174 => "trusted_wlan_mode_indication",
        NODE_NUMBER = 175 => "node_number",
        NODE_IDENTIFIER = 176 => "node_identifier",
        PRESENCE_REPORTING_AREA_ACTION = 177 => "presence_reporting_area_action",
        PRESENCE_REPORTING_AREA_INFORMATION = 178 => "presence_reporting_area_information",
        TWAN_IDENTIFIER_TIMESTAMP = 179 => "twan_identifier_timestamp",
        OVERLOAD_CONTROL_INFORMATION = 180 => "overload_control_information",
        LOAD_CONTROL_INFORMATION = 181 => "load_control_information",
        METRIC = 182 => "metric",
        SEQUENCE_NUMBER = 183 => "sequence_number",
        APN_AND_RELATIVE_CAPACITY = 184 => "apn_and_relative_capacity",
        WLAN_OFFLOADABILITY_INDICATION = 185 => "wlan_offloadability_indication",
        PAGING_AND_SERVICE_INFORMATION = 186 => "paging_and_service_information",
        INTEGER_NUMBER = 187 => "integer_number",
        MILLISECOND_TIME_STAMP = 188 => "millisecond_time_stamp",
        MONITORING_EVENT_INFORMATION = 189 => "monitoring_event_information",
        ECGI_LIST = 190 => "ecgi_list",
        REMOTE_UE_CONTEXT = 191 => "remote_ue_context",
        REMOTE_USER_ID = 192 => "remote_user_id",
        REMOTE_UE_IP_INFORMATION = 193 => "remote_ue_ip_information",
        CIOT_OPTIMIZATIONS_SUPPORT_INDICATION = 194 => "ciot_optimizations_support_indication",
        SCEF_PDN_CONNECTION = 195 => "scef_pdn_connection",
        HEADER_COMPRESSION_CONFIGURATION = 196 => "header_compression_configuration",
        EPCO = 197 => "extended_pco",
        SERVING_PLMN_RATE_CONTROL = 198 => "serving_plmn_rate_control",
        COUNTER = 199 => "counter",
        MAPPED_UE_USAGE_TYPE = 200 => "mapped_ue_usage_type",
        SECONDARY_RAT_USAGE_DATA_REPORT = 201 => "secondary_rat_usage_data_report",
        UP_FUNCTION_SELECTION_INDICATION_FLAGS = 202 => "up_function_selection_indication_flags",
        MAXIMUM_PACKET_LOSS_RATE = 203 => "maximum_packet_loss_rate",
        APN_RATE_CONTROL_STATUS = 204 => "apn_rate_control_status",
        EXTENDED_TRACE_INFORMATION = 205 => "extended_trace_information",
        MONITORING_EVENT_EXTENSION_INFORMATION = 206 => "monitoring_event_extension_information",
        ADDITIONAL_RRM_POLICY_INDEX = 207 => "additional_rrm_policy_index",
        V2X_CONTEXT = 208 => "v2x_context",
        PC5_QOS_PARAMETERS = 209 => "pc5_qos_parameters",
        SERVICES_AUTHORIZED = 210 => "services_authorized",
        BIT_RATE = 211 => "bit_rate",
        PC5_QOS_FLOW = 212 => "pc5_qos_flow",
        SGI_PTP_TUNNEL_ADDRESS = 213 => "sgi_ptp_tunnel_address",
        PGW_CHANGE_INFO = 214 => "pgw_change_info",
        PGW_SET_FQDN = 215 => "pgw_set_fqdn",
        GROUP_ID = 216 => "group_id",
        PSCELL_ID = 217 => "pscell_id",
        UP_SECURITY_POLICY = 218 => "up_security_policy",
        ALTERNATIVE_IMSI = 219 => "alternative_imsi",
        IE_TYPE_EXTENSION = 254 => "ie_type_extension",
        PRIVATE_EXTENSION = 255 => "private_extension",
    }
}

impl IeType {
    /// Grouped IEs (their value is a list of IEs).
    pub const fn is_grouped(self) -> bool {
        matches!(self.0, 93 | 109 | 180 | 181 | 191 | 195 | 208 | 209 | 214)
    }

    /// IEs that may legitimately repeat with the same instance at one level.
    pub const fn may_repeat(self) -> bool {
        matches!(
            self.0,
            73 | 93 | 109 | 110 | 181 | 184 | 190 | 191 | 201 | 212 | 255
        )
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

/// One GTPv2 IE, borrowed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Ie<'a> {
    /// Type.
    pub ie_type: IeType,
    /// Instance (low 4 bits of the 4th octet).
    pub instance: u8,
    /// Spare / CR bits (high 4 bits of the 4th octet).
    pub spare: u8,
    /// Offset of the type octet within the datagram.
    pub offset: usize,
    /// Value.
    pub value: &'a [u8],
    /// Nesting depth (0 = top level).
    pub depth: usize,
}

/// Iterator over GTPv2 IEs at one level; stops after the first error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IeIter<'a> {
    /// The bytes not walked yet (emptied after an error, which ends the walk).
    rest: &'a [u8],
    /// Datagram offset of `rest`.
    off: usize,
    depth: usize,
    count: usize,
}

impl<'a> IeIter<'a> {
    /// Walk the IE bytes `data` that start at datagram offset `base`, at nesting `depth`.
    pub const fn new(data: &'a [u8], base: usize, depth: usize) -> Self {
        IeIter {
            rest: data,
            off: base,
            depth,
            count: 0,
        }
    }

    /// The error that ends the walk at the current position (`need` bytes wanted there).
    #[cold]
    #[inline(never)]
    fn stop(&mut self, need: usize) -> Error {
        let (off, actual) = (self.off, self.rest.len());
        self.rest = &[];
        if need == 0 {
            Error::Limit {
                layer: L,
                what: "IEs per level",
                limit: MAX_IES,
                offset: off,
            }
        } else {
            Error::len(L, need, actual, off)
        }
    }
}

impl<'a> Iterator for IeIter<'a> {
    type Item = Result<Ie<'a>, Error>;
    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        if self.count >= MAX_IES {
            return Some(Err(self.stop(0)));
        }
        self.count += 1;
        let Some(([t, a, b, i], tail)) = self.rest.split_first_chunk::<IE_HEADER_LEN>() else {
            return Some(Err(self.stop(IE_HEADER_LEN)));
        };
        let len = usize::from(u16::from_be_bytes([*a, *b]));
        let Some((value, after)) = tail.split_at_checked(len) else {
            return Some(Err(self.stop(IE_HEADER_LEN + len)));
        };
        let ie = Ie {
            ie_type: IeType(*t),
            instance: i & 0x0f,
            spare: i >> 4,
            offset: self.off,
            value,
            depth: self.depth,
        };
        self.rest = after;
        self.off += IE_HEADER_LEN + len;
        Some(Ok(ie))
    }
}

/// Cause IE (8.4).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Cause {
    /// Cause value.
    pub value: u8,
    /// PDN connection IE error.
    pub pce: bool,
    /// Bearer context IE error.
    pub bce: bool,
    /// Cause source (1 = remote node).
    pub cs: bool,
    /// Offending IE (type, instance) when present.
    pub offending: Option<(u8, u8)>,
}

/// Paging/PDN Address Allocation (8.14).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Paa {
    /// PDN type: 1 IPv4, 2 IPv6, 3 IPv4v6, 4 non-IP, 5 Ethernet.
    pub pdn_type: u8,
    /// IPv4 address.
    pub ipv4: Option<Ipv4Addr>,
    /// IPv6 prefix length and address.
    pub ipv6: Option<(u8, Ipv6Addr)>,
}

/// Bearer QoS (8.15) and Flow QoS (8.16, without ARP). Bit rates in kbps.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Qos {
    /// ARP (bearer QoS only).
    pub arp: Option<Arp>,
    /// QCI.
    pub qci: u8,
    /// Maximum bit rate uplink.
    pub mbr_ul: u64,
    /// Maximum bit rate downlink.
    pub mbr_dl: u64,
    /// Guaranteed bit rate uplink.
    pub gbr_ul: u64,
    /// Guaranteed bit rate downlink.
    pub gbr_dl: u64,
}

/// Fully qualified TEID (8.22).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FTeid {
    /// Interface type (6 bits, Table 8.22-1: 0 S1-U eNodeB, 6 S11 MME, 7 S11/S4 SGW, 10 S5/S8 SGW, ...).
    pub interface_type: u8,
    /// TEID / GRE key.
    pub teid: u32,
    /// IPv4 address (V4 flag).
    pub ipv4: Option<Ipv4Addr>,
    /// IPv6 address (V6 flag).
    pub ipv6: Option<Ipv6Addr>,
}

/// User Location Information (8.21): any of its eight location forms.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Uli {
    /// Flags octet (bit 1 CGI ... bit 8 extended macro eNodeB ID).
    pub flags: u8,
    /// CGI: PLMN, LAC, CI.
    pub cgi: Option<(PlmnId, u16, u16)>,
    /// SAI: PLMN, LAC, SAC.
    pub sai: Option<(PlmnId, u16, u16)>,
    /// RAI: PLMN, LAC, RAC.
    pub rai: Option<(PlmnId, u16, u16)>,
    /// TAI: PLMN, TAC.
    pub tai: Option<(PlmnId, u16)>,
    /// ECGI: PLMN, E-UTRAN cell identifier (28 bits).
    pub ecgi: Option<(PlmnId, u32)>,
    /// LAI: PLMN, LAC.
    pub lai: Option<(PlmnId, u16)>,
    /// Macro eNodeB ID: PLMN, 20-bit ID.
    pub macro_enb: Option<(PlmnId, u32)>,
    /// Extended macro eNodeB ID: PLMN, ID (21-bit long or 18-bit short), SMeNB flag.
    pub ext_macro_enb: Option<(PlmnId, u32, bool)>,
}

/// Target Identification (8.51), including the 5G node forms.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TargetId<'a> {
    /// Target type: 0 RNC ID, 1 macro eNodeB, 2 cell identifier, 3 home eNodeB, 4 extended macro
    /// eNodeB, 5 gNodeB, 6 macro ng-eNodeB, 7 extended ng-eNodeB, 8 en-gNB.
    pub target_type: u8,
    /// PLMN.
    pub plmn: PlmnId,
    /// Node identifier (RNC ID, eNodeB ID, gNodeB ID, ...).
    pub node_id: u32,
    /// TAC (2 octets) or 5GS TAC (3 octets) when the form carries one.
    pub tac: Option<u32>,
    /// The whole value.
    pub raw: &'a [u8],
}

/// FQ-CSID (8.62).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FqCsid<'a> {
    /// Node-ID type: 0 IPv4, 1 IPv6, 2 MCC/MNC-based.
    pub node_id_type: u8,
    /// Node-ID as an address (types 0, 1).
    pub node_addr: Option<IpAddr>,
    /// Node-ID as a number (type 2).
    pub node_number: Option<u32>,
    /// CSIDs (2 octets each).
    pub csids: &'a [u8],
}

/// Trace Information (8.31).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TraceInfo<'a> {
    /// PLMN.
    pub plmn: PlmnId,
    /// Trace ID (24 bits).
    pub trace_id: u32,
    /// Triggering events (9 octets).
    pub triggering_events: &'a [u8],
    /// List of NE types.
    pub ne_types: u16,
    /// Session trace depth.
    pub depth: u8,
    /// List of interfaces (12 octets).
    pub interfaces: &'a [u8],
    /// IP address of the trace collection entity.
    pub collection_entity: Option<IpAddr>,
}

/// Typed value of a GTPv2 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum V2Value<'a> {
    /// IMSI (1), TBCD.
    Imsi(Digits),
    /// Cause (2).
    Cause(Cause),
    /// Recovery (3).
    Recovery(u8),
    /// STN-SR (51): address octet + digits.
    StnSr(Digits),
    /// APN (71).
    Apn(Labels<'a>),
    /// AMBR (72) in kbps.
    Ambr {
        /// Uplink.
        ul: u32,
        /// Downlink.
        dl: u32,
    },
    /// EBI (73).
    Ebi(u8),
    /// IP address (74), ...
    IpAddress(IpAddr),
    /// MEI (75), TBCD.
    Mei(Digits),
    /// MSISDN (76), TBCD.
    Msisdn(Digits),
    /// Indication flags (77): the flag octets.
    Indication(&'a [u8]),
    /// PCO (78), APCO (163), ePCO (197).
    Pco(Pco<'a>),
    /// PAA (79).
    Paa(Paa),
    /// Bearer QoS (80) / Flow QoS (81).
    Qos(Qos),
    /// RAT type (82).
    RatType(u8),
    /// Serving network (83), PLMN ID (120).
    Plmn(PlmnId),
    /// Bearer TFT (84), TAD (85).
    Tft(Tft<'a>),
    /// ULI (86).
    Uli(Uli),
    /// F-TEID (87).
    FTeid(FTeid),
    /// TMSI (88), P-TMSI (111), P-TMSI signature (112), charging ID (94), ULI timestamp (170),
    /// sequence number (183), CSG ID (147), additional RRM policy index (207), ...: a 32-bit number.
    U32(u32),
    /// Global CN-Id (89).
    GlobalCnId {
        /// PLMN.
        plmn: PlmnId,
        /// CN-Id.
        cn_id: u16,
    },
    /// Delay value (92), PDN type (99), PTI (100), hop counter (113), APN restriction (127),
    /// selection mode (128), node type (135), RAT-independent one-octet values ...
    U8(u8),
    /// Charging characteristics (95), port number (126), RFSP index (144, 8.77: two octets),
    /// mapped UE usage type (200), ...
    U16(u16),
    /// Grouped IE (93, 109, 180, 181, 191, 195, 208, 209, 214): its IEs.
    Grouped(IeIter<'a>),
    /// Trace information (96).
    TraceInfo(TraceInfo<'a>),
    /// Bearer flags (97), node features (152), CIoT / UP selection flags, ...: flag octet.
    Flags(u8),
    /// UE time zone (114).
    UeTimeZone {
        /// Time zone octet.
        tz: u8,
        /// Daylight saving time adjustment.
        dst: u8,
    },
    /// Trace reference (115).
    TraceReference {
        /// PLMN.
        plmn: PlmnId,
        /// Trace ID.
        trace_id: u32,
    },
    /// GUTI (117).
    Guti {
        /// PLMN.
        plmn: PlmnId,
        /// MME group ID.
        mme_group_id: u16,
        /// MME code.
        mme_code: u8,
        /// M-TMSI.
        m_tmsi: u32,
    },
    /// F-Container (118), F-Cause (119), RAN/NAS cause (172): type/cause-type octet + contents.
    Typed {
        /// Container type / cause type.
        kind: u8,
        /// Contents.
        data: &'a [u8],
    },
    /// Target identification (121).
    TargetId(TargetId<'a>),
    /// FQ-CSID (132).
    FqCsid(FqCsid<'a>),
    /// FQDN (136), PGW set FQDN (215).
    Fqdn(Labels<'a>),
    /// UCI (145).
    Uci {
        /// PLMN.
        plmn: PlmnId,
        /// CSG ID (27 bits).
        csg_id: u32,
        /// Access mode.
        access_mode: u8,
        /// Leave CSG / CSG membership flags octet.
        flags: u8,
    },
    /// LDN (151) and other octet strings of text.
    Text(&'a [u8]),
    /// Throttling (154).
    Throttling {
        /// Delay unit (3 bits) + value (5 bits).
        delay: u8,
        /// Throttling factor (%).
        factor: u8,
    },
    /// ARP (155).
    Arp(Arp),
    /// EPC timer (156).
    EpcTimer {
        /// Timer unit (3 bits).
        unit: u8,
        /// Timer value (5 bits).
        value: u8,
    },
    /// Node number (175): digits.
    NodeNumber(Digits),
    /// Node identifier (176): node name and realm.
    NodeIdentifier {
        /// Node name.
        name: &'a [u8],
        /// Node realm.
        realm: &'a [u8],
    },
    /// Millisecond time stamp (188), 48 bits.
    Timestamp(u64),
    /// Remote user ID (192): the IMSI it carries.
    RemoteUserId(Digits),
    /// Counter (199).
    Counter {
        /// Timestamp.
        timestamp: u32,
        /// Counter value.
        value: u8,
    },
    /// Maximum packet loss rate (203), in 0.1 %.
    MaxPacketLossRate {
        /// Uplink when present.
        ul: Option<u16>,
        /// Downlink when present.
        dl: Option<u16>,
    },
    /// PSCell ID (217): NR cell global identity.
    Ncgi {
        /// PLMN.
        plmn: PlmnId,
        /// NR cell identity (36 bits).
        nr_cell_id: u64,
    },
    /// Monitoring event extension information (206, 8.137): flags (LRTP, ...), SCEF reference
    /// ID, SCEF ID; what follows (remaining minimum periodic location reporting time, extended
    /// SCEF reference ID, as the flags say) is kept raw.
    MonitoringEventExtension {
        /// Flags octet (bit 1 LRTP).
        flags: u8,
        /// SCEF reference ID.
        scef_reference_id: u32,
        /// SCEF ID (a Diameter identity).
        scef_id: &'a [u8],
        /// The fields after the SCEF ID, undecoded.
        rest: &'a [u8],
    },
    /// Private extension (255).
    PrivateExtension {
        /// IANA enterprise number.
        enterprise: u16,
        /// Proprietary value.
        value: &'a [u8],
    },
    /// A value not decoded further.
    Raw(&'a [u8]),
}

fn rate40(v: &[u8], at: usize) -> Result<u64, Error> {
    match v.get(at..at + 5) {
        Some(&[a, b, c, d, e]) => Ok(u64::from_be_bytes([0, 0, 0, a, b, c, d, e])),
        _ => Err(Error::len(L, 5, v.len().saturating_sub(at), at)),
    }
}

fn rest(v: &[u8], at: usize) -> &[u8] {
    v.get(at..).unwrap_or(&[])
}

/// Fill `u` from a ULI value (the ULI is built where it will be returned: it is large).
#[inline(always)]
fn uli_into(v: &[u8], u: &mut Uli) -> Result<(), Error> {
    let fl = u8_at(v, 0)?;
    u.flags = fl;
    let mut p = 1;
    let plmn = |p: usize| PlmnId::parse(rest(v, p));
    if fl & 0x01 != 0 {
        u.cgi = Some((plmn(p)?, u16_at(v, p + 3)?, u16_at(v, p + 5)?));
        p += 7;
    }
    if fl & 0x02 != 0 {
        u.sai = Some((plmn(p)?, u16_at(v, p + 3)?, u16_at(v, p + 5)?));
        p += 7;
    }
    if fl & 0x04 != 0 {
        u.rai = Some((plmn(p)?, u16_at(v, p + 3)?, u16_at(v, p + 5)?));
        p += 7;
    }
    if fl & 0x08 != 0 {
        u.tai = Some((plmn(p)?, u16_at(v, p + 3)?));
        p += 5;
    }
    if fl & 0x10 != 0 {
        u.ecgi = Some((plmn(p)?, u32_at(v, p + 3)? & 0x0fff_ffff));
        p += 7;
    }
    if fl & 0x20 != 0 {
        u.lai = Some((plmn(p)?, u16_at(v, p + 3)?));
        p += 5;
    }
    if fl & 0x40 != 0 {
        let id = u32::from_be_bytes([
            0,
            u8_at(v, p + 3)? & 0x0f,
            u8_at(v, p + 4)?,
            u8_at(v, p + 5)?,
        ]);
        u.macro_enb = Some((plmn(p)?, id));
        p += 6;
    }
    if fl & 0x80 != 0 {
        let a = u8_at(v, p + 3)?;
        let sm = a & 0x80 != 0;
        let hi = if sm { a & 0x03 } else { a & 0x1f };
        let id = u32::from_be_bytes([0, hi, u8_at(v, p + 4)?, u8_at(v, p + 5)?]);
        u.ext_macro_enb = Some((plmn(p)?, id, sm));
    }
    Ok(())
}

fn target_id(v: &[u8]) -> Result<TargetId<'_>, Error> {
    let tt = u8_at(v, 0)?;
    let plmn = PlmnId::parse(rest(v, 1))?;
    let tac3 = |at: usize| -> Result<u32, Error> {
        Ok(u32::from_be_bytes([
            0,
            u8_at(v, at)?,
            u8_at(v, at + 1)?,
            u8_at(v, at + 2)?,
        ]))
    };
    let (node_id, tac) = match tt {
        // RNC ID: LAC(2) RAC(1) RNC-ID(2)
        0 => (u32::from(u16_at(v, 7)?), None),
        // Macro eNodeB: 20-bit ID (3 octets) + TAC
        1 => (tac3(4)? & 0x000f_ffff, Some(u32::from(u16_at(v, 7)?))),
        // Cell identifier: LAC RAC CI
        2 => (u32::from(u16_at(v, 7)?), None),
        // Home eNodeB: 28-bit ID + TAC
        3 => (u32_at(v, 4)? & 0x0fff_ffff, Some(u32::from(u16_at(v, 8)?))),
        // Extended macro eNodeB: SMeNB + 21 bits + TAC
        4 => (tac3(4)? & 0x001f_ffff, Some(u32::from(u16_at(v, 7)?))),
        // gNodeB: ID length octet, 4-octet ID, 5GS TAC
        5 => (u32_at(v, 5)?, Some(tac3(9)?)),
        // Macro ng-eNodeB: 20-bit ID + 5GS TAC
        6 => (tac3(4)? & 0x000f_ffff, Some(tac3(7)?)),
        // Extended ng-eNodeB: 21 bits + 5GS TAC
        7 => (tac3(4)? & 0x001f_ffff, Some(tac3(7)?)),
        // en-gNB: ID length octet, 4-octet ID, TAC, 5GS TAC
        8 => (u32_at(v, 5)?, Some(u32::from(u16_at(v, 9)?))),
        _ => (0, None),
    };
    Ok(TargetId {
        target_type: tt,
        plmn,
        node_id,
        tac,
        raw: v,
    })
}

/// A TBCD digit string of at least `min` octets, from octet `skip` on.
#[inline(never)]
fn digits(
    v: &[u8],
    min: usize,
    skip: usize,
    wrap: fn(Digits) -> V2Value<'static>,
) -> Result<V2Value<'_>, Error> {
    need(v, min)?;
    Ok(wrap(tbcd(rest(v, skip))))
}

#[inline(never)]
fn ie_target_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    target_id(v).map(V2Value::TargetId)
}

#[inline(never)]
fn ie_uli(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let mut r = Ok(V2Value::Uli(Uli::default()));
    if let Ok(V2Value::Uli(u)) = &mut r {
        uli_into(v, u)?;
    }
    r
}

#[inline(never)]
fn ie_cause(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let value = one()?;
        let f = u8_at(v, 1)?;
        let offending = match (v.get(2), v.get(5)) {
            (Some(t), Some(i)) => Some((*t, i & 0x0f)),
            _ => None,
        };
        V2Value::Cause(Cause {
            value,
            pce: f & 0x04 != 0,
            bce: f & 0x02 != 0,
            cs: f & 0x01 != 0,
            offending,
        })
    })
}

#[inline(never)]
fn ie_paa(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let pdn_type = one()? & 0x07;
        let (ipv4, ipv6) = match pdn_type {
            1 => (Some(ipv4_at(v, 1)?), None),
            2 => (None, Some((u8_at(v, 1)?, ipv6_at(v, 2)?))),
            3 => (Some(ipv4_at(v, 18)?), Some((u8_at(v, 1)?, ipv6_at(v, 2)?))),
            _ => (None, None),
        };
        V2Value::Paa(Paa {
            pdn_type,
            ipv4,
            ipv6,
        })
    })
}

#[inline(never)]
fn ie_bearer_qos(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Qos(Qos {
        arp: Some(Arp::from_octet(one()?)),
        qci: u8_at(v, 1)?,
        mbr_ul: rate40(v, 2)?,
        mbr_dl: rate40(v, 7)?,
        gbr_ul: rate40(v, 12)?,
        gbr_dl: rate40(v, 17)?,
    }))
}

#[inline(never)]
fn ie_flow_qos(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Qos(Qos {
        arp: None,
        qci: one()?,
        mbr_ul: rate40(v, 1)?,
        mbr_dl: rate40(v, 6)?,
        gbr_ul: rate40(v, 11)?,
        gbr_dl: rate40(v, 16)?,
    }))
}

#[inline(never)]
fn ie_f_teid(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let f = one()?;
        let teid = u32_at(v, 1)?;
        let mut p = 5;
        let ipv4 = if f & 0x80 != 0 {
            p += 4;
            Some(ipv4_at(v, 5)?)
        } else {
            None
        };
        let ipv6 = if f & 0x40 != 0 {
            Some(ipv6_at(v, p)?)
        } else {
            None
        };
        V2Value::FTeid(FTeid {
            interface_type: f & 0x3f,
            teid,
            ipv4,
            ipv6,
        })
    })
}

#[inline(never)]
fn ie_global_cn_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::GlobalCnId {
        plmn: PlmnId::parse(v)?,
        cn_id: u16_at(v, 3)? & 0x0fff,
    })
}

#[inline(never)]
fn ie_trace_info(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok({
        let plmn = PlmnId::parse(v)?;
        need(v, 34)?;
        V2Value::TraceInfo(TraceInfo {
            plmn,
            trace_id: u32::from_be_bytes([0, u8_at(v, 3)?, u8_at(v, 4)?, u8_at(v, 5)?]),
            triggering_events: v.get(6..15).unwrap_or(&[]),
            ne_types: u16_at(v, 15)?,
            depth: u8_at(v, 17)?,
            interfaces: v.get(18..30).unwrap_or(&[]),
            collection_entity: ip_from(rest(v, 30)),
        })
    })
}

#[inline(never)]
fn ie_trace_reference(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::TraceReference {
        plmn: PlmnId::parse(v)?,
        trace_id: u32::from_be_bytes([0, u8_at(v, 3)?, u8_at(v, 4)?, u8_at(v, 5)?]),
    })
}

#[inline(never)]
fn ie_guti(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Guti {
        plmn: PlmnId::parse(v)?,
        mme_group_id: u16_at(v, 3)?,
        mme_code: u8_at(v, 5)?,
        m_tmsi: u32_at(v, 6)?,
    })
}

#[inline(never)]
fn ie_fq_csid(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let h = one()?;
        let ty = h >> 4;
        let n = usize::from(h & 0x0f);
        let (addr, num, p) = match ty {
            0 => (Some(IpAddr::V4(ipv4_at(v, 1)?)), None, 5),
            1 => (Some(IpAddr::V6(ipv6_at(v, 1)?)), None, 17),
            _ => (None, Some(u32_at(v, 1)?), 5),
        };
        let csids = v
            .get(p..p + 2 * n)
            .ok_or(Error::len(L, p + 2 * n, v.len(), 0))?;
        V2Value::FqCsid(FqCsid {
            node_id_type: ty,
            node_addr: addr,
            node_number: num,
            csids,
        })
    })
}

#[inline(never)]
fn ie_uci(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Uci {
        plmn: PlmnId::parse(v)?,
        csg_id: u32_at(v, 3)? & 0x07ff_ffff,
        access_mode: u8_at(v, 7)? >> 6,
        flags: u8_at(v, 7)? & 0x03,
    })
}

#[inline(never)]
fn ie_node_identifier(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let n = usize::from(one()?);
        let name = v.get(1..1 + n).ok_or(Error::len(L, 1 + n, v.len(), 0))?;
        let m = usize::from(u8_at(v, 1 + n)?);
        let realm = v
            .get(2 + n..2 + n + m)
            .ok_or(Error::len(L, 2 + n + m, v.len(), 0))?;
        V2Value::NodeIdentifier { name, realm }
    })
}

#[inline(never)]
fn ie_max_packet_loss_rate(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let f = one()?;
        let ul = if f & 0x01 != 0 {
            Some(u16_at(v, 1)?)
        } else {
            None
        };
        let dl = if f & 0x02 != 0 {
            Some(u16_at(v, if ul.is_some() { 3 } else { 1 })?)
        } else {
            None
        };
        V2Value::MaxPacketLossRate { ul, dl }
    })
}

#[inline(never)]
fn ie_pscell_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a, b, c, d, e, f, g, h, ..] => V2Value::Ncgi {
            plmn: PlmnId::from_raw([*a, *b, *c]),
            nr_cell_id: u64::from_be_bytes([0, 0, 0, *d & 0x0f, *e, *f, *g, *h]),
        },
        _ => return Err(Error::len(L, 8, v.len(), 0)),
    })
}

#[inline(never)]
fn ie_monitoring_event_extension(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let flags = one()?;
        let scef_reference_id = u32_at(v, 1)?;
        let n = usize::from(u8_at(v, 5)?);
        let scef_id = v.get(6..6 + n).ok_or(Error::len(L, 6 + n, v.len(), 0))?;
        V2Value::MonitoringEventExtension {
            flags,
            scef_reference_id,
            scef_id,
            rest: rest(v, 6 + n),
        }
    })
}

#[inline(never)]
fn ie_node_number(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let n = usize::from(one()?);
        V2Value::NodeNumber(tbcd(v.get(1..1 + n).ok_or(Error::len(
            L,
            1 + n,
            v.len(),
            0,
        ))?))
    })
}

#[inline(never)]
fn ie_remote_user_id(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok({
        let n = usize::from(u8_at(v, 1)?);
        V2Value::RemoteUserId(tbcd(v.get(2..2 + n).ok_or(Error::len(
            L,
            2 + n,
            v.len(),
            0,
        ))?))
    })
}

#[inline(never)]
fn ie_recovery(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Recovery(one()?))
}

#[inline(never)]
fn ie_apn(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Apn(Labels::new(v)))
}

#[inline(never)]
fn ie_ambr(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Ambr {
        ul: u32_at(v, 0)?,
        dl: u32_at(v, 4)?,
    })
}

#[inline(never)]
fn ie_ebi(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Ebi(one()? & 0x0f))
}

#[inline(never)]
fn ie_ip_address(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::IpAddress(ip_from(v).ok_or(Error::value(
        L,
        "IP address length",
        v.len() as u64,
        0,
    ))?))
}

#[inline(never)]
fn ie_indication(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Indication(v))
}

#[inline(never)]
fn ie_pco(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Pco(Pco::parse(v)?))
}

#[inline(never)]
fn ie_rat_type(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::RatType(one()?))
}

#[inline(never)]
fn ie_plmn(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Plmn(PlmnId::parse(v)?))
}

#[inline(never)]
fn ie_tft(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Tft(Tft::parse(v)?))
}

#[inline(never)]
fn ie_u32<'a>(ie: &Ie<'a>, v: &'a [u8]) -> Result<V2Value<'a>, Error> {
    Ok({
        need(v, 4)?;
        V2Value::U32(
            u32_at(v, 0)?
                & if ie.ie_type.0 == 147 {
                    0x07ff_ffff
                } else {
                    u32::MAX
                },
        )
    })
}

#[inline(never)]
fn ie_p_tmsi_signature(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a, b, c, ..] => V2Value::U32(u32::from_be_bytes([0, *a, *b, *c])),
        _ => return Err(Error::len(L, 3, v.len(), 0)),
    })
}

#[inline(never)]
fn ie_u8<'a>(ie: &Ie<'a>, v: &'a [u8]) -> Result<V2Value<'a>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let b = one()?;
        V2Value::U8(match ie.ie_type.0 {
            99 => b & 0x07,
            128 => b & 0x03,
            148 => b & 0x01,
            _ => b,
        })
    })
}

#[inline(never)]
fn ie_u16(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::U16(u16_at(v, 0)?))
}

#[inline(never)]
fn ie_rrm_policy_index(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::U32(u32_at(v, 0)?))
}

#[inline(never)]
fn ie_grouped<'a>(ie: &Ie<'a>) -> Result<V2Value<'a>, Error> {
    Ok({
        if ie.depth + 1 >= MAX_GROUP_DEPTH {
            return Err(Error::Limit {
                layer: L,
                what: "grouped IE depth",
                limit: MAX_GROUP_DEPTH,
                offset: ie.offset,
            });
        }
        V2Value::Grouped(ie.group())
    })
}

#[inline(never)]
fn ie_flags(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Flags(one()?))
}

#[inline(never)]
fn ie_ue_time_zone(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::UeTimeZone {
        tz: one()?,
        dst: u8_at(v, 1)? & 0x03,
    })
}

#[inline(never)]
fn ie_typed(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Typed {
        kind: one()? & 0x0f,
        data: rest(v, 1),
    })
}

#[inline(never)]
fn ie_fqdn(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Fqdn(Labels::new(v)))
}

#[inline(never)]
fn ie_text(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Text(v))
}

#[inline(never)]
fn ie_throttling(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Throttling {
        delay: one()?,
        factor: u8_at(v, 1)?,
    })
}

#[inline(never)]
fn ie_arp(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok(V2Value::Arp(Arp::from_octet(one()?)))
}

#[inline(never)]
fn ie_epc_timer(v: &[u8]) -> Result<V2Value<'_>, Error> {
    let one = || u8_at(v, 0);
    Ok({
        let b = one()?;
        V2Value::EpcTimer {
            unit: b >> 5,
            value: b & 0x1f,
        }
    })
}

#[inline(never)]
fn ie_integer_number(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a] => V2Value::U32(u32::from(*a)),
        [a, b] => V2Value::U32(u32::from(u16::from_be_bytes([*a, *b]))),
        [a, b, c] => V2Value::U32(u32::from_be_bytes([0, *a, *b, *c])),
        [a, b, c, d] => V2Value::U32(u32::from_be_bytes([*a, *b, *c, *d])),
        _ => V2Value::Raw(v),
    })
}

#[inline(never)]
fn ie_timestamp(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(match v {
        [a, b, c, d, e, f, ..] => {
            V2Value::Timestamp(u64::from_be_bytes([0, 0, *a, *b, *c, *d, *e, *f]))
        }
        _ => return Err(Error::len(L, 6, v.len(), 0)),
    })
}

#[inline(never)]
fn ie_counter(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Counter {
        timestamp: u32_at(v, 0)?,
        value: u8_at(v, 4)?,
    })
}

#[inline(never)]
fn ie_private_extension(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::PrivateExtension {
        enterprise: u16_at(v, 0)?,
        value: rest(v, 2),
    })
}

#[inline(never)]
fn ie_raw(v: &[u8]) -> Result<V2Value<'_>, Error> {
    Ok(V2Value::Raw(v))
}

impl<'a> Ie<'a> {
    /// The IEs inside this IE's value, one level deeper (meaningful for grouped IEs).
    fn group(&self) -> IeIter<'a> {
        IeIter::new(self.value, self.offset + IE_HEADER_LEN, self.depth + 1)
    }

    /// Decode the value by type. Grouped IEs give an iterator over their IEs (nested offsets
    /// stay datagram-relative); past [`MAX_GROUP_DEPTH`] that is an [`Error::Limit`].
    #[inline]
    pub fn decode(&self) -> Result<V2Value<'a>, Error> {
        let mut r = self.decode_inner(self.value);
        if let Err(Error::Len(l)) = &mut r {
            l.layer = L;
            l.offset += self.offset + IE_HEADER_LEN;
        }
        r
    }

    fn decode_inner(&self, v: &'a [u8]) -> Result<V2Value<'a>, Error> {
        // Every arm is a call, so each value is built straight in the caller's slot (one big
        // match that builds the values inline merges them into one store sequence as wide as
        // the largest variant, paid by every IE).
        match self.ie_type.0 {
            1 => digits(v, 1, 0, V2Value::Imsi),
            2 => ie_cause(v),
            3 => ie_recovery(v),
            51 => digits(v, 2, 1, V2Value::StnSr),
            71 => ie_apn(v),
            72 => ie_ambr(v),
            73 => ie_ebi(v),
            74 | 213 => ie_ip_address(v),
            75 => digits(v, 1, 0, V2Value::Mei),
            76 => digits(v, 1, 0, V2Value::Msisdn),
            77 => ie_indication(v),
            78 | 163 | 197 => ie_pco(v),
            79 => ie_paa(v),
            80 => ie_bearer_qos(v),
            81 => ie_flow_qos(v),
            82 => ie_rat_type(v),
            83 | 120 => ie_plmn(v),
            84 | 85 => ie_tft(v),
            86 => ie_uli(v),
            87 => ie_f_teid(v),
            88 | 94 | 111 | 147 | 170 | 183 => ie_u32(self, v),
            112 => ie_p_tmsi_signature(v),
            89 => ie_global_cn_id(v),
            92 | 99 | 100 | 113 | 127 | 128 | 135 | 148 | 149 | 150 | 157 | 182 | 185 => {
                ie_u8(self, v)
            }
            95 | 126 | 144 | 200 => ie_u16(v),
            207 => ie_rrm_policy_index(v),
            206 => ie_monitoring_event_extension(v),
            93 | 109 | 180 | 181 | 191 | 195 | 208 | 209 | 214 => ie_grouped(self),
            96 => ie_trace_info(v),
            97 | 152 | 194 | 202 | 171 | 174 => ie_flags(v),
            114 => ie_ue_time_zone(v),
            115 => ie_trace_reference(v),
            117 => ie_guti(v),
            118 | 119 | 172 => ie_typed(v),
            121 => ie_target_id(v),
            132 => ie_fq_csid(v),
            136 | 215 => ie_fqdn(v),
            145 => ie_uci(v),
            151 => ie_text(v),
            154 => ie_throttling(v),
            155 => ie_arp(v),
            156 => ie_epc_timer(v),
            175 => ie_node_number(v),
            176 => ie_node_identifier(v),
            187 => ie_integer_number(v),
            188 => ie_timestamp(v),
            192 => ie_remote_user_id(v),
            199 => ie_counter(v),
            203 => ie_max_packet_loss_rate(v),
            217 => ie_pscell_id(v),
            255 => ie_private_extension(v),
            _ => ie_raw(v),
        }
    }
}

/// Walk every IE of a message depth-first (grouped IEs entered, up to [`MAX_GROUP_DEPTH`]),
/// calling `f` for each. Returns the number of IEs visited, or the first walk error.
#[inline]
pub fn walk<'a, F: FnMut(&Ie<'a>)>(ies: IeIter<'a>, f: &mut F) -> Result<usize, Error> {
    let mut n = 0;
    for r in ies {
        let ie = r?;
        f(&ie);
        n += 1;
        // What `Ie::decode` gives a grouped IE within the depth cap, without decoding it again.
        if ie.ie_type.is_grouped() && ie.depth + 1 < MAX_GROUP_DEPTH {
            n += walk(ie.group(), f)?;
        }
    }
    Ok(n)
}

/// The value of an owned GTPv2 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum IeValueRepr {
    /// Raw value bytes.
    Raw(Vec<u8>),
    /// Grouped IE.
    Grouped(Vec<IeRepr>),
}

/// An owned GTPv2 IE.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct IeRepr {
    /// Type.
    pub ie_type: u8,
    /// Instance (4 bits).
    pub instance: u8,
    /// Value.
    pub value: IeValueRepr,
}

impl IeRepr {
    /// Raw IE.
    pub fn raw(ie_type: u8, instance: u8, value: Vec<u8>) -> Self {
        IeRepr {
            ie_type,
            instance,
            value: IeValueRepr::Raw(value),
        }
    }
    /// Grouped IE.
    pub fn grouped(ie_type: u8, instance: u8, ies: Vec<IeRepr>) -> Self {
        IeRepr {
            ie_type,
            instance,
            value: IeValueRepr::Grouped(ies),
        }
    }
    /// IMSI (1).
    pub fn imsi(digits: &str) -> Option<Self> {
        Some(Self::raw(1, 0, sigscope_core::digits::encode_tbcd(digits)?))
    }
    /// MSISDN (76).
    pub fn msisdn(digits: &str) -> Option<Self> {
        Some(Self::raw(
            76,
            0,
            sigscope_core::digits::encode_tbcd(digits)?,
        ))
    }
    /// Cause (2).
    pub fn cause(value: u8) -> Self {
        Self::raw(2, 0, vec![value, 0])
    }
    /// Recovery (3).
    pub fn recovery(n: u8) -> Self {
        Self::raw(3, 0, vec![n])
    }
    /// APN (71).
    pub fn apn(name: &str) -> Option<Self> {
        Some(Self::raw(71, 0, crate::common::encode_labels(name)?))
    }
    /// AMBR (72).
    pub fn ambr(ul: u32, dl: u32) -> Self {
        let mut v = ul.to_be_bytes().to_vec();
        v.extend_from_slice(&dl.to_be_bytes());
        Self::raw(72, 0, v)
    }
    /// EBI (73).
    pub fn ebi(instance: u8, ebi: u8) -> Self {
        Self::raw(73, instance, vec![ebi & 0x0f])
    }
    /// RAT type (82).
    pub fn rat_type(t: u8) -> Self {
        Self::raw(82, 0, vec![t])
    }
    /// F-TEID (87).
    pub fn f_teid(instance: u8, f: &FTeid) -> Self {
        let mut v = vec![
            (f.interface_type & 0x3f)
                | if f.ipv4.is_some() { 0x80 } else { 0 }
                | if f.ipv6.is_some() { 0x40 } else { 0 },
        ];
        v.extend_from_slice(&f.teid.to_be_bytes());
        if let Some(a) = f.ipv4 {
            v.extend_from_slice(&a.octets());
        }
        if let Some(a) = f.ipv6 {
            v.extend_from_slice(&a.octets());
        }
        Self::raw(87, instance, v)
    }
    /// Serving network (83).
    pub fn serving_network(mcc: &str, mnc: &str) -> Option<Self> {
        Some(Self::raw(83, 0, PlmnId::encode(mcc, mnc)?.to_vec()))
    }
    /// Node features (152).
    pub fn node_features(f: u8) -> Self {
        Self::raw(152, 0, vec![f])
    }
    /// Private extension (255).
    pub fn private_extension(enterprise: u16, value: &[u8]) -> Self {
        let mut v = enterprise.to_be_bytes().to_vec();
        v.extend_from_slice(value);
        Self::raw(255, 0, v)
    }

    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        IE_HEADER_LEN
            + match &self.value {
                IeValueRepr::Raw(v) => v.len(),
                IeValueRepr::Grouped(v) => v.iter().map(IeRepr::buffer_len).sum(),
            }
    }

    /// Append the encoding.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let start = out.len();
        out.extend_from_slice(&[self.ie_type, 0, 0, self.instance & 0x0f]);
        match &self.value {
            IeValueRepr::Raw(v) => out.extend_from_slice(v),
            IeValueRepr::Grouped(v) => {
                for ie in v {
                    ie.emit(out)?;
                }
            }
        }
        let len = u16::try_from(out.len() - start - IE_HEADER_LEN).map_err(|_| Error::Limit {
            layer: L,
            what: "IE length",
            limit: 65535,
            offset: start,
        })?;
        if let Some(s) = out.get_mut(start + 1..start + 3) {
            s.copy_from_slice(&len.to_be_bytes());
        }
        Ok(())
    }

    /// From a parsed IE (grouped IEs recursively, up to the depth cap).
    pub fn from_ie(ie: &Ie<'_>) -> Result<Self, Error> {
        if ie.ie_type.is_grouped() {
            if let V2Value::Grouped(inner) = ie.decode()? {
                let v = inner
                    .map(|r| r.and_then(|i| IeRepr::from_ie(&i)))
                    .collect::<Result<Vec<_>, _>>()?;
                return Ok(Self::grouped(ie.ie_type.0, ie.instance, v));
            }
        }
        Ok(Self::raw(ie.ie_type.0, ie.instance, ie.value.to_vec()))
    }
}

/// An owned GTPv2-C message (with an optional piggybacked message).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct V2Repr {
    /// Message type.
    pub msg_type: u8,
    /// TEID (sets T).
    pub teid: Option<u32>,
    /// Sequence number (24 bits).
    pub seq: u32,
    /// Message priority (sets MP).
    pub priority: Option<u8>,
    /// IEs.
    pub ies: Vec<IeRepr>,
    /// Piggybacked message (sets P).
    pub piggybacked: Option<Box<V2Repr>>,
}

fn piggyback_limit(offset: usize) -> Error {
    Error::Limit {
        layer: L,
        what: "messages per datagram (piggybacking)",
        limit: MAX_PIGGYBACKED,
        offset,
    }
}

impl V2Repr {
    /// Read a parsed message (and what it piggybacks) into owned form. A chain of more than
    /// [`MAX_PIGGYBACKED`] messages (each with P = 1) is an [`Error::Limit`]; the chain is walked
    /// without recursion.
    pub fn parse(s: &V2Slice<'_>) -> Result<V2Repr, Error> {
        let mut chain = vec![Self::parse_one(s)?];
        let mut cur = *s;
        while let Some(next) = cur.piggybacked() {
            let next = next?;
            if chain.len() >= MAX_PIGGYBACKED {
                return Err(piggyback_limit(next.base()));
            }
            chain.push(Self::parse_one(&next)?);
            cur = next;
        }
        // Link back to front: the last message is the innermost `piggybacked`.
        let mut r = chain.pop().ok_or_else(|| piggyback_limit(s.base()))?;
        while let Some(mut outer) = chain.pop() {
            outer.piggybacked = Some(Box::new(r));
            r = outer;
        }
        Ok(r)
    }

    fn parse_one(s: &V2Slice<'_>) -> Result<V2Repr, Error> {
        let ies = s
            .ies()
            .map(|r| r.and_then(|i| IeRepr::from_ie(&i)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(V2Repr {
            msg_type: s.message_type().0,
            teid: s.teid(),
            seq: s.sequence(),
            priority: s.priority(),
            ies,
            piggybacked: None,
        })
    }

    /// This message and the ones it piggybacks, in order, at most [`MAX_PIGGYBACKED`] + 1 of
    /// them (one more than allowed, so that callers can tell the chain is too long).
    fn chain(&self) -> impl Iterator<Item = &V2Repr> {
        core::iter::successors(Some(self), |r| r.piggybacked.as_deref()).take(MAX_PIGGYBACKED + 1)
    }

    /// Encoded length (including the piggybacked messages, up to [`MAX_PIGGYBACKED`] in all).
    pub fn buffer_len(&self) -> usize {
        self.chain()
            .take(MAX_PIGGYBACKED)
            .map(|r| {
                let h = if r.teid.is_some() {
                    HEADER_LEN_TEID
                } else {
                    HEADER_LEN_NO_TEID
                };
                h + r.ies.iter().map(IeRepr::buffer_len).sum::<usize>()
            })
            .sum()
    }

    /// Append the encoding (the piggybacked messages too). A chain longer than
    /// [`MAX_PIGGYBACKED`] messages is an [`Error::Limit`] and nothing is appended.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        if self.chain().count() > MAX_PIGGYBACKED {
            return Err(piggyback_limit(out.len()));
        }
        for r in self.chain() {
            r.emit_one(out)?;
        }
        Ok(())
    }

    fn emit_one(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let start = out.len();
        let mut fl = 0x40u8;
        if self.piggybacked.is_some() {
            fl |= flags::P;
        }
        if self.teid.is_some() {
            fl |= flags::T;
        }
        if self.priority.is_some() {
            fl |= flags::MP;
        }
        out.extend_from_slice(&[fl, self.msg_type, 0, 0]);
        if let Some(t) = self.teid {
            out.extend_from_slice(&t.to_be_bytes());
        }
        let seq = self.seq.to_be_bytes();
        out.extend_from_slice(&seq[1..]);
        out.push(self.priority.map_or(0, |p| (p & 0x0f) << 4));
        for ie in &self.ies {
            ie.emit(out)?;
        }
        let len = u16::try_from(out.len() - start - 4).map_err(|_| Error::Limit {
            layer: L,
            what: "GTPv2 length",
            limit: 65535,
            offset: start,
        })?;
        if let Some(s) = out.get_mut(start + 2..start + 4) {
            s.copy_from_slice(&len.to_be_bytes());
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
