//! The signatures: stable ids, names, categories, severities and ATT&CK techniques.
//!
//! Ids are stable: 1xxx structure (the message breaks its protocol where a real node never
//! would), 2xxx content (a field carries data its type never carries), 3xxx behaviour
//! (stateful: who talks to whom, how often, from where). Severity follows Suricata: 1 high,
//! 2 medium, 3 low.

/// One signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// Stable id (`alert.signature_id`).
    pub id: u32,
    /// Stable snake_case name.
    pub name: &'static str,
    /// One line for people (`alert.signature`).
    pub title: &'static str,
    /// `structure`, `content` or `behaviour`.
    pub kind: &'static str,
    /// EVE `alert.category`.
    pub category: &'static str,
    /// 1 high, 2 medium, 3 low.
    pub severity: u8,
    /// MITRE ATT&CK technique ids (Enterprise, and Mobile where one fits).
    pub mitre: &'static [&'static str],
}

macro_rules! sigs {
    ($($konst:ident = $id:literal, $name:literal, $kind:literal, $cat:literal, $sev:literal, [$($m:literal),*], $title:literal;)*) => {
        $(
            #[doc = $title]
            pub const $konst: Signature = Signature {
                id: $id,
                name: $name,
                title: $title,
                kind: $kind,
                category: $cat,
                severity: $sev,
                mitre: &[$($m),*],
            };
        )*
        /// Every signature, by id.
        pub const ALL: &[Signature] = &[$($konst),*];
    };
}

sigs! {
    GTP_ECHO_UNEXPECTED_IE = 1001, "gtp_echo_unexpected_ie", "structure", "Potential C2 in GTP-C", 1,
        ["T1205", "T1071"],
        "GTP Echo carries an IE that no Echo carries (GTPDOOR-style command channel)";
    GTP_ECHO_LARGE_PRIVATE_EXTENSION = 1002, "gtp_echo_large_private_extension", "structure", "Potential C2 in GTP-C", 2,
        ["T1205", "T1001"],
        "GTP Echo carries a private extension larger than a keepalive needs";
    GTP_LENGTH_MISMATCH = 1003, "gtp_length_mismatch", "structure", "Protocol violation", 2,
        ["T1001"],
        "GTP header length disagrees with the datagram (data hidden after or around the message)";
    GTP_UNASSIGNED_TYPE = 1004, "gtp_unassigned_message_type", "structure", "Protocol violation", 2,
        ["T1205"],
        "GTP message type that the specification does not assign";
    NOT_GTP_ON_GTP_PORT = 1005, "not_gtp_on_gtp_port", "structure", "Potential C2 in GTP-C", 2,
        ["T1571", "T1205"],
        "Payload on a GTP port that is not GTP";
    GTP_TUNNEL_ABUSE = 1006, "gtp_tunnel_abuse", "structure", "Protocol tunneling", 1,
        ["T1572"],
        "GTP inside GTP-U, or a plane's messages on the other plane's port";
    GTP_ECHO_BODY_NOT_IES = 1020, "gtp_echo_body_not_ies", "structure", "Potential C2 in GTP-C", 1,
        ["T1205", "T1001"],
        "GTP Echo of correct length whose body is not an IE sequence (GTPDOOR magic packet behind a valid header)";
    GTP_ECHO_FLAGS_NEVER_SENT = 1021, "gtp_echo_flags_never_sent", "structure", "Potential C2 in GTP-C", 2,
        ["T1205"],
        "GTP Echo header with flags no node sends (GTPv1 without sequence flag or with N-PDU/extension flags; GTPv2 with TEID, priority or spare flags)";
    GTPDOOR_MAGIC = 1022, "gtpdoor_magic_packet", "structure", "Potential C2 in GTP-C", 1,
        ["T1205", "T1573"],
        "GTPDOOR frame at its fixed offsets in a GTP Echo (key, command type and command length agree), or the GTPDOOR scanner's probe";
    GTP_IE_LENGTH_NEVER_SENT = 1023, "gtp_ie_length_never_sent", "structure", "Protocol violation", 2,
        ["T1001"],
        "GTPv2 IE of a length no node sends for its type (Recovery or Node Features not one octet, private extension far longer than any vendor's)";
    GTP_ECHO_PIGGYBACK = 1024, "gtp_echo_piggyback", "structure", "Protocol violation", 3,
        ["T1001"],
        "GTPv2 Echo with the piggyback flag set (only Create Session / Create Bearer responses piggyback)";
    TCP_URGENT_BEACON = 1025, "tcp_urgent_pointer_beacon", "structure", "Potential C2 beacon", 1,
        ["T1205", "T1095"],
        "TCP RST with the urgent pointer set and URG clear (GTPDOOR v2 beacon answering a probe)";
    SCCP_NOT_TCAP = 1010, "sccp_data_not_tcap", "structure", "Potential C2 in SIGTRAN", 1,
        ["T1071", "T1001"],
        "SCCP user data to or from a MAP/CAP subsystem that is not TCAP";
    TCAP_MALFORMED = 1011, "tcap_malformed", "structure", "Protocol violation", 3,
        ["T1001"],
        "TCAP package whose contents break Q.773";
    IDENTITY_NOT_DIGITS = 1012, "identity_not_digits", "structure", "Protocol violation", 2,
        ["T1001"],
        "IMSI/MSISDN/address digits with non-digit nibbles";
    BER_EXPLOIT = 1040, "tcap_ber_exploit", "structure", "Exploit attempt on a signalling node", 1,
        ["T1190", "T1203"],
        "TCAP encoded in a BER shape that no stack sends and that breaks node parsers (length field of five or more octets, length far beyond the data, indefinite length on a primitive or never closed, nesting beyond any ASN.1 module)";
    TCAP_OUT_OF_RANGE = 1041, "tcap_value_out_of_range", "structure", "Exploit attempt on a signalling node", 1,
        ["T1190", "T1203"],
        "TCAP invoke id, local operation code or object identifier outside every range a stack uses (parser attack)";
    SCCP_SEGMENTATION_ATTACK = 1042, "sccp_segmentation_attack", "structure", "Exploit attempt on a signalling node", 1,
        ["T1190", "T1499"],
        "SCCP segments that contradict their own count, rewrite a segment, restart mid-message, reassemble past SCCP's limit or hold many messages open from one origin";
    SIGTRAN_OPAQUE_CARRIAGE = 1043, "sigtran_opaque_carriage", "structure", "Potential C2 in SIGTRAN", 2,
        ["T1071", "T1095", "T1001"],
        "SIGTRAN carrying data that is not signalling: an encrypted-looking MTP3 user part, a spare service indicator, oversized MTP3 management or ISUP, encrypted-looking M3UA heartbeat/info/diagnostic data, another protocol's PPID on a SIGTRAN port (SIGTRANslator-like)";
    SIGTRAN_PAYLOAD_MALFORMED = 1044, "sigtran_payload_malformed", "structure", "Protocol violation", 3,
        ["T1001", "T1095"],
        "SCTP payload under a PPID no protocol has, or ISUP that does not parse as ISUP";
    USSD_ENCODED_PAYLOAD = 2001, "ussd_encoded_payload", "content", "Potential C2 in MAP", 1,
        ["T1132", "T1071"],
        "USSD string carries encoded data (base64/hex/high entropy), not a service code or menu text";
    SMS_ENCODED_PAYLOAD = 2002, "sms_encoded_payload", "content", "Potential C2 in MAP", 2,
        ["T1132", "T1071"],
        "SMS text carries encoded data (base64/hex/high entropy)";
    PRIVATE_EXTENSION_PAYLOAD = 2003, "private_extension_payload", "content", "Potential C2 in GTP-C", 1,
        ["T1132", "T1001"],
        "GTP private extension carries encoded or encrypted-looking data";
    IDENTITY_MALFORMED = 2004, "identity_malformed", "content", "Protocol violation", 3,
        ["T1001"],
        "IMSI, MSISDN or SCCP global title of impossible length, or IMSI with no assigned MCC";
    SMS_BINARY_PAYLOAD = 2005, "sms_binary_payload", "content", "Potential C2 in MAP", 2,
        ["T1132", "T1071"],
        "Binary short message with an encrypted-looking payload that is not SIM OTA from the home network";
    TEXT_SHELL_COMMAND = 2006, "text_shell_command", "content", "Potential C2 in MAP", 1,
        ["T1059", "T1071"],
        "USSD or SMS text that reads as a shell command line (command channel over signalling)";
    MAP_PRIVATE_EXTENSION_PAYLOAD = 2007, "map_private_extension_payload", "content", "Potential C2 in MAP", 1,
        ["T1041", "T1001"],
        "MAP private extension carrying encrypted-looking data (exfiltration through extension containers)";
    TCAP_OPAQUE_OPERATION = 2008, "tcap_opaque_operation", "content", "Potential C2 in SIGTRAN", 2,
        ["T1071", "T1001"],
        "TCAP operation of no MAP application context carrying an encrypted-looking blob";
    DNS_TUNNEL_IN_GTPU = 2020, "dns_tunnel_in_gtpu", "content", "Protocol tunneling", 1,
        ["T1071.004", "T1572", "T1132"],
        "DNS in a GTP-U tunnel carrying encoded data (long high-entropy subdomain, or a TTL-0 answer with encoded data)";
    ICMP_TUNNEL_IN_GTPU = 2021, "icmp_tunnel_in_gtpu", "content", "Protocol tunneling", 2,
        ["T1095", "T1572"],
        "ICMP echo in a GTP-U tunnel whose payload is larger than ping's and looks encrypted, not ping's pattern";
    UNSOLICITED_RESPONSE = 3001, "unsolicited_response", "behaviour", "Potential C2 in signalling", 3,
        ["T1205"],
        "Response with no request seen (GTP Echo/response, TCAP End/Continue)";
    FS11_CATEGORY1 = 3002, "fs11_category1", "behaviour", "SS7 interconnect attack", 1,
        ["T1430", "T1426"],
        "MAP operation that only the home network sends (FS.11 category 1) from a foreign global title";
    FS11_CATEGORY2 = 3003, "fs11_category2", "behaviour", "SS7 interconnect attack", 1,
        ["T1430", "T1426"],
        "MAP operation on a subscriber from a network that is not the subscriber's home (FS.11 category 2: a home subscriber from a foreign GT, an inbound roamer from another country than their IMSI's)";
    FS11_CATEGORY3_VELOCITY = 3004, "fs11_category3_velocity", "behaviour", "SS7 interconnect attack", 2,
        ["T1430"],
        "Location update to a place the subscriber cannot have reached since last seen (FS.11 category 3: distance between countries over the elapsed time)";
    BEACONING = 3005, "beaconing", "behaviour", "Potential C2 in signalling", 2,
        ["T1029", "T1071"],
        "Same message between the same peers at a regular period (constant size; for GTP Echoes between peers in no session also a jittered period and varying size)";
    PEER_OUTSIDE_INTERCONNECT = 3006, "peer_outside_interconnect", "behaviour", "Policy violation", 2,
        ["T1199"],
        "Peer outside the operator's declared interconnect (GTP address or SCCP calling country)";
    SUBSCRIBER_HARVESTING = 3007, "subscriber_harvesting", "behaviour", "SS7 interconnect attack", 1,
        ["T1430", "T1595"],
        "One foreign global title asks routing information for many subscribers (IMSI / location harvesting)";
    SMS_INTERCEPTION = 3008, "sms_interception", "behaviour", "SS7 interconnect attack", 1,
        ["T1111", "T1430"],
        "Short message delivered to the node an impossible location update moved the subscriber to (SMS interception)";
    GTP_ECHO_PAYLOAD_SESSIONLESS_PEER = 3020, "gtp_echo_payload_sessionless_peer", "behaviour", "Potential C2 in GTP-C", 2,
        ["T1205", "T1001"],
        "GTP Echo with a high-entropy private extension from a peer that takes part in no session";
    DNS_TUNNEL_SUBDOMAINS = 3021, "dns_tunnel_subdomains", "behaviour", "Protocol tunneling", 1,
        ["T1071.004", "T1572"],
        "Many distinct encoded-looking subdomains of one domain queried through one GTP-U tunnel";
    DNS_TUNNEL_RECORD_VOLUME = 3022, "dns_tunnel_record_volume", "behaviour", "Protocol tunneling", 2,
        ["T1071.004", "T1572"],
        "Many TXT / NULL / ANY queries for one domain through one GTP-U tunnel";
    ROGUE_GTP_SESSION_PEER = 3023, "rogue_gtp_session_peer", "behaviour", "Rogue GTP peer", 2,
        ["T1199", "T1572"],
        "Session created by a peer that is no declared SGSN/SGW/MME nor roaming partner, and user plane to or from it (sgsnemu-style tunnel)";
    CDR_TO_UNDECLARED_CG = 3024, "cdr_to_undeclared_charging_gateway", "behaviour", "Data exfiltration", 2,
        ["T1041", "T1020"],
        "GTP' Data Record Transfer (CDRs) to a charging gateway the policy does not declare";
    GTP_ECHO_PRIVATE_EXTENSION_VARIES = 3025, "gtp_echo_private_extension_varies", "behaviour", "Potential C2 in GTP-C", 2,
        ["T1205", "T1001"],
        "GTP Echoes of one peer whose private extensions change almost whole from one Echo to the next (a keepalive's vendor data repeats or counts), or whose restart counter changes again and again within the hour";
    GTP_NODE_DISCOVERY = 3026, "gtp_node_discovery", "behaviour", "Reconnaissance", 2,
        ["T1595", "T1046"],
        "GTP Echo Requests from one address to many distinct addresses within a minute (or, paced, within an hour), from an address that takes part in no session (GTP node discovery sweep)";
    GTP_TUNNEL_PROBING = 3027, "gtp_tunnel_probing", "behaviour", "Reconnaissance", 2,
        ["T1595", "T1499"],
        "Many answers of no such tunnel (Context Not Found, Non-existent, GTP-U Error Indication) or of no such APN to one address, from an address that carries no session (TEID or APN guessing)";
}

/// GSMA MoTIF (FS.57) technique ids of a signature (MISP/misp-galaxy `gsma-motif`), beside its
/// MITRE ATT&CK ids; empty where none fits.
pub fn motif(id: u32) -> &'static [&'static str] {
    // Disguise Signalling Messages / Unexpected Encoding: C2 and data hidden in signalling
    const DISGUISE: &[&str] = &["MOT3005"];
    const ENCODING: &[&str] = &["MOT3005.301"];
    match id {
        1001..=1010
        | 1020..=1022
        | 1024
        | 1043
        | 1044
        | 2001..=2003
        | 2005..=2008
        | 3001
        | 3005
        | 3020
        | 3025 => DISGUISE,
        1011 | 1012 | 1023 | 2004 => ENCODING,
        // a rogue GTP peer: Exploit Interconnection Agreements + Core Signalling
        // Infrastructure Access
        3023 => &["MOT1199.301", "MOT1583.301"],
        // charging records to an undeclared gateway: Access Subscriber Data
        3024 => &["MOT3004"],
        // Exploit via Core Signalling Interface + Mobile Network Tool
        1040..=1042 => &["MOT3003", "MOT1587.301"],
        // SS7 Protocol (exploit via core signalling) + Core Network Function Signalling (locate)
        3002 => &["MOT3003.301", "MOT5012.501"],
        // Exploit Interconnection Agreements + Retrieve Subscriber Identity Information
        3003 => &["MOT1199.301", "MOT5019.302"],
        // Originating Entity Spoofing + Core Network Function Signalling (locate)
        3004 => &["MOT1036.301", "MOT5012.501"],
        // Exploit Interconnection Agreements + Core Signalling Infrastructure Access
        3006 => &["MOT1199.301", "MOT1583.301"],
        // Exploit Interconnection Agreements + Access Subscriber Data
        3008 => &["MOT1199.301", "MOT3004"],
        // Scan Signalling Addresses + Retrieve Subscriber Identity Information
        3007 => &["MOT1046.301", "MOT5019.302"],
        // Scan Signalling Addresses (GTP nodes, tunnel ids)
        3026 | 3027 => &["MOT1046.301"],
        _ => &[],
    }
}

/// The signature with this id.
pub fn by_id(id: u32) -> Option<&'static Signature> {
    ALL.iter().find(|s| s.id == id)
}

/// The signature with this stable name.
pub fn by_name(name: &str) -> Option<&'static Signature> {
    ALL.iter().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_in_their_kind_range() {
        for (i, a) in ALL.iter().enumerate() {
            for b in ALL.iter().skip(i + 1) {
                assert_ne!(a.id, b.id);
                assert_ne!(a.name, b.name);
            }
            let range = match a.kind {
                "structure" => 1000..2000,
                "content" => 2000..3000,
                "behaviour" => 3000..4000,
                other => panic!("kind {other}"),
            };
            assert!(range.contains(&a.id), "{}", a.name);
            assert!((1..=3).contains(&a.severity));
            assert!(!a.mitre.is_empty());
        }
        assert_eq!(by_id(1001).map(|s| s.name), Some("gtp_echo_unexpected_ie"));
    }
}
