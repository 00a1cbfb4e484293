//! The rule as written: header and options, position-free, comparable, and printed back as
//! rule text by `Display` (parse → print → parse gives an equal rule).

use std::net::IpAddr;

/// What a matching rule does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Raise an alert.
    Alert,
    /// Suppress every alert (built-in and user) on the message.
    Pass,
}

/// The header's protocol: the layer a message must carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Proto {
    /// Any message.
    Any,
    /// A message that came over IP.
    Ip,
    /// SIGTRAN: SCTP, M3UA/M2PA/M2UA/SUA, MTP3 or SCCP.
    Sigtran,
    /// Same as `sigtran` (SS7 over any transport, MTP links included).
    Ss7,
    /// M3UA.
    M3ua,
    /// SCCP.
    Sccp,
    /// TCAP.
    Tcap,
    /// GSM MAP (at least one MAP component).
    Map,
    /// Any GTP (GTPv0, v1-C, v1-U, v2-C, GTP', and datagrams on GTP ports that are not GTP).
    Gtp,
    /// GTPv0.
    Gtpv0,
    /// GTPv1 on the control plane.
    Gtpv1,
    /// GTPv2-C.
    Gtpv2,
    /// GTPv1 on the user plane.
    Gtpu,
    /// GTP'.
    GtpPrime,
}

impl Proto {
    /// Every protocol with its name in rule text.
    pub const ALL: [(Proto, &'static str); 14] = [
        (Proto::Any, "any"),
        (Proto::Ip, "ip"),
        (Proto::Sigtran, "sigtran"),
        (Proto::Ss7, "ss7"),
        (Proto::M3ua, "m3ua"),
        (Proto::Sccp, "sccp"),
        (Proto::Tcap, "tcap"),
        (Proto::Map, "map"),
        (Proto::Gtp, "gtp"),
        (Proto::Gtpv0, "gtpv0"),
        (Proto::Gtpv1, "gtpv1"),
        (Proto::Gtpv2, "gtpv2"),
        (Proto::Gtpu, "gtpu"),
        (Proto::GtpPrime, "gtpprime"),
    ];

    /// The name in rule text.
    pub fn name(self) -> &'static str {
        Proto::ALL
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("any", |(_, n)| n)
    }

    /// The family of the protocol (which keywords can ever match it).
    pub fn family(self) -> Family {
        match self {
            Proto::Any | Proto::Ip => Family::Any,
            Proto::Sigtran | Proto::Ss7 | Proto::M3ua | Proto::Sccp | Proto::Tcap | Proto::Map => {
                Family::Ss7
            }
            _ => Family::Gtp,
        }
    }
}

/// Which side of the house a protocol or keyword belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Both.
    Any,
    /// SS7 / SIGTRAN.
    Ss7,
    /// GTP.
    Gtp,
}

/// An address part of the header (or of `gtp.peer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addr {
    /// `!` before it.
    pub neg: bool,
    /// What it names.
    pub kind: AddrKind,
}

/// What an address part names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddrKind {
    /// `any`.
    Any,
    /// An address or CIDR block.
    Net {
        /// The address.
        addr: IpAddr,
        /// Prefix length (32 / 128 for a single address).
        prefix: u8,
    },
    /// `$NAME`.
    Var(String),
    /// `[a, b, !c]`: any of the positive items and none of the negated ones.
    List(Vec<Addr>),
}

/// A port part of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    /// `!` before it.
    pub neg: bool,
    /// What it names.
    pub kind: PortKind,
}

/// What a port part names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortKind {
    /// `any`.
    Any,
    /// `N`, `N:M`, `N:` or `:M` (inclusive).
    Range(u16, u16),
    /// `$NAME`.
    Var(String),
    /// `[a, b, !c]`.
    List(Vec<Port>),
}

/// Direction of the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dir {
    /// `->`: source to destination.
    To,
    /// `<>`: either way.
    Both,
}

/// A numeric comparison: `N`, `!N`, `<N`, `>N`, `<=N`, `>=N`, `N-M`, `N,M,...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumMatch {
    /// `!` before it: no value of the field satisfies the rest.
    pub neg: bool,
    /// The comparison.
    pub kind: NumKind,
}

/// The comparison of a [`NumMatch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumKind {
    /// Equal to one of these (one or more values).
    In(Vec<u64>),
    /// Less than.
    Lt(u64),
    /// Greater than.
    Gt(u64),
    /// Less than or equal.
    Le(u64),
    /// Greater than or equal.
    Ge(u64),
    /// Inclusive range.
    Range(u64, u64),
}

impl NumMatch {
    /// Whether `v` satisfies the comparison (negation not applied).
    pub fn test(&self, v: u64) -> bool {
        match &self.kind {
            NumKind::In(l) => l.contains(&v),
            NumKind::Lt(n) => v < *n,
            NumKind::Gt(n) => v > *n,
            NumKind::Le(n) => v <= *n,
            NumKind::Ge(n) => v >= *n,
            NumKind::Range(a, b) => (*a..=*b).contains(&v),
        }
    }
}

/// A set of words (country codes, PLMNs, type names), `!` for none of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetMatch {
    /// `!` before it.
    pub neg: bool,
    /// The words, as written.
    pub items: Vec<String>,
}

/// Sticky buffers: a keyword without a value selects the buffer that the following
/// `content`, `pcre`, `prefix`, `isdataat` and `byte_test` look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Buffer {
    /// Called party global-title digits.
    SccpCalledDigits,
    /// Calling party global-title digits.
    SccpCallingDigits,
    /// SCCP user data (the TCAP message, raw octets).
    SccpData,
    /// TCAP dialogue application context name, dotted (`0.4.0.0.1.0.20.3`).
    TcapAcn,
    /// IMSI of a MAP parameter (or SM-RP-DA IMSI).
    MapImsi,
    /// MSISDN of a MAP parameter (or SM-RP-OA MSISDN).
    MapMsisdn,
    /// USSD string as text.
    MapUssd,
    /// SMS TPDU user data as text.
    MapSmsText,
    /// GTP IMSI.
    GtpImsi,
    /// GTP MSISDN.
    GtpMsisdn,
    /// GTP APN, labels joined by `.`.
    GtpApn,
}

/// Numeric fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumField {
    /// MTP3 / M3UA originating point code.
    M3uaOpc,
    /// Destination point code.
    M3uaDpc,
    /// Service indicator.
    M3uaSi,
    /// Network indicator.
    M3uaNi,
    /// Called party SSN.
    SccpCalledSsn,
    /// Calling party SSN.
    SccpCallingSsn,
    /// MAP local operation code (any entry).
    MapOpcode,
    /// MAP version of the dialogue.
    MapVersion,
    /// SMS TPDU data coding scheme.
    MapSmsDcs,
    /// USSD data coding scheme.
    MapUssdDcs,
    /// GTP header version.
    GtpVersion,
    /// GTP message type (any version).
    GtpType,
    /// GTP TEID.
    GtpTeid,
    /// GTP sequence number.
    GtpSeq,
    /// GTPv1 message type.
    Gtpv1Type,
    /// GTPv2 message type.
    Gtpv2Type,
    /// GTPv1 (and GTP' / GTPv0) IE types present.
    Gtpv1Ie,
    /// GTPv2 IE types present (top level).
    Gtpv2Ie,
}

/// Fields compared by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NameField {
    /// TCAP message type (`begin`, `continue`, `end`, `abort`, `unidirectional`, or an
    /// ANSI package name).
    TcapType,
}

/// Country of a global title (ISO 3166 code, or the E.164 country code digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CountryField {
    /// Called party.
    SccpCalled,
    /// Calling party.
    SccpCalling,
}

/// Home network (MCC+MNC) of an IMSI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlmnField {
    /// MAP IMSI.
    MapImsi,
    /// GTP IMSI.
    GtpImsi,
}

/// A keyword that names a decoded field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Sticky buffer (no value).
    Buffer(Buffer),
    /// Numeric.
    Num(NumField),
    /// By name.
    Name(NameField),
    /// Country.
    Country(CountryField),
    /// PLMN.
    Plmn(PlmnField),
    /// `gtp.peer`: an address of the GTP datagram (either end).
    GtpPeer,
}

/// Every field keyword with its name (the record schema's key path).
pub const FIELDS: &[(&str, Field)] = &[
    ("m3ua.opc", Field::Num(NumField::M3uaOpc)),
    ("m3ua.dpc", Field::Num(NumField::M3uaDpc)),
    ("m3ua.si", Field::Num(NumField::M3uaSi)),
    ("m3ua.ni", Field::Num(NumField::M3uaNi)),
    (
        "sccp.called.digits",
        Field::Buffer(Buffer::SccpCalledDigits),
    ),
    (
        "sccp.calling.digits",
        Field::Buffer(Buffer::SccpCallingDigits),
    ),
    ("sccp.called.ssn", Field::Num(NumField::SccpCalledSsn)),
    ("sccp.calling.ssn", Field::Num(NumField::SccpCallingSsn)),
    (
        "sccp.called.country",
        Field::Country(CountryField::SccpCalled),
    ),
    (
        "sccp.calling.country",
        Field::Country(CountryField::SccpCalling),
    ),
    ("sccp.data", Field::Buffer(Buffer::SccpData)),
    ("tcap.type", Field::Name(NameField::TcapType)),
    ("tcap.acn", Field::Buffer(Buffer::TcapAcn)),
    ("map.opcode", Field::Num(NumField::MapOpcode)),
    ("map.version", Field::Num(NumField::MapVersion)),
    ("map.imsi", Field::Buffer(Buffer::MapImsi)),
    ("map.imsi.plmn", Field::Plmn(PlmnField::MapImsi)),
    ("map.msisdn", Field::Buffer(Buffer::MapMsisdn)),
    ("map.ussd", Field::Buffer(Buffer::MapUssd)),
    ("map.ussd.dcs", Field::Num(NumField::MapUssdDcs)),
    ("map.sms.text", Field::Buffer(Buffer::MapSmsText)),
    ("map.sms.dcs", Field::Num(NumField::MapSmsDcs)),
    ("gtp.version", Field::Num(NumField::GtpVersion)),
    ("gtp.type", Field::Num(NumField::GtpType)),
    ("gtp.teid", Field::Num(NumField::GtpTeid)),
    ("gtp.seq", Field::Num(NumField::GtpSeq)),
    ("gtp.imsi", Field::Buffer(Buffer::GtpImsi)),
    ("gtp.imsi.plmn", Field::Plmn(PlmnField::GtpImsi)),
    ("gtp.msisdn", Field::Buffer(Buffer::GtpMsisdn)),
    ("gtp.apn", Field::Buffer(Buffer::GtpApn)),
    ("gtp.peer", Field::GtpPeer),
    ("gtpv1.type", Field::Num(NumField::Gtpv1Type)),
    ("gtpv1.ie", Field::Num(NumField::Gtpv1Ie)),
    ("gtpv2.type", Field::Num(NumField::Gtpv2Type)),
    ("gtpv2.ie", Field::Num(NumField::Gtpv2Ie)),
];

impl Field {
    /// The keyword.
    pub fn name(self) -> &'static str {
        FIELDS
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    /// The field of a keyword.
    pub fn by_name(name: &str) -> Option<Field> {
        FIELDS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
    }

    /// The protocol family the field lives in.
    pub fn family(self) -> Family {
        if self.name().starts_with("gtp") {
            Family::Gtp
        } else {
            Family::Ss7
        }
    }
}

/// `content` with its modifiers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    /// `content:!"..."`: the buffer must not hold it.
    pub neg: bool,
    /// The octets (`|hex|` decoded).
    pub bytes: Vec<u8>,
    /// `nocase` (ASCII).
    pub nocase: bool,
    /// `startswith`.
    pub startswith: bool,
    /// `endswith`.
    pub endswith: bool,
    /// `depth:N`: within the first N octets (from `offset`).
    pub depth: Option<u32>,
    /// `offset:N`: from octet N.
    pub offset: Option<u32>,
}

/// `pcre:"/pattern/flags"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pcre {
    /// `pcre:!"..."`.
    pub neg: bool,
    /// The pattern between the slashes.
    pub pattern: String,
    /// The flags after the last slash (`i`, `s`, `m`, `x`, `U`).
    pub flags: String,
}

/// `byte_test` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ByteOp {
    /// `<`.
    Lt,
    /// `>`.
    Gt,
    /// `=`.
    Eq,
    /// `<=`.
    Le,
    /// `>=`.
    Ge,
    /// `&`: any bit of the value set.
    And,
    /// `^`: the value XOR the field is non-zero.
    Xor,
}

impl ByteOp {
    /// Every operator with its text.
    pub const ALL: [(ByteOp, &'static str); 7] = [
        (ByteOp::Le, "<="),
        (ByteOp::Ge, ">="),
        (ByteOp::Lt, "<"),
        (ByteOp::Gt, ">"),
        (ByteOp::Eq, "="),
        (ByteOp::And, "&"),
        (ByteOp::Xor, "^"),
    ];

    /// The operator as written.
    pub fn text(self) -> &'static str {
        ByteOp::ALL
            .iter()
            .find(|(o, _)| *o == self)
            .map_or("=", |(_, t)| t)
    }
}

/// `byte_test:nbytes,[!]op,value,offset[,relative][,big|little]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ByteTest {
    /// Octets read (1 to 8).
    pub nbytes: u8,
    /// `!` before the operator.
    pub neg: bool,
    /// The operator.
    pub op: ByteOp,
    /// The value compared with.
    pub value: u64,
    /// Offset (from the buffer start, or from the last match when relative).
    pub offset: i64,
    /// `relative`.
    pub relative: bool,
    /// `little` (default big endian).
    pub little: bool,
}

/// What `threshold` / `detection_filter` count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Track {
    /// The sender: calling global title, else OPC, else source IP.
    BySrc,
    /// The receiver: called global title, else DPC, else destination IP.
    ByDst,
    /// Both ends.
    ByBoth,
    /// The rule as a whole.
    ByRule,
}

impl Track {
    /// Every track with its text.
    pub const ALL: [(Track, &'static str); 4] = [
        (Track::BySrc, "by_src"),
        (Track::ByDst, "by_dst"),
        (Track::ByBoth, "by_both"),
        (Track::ByRule, "by_rule"),
    ];

    /// The track as written.
    pub fn text(self) -> &'static str {
        Track::ALL
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("by_src", |(_, n)| n)
    }
}

/// `threshold` type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThresholdKind {
    /// At most `count` alerts per `seconds`.
    Limit,
    /// An alert every `count` matches within `seconds`.
    Threshold,
    /// One alert per `seconds` once `count` matches were seen in it.
    Both,
}

/// `threshold: type T, track K, count N, seconds S` (or `detection_filter: track K, count N,
/// seconds S`: every match after the first `count` within `seconds`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Threshold {
    /// The type; `None` for `detection_filter`.
    pub kind: Option<ThresholdKind>,
    /// What is counted by.
    pub track: Track,
    /// Count.
    pub count: u32,
    /// Window.
    pub seconds: u32,
}

/// One rule option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opt {
    /// `msg:"..."`.
    Msg(String),
    /// `sid:N`.
    Sid(u32),
    /// `rev:N`.
    Rev(u32),
    /// `gid:N`.
    Gid(u32),
    /// `priority:N` (1 high .. 255); the alert's severity.
    Priority(u8),
    /// `classtype:NAME` (the alert's category).
    Classtype(String),
    /// `reference:TYPE,ID`.
    Reference(String),
    /// `metadata:key value, key value`.
    Metadata(Vec<(String, String)>),
    /// A field keyword: a sticky buffer, or a field with its value.
    Field(Field, Option<FieldValue>),
    /// `content`.
    Content(Content),
    /// `pcre`.
    Pcre(Pcre),
    /// `prefix:"882","37259"` over the sticky buffer.
    Prefix(SetMatch),
    /// `isdataat:[!]N[,relative]`.
    IsDataAt {
        /// `!`.
        neg: bool,
        /// Octet offset that must exist.
        n: u32,
        /// From the end of the last match.
        relative: bool,
    },
    /// `byte_test`.
    ByteTest(ByteTest),
    /// `threshold` or `detection_filter`.
    Threshold(Threshold),
}

/// The value of a field keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// Numeric comparison.
    Num(NumMatch),
    /// Set of words.
    Set(SetMatch),
    /// Addresses (`gtp.peer`).
    Addr(Addr),
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Action.
    pub action: Action,
    /// Protocol.
    pub proto: Proto,
    /// Source addresses.
    pub src: Addr,
    /// Source ports.
    pub sport: Port,
    /// Direction.
    pub dir: Dir,
    /// Destination addresses.
    pub dst: Addr,
    /// Destination ports.
    pub dport: Port,
    /// Options in order.
    pub options: Vec<Opt>,
}

impl Rule {
    /// `sid` (0 when absent, which the parser refuses).
    pub fn sid(&self) -> u32 {
        self.options
            .iter()
            .find_map(|o| match o {
                Opt::Sid(s) => Some(*s),
                _ => None,
            })
            .unwrap_or(0)
    }
}
