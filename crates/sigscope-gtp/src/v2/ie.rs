//! GTPv2 IEs: the type catalogue (TS 29.274 Table 8.1-1), the borrowed IE (type, length,
//! instance), the iterator over one level, and the depth-first walk into grouped IEs.

use sigscope_core::{open_enum, Error};

use super::{IE_HEADER_LEN, L, MAX_GROUP_DEPTH, MAX_IES};

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

impl<'a> Ie<'a> {
    /// The IEs inside this IE's value, one level deeper (meaningful for grouped IEs).
    pub(super) fn group(&self) -> IeIter<'a> {
        IeIter::new(self.value, self.offset + IE_HEADER_LEN, self.depth + 1)
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
