//! M3UA (RFC 4666): every message class and type, parameters, and the DATA message's
//! protocol data (OPC, DPC, SI, NI, MP, SLS, user data), and the management parameters
//! (Affected Point Code, Error Code, Status, ASP Identifier, INFO String, Traffic Mode Type,
//! User/Cause, Congestion Indications, Concerned Destination, Routing Key, Registration and
//! Deregistration Results, ...) as borrowed views with open enumerations for their codes.

use sigscope_core::{Anomalies, Anomaly, AnomalyCode, Error, Layer};

use crate::common::{self, Message, Param, ParamIter};

sigscope_core::open_enum! {
    /// M3UA message classes.
    pub struct MessageClass(u8) {
        MGMT = 0 => "MGMT",
        TRANSFER = 1 => "Transfer",
        SSNM = 2 => "SSNM",
        ASPSM = 3 => "ASPSM",
        ASPTM = 4 => "ASPTM",
        RKM = 9 => "RKM",
    }
}

sigscope_core::open_enum! {
    /// M3UA parameter tags.
    pub struct ParamTag(u16) {
        INFO_STRING = 0x0004 => "INFO String",
        ROUTING_CONTEXT = 0x0006 => "Routing Context",
        DIAGNOSTIC_INFO = 0x0007 => "Diagnostic Information",
        HEARTBEAT_DATA = 0x0009 => "Heartbeat Data",
        TRAFFIC_MODE_TYPE = 0x000b => "Traffic Mode Type",
        ERROR_CODE = 0x000c => "Error Code",
        STATUS = 0x000d => "Status",
        ASP_IDENTIFIER = 0x0011 => "ASP Identifier",
        AFFECTED_POINT_CODE = 0x0012 => "Affected Point Code",
        CORRELATION_ID = 0x0013 => "Correlation ID",
        NETWORK_APPEARANCE = 0x0200 => "Network Appearance",
        USER_CAUSE = 0x0204 => "User/Cause",
        CONGESTION_INDICATIONS = 0x0205 => "Congestion Indications",
        CONCERNED_DESTINATION = 0x0206 => "Concerned Destination",
        ROUTING_KEY = 0x0207 => "Routing Key",
        REGISTRATION_RESULT = 0x0208 => "Registration Result",
        DEREGISTRATION_RESULT = 0x0209 => "Deregistration Result",
        LOCAL_ROUTING_KEY_ID = 0x020a => "Local Routing Key Identifier",
        DESTINATION_POINT_CODE = 0x020b => "Destination Point Code",
        SERVICE_INDICATORS = 0x020c => "Service Indicators",
        ORIGINATING_POINT_CODE_LIST = 0x020e => "Originating Point Code List",
        PROTOCOL_DATA = 0x0210 => "Protocol Data",
        REGISTRATION_STATUS = 0x0212 => "Registration Status",
        DEREGISTRATION_STATUS = 0x0213 => "Deregistration Status",
    }
}

/// Name of an M3UA message (class, type), e.g. `"DATA"`, `"ASPUP"`, `"DUNA"`.
pub fn message_name(class: u8, msg_type: u8) -> Option<&'static str> {
    if let Some(n) = crate::common::shared_message_name(class, msg_type) {
        return Some(n);
    }
    if class == 2 {
        return crate::common::ssnm_message_name(msg_type);
    }
    Some(match (class, msg_type) {
        (1, 1) => "DATA",
        (9, 1) => "REG_REQ",
        (9, 2) => "REG_RSP",
        (9, 3) => "DEREG_REQ",
        (9, 4) => "DEREG_RSP",
        _ => return None,
    })
}

sigscope_core::open_enum! {
    /// Error Code values (RFC 4666 §3.8.1). 0x02, 0x08, 0x0a-0x0c, 0x10, 0x17 and 0x18 are
    /// "Not Used in M3UA" (they belong to IUA/M2UA) and stay unnamed here.
    pub struct ErrorCode(u32) {
        INVALID_VERSION = 0x01 => "Invalid Version",
        UNSUPPORTED_MESSAGE_CLASS = 0x03 => "Unsupported Message Class",
        UNSUPPORTED_MESSAGE_TYPE = 0x04 => "Unsupported Message Type",
        UNSUPPORTED_TRAFFIC_MODE_TYPE = 0x05 => "Unsupported Traffic Mode Type",
        UNEXPECTED_MESSAGE = 0x06 => "Unexpected Message",
        PROTOCOL_ERROR = 0x07 => "Protocol Error",
        INVALID_STREAM_IDENTIFIER = 0x09 => "Invalid Stream Identifier",
        REFUSED_MANAGEMENT_BLOCKING = 0x0d => "Refused - Management Blocking",
        ASP_IDENTIFIER_REQUIRED = 0x0e => "ASP Identifier Required",
        INVALID_ASP_IDENTIFIER = 0x0f => "Invalid ASP Identifier",
        INVALID_PARAMETER_VALUE = 0x11 => "Invalid Parameter Value",
        PARAMETER_FIELD_ERROR = 0x12 => "Parameter Field Error",
        UNEXPECTED_PARAMETER = 0x13 => "Unexpected Parameter",
        DESTINATION_STATUS_UNKNOWN = 0x14 => "Destination Status Unknown",
        INVALID_NETWORK_APPEARANCE = 0x15 => "Invalid Network Appearance",
        MISSING_PARAMETER = 0x16 => "Missing Parameter",
        INVALID_ROUTING_CONTEXT = 0x19 => "Invalid Routing Context",
        NO_CONFIGURED_AS_FOR_ASP = 0x1a => "No Configured AS for ASP",
    }
}

sigscope_core::open_enum! {
    /// Status Type of the Status parameter of NTFY (RFC 4666 §3.8.2).
    pub struct StatusType(u16) {
        AS_STATE_CHANGE = 1 => "AS-State_Change",
        OTHER = 2 => "Other",
    }
}

sigscope_core::open_enum! {
    /// Traffic Mode Type (RFC 4666 §3.7.1).
    pub struct TrafficModeType(u32) {
        OVERRIDE = 1 => "Override",
        LOADSHARE = 2 => "Loadshare",
        BROADCAST = 3 => "Broadcast",
    }
}

sigscope_core::open_enum! {
    /// Unavailability Cause of the User/Cause parameter of DUPU (RFC 4666 §3.4.5).
    pub struct UnavailabilityCause(u16) {
        UNKNOWN = 0 => "Unknown",
        UNEQUIPPED_REMOTE_USER = 1 => "Unequipped Remote User",
        INACCESSIBLE_REMOTE_USER = 2 => "Inaccessible Remote User",
    }
}

sigscope_core::open_enum! {
    /// MTP3-User Identity of the User/Cause parameter of DUPU (RFC 4666 §3.4.5); 0-2, 6-8,
    /// 11 and 15 are reserved.
    pub struct MtpUserIdentity(u16) {
        SCCP = 3 => "SCCP",
        TUP = 4 => "TUP",
        ISUP = 5 => "ISUP",
        BROADBAND_ISUP = 9 => "Broadband ISUP",
        SATELLITE_ISUP = 10 => "Satellite ISUP",
        AAL2_SIGNALLING = 12 => "AAL type 2 Signalling",
        BICC = 13 => "Bearer Independent Call Control (BICC)",
        GATEWAY_CONTROL_PROTOCOL = 14 => "Gateway Control Protocol",
    }
}

sigscope_core::open_enum! {
    /// Congestion Level of the Congestion Indications parameter of SCON (RFC 4666 §3.4.4).
    pub struct CongestionLevel(u8) {
        NONE = 0 => "No Congestion or Undefined",
        LEVEL_1 = 1 => "Congestion Level 1",
        LEVEL_2 = 2 => "Congestion Level 2",
        LEVEL_3 = 3 => "Congestion Level 3",
    }
}

sigscope_core::open_enum! {
    /// Registration Status, within a Registration Result of REG RSP (RFC 4666 §3.6.2).
    pub struct RegistrationStatus(u32) {
        SUCCESSFULLY_REGISTERED = 0 => "Successfully Registered",
        UNKNOWN = 1 => "Error - Unknown",
        INVALID_DPC = 2 => "Error - Invalid DPC",
        INVALID_NETWORK_APPEARANCE = 3 => "Error - Invalid Network Appearance",
        INVALID_ROUTING_KEY = 4 => "Error - Invalid Routing Key",
        PERMISSION_DENIED = 5 => "Error - Permission Denied",
        CANNOT_SUPPORT_UNIQUE_ROUTING = 6 => "Error - Cannot Support Unique Routing",
        ROUTING_KEY_NOT_PROVISIONED = 7 => "Error - Routing Key not Currently Provisioned",
        INSUFFICIENT_RESOURCES = 8 => "Error - Insufficient Resources",
        UNSUPPORTED_RK_PARAMETER_FIELD = 9 => "Error - Unsupported RK parameter Field",
        UNSUPPORTED_TRAFFIC_HANDLING_MODE = 10 => "Error - Unsupported/Invalid Traffic Handling Mode",
        ROUTING_KEY_CHANGE_REFUSED = 11 => "Error - Routing Key Change Refused",
        ROUTING_KEY_ALREADY_REGISTERED = 12 => "Error - Routing Key Already Registered",
    }
}

sigscope_core::open_enum! {
    /// Deregistration Status, within a Deregistration Result of DEREG RSP (RFC 4666 §3.6.4).
    pub struct DeregistrationStatus(u32) {
        SUCCESSFULLY_DEREGISTERED = 0 => "Successfully Deregistered",
        UNKNOWN = 1 => "Error - Unknown",
        INVALID_ROUTING_CONTEXT = 2 => "Error - Invalid Routing Context",
        PERMISSION_DENIED = 3 => "Error - Permission Denied",
        NOT_REGISTERED = 4 => "Error - Not Registered",
        ASP_CURRENTLY_ACTIVE = 5 => "Error - ASP Currently Active for Routing Context",
    }
}

/// The Status parameter of NTFY (RFC 4666 §3.8.2): type and information.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Status {
    /// Status Type.
    pub status_type: StatusType,
    /// Status Information (its meaning depends on the type).
    pub info: u16,
}

impl Status {
    /// Name of the Status Information for its type (`AS-ACTIVE`, `ASP Failure`, ...); `None`
    /// for unassigned and reserved values.
    pub const fn info_name(&self) -> Option<&'static str> {
        match (self.status_type.0, self.info) {
            (1, 2) => Some("AS-INACTIVE"),
            (1, 3) => Some("AS-ACTIVE"),
            (1, 4) => Some("AS-PENDING"),
            (2, 1) => Some("Insufficient ASP Resources Active in AS"),
            (2, 2) => Some("Alternate ASP Active"),
            (2, 3) => Some("ASP Failure"),
            _ => None,
        }
    }
}

/// The User/Cause parameter of DUPU (RFC 4666 §3.4.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserCause {
    /// Unavailability Cause.
    pub cause: UnavailabilityCause,
    /// MTP3-User Identity (the MTP3 service indicator of the unavailable user).
    pub user: MtpUserIdentity,
}

/// A point code with its mask (Affected Point Code, Destination Point Code, Originating Point
/// Code List): 8-bit mask, 24-bit point code (RFC 4666 §3.4.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaskedPc {
    /// Mask: how many low bits of the point code are wildcards (0 = exactly this PC).
    pub mask: u8,
    /// Point code (ITU 14-bit or ANSI/Chinese 24-bit, right-aligned).
    pub pc: u32,
}

impl MaskedPc {
    /// From a 4-byte word: mask, then the point code in 24 bits.
    pub const fn from_word(w: [u8; 4]) -> Self {
        let [mask, a, b, c] = w;
        MaskedPc {
            mask,
            pc: u32::from_be_bytes([0, a, b, c]),
        }
    }
}

/// A parameter value that is a list of 32-bit words (Routing Context, Affected Point Code,
/// Originating Point Code List), borrowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WordList<'a> {
    data: &'a [u8],
    offset: usize,
}

impl<'a> WordList<'a> {
    /// The list in `data`, which starts at `offset` within the message.
    pub const fn new(data: &'a [u8], offset: usize) -> Self {
        WordList { data, offset }
    }

    /// The raw value.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.data
    }

    /// Offset of the value within the message.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Number of complete words.
    pub const fn len(&self) -> usize {
        self.data.len() / 4
    }

    /// No complete word.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The words; a trailing partial word yields an error (once).
    pub fn words(&self) -> WordIter<'a> {
        WordIter {
            data: self.data,
            offset: self.offset,
            pos: 0,
        }
    }

    /// The words as big-endian u32 (routing contexts).
    pub fn u32s(&self) -> impl Iterator<Item = Result<u32, Error>> + 'a {
        self.words().map(|w| w.map(u32::from_be_bytes))
    }

    /// The words as masked point codes.
    pub fn point_codes(&self) -> impl Iterator<Item = Result<MaskedPc, Error>> + 'a {
        self.words().map(|w| w.map(MaskedPc::from_word))
    }
}

/// Iterator over the words of a [`WordList`].
#[derive(Clone, Debug)]
pub struct WordIter<'a> {
    data: &'a [u8],
    offset: usize,
    pos: usize,
}

impl Iterator for WordIter<'_> {
    type Item = Result<[u8; 4], Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.pos;
        match self.data.get(at..)? {
            [] => None,
            [a, b, c, d, ..] => {
                self.pos += 4;
                Some(Ok([*a, *b, *c, *d]))
            }
            short => {
                self.pos = self.data.len();
                Some(Err(Error::len(
                    Layer::M3ua,
                    4,
                    short.len(),
                    self.offset + at,
                )))
            }
        }
    }
}

/// A Routing Key parameter of REG REQ (RFC 4666 §3.6.1). A key may carry several
/// DPC / SI / OPC-list sets; the first of each is kept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoutingKey<'a> {
    /// Offset of the parameter within the message.
    pub offset: usize,
    /// Local-RK-Identifier.
    pub local_rk_id: Option<u32>,
    /// Routing Context.
    pub routing_context: Option<u32>,
    /// Traffic Mode Type.
    pub traffic_mode: Option<TrafficModeType>,
    /// Network Appearance.
    pub network_appearance: Option<u32>,
    /// Destination Point Code (first).
    pub dpc: Option<MaskedPc>,
    /// Service Indicators (first list; one SI per byte).
    pub service_indicators: Option<&'a [u8]>,
    /// Originating Point Code List (first).
    pub opc_list: Option<WordList<'a>>,
}

/// A Registration Result parameter of REG RSP (RFC 4666 §3.6.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegistrationResult {
    /// Offset of the parameter within the message.
    pub offset: usize,
    /// Local-RK-Identifier.
    pub local_rk_id: Option<u32>,
    /// Registration Status.
    pub status: Option<RegistrationStatus>,
    /// Routing Context.
    pub routing_context: Option<u32>,
}

/// A Deregistration Result parameter of DEREG RSP (RFC 4666 §3.6.4).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeregistrationResult {
    /// Offset of the parameter within the message.
    pub offset: usize,
    /// Routing Context.
    pub routing_context: Option<u32>,
    /// Deregistration Status.
    pub status: Option<DeregistrationStatus>,
}

/// Length of the fixed part of Protocol Data (OPC, DPC, SI, NI, MP, SLS).
pub const PROTOCOL_DATA_FIXED_LEN: usize = 12;
/// Longest INFO String RFC 4666 allows (§3.8.1: 0 to 255 octets).
pub const MAX_INFO_STRING_LEN: usize = 255;

/// The Protocol Data parameter of a DATA message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolData<'a> {
    /// Originating point code.
    pub opc: u32,
    /// Destination point code.
    pub dpc: u32,
    /// Service indicator (3 = SCCP, 5 = ISUP, ...).
    pub si: u8,
    /// Network indicator.
    pub ni: u8,
    /// Message priority.
    pub mp: u8,
    /// Signalling link selection.
    pub sls: u8,
    /// User data (the MTP3 user part: SCCP, ISUP, ...).
    pub user_data: &'a [u8],
    /// Offset of the user data within the M3UA message.
    pub user_data_offset: usize,
}

/// A decoded M3UA message. Parameters are borrowed from the input; a parameter RFC 4666 allows
/// once is taken from its first occurrence (later ones are reported as `duplicate_parameter`).
#[derive(Clone, Copy, Debug)]
pub struct M3uaMessage<'a> {
    /// Header and parameters.
    pub msg: Message<'a>,
    /// Protocol data when this is DATA and it decoded.
    pub protocol_data: Option<ProtocolData<'a>>,
    /// Network appearance, if present.
    pub network_appearance: Option<u32>,
    /// Routing context (first value), if present.
    pub routing_context: Option<u32>,
    /// Every Routing Context value (the parameter is a list).
    pub routing_contexts: Option<WordList<'a>>,
    /// INFO String (UTF-8 per RFC 4666; see [`M3uaMessage::info_str`]).
    pub info_string: Option<&'a [u8]>,
    /// Diagnostic Information (ERR), raw.
    pub diagnostic_info: Option<&'a [u8]>,
    /// Heartbeat Data (BEAT / BEAT ACK), raw.
    pub heartbeat_data: Option<&'a [u8]>,
    /// Traffic Mode Type.
    pub traffic_mode: Option<TrafficModeType>,
    /// Error Code (ERR).
    pub error_code: Option<ErrorCode>,
    /// Status (NTFY).
    pub status: Option<Status>,
    /// ASP Identifier.
    pub asp_id: Option<u32>,
    /// Affected Point Codes (SSNM: DUNA, DAVA, DAUD, SCON, DUPU, DRST).
    pub affected_point_codes: Option<WordList<'a>>,
    /// Correlation ID.
    pub correlation_id: Option<u32>,
    /// User/Cause (DUPU).
    pub user_cause: Option<UserCause>,
    /// Congestion Level (SCON).
    pub congestion_level: Option<CongestionLevel>,
    /// Concerned Destination (SCON): the DPC of the originator of the congested traffic.
    pub concerned_dpc: Option<u32>,
    /// A Registration Status outside a Registration Result (RFC 4666 nests it).
    pub registration_status: Option<RegistrationStatus>,
    /// A Deregistration Status outside a Deregistration Result (RFC 4666 nests it).
    pub deregistration_status: Option<DeregistrationStatus>,
}

impl<'a> M3uaMessage<'a> {
    /// Class.
    pub fn class(&self) -> MessageClass {
        MessageClass(self.msg.class())
    }

    /// Type within the class.
    pub fn msg_type(&self) -> u8 {
        self.msg.msg_type()
    }

    /// Name, if the class/type is assigned.
    pub fn name(&self) -> Option<&'static str> {
        message_name(self.msg.class(), self.msg.msg_type())
    }

    /// The INFO String as text, when it is valid UTF-8.
    pub fn info_str(&self) -> Option<&'a str> {
        self.info_string.and_then(|s| core::str::from_utf8(s).ok())
    }

    /// The masked point codes of the Affected Point Code parameter (complete entries).
    pub fn affected_pcs(&self) -> impl Iterator<Item = MaskedPc> + 'a {
        self.affected_point_codes
            .into_iter()
            .flat_map(|l| l.point_codes().map_while(Result::ok))
    }

    /// Every Routing Key parameter (REG REQ), decoded.
    pub fn routing_keys(&self) -> impl Iterator<Item = RoutingKey<'a>> + 'a {
        self.msg
            .params()
            .map_while(Result::ok)
            .filter(|p| p.tag == ParamTag::ROUTING_KEY.0)
            .map(|p| routing_key(&p, &mut Anomalies::new()))
    }

    /// Every Registration Result parameter (REG RSP), decoded.
    pub fn registration_results(&self) -> impl Iterator<Item = RegistrationResult> + 'a {
        self.msg
            .params()
            .map_while(Result::ok)
            .filter(|p| p.tag == ParamTag::REGISTRATION_RESULT.0)
            .map(|p| registration_result(&p, &mut Anomalies::new()))
    }

    /// Every Deregistration Result parameter (DEREG RSP), decoded.
    pub fn deregistration_results(&self) -> impl Iterator<Item = DeregistrationResult> + 'a {
        self.msg
            .params()
            .map_while(Result::ok)
            .filter(|p| p.tag == ParamTag::DEREGISTRATION_RESULT.0)
            .map(|p| deregistration_result(&p, &mut Anomalies::new()))
    }
}

/// `parameter_length_invalid`: the value's length does not fit the parameter (not reported for a
/// truncated parameter, which has its own anomaly).
fn bad_len(p: &Param<'_>, anomalies: &mut Anomalies) {
    if !p.truncated {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::ParameterLengthInvalid,
                p.offset + 2,
                "parameter length does not fit its tag",
            )
            .with_value(u64::from(p.tag)),
        );
    }
}

/// A 4-byte value.
fn word(p: &Param<'_>, anomalies: &mut Anomalies) -> Option<[u8; 4]> {
    match p.value {
        &[a, b, c, d] => Some([a, b, c, d]),
        _ => {
            bad_len(p, anomalies);
            None
        }
    }
}

fn u32_value(p: &Param<'_>, anomalies: &mut Anomalies) -> Option<u32> {
    word(p, anomalies).map(u32::from_be_bytes)
}

/// A non-empty list of 4-byte words.
fn word_list<'a>(p: &Param<'a>, anomalies: &mut Anomalies) -> Option<WordList<'a>> {
    if p.value.is_empty() || p.value.len() % 4 != 0 {
        bad_len(p, anomalies);
    }
    (!p.value.is_empty()).then(|| WordList::new(p.value, p.offset + 4))
}

/// Store `v` unless the slot is taken (then `duplicate_parameter`).
fn once<T>(slot: &mut Option<T>, v: Option<T>, p: &Param<'_>, anomalies: &mut Anomalies) {
    if slot.is_some() {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::DuplicateParameter,
                p.offset,
                "parameter repeated",
            )
            .with_value(u64::from(p.tag)),
        );
    } else {
        *slot = v;
    }
}

fn traffic_mode(p: &Param<'_>, anomalies: &mut Anomalies) -> Option<TrafficModeType> {
    let t = TrafficModeType(u32_value(p, anomalies)?);
    if !t.is_known() {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::UnknownTrafficMode,
                p.offset + 4,
                "unassigned Traffic Mode Type",
            )
            .with_value(u64::from(t.0)),
        );
    }
    Some(t)
}

/// Walk the parameters nested in `p` (Routing Key, Registration / Deregistration Result).
fn nested<'a>(
    p: &Param<'a>,
    anomalies: &mut Anomalies,
    mut f: impl FnMut(&Param<'a>, &mut Anomalies),
) {
    for q in ParamIter::new(Layer::M3ua, p.value, p.offset + 4) {
        match q {
            Ok(q) => {
                if let Some(t) = q.truncation(Layer::M3ua) {
                    anomalies.push(t);
                }
                f(&q, anomalies);
            }
            Err(e) => anomalies.push(e.to_anomaly()),
        }
    }
}

fn unexpected_nested(q: &Param<'_>, anomalies: &mut Anomalies) {
    anomalies.push(
        Anomaly::new(
            Layer::M3ua,
            AnomalyCode::UnexpectedParameter,
            q.offset,
            "parameter not allowed inside this one",
        )
        .with_value(u64::from(q.tag)),
    );
}

fn routing_key<'a>(p: &Param<'a>, anomalies: &mut Anomalies) -> RoutingKey<'a> {
    let mut rk = RoutingKey {
        offset: p.offset,
        ..RoutingKey::default()
    };
    nested(p, anomalies, |q, a| match ParamTag(q.tag) {
        ParamTag::LOCAL_ROUTING_KEY_ID => once(&mut rk.local_rk_id, u32_value(q, a), q, a),
        ParamTag::ROUTING_CONTEXT => {
            let first = word_list(q, a).and_then(|l| l.u32s().next()?.ok());
            once(&mut rk.routing_context, first, q, a)
        }
        ParamTag::TRAFFIC_MODE_TYPE => once(&mut rk.traffic_mode, traffic_mode(q, a), q, a),
        ParamTag::NETWORK_APPEARANCE => once(&mut rk.network_appearance, u32_value(q, a), q, a),
        // DPC / SI / OPC list may come in several sets: keep the first of each.
        ParamTag::DESTINATION_POINT_CODE => {
            let v = word(q, a).map(MaskedPc::from_word);
            rk.dpc = rk.dpc.or(v);
        }
        ParamTag::SERVICE_INDICATORS => {
            rk.service_indicators = rk.service_indicators.or(Some(q.value))
        }
        ParamTag::ORIGINATING_POINT_CODE_LIST => {
            let v = word_list(q, a);
            rk.opc_list = rk.opc_list.or(v);
        }
        _ => unexpected_nested(q, a),
    });
    rk
}

fn registration_result(p: &Param<'_>, anomalies: &mut Anomalies) -> RegistrationResult {
    let mut r = RegistrationResult {
        offset: p.offset,
        ..RegistrationResult::default()
    };
    nested(p, anomalies, |q, a| match ParamTag(q.tag) {
        ParamTag::LOCAL_ROUTING_KEY_ID => once(&mut r.local_rk_id, u32_value(q, a), q, a),
        ParamTag::REGISTRATION_STATUS => {
            let v = u32_value(q, a).map(RegistrationStatus);
            once(&mut r.status, v, q, a)
        }
        ParamTag::ROUTING_CONTEXT => once(&mut r.routing_context, u32_value(q, a), q, a),
        _ => unexpected_nested(q, a),
    });
    r
}

fn deregistration_result(p: &Param<'_>, anomalies: &mut Anomalies) -> DeregistrationResult {
    let mut r = DeregistrationResult {
        offset: p.offset,
        ..DeregistrationResult::default()
    };
    nested(p, anomalies, |q, a| match ParamTag(q.tag) {
        ParamTag::ROUTING_CONTEXT => once(&mut r.routing_context, u32_value(q, a), q, a),
        ParamTag::DEREGISTRATION_STATUS => {
            let v = u32_value(q, a).map(DeregistrationStatus);
            once(&mut r.status, v, q, a)
        }
        _ => unexpected_nested(q, a),
    });
    r
}

/// Decode an M3UA message; anomalies offsets are within `data`.
pub fn parse<'a>(data: &'a [u8], anomalies: &mut Anomalies) -> Result<M3uaMessage<'a>, Error> {
    let msg = Message::parse(Layer::M3ua, data, anomalies)?;
    let empty = M3uaMessage {
        msg,
        protocol_data: None,
        network_appearance: None,
        routing_context: None,
        routing_contexts: None,
        info_string: None,
        diagnostic_info: None,
        heartbeat_data: None,
        traffic_mode: None,
        error_code: None,
        status: None,
        asp_id: None,
        affected_point_codes: None,
        correlation_id: None,
        user_cause: None,
        congestion_level: None,
        concerned_dpc: None,
        registration_status: None,
        deregistration_status: None,
    };
    if msg.class() == 1 && msg.msg_type() == 1 {
        if let Some(d) = plain_data(&msg) {
            // one struct expression, written where it is returned (the message is large:
            // filling a local and moving it out cost as much as decoding it)
            return Ok(M3uaMessage {
                protocol_data: Some(d.protocol_data),
                network_appearance: d.network_appearance,
                routing_context: d.routing_contexts.and_then(|l| l.u32s().next()?.ok()),
                routing_contexts: d.routing_contexts,
                ..empty
            });
        }
    }
    let mut out = empty;
    parameters(&msg, &mut out, anomalies);
    Ok(out)
}

/// What [`plain_data`] finds.
struct PlainData<'a> {
    protocol_data: ProtocolData<'a>,
    network_appearance: Option<u32>,
    routing_contexts: Option<WordList<'a>>,
}

/// The usual DATA message decoded in one pass: at most one Network Appearance (4 bytes), one
/// Routing Context list and one Protocol Data (at least 12 bytes), nothing else, every
/// parameter within the message. Then there is nothing to report, and the result is what
/// [`parameters`] gives; otherwise `None`.
#[inline(always)]
fn plain_data<'a>(msg: &Message<'a>) -> Option<PlainData<'a>> {
    let body = msg.body();
    let mut pos = 0;
    let mut na = None;
    let mut rc: Option<WordList<'a>> = None;
    let mut pd = None;
    while pos < body.len() {
        let &[t0, t1, l0, l1] = body.get(pos..pos + 4)? else {
            return None;
        };
        let len = usize::from(u16::from_be_bytes([l0, l1]));
        if len < 4 {
            return None;
        }
        let value = body.get(pos + 4..pos + len)?;
        let offset = common::COMMON_HEADER_LEN + pos;
        match ParamTag(u16::from_be_bytes([t0, t1])) {
            ParamTag::PROTOCOL_DATA if pd.is_none() => {
                pd = Some(protocol_data_of(value, offset)?);
            }
            ParamTag::ROUTING_CONTEXT
                if rc.is_none() && !value.is_empty() && value.len() % 4 == 0 =>
            {
                rc = Some(WordList::new(value, offset + 4));
            }
            ParamTag::NETWORK_APPEARANCE if na.is_none() => match value {
                &[a, b, c, d] => na = Some(u32::from_be_bytes([a, b, c, d])),
                _ => return None,
            },
            _ => return None,
        }
        pos += (len + 3) & !3;
    }
    Some(PlainData {
        protocol_data: pd?,
        network_appearance: na,
        routing_contexts: rc,
    })
}

/// Protocol Data (RFC 4666 3.3.1) from the value of the parameter at `offset`: OPC, DPC,
/// SI, NI, MP, SLS and the user data; `None` when shorter than its fixed part.
#[inline(always)]
fn protocol_data_of(value: &[u8], offset: usize) -> Option<ProtocolData<'_>> {
    match value {
        &[o0, o1, o2, o3, d0, d1, d2, d3, si, ni, mp, sls, ref rest @ ..] => Some(ProtocolData {
            opc: u32::from_be_bytes([o0, o1, o2, o3]),
            dpc: u32::from_be_bytes([d0, d1, d2, d3]),
            si,
            ni,
            mp,
            sls,
            user_data: rest,
            user_data_offset: offset + 4 + PROTOCOL_DATA_FIXED_LEN,
        }),
        _ => None,
    }
}

/// Every parameter, checked and stored.
fn parameters<'a>(msg: &Message<'a>, out: &mut M3uaMessage<'a>, anomalies: &mut Anomalies) {
    if message_name(msg.class(), msg.msg_type()).is_none() {
        anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::UnassignedMessageType,
                2,
                "unassigned class/type",
            )
            .with_value(u64::from(msg.class()) << 8 | u64::from(msg.msg_type())),
        );
    }
    let is_data = msg.class() == 1 && msg.msg_type() == 1;
    for p in msg.params() {
        let p = match p {
            Ok(p) => p,
            Err(e) => {
                anomalies.push(e.to_anomaly());
                continue;
            }
        };
        if let Some(t) = p.truncation(Layer::M3ua) {
            anomalies.push(t);
        }
        let a = &mut *anomalies;
        match ParamTag(p.tag) {
            ParamTag::PROTOCOL_DATA => protocol_data(&p, is_data, out, a),
            ParamTag::NETWORK_APPEARANCE => {
                once(&mut out.network_appearance, u32_value(&p, a), &p, a)
            }
            ParamTag::ROUTING_CONTEXT => {
                let l = word_list(&p, a);
                if out.routing_contexts.is_none() {
                    out.routing_context = l.and_then(|l| l.u32s().next()?.ok());
                }
                once(&mut out.routing_contexts, l, &p, a);
            }
            ParamTag::INFO_STRING => {
                if p.value.len() > MAX_INFO_STRING_LEN {
                    a.push(
                        Anomaly::new(
                            Layer::M3ua,
                            AnomalyCode::InfoStringTooLong,
                            p.offset + 2,
                            "INFO String longer than 255 octets",
                        )
                        .with_value(p.value.len() as u64),
                    );
                }
                if let Err(e) = core::str::from_utf8(p.value) {
                    a.push(Anomaly::new(
                        Layer::M3ua,
                        AnomalyCode::InfoStringNotUtf8,
                        p.offset + 4 + e.valid_up_to(),
                        "INFO String is not UTF-8 text",
                    ));
                }
                once(&mut out.info_string, Some(p.value), &p, a);
            }
            ParamTag::DIAGNOSTIC_INFO => once(&mut out.diagnostic_info, Some(p.value), &p, a),
            ParamTag::HEARTBEAT_DATA => once(&mut out.heartbeat_data, Some(p.value), &p, a),
            ParamTag::TRAFFIC_MODE_TYPE => once(&mut out.traffic_mode, traffic_mode(&p, a), &p, a),
            ParamTag::ERROR_CODE => {
                let v = u32_value(&p, a).map(ErrorCode);
                if let Some(c) = v.filter(|c| !c.is_known()) {
                    a.push(
                        Anomaly::new(
                            Layer::M3ua,
                            AnomalyCode::UnknownErrorCode,
                            p.offset + 4,
                            "Error Code unassigned in M3UA",
                        )
                        .with_value(u64::from(c.0)),
                    );
                }
                once(&mut out.error_code, v, &p, a);
            }
            ParamTag::STATUS => {
                let v = word(&p, a).map(|[t0, t1, i0, i1]| Status {
                    status_type: StatusType(u16::from_be_bytes([t0, t1])),
                    info: u16::from_be_bytes([i0, i1]),
                });
                if let Some(s) = v.filter(|s| s.info_name().is_none()) {
                    a.push(
                        Anomaly::new(
                            Layer::M3ua,
                            AnomalyCode::UnknownStatus,
                            p.offset + 4,
                            "unassigned Status Type / Status Information",
                        )
                        .with_value(u64::from(s.status_type.0) << 16 | u64::from(s.info)),
                    );
                }
                once(&mut out.status, v, &p, a);
            }
            ParamTag::ASP_IDENTIFIER => once(&mut out.asp_id, u32_value(&p, a), &p, a),
            ParamTag::AFFECTED_POINT_CODE => {
                once(&mut out.affected_point_codes, word_list(&p, a), &p, a)
            }
            ParamTag::CORRELATION_ID => once(&mut out.correlation_id, u32_value(&p, a), &p, a),
            ParamTag::USER_CAUSE => {
                let v = word(&p, a).map(|[c0, c1, u0, u1]| UserCause {
                    cause: UnavailabilityCause(u16::from_be_bytes([c0, c1])),
                    user: MtpUserIdentity(u16::from_be_bytes([u0, u1])),
                });
                once(&mut out.user_cause, v, &p, a);
            }
            ParamTag::CONGESTION_INDICATIONS => {
                let v = word(&p, a).map(|[_, _, _, level]| CongestionLevel(level));
                once(&mut out.congestion_level, v, &p, a);
            }
            ParamTag::CONCERNED_DESTINATION => {
                let v = word(&p, a).map(|[_, x, y, z]| u32::from_be_bytes([0, x, y, z]));
                once(&mut out.concerned_dpc, v, &p, a);
            }
            ParamTag::REGISTRATION_STATUS => {
                let v = u32_value(&p, a).map(RegistrationStatus);
                once(&mut out.registration_status, v, &p, a);
            }
            ParamTag::DEREGISTRATION_STATUS => {
                let v = u32_value(&p, a).map(DeregistrationStatus);
                once(&mut out.deregistration_status, v, &p, a);
            }
            // Repeatable; checked here, decoded on demand by the accessors.
            ParamTag::ROUTING_KEY => {
                let _ = routing_key(&p, a);
            }
            ParamTag::REGISTRATION_RESULT => {
                let _ = registration_result(&p, a);
            }
            ParamTag::DEREGISTRATION_RESULT => {
                let _ = deregistration_result(&p, a);
            }
            ParamTag::LOCAL_ROUTING_KEY_ID
            | ParamTag::DESTINATION_POINT_CODE
            | ParamTag::SERVICE_INDICATORS
            | ParamTag::ORIGINATING_POINT_CODE_LIST => a.push(
                Anomaly::new(
                    Layer::M3ua,
                    AnomalyCode::UnexpectedParameter,
                    p.offset,
                    "Routing Key part outside a Routing Key",
                )
                .with_value(u64::from(p.tag)),
            ),
            t if !t.is_known() => a.push(
                Anomaly::new(
                    Layer::M3ua,
                    AnomalyCode::UnknownParameter,
                    p.offset,
                    "unassigned parameter tag",
                )
                .with_value(u64::from(p.tag)),
            ),
            _ => {}
        }
    }
    if is_data && out.protocol_data.is_none() {
        anomalies.push(Anomaly::new(
            Layer::M3ua,
            AnomalyCode::MissingProtocolData,
            8,
            "DATA without Protocol Data",
        ));
    }
}

fn protocol_data<'a>(
    p: &Param<'a>,
    is_data: bool,
    out: &mut M3uaMessage<'a>,
    anomalies: &mut Anomalies,
) {
    if !is_data {
        anomalies.push(Anomaly::new(
            Layer::M3ua,
            AnomalyCode::UnexpectedParameter,
            p.offset,
            "Protocol Data outside DATA",
        ));
    }
    if out.protocol_data.is_some() {
        anomalies.push(Anomaly::new(
            Layer::M3ua,
            AnomalyCode::DuplicateParameter,
            p.offset,
            "second Protocol Data",
        ));
        return;
    }
    match protocol_data_of(p.value, p.offset) {
        Some(pd) => out.protocol_data = Some(pd),
        None => anomalies.push(
            Anomaly::new(
                Layer::M3ua,
                AnomalyCode::ProtocolDataShort,
                p.offset,
                "Protocol Data shorter than 12 bytes",
            )
            .with_value(p.value.len() as u64),
        ),
    }
}

/// Owned M3UA DATA message, for emitting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataRepr {
    /// Network appearance.
    pub network_appearance: Option<u32>,
    /// Routing context.
    pub routing_context: Option<u32>,
    /// OPC.
    pub opc: u32,
    /// DPC.
    pub dpc: u32,
    /// SI.
    pub si: u8,
    /// NI.
    pub ni: u8,
    /// MP.
    pub mp: u8,
    /// SLS.
    pub sls: u8,
    /// User data.
    pub user_data: Vec<u8>,
}

impl DataRepr {
    /// From a decoded DATA message.
    pub fn parse(m: &M3uaMessage<'_>) -> Option<Self> {
        let pd = m.protocol_data?;
        Some(DataRepr {
            network_appearance: m.network_appearance,
            routing_context: m.routing_context,
            opc: pd.opc,
            dpc: pd.dpc,
            si: pd.si,
            ni: pd.ni,
            mp: pd.mp,
            sls: pd.sls,
            user_data: pd.user_data.to_vec(),
        })
    }

    /// Encoded length.
    pub fn buffer_len(&self) -> usize {
        let opt = |o: Option<u32>| if o.is_some() { 8 } else { 0 };
        common::COMMON_HEADER_LEN
            + opt(self.network_appearance)
            + opt(self.routing_context)
            + ((4 + PROTOCOL_DATA_FIXED_LEN + self.user_data.len() + 3) & !3)
    }

    /// Append the message; user data longer than a parameter can carry is refused
    /// ([`Error::Limit`]) and nothing is written.
    pub fn emit(&self, out: &mut Vec<u8>) -> Result<(), Error> {
        let mut pd = Vec::with_capacity(PROTOCOL_DATA_FIXED_LEN + self.user_data.len());
        pd.extend_from_slice(&self.opc.to_be_bytes());
        pd.extend_from_slice(&self.dpc.to_be_bytes());
        pd.extend_from_slice(&[self.si, self.ni, self.mp, self.sls]);
        pd.extend_from_slice(&self.user_data);
        let na = self.network_appearance.map(u32::to_be_bytes);
        let rc = self.routing_context.map(u32::to_be_bytes);
        let mut params: Vec<(u16, &[u8])> = Vec::with_capacity(3);
        if let Some(na) = na.as_ref() {
            params.push((ParamTag::NETWORK_APPEARANCE.0, na));
        }
        if let Some(rc) = rc.as_ref() {
            params.push((ParamTag::ROUTING_CONTEXT.0, rc));
        }
        params.push((ParamTag::PROTOCOL_DATA.0, &pd));
        common::emit_message(1, 1, &params, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn real_data_message() {
        let sctp = crate::testdata::M3UA_SYNTHETIC_F20_SCTP;
        let d = &sctp[crate::testdata::M3UA_OFFSET..];
        let mut a = Anomalies::new();
        let m = parse(&d[..120], &mut a).unwrap();
        let pd = m.protocol_data.unwrap();
        assert_eq!(
            (pd.opc, pd.dpc, pd.si, pd.ni, pd.mp, pd.sls),
            (600, 500, 3, 0, 0, 0)
        );
        assert_eq!(pd.user_data.len(), 120 - 8 - 4 - 12 - 2); // protocol data len 0x6e = 110 incl. 4-byte header
        assert_eq!(pd.user_data.first(), Some(&0x09)); // SCCP UDT
        assert_eq!(m.name(), Some("DATA"));
        assert!(a.is_empty(), "{a:?}");
        let r = DataRepr::parse(&m).unwrap();
        let mut out = Vec::new();
        r.emit(&mut out).unwrap();
        assert_eq!(&out[..], &d[..120]);
    }

    #[test]
    fn aspup_and_unknown() {
        let mut out = Vec::new();
        common::emit_message(3, 1, &[], &mut out).unwrap();
        let mut a = Anomalies::new();
        let m = parse(&out, &mut a).unwrap();
        assert_eq!(m.name(), Some("ASPUP"));
        out.clear();
        common::emit_message(7, 9, &[(0x7777, &[1, 2, 3])], &mut out).unwrap();
        let m = parse(&out, &mut a).unwrap();
        assert_eq!(m.name(), None);
        assert!(a.contains(AnomalyCode::UnassignedMessageType));
        assert!(a.contains(AnomalyCode::UnknownParameter));
    }

    #[test]
    fn bad_lengths() {
        let mut a = Anomalies::new();
        assert!(parse(&[1, 0, 1, 1, 0, 0], &mut a).is_err());
        let d = [1, 0, 1, 1, 0, 0, 0, 40, 0x02, 0x10, 0x00, 0x08, 0, 0, 0, 1];
        let m = parse(&d, &mut a).unwrap();
        assert!(m.protocol_data.is_none());
        assert!(a.contains(AnomalyCode::LengthExceedsData));
        assert!(a.contains(AnomalyCode::ProtocolDataShort));
    }

    // ---- management parameters on real bytes. Each array is one SCTP DATA chunk's user data,
    // taken with `tshark -x` from the capture named (../shared/captures, see MANIFEST.tsv);
    // the expected values are what tshark 4.x shows for the same frame.

    fn ok(d: &[u8]) -> (M3uaMessage<'_>, Anomalies) {
        let mut a = Anomalies::new();
        let m = parse(d, &mut a).unwrap();
        (m, a)
    }

    /// raw/ajbanjara+Wireshark/centile_m3ua.cap frame 5, first chunk: DAVA, Affected Point
    /// Code mask 0 PC 2000 (tshark m3ua.affected_point_code_pc 2000).
    const CENTILE_F5_DAVA: &[u8] = &[
        0x01, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x10, 0x00, 0x12, 0x00, 0x08, 0x00, 0x00, 0x07,
        0xd0,
    ];
    /// Same frame, second chunk: ASPUP with ASP Identifier 0.
    const CENTILE_F5_ASPUP: &[u8] = &[
        0x01, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x00,
        0x00,
    ];
    /// centile_m3ua.cap frame 9: NTFY, Status AS-State_Change / AS-INACTIVE (1/2), ASP id 0.
    const CENTILE_F9_NTFY: &[u8] = &[
        0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x18, 0x00, 0x0d, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x02, 0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00,
    ];
    /// centile_m3ua.cap frame 13: ERR, Error Code 9 (Invalid Stream Identifier), Diagnostic
    /// Information = the refused M3UA DATA (OPC 2000, DPC 1169, SI 3).
    const CENTILE_F13_ERR: &[u8] = &[
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3c, 0x00, 0x0c, 0x00, 0x08, 0x00, 0x00, 0x00,
        0x09, 0x00, 0x07, 0x00, 0x2c, 0x01, 0x00, 0x01, 0x01, 0x00, 0x00, 0x00, 0x2c, 0x02, 0x10,
        0x00, 0x21, 0x00, 0x00, 0x07, 0xd0, 0x00, 0x00, 0x04, 0x91, 0x03, 0x02, 0x00, 0x00, 0x09,
        0x81, 0x03, 0x05, 0x07, 0x02, 0x42, 0x01, 0x02, 0x42, 0x01, 0x05, 0x01, 0x92, 0x16, 0x08,
    ];
    /// raw/OISF+suricata-verify/sctp-keywords__input.pcap frame 12, first chunk: NTFY
    /// AS-ACTIVE (1/3), ASP id 13, Routing Context 1110.
    const KEYWORDS_F12_NTFY: &[u8] = &[
        0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x20, 0x00, 0x0d, 0x00, 0x08, 0x00, 0x01, 0x00,
        0x03, 0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00,
        0x04, 0x56,
    ];
    /// Same frame, second chunk: DAVA for PC 1110, Routing Context 1110.
    const KEYWORDS_F12_DAVA: &[u8] = &[
        0x01, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x18, 0x00, 0x12, 0x00, 0x08, 0x00, 0x00, 0x04,
        0x56, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x04, 0x56,
    ];
    /// sctp-keywords__input.pcap frame 8: ASPAC ACK, Traffic Mode Type 2 (Loadshare), RC 1110.
    const KEYWORDS_F8_ASPAC_ACK: &[u8] = &[
        0x01, 0x00, 0x04, 0x03, 0x00, 0x00, 0x00, 0x18, 0x00, 0x0b, 0x00, 0x08, 0x00, 0x00, 0x00,
        0x02, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x04, 0x56,
    ];
    /// raw/araditc+sigtran.net/end-to-end-20260724T085858Z.pcap frame 5: ASPUP, ASP id 1001,
    /// INFO String "Sigtran.NET end-to-end lab" (26 octets + 2 padding).
    const SIGTRAN_NET_F5_ASPUP: &[u8] = &[
        0x01, 0x00, 0x03, 0x01, 0x00, 0x00, 0x00, 0x30, 0x00, 0x11, 0x00, 0x08, 0x00, 0x00, 0x03,
        0xe9, 0x00, 0x04, 0x00, 0x1e, 0x53, 0x69, 0x67, 0x74, 0x72, 0x61, 0x6e, 0x2e, 0x4e, 0x45,
        0x54, 0x20, 0x65, 0x6e, 0x64, 0x2d, 0x74, 0x6f, 0x2d, 0x65, 0x6e, 0x64, 0x20, 0x6c, 0x61,
        0x62, 0x00, 0x00,
    ];
    /// raw/ajbanjara+Wireshark/3gpp_mc.cap frame 195, first of five chunks: DUNA for the 24-bit
    /// point code 256005 (0x03e805).
    const MC_F195_DUNA: &[u8] = &[
        0x01, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00, 0x10, 0x00, 0x12, 0x00, 0x08, 0x00, 0x03, 0xe8,
        0x05,
    ];

    #[test]
    fn real_ssnm_affected_point_codes() {
        let (m, a) = ok(CENTILE_F5_DAVA);
        assert_eq!(m.name(), Some("DAVA"));
        assert!(a.is_empty(), "{a:?}");
        let pcs: Vec<MaskedPc> = m.affected_pcs().collect();
        assert_eq!(pcs, [MaskedPc { mask: 0, pc: 2000 }]);
        assert_eq!(m.affected_point_codes.unwrap().offset(), 12);

        let (m, a) = ok(MC_F195_DUNA);
        assert_eq!(m.name(), Some("DUNA"));
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.affected_pcs().map(|p| p.pc).collect::<Vec<_>>(), [256005]);

        let (m, a) = ok(KEYWORDS_F12_DAVA);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.affected_pcs().map(|p| p.pc).collect::<Vec<_>>(), [1110]);
        assert_eq!(m.routing_context, Some(1110));
    }

    #[test]
    fn real_aspsm_asp_id_and_info_string() {
        let (m, a) = ok(CENTILE_F5_ASPUP);
        assert_eq!((m.name(), m.asp_id), (Some("ASPUP"), Some(0)));
        assert!(a.is_empty(), "{a:?}");

        let (m, a) = ok(SIGTRAN_NET_F5_ASPUP);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.asp_id, Some(1001));
        assert_eq!(m.info_str(), Some("Sigtran.NET end-to-end lab"));
        assert_eq!(m.info_string.map(<[u8]>::len), Some(26));
    }

    #[test]
    fn real_mgmt_ntfy_and_err() {
        let (m, a) = ok(CENTILE_F9_NTFY);
        assert!(a.is_empty(), "{a:?}");
        let s = m.status.unwrap();
        assert_eq!((s.status_type, s.info), (StatusType::AS_STATE_CHANGE, 2));
        assert_eq!(s.info_name(), Some("AS-INACTIVE"));
        assert_eq!(m.asp_id, Some(0));

        let (m, a) = ok(KEYWORDS_F12_NTFY);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.status.and_then(|s| s.info_name()), Some("AS-ACTIVE"));
        assert_eq!((m.asp_id, m.routing_context), (Some(13), Some(1110)));

        let (m, a) = ok(CENTILE_F13_ERR);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.name(), Some("ERR"));
        assert_eq!(m.error_code, Some(ErrorCode::INVALID_STREAM_IDENTIFIER));
        assert_eq!(
            m.error_code.unwrap().to_string(),
            "Invalid Stream Identifier"
        );
        // The diagnostic is the refused message: decode it as M3UA in turn.
        let diag = m.diagnostic_info.unwrap();
        assert_eq!(diag.len(), 40);
        let mut a = Anomalies::new();
        let inner = parse(diag, &mut a).unwrap();
        let pd = inner.protocol_data.unwrap();
        assert_eq!((pd.opc, pd.dpc, pd.si), (2000, 1169, 3));
    }

    #[test]
    fn real_asptm_traffic_mode() {
        let (m, a) = ok(KEYWORDS_F8_ASPAC_ACK);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.name(), Some("ASPAC_ACK"));
        assert_eq!(m.traffic_mode, Some(TrafficModeType::LOADSHARE));
        assert_eq!(m.routing_context, Some(1110));
    }

    // ---- messages no public capture carries, built field by field from RFC 4666.

    #[test]
    fn scon_and_dupu_from_the_rfc_layout() {
        // SCON (§3.4.4): Affected PC list (two), Concerned Destination, Congestion Indications.
        let mut b = Vec::new();
        common::emit_message(
            2,
            4,
            &[
                (0x0012, &[0, 0, 0x08, 0xae, 3, 0x01, 0x02, 0x03]),
                (0x0206, &[0, 0, 0x04, 0xd2]),
                (0x0205, &[0, 0, 0, 2]),
            ],
            &mut b,
        )
        .unwrap();
        let (m, a) = ok(&b);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.name(), Some("SCON"));
        let pcs: Vec<MaskedPc> = m.affected_pcs().collect();
        assert_eq!(
            pcs,
            [
                MaskedPc { mask: 0, pc: 2222 },
                MaskedPc {
                    mask: 3,
                    pc: 0x010203
                }
            ]
        );
        assert_eq!(m.concerned_dpc, Some(1234));
        assert_eq!(m.congestion_level, Some(CongestionLevel::LEVEL_2));

        // DUPU (§3.4.5): User/Cause = Unequipped Remote User, ISUP.
        b.clear();
        common::emit_message(
            2,
            5,
            &[(0x0012, &[0, 0, 0, 9]), (0x0204, &[0, 1, 0, 5])],
            &mut b,
        )
        .unwrap();
        let (m, a) = ok(&b);
        assert!(a.is_empty(), "{a:?}");
        let uc = m.user_cause.unwrap();
        assert_eq!(uc.cause, UnavailabilityCause::UNEQUIPPED_REMOTE_USER);
        assert_eq!(uc.user, MtpUserIdentity::ISUP);
        assert_eq!(uc.user.to_string(), "ISUP");

        // BEAT (§3.5.5) with opaque Heartbeat Data; Correlation ID on a DATA-less message.
        b.clear();
        common::emit_message(3, 3, &[(0x0009, b"abcde"), (0x0013, &[0, 0, 1, 0])], &mut b).unwrap();
        let (m, a) = ok(&b);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.heartbeat_data, Some(&b"abcde"[..]));
        assert_eq!(m.correlation_id, Some(256));
    }

    #[test]
    fn routing_key_management_from_the_rfc_layout() {
        // REG REQ (§3.6.1): Routing Key { Local-RK-Id 7, Traffic Mode 1, DPC 0/300,
        // SI [3, 5], OPC list [0/100, 0/101] }.
        let mut rk = Vec::new();
        for (tag, v) in [
            (0x020a_u16, &[0u8, 0, 0, 7][..]),
            (0x000b, &[0, 0, 0, 1]),
            (0x020b, &[0, 0, 0x01, 0x2c]),
            (0x020c, &[3, 5]),
            (0x020e, &[0, 0, 0, 100, 0, 0, 0, 101]),
        ] {
            rk.extend_from_slice(&tag.to_be_bytes());
            rk.extend_from_slice(&(v.len() as u16 + 4).to_be_bytes());
            rk.extend_from_slice(v);
            while rk.len() % 4 != 0 {
                rk.push(0);
            }
        }
        let mut b = Vec::new();
        common::emit_message(9, 1, &[(0x0207, &rk)], &mut b).unwrap();
        let (m, a) = ok(&b);
        assert!(a.is_empty(), "{a:?}");
        assert_eq!(m.name(), Some("REG_REQ"));
        let keys: Vec<RoutingKey<'_>> = m.routing_keys().collect();
        assert_eq!(keys.len(), 1);
        let k = keys[0];
        assert_eq!(k.local_rk_id, Some(7));
        assert_eq!(k.traffic_mode, Some(TrafficModeType::OVERRIDE));
        assert_eq!(k.dpc, Some(MaskedPc { mask: 0, pc: 300 }));
        assert_eq!(k.service_indicators, Some(&[3u8, 5][..]));
        let opcs: Vec<u32> = k
            .opc_list
            .unwrap()
            .point_codes()
            .map(|p| p.unwrap().pc)
            .collect();
        assert_eq!(opcs, [100, 101]);

        // REG RSP (§3.6.2): Registration Result { Local-RK-Id 7, status 5, RC 0 }.
        let rr = [
            0x02, 0x0a, 0, 8, 0, 0, 0, 7, 0x02, 0x12, 0, 8, 0, 0, 0, 5, 0x00, 0x06, 0, 8, 0, 0, 0,
            0,
        ];
        b.clear();
        common::emit_message(9, 2, &[(0x0208, &rr)], &mut b).unwrap();
        let (m, a) = ok(&b);
        assert!(a.is_empty(), "{a:?}");
        let r: Vec<RegistrationResult> = m.registration_results().collect();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].local_rk_id, Some(7));
        assert_eq!(r[0].status, Some(RegistrationStatus::PERMISSION_DENIED));
        assert_eq!(r[0].routing_context, Some(0));

        // DEREG RSP (§3.6.4): two Deregistration Results.
        let d1 = [0x00, 0x06, 0, 8, 0, 0, 0, 9, 0x02, 0x13, 0, 8, 0, 0, 0, 0];
        let d2 = [0x00, 0x06, 0, 8, 0, 0, 0, 10, 0x02, 0x13, 0, 8, 0, 0, 0, 4];
        b.clear();
        common::emit_message(9, 4, &[(0x0209, &d1), (0x0209, &d2)], &mut b).unwrap();
        let (m, a) = ok(&b);
        assert!(a.is_empty(), "{a:?}");
        let d: Vec<(Option<u32>, Option<DeregistrationStatus>)> = m
            .deregistration_results()
            .map(|r| (r.routing_context, r.status))
            .collect();
        assert_eq!(
            d,
            [
                (
                    Some(9),
                    Some(DeregistrationStatus::SUCCESSFULLY_DEREGISTERED)
                ),
                (Some(10), Some(DeregistrationStatus::NOT_REGISTERED))
            ]
        );
    }

    #[test]
    fn odd_parameters_are_reported_with_offsets() {
        let mut b = Vec::new();
        let long = [b'x'; 300];
        common::emit_message(
            0,
            0,
            &[
                (0x000c, &[0, 0, 0, 0x02]),    // "Not Used in M3UA" (an M2UA code)
                (0x000c, &[0, 0, 0, 0x01]),    // second Error Code
                (0x000d, &[0, 1, 0, 9]),       // unassigned status information
                (0x0012, &[0, 0, 7]),          // Affected PC of 3 bytes
                (0x0004, &[0x66, 0xff, 0x6f]), // not UTF-8
                (0x000b, &[0, 0, 0, 7]),       // unassigned traffic mode
                (0x020a, &[0, 0, 0, 1]),       // Routing Key part at top level
            ],
            &mut b,
        )
        .unwrap();
        let mut a = Anomalies::new();
        let m = parse(&b, &mut a).unwrap();
        assert_eq!(m.error_code, Some(ErrorCode(2)));
        let find = |code: AnomalyCode| a.iter().find(|x| x.code == code).copied();
        let e = find(AnomalyCode::UnknownErrorCode).unwrap();
        assert_eq!((e.offset, e.value), (12, Some(2)));
        assert_eq!(find(AnomalyCode::DuplicateParameter).unwrap().offset, 16);
        assert_eq!(
            find(AnomalyCode::UnknownStatus).unwrap().value,
            Some(0x0001_0009)
        );
        let l = find(AnomalyCode::ParameterLengthInvalid).unwrap();
        assert_eq!((l.offset, l.value), (34, Some(0x12)));
        assert_eq!(m.affected_pcs().count(), 0);
        assert!(m
            .affected_point_codes
            .unwrap()
            .point_codes()
            .next()
            .unwrap()
            .is_err());
        assert_eq!(find(AnomalyCode::InfoStringNotUtf8).unwrap().offset, 45);
        assert_eq!(m.info_str(), None);
        assert!(a.contains(AnomalyCode::UnknownTrafficMode));
        assert!(a.contains(AnomalyCode::UnexpectedParameter));

        let mut b = Vec::new();
        common::emit_message(3, 1, &[(0x0004, &long), (0x0011, &[1, 2])], &mut b).unwrap();
        let mut a = Anomalies::new();
        let m = parse(&b, &mut a).unwrap();
        assert!(a.contains(AnomalyCode::InfoStringTooLong));
        assert!(a.contains(AnomalyCode::ParameterLengthInvalid));
        assert_eq!(m.asp_id, None);
    }

    proptest! {
        #[test]
        fn never_panics(d in proptest::collection::vec(any::<u8>(), 0..200)) {
            let mut a = Anomalies::new();
            if let Ok(m) = parse(&d, &mut a) {
                let _ = m.affected_pcs().count();
                let _ = m.routing_keys().count();
                let _ = m.registration_results().count();
                let _ = m.deregistration_results().count();
                let _ = m.info_str();
            }
        }

        /// The one-pass DATA decoding gives what the general walk gives, anomalies included,
        /// on DATA messages built from NA / RC / Protocol Data / other parameters of any
        /// length, in any order, with the length field and the data cut anywhere.
        #[test]
        fn plain_data_agrees_with_the_general_walk(
            params in proptest::collection::vec(
                (prop_oneof![3 => Just(0x0210u16), 2 => Just(0x0006), 2 => Just(0x0200),
                             1 => Just(0x0004), 1 => any::<u16>()],
                 prop_oneof![Just(vec![1, 2, 3, 4]), proptest::collection::vec(any::<u8>(), 0..24)],
                 0u16..40),
                0..5),
            len_delta in prop_oneof![3 => Just(0i32), 1 => -6i32..6],
            cut in prop_oneof![3 => Just(0usize), 1 => 0usize..8],
            raw_len in proptest::bool::weighted(0.2),
        ) {
            let mut d = vec![1, 0, 1, 1, 0, 0, 0, 0];
            for (tag, value, bad_len) in &params {
                d.extend_from_slice(&tag.to_be_bytes());
                let len = if raw_len { *bad_len } else { value.len() as u16 + 4 };
                d.extend_from_slice(&len.to_be_bytes());
                d.extend_from_slice(value);
                while d.len() % 4 != 0 {
                    d.push(0);
                }
            }
            let len = (d.len() as i32 + len_delta).max(0) as u32;
            d[4..8].copy_from_slice(&len.to_be_bytes());
            d.truncate(d.len().saturating_sub(cut).max(8));
            let mut fast_a = Anomalies::new();
            let fast = parse(&d, &mut fast_a);
            let mut slow_a = Anomalies::new();
            let slow = Message::parse(Layer::M3ua, &d, &mut slow_a).map(|msg| {
                let mut out = M3uaMessage {
                    msg,
                    protocol_data: None,
                    network_appearance: None,
                    routing_context: None,
                    routing_contexts: None,
                    info_string: None,
                    diagnostic_info: None,
                    heartbeat_data: None,
                    traffic_mode: None,
                    error_code: None,
                    status: None,
                    asp_id: None,
                    affected_point_codes: None,
                    correlation_id: None,
                    user_cause: None,
                    congestion_level: None,
                    concerned_dpc: None,
                    registration_status: None,
                    deregistration_status: None,
                };
                parameters(&msg, &mut out, &mut slow_a);
                out
            });
            prop_assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
            prop_assert_eq!(format!("{fast_a:?}"), format!("{slow_a:?}"));
        }

        #[test]
        fn round_trip(opc: u32, dpc: u32, si: u8, ni: u8, mp: u8, sls: u8, na: Option<u32>, rc: Option<u32>,
                      user_data in proptest::collection::vec(any::<u8>(), 0..100)) {
            let r = DataRepr { network_appearance: na, routing_context: rc, opc, dpc, si, ni, mp, sls, user_data };
            let mut b = Vec::new();
            r.emit(&mut b).unwrap();
            prop_assert_eq!(b.len(), r.buffer_len());
            let mut a = Anomalies::new();
            let m = parse(&b, &mut a).unwrap();
            prop_assert_eq!(DataRepr::parse(&m), Some(r));
            prop_assert!(a.is_empty());
        }
    }
}
