//! Typed parameter values: the open enumerations of the codes M3UA parameters carry (Error
//! Code, Status Type, Traffic Mode Type, User/Cause, Congestion Level, Registration and
//! Deregistration Status) and the borrowed views of the structured parameters (Status,
//! User/Cause, masked point codes, word lists, Routing Key, Registration / Deregistration
//! Result, Protocol Data).

use sigscope_core::{Error, Layer};

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
