//! Components (ITU-T Q.773 clause 4.2.2; ANSI T1.114 components share the shape), iterated
//! lazily and zero-copy.

use core::fmt;

use sigscope_core::ber::{oid_to_string, Class, OidText, Tag, Tlv, TlvIter};
use sigscope_core::{open_enum, Anomalies, Anomaly, AnomalyCode, Error, Layer};

/// Most components walked in one message; the iterator yields a limit error beyond.
pub const MAX_COMPONENTS: usize = 64;

/// An OBJECT IDENTIFIER, borrowed (content octets).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Oid<'a>(pub &'a [u8]);

/// Longest object identifier (content octets) in range: assigned application contexts,
/// dialogue references and global operation codes have 6-10.
pub const MAX_OID_OCTETS: usize = 32;
/// Octets of the widest sub-identifier in range: five carry 35 bits; an arc past 32 bits is
/// assigned to nothing TCAP names (and one past 63 bits overflows the parsers that read arcs
/// into a machine word).
pub const MAX_OID_ARC_OCTETS: usize = 5;

impl Oid<'_> {
    /// Dotted text, `None` for an invalid encoding.
    pub fn text(&self) -> Option<OidText> {
        oid_to_string(self.0)
    }

    /// Why this OID is out of every range, with the number: longer than
    /// [`MAX_OID_OCTETS`] (`"oid_octets"`), or a sub-identifier wider than
    /// [`MAX_OID_ARC_OCTETS`] (`"oid_arc_octets"`).
    #[inline(never)]
    pub fn out_of_range(&self) -> Option<(&'static str, usize)> {
        let o = self.0;
        if o.len() > MAX_OID_OCTETS {
            return Some(("oid_octets", o.len()));
        }
        // an arc that wide needs that many octets with the continuation bit: assigned OIDs
        // have few (counted without a branch per octet)
        let continued: usize = o.iter().map(|b| usize::from(b >> 7)).sum();
        if continued < MAX_OID_ARC_OCTETS {
            return None;
        }
        // a sub-identifier is its octets up to one without the continuation bit
        let (mut run, mut widest) = (0usize, 0usize);
        for b in o {
            run += 1;
            if b & 0x80 == 0 {
                widest = widest.max(run);
                run = 0;
            }
        }
        let widest = widest.max(run);
        (widest > MAX_OID_ARC_OCTETS).then_some(("oid_arc_octets", widest))
    }

    /// [`Oid::out_of_range`] as an anomaly at `offset`.
    pub fn range_anomaly(&self, offset: usize) -> Option<Anomaly> {
        self.out_of_range().map(|(_, n)| {
            Anomaly::new(
                Layer::Tcap,
                AnomalyCode::OidOutOfRange,
                offset,
                "object identifier longer, or with an arc wider, than any assigned (value: the octets)",
            )
            .with_value(n as u64)
        })
    }
}

impl fmt::Debug for Oid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text() {
            Some(t) => write!(f, "Oid({t})"),
            None => write!(f, "Oid(invalid {:02x?})", self.0),
        }
    }
}

impl fmt::Display for Oid<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.text() {
            Some(t) => f.write_str(t.as_str()),
            None => f.write_str("invalid-oid"),
        }
    }
}

/// An operation or error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code<'a> {
    /// ITU local value (INTEGER).
    Local(i64),
    /// ITU global value (OBJECT IDENTIFIER).
    Global(Oid<'a>),
    /// ANSI national code (2 octets: family/specifier for operations).
    National(u16),
    /// ANSI private code.
    Private(u16),
}

impl Code<'_> {
    /// The local value, when the code is local.
    pub const fn local(&self) -> Option<i64> {
        match self {
            Code::Local(v) => Some(*v),
            _ => None,
        }
    }
}

/// Component kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ComponentKind {
    /// Invoke (ITU) / Invoke-Last (ANSI).
    Invoke,
    /// ANSI Invoke-Not-Last.
    InvokeNotLast,
    /// ReturnResult-Last.
    ReturnResultLast,
    /// ReturnResult-NotLast.
    ReturnResultNotLast,
    /// ReturnError.
    ReturnError,
    /// Reject.
    Reject,
    /// A tag that is not a component.
    Unknown,
}

impl ComponentKind {
    /// Record name (`invoke`, `return_result_last`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Invoke => "invoke",
            ComponentKind::InvokeNotLast => "invoke_not_last",
            ComponentKind::ReturnResultLast => "return_result_last",
            ComponentKind::ReturnResultNotLast => "return_result_not_last",
            ComponentKind::ReturnError => "return_error",
            ComponentKind::Reject => "reject",
            ComponentKind::Unknown => "unknown",
        }
    }

    /// True for the kinds that answer an invoke.
    pub const fn is_response(self) -> bool {
        matches!(
            self,
            ComponentKind::ReturnResultLast
                | ComponentKind::ReturnResultNotLast
                | ComponentKind::ReturnError
                | ComponentKind::Reject
        )
    }

    /// True for the kinds that end an invoke (last result, error, reject).
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            ComponentKind::ReturnResultLast | ComponentKind::ReturnError | ComponentKind::Reject
        )
    }
}

open_enum! {
    /// Reject problem type (the context tag of the problem CHOICE; ANSI: high octet of the
    /// problem code).
    pub struct ProblemType(u8) {
        GENERAL = 0 => "general",
        INVOKE = 1 => "invoke",
        RETURN_RESULT = 2 => "return_result",
        RETURN_ERROR = 3 => "return_error",
        TRANSACTION = 4 => "transaction",
    }
}

/// A reject problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Problem {
    /// Problem type.
    pub kind: ProblemType,
    /// Problem code.
    pub code: i64,
    /// ANSI T1.114 coding (problem type 1-5 mapped to the same categories, codes from 1).
    pub ansi: bool,
}

impl Problem {
    /// Q.773 name of the problem code, when assigned.
    pub fn name(&self) -> Option<&'static str> {
        if self.ansi {
            return self.ansi_name();
        }
        let names: &[&str] = match self.kind.0 {
            0 => &[
                "unrecognizedComponent",
                "mistypedComponent",
                "badlyStructuredComponent",
            ],
            1 => &[
                "duplicateInvokeID",
                "unrecognizedOperation",
                "mistypedParameter",
                "resourceLimitation",
                "initiatingRelease",
                "unrecognizedLinkedID",
                "linkedResponseUnexpected",
                "unexpectedLinkedOperation",
            ],
            2 => &[
                "unrecognizedInvokeID",
                "returnResultUnexpected",
                "mistypedParameter",
            ],
            3 => &[
                "unrecognizedInvokeID",
                "returnErrorUnexpected",
                "unrecognizedError",
                "unexpectedError",
                "mistypedParameter",
            ],
            _ => &[],
        };
        usize::try_from(self.code)
            .ok()
            .and_then(|i| names.get(i))
            .copied()
    }

    /// T1.114 names (problem codes count from 1).
    fn ansi_name(&self) -> Option<&'static str> {
        let names: &[&str] = match self.kind.0 {
            0 => &[
                "unrecognizedComponentType",
                "incorrectComponentPortion",
                "badlyStructuredComponentPortion",
                "incorrectComponentCoding",
            ],
            1 => &[
                "duplicateInvokeID",
                "unrecognizedOperationCode",
                "incorrectParameter",
                "unrecognizedCorrelationID",
            ],
            2 => &[
                "unrecognizedCorrelationID",
                "unexpectedReturnResult",
                "incorrectParameter",
            ],
            3 => &[
                "unrecognizedCorrelationID",
                "unexpectedReturnError",
                "unrecognizedError",
                "unexpectedError",
                "incorrectParameter",
            ],
            4 => &[
                "unrecognizedPackageType",
                "incorrectTransactionPortion",
                "badlyStructuredTransactionPortion",
                "unassignedRespondingTransactionID",
                "permissionToReleaseProblem",
                "resourceUnavailable",
            ],
            _ => &[],
        };
        usize::try_from(self.code)
            .ok()
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| names.get(i))
            .copied()
    }
}

/// One component, borrowed. Fields the kind does not carry are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Component<'a> {
    /// Kind.
    pub kind: ComponentKind,
    /// The component's tag.
    pub tag: Tag,
    /// Offset of the component within the TCAP message.
    pub offset: usize,
    /// The whole component encoding.
    pub raw: &'a [u8],
    /// Invoke id (ANSI: component id; for responses the correlation id).
    pub invoke_id: Option<i64>,
    /// Linked id (ITU) / correlation id of an ANSI invoke.
    pub linked_id: Option<i64>,
    /// Operation code (invoke; return result when present).
    pub opcode: Option<Code<'a>>,
    /// Error code (return error).
    pub error_code: Option<Code<'a>>,
    /// Parameter: a borrowed BER value (the MAP/CAP argument or result).
    pub parameter: Option<Tlv<'a>>,
    /// Offset of the parameter within the TCAP message.
    pub parameter_offset: usize,
    /// Reject problem.
    pub problem: Option<Problem>,
}

impl<'a> Component<'a> {
    fn empty(kind: ComponentKind, tag: Tag, offset: usize, raw: &'a [u8]) -> Self {
        Component {
            kind,
            tag,
            offset,
            raw,
            invoke_id: None,
            linked_id: None,
            opcode: None,
            error_code: None,
            parameter: None,
            parameter_offset: 0,
            problem: None,
        }
    }

    /// The local operation code, when there is one.
    pub fn local_opcode(&self) -> Option<i64> {
        self.opcode.and_then(|c| c.local())
    }

    /// Report what a well-formed component of this kind would carry but this one lacks.
    pub fn check(&self, anomalies: &mut Anomalies) {
        let a = |code, detail| Anomaly::new(Layer::Tcap, code, self.offset, detail);
        match self.kind {
            ComponentKind::Invoke | ComponentKind::InvokeNotLast => {
                if self.invoke_id.is_none() {
                    anomalies.push(a(AnomalyCode::InvokeIdMissing, "invoke without invoke id"));
                }
                if self.opcode.is_none() {
                    anomalies.push(a(
                        AnomalyCode::OpcodeMissing,
                        "invoke without operation code",
                    ));
                }
            }
            ComponentKind::ReturnResultLast | ComponentKind::ReturnResultNotLast => {
                if self.invoke_id.is_none() {
                    anomalies.push(a(
                        AnomalyCode::InvokeIdMissing,
                        "return result without invoke id",
                    ));
                }
            }
            ComponentKind::ReturnError => {
                if self.invoke_id.is_none() {
                    anomalies.push(a(
                        AnomalyCode::InvokeIdMissing,
                        "return error without invoke id",
                    ));
                }
                if self.error_code.is_none() {
                    anomalies.push(a(
                        AnomalyCode::ErrorCodeMissing,
                        "return error without error code",
                    ));
                }
            }
            ComponentKind::Reject => {
                if self.problem.is_none() {
                    anomalies.push(a(AnomalyCode::ProblemMissing, "reject without problem"));
                }
            }
            ComponentKind::Unknown => {
                anomalies.push(
                    a(
                        AnomalyCode::UnknownComponent,
                        "element in the component portion is not a component",
                    )
                    .with_value(u64::from(self.tag.number)),
                );
            }
        }
    }
}

/// Lazy iterator over the components of a component portion.
#[derive(Debug, Clone)]
pub struct Components<'a> {
    iter: TlvIter<'a>,
    count: usize,
    ansi: bool,
    done: bool,
}

impl<'a> Components<'a> {
    /// Iterate component portion contents `data` that start at `base` in the message.
    pub fn new(data: &'a [u8], base: usize, ansi: bool) -> Self {
        Components {
            iter: TlvIter::with_base(data, base),
            count: 0,
            ansi,
            done: false,
        }
    }
}

impl<'a> Iterator for Components<'a> {
    type Item = Result<Component<'a>, Error>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let at = self.iter.offset();
        let r = self.iter.next()?;
        self.count += 1;
        if self.count > MAX_COMPONENTS {
            self.done = true;
            return Some(Err(Error::Limit {
                layer: Layer::Tcap,
                what: "components",
                limit: MAX_COMPONENTS,
                offset: at,
            }));
        }
        let r = match r {
            Ok((off, tlv)) => {
                if self.ansi {
                    parse_ansi(off, tlv)
                } else {
                    parse_itu(off, tlv)
                }
            }
            Err(e) => Err(e),
        };
        if r.is_err() {
            self.done = true;
        }
        Some(r)
    }
}

fn int_of(t: &Tlv<'_>, off: usize) -> Result<i64, Error> {
    t.int().ok_or(Error::value(
        Layer::Tcap,
        "integer length",
        t.value.len() as u64,
        off,
    ))
}

fn parse_itu<'a>(off: usize, tlv: Tlv<'a>) -> Result<Component<'a>, Error> {
    let kind = match (tlv.tag.class, tlv.tag.constructed, tlv.tag.number) {
        (Class::Context, true, 1) => ComponentKind::Invoke,
        (Class::Context, true, 2) => ComponentKind::ReturnResultLast,
        (Class::Context, true, 3) => ComponentKind::ReturnError,
        (Class::Context, true, 4) => ComponentKind::Reject,
        (Class::Context, true, 7) => ComponentKind::ReturnResultNotLast,
        _ => ComponentKind::Unknown,
    };
    let mut c = Component::empty(kind, tlv.tag, off, tlv.raw);
    if kind == ComponentKind::Unknown {
        return Ok(c);
    }
    let base = off + tlv.header_len;
    let mut kids = tlv.children_at(base);
    // invoke id: INTEGER, or NULL (reject: not derivable)
    let mut next = kids.next();
    if let Some(Ok((o, t))) = next {
        if t.tag == Tag::INTEGER {
            c.invoke_id = Some(int_of(&t, o)?);
            next = kids.next();
        } else if t.tag == Tag::NULL && kind == ComponentKind::Reject {
            next = kids.next();
        }
    }
    match kind {
        ComponentKind::Invoke => {
            if let Some(Ok((o, t))) = next {
                if t.tag == Tag::ctx(0) {
                    c.linked_id = Some(int_of(&t, o)?);
                    next = kids.next();
                }
            }
            if let Some(Ok((o, t))) = next {
                if let Some(code) = code_of(&t, o)? {
                    c.opcode = Some(code);
                    next = kids.next();
                }
            }
            take_parameter(&mut c, next)?;
        }
        ComponentKind::ReturnResultLast | ComponentKind::ReturnResultNotLast => {
            if let Some(r) = next {
                let (o, t) = r?;
                if t.tag == Tag::SEQUENCE {
                    let mut inner = t.children_at(o + t.header_len);
                    let mut n2 = inner.next();
                    if let Some(Ok((o2, t2))) = n2 {
                        if let Some(code) = code_of(&t2, o2)? {
                            c.opcode = Some(code);
                            n2 = inner.next();
                        }
                    }
                    take_parameter(&mut c, n2)?;
                    if let Some(r) = inner.next() {
                        let (o3, _) = r?;
                        return Err(Error::value(Layer::Tcap, "extra element in result", 0, o3));
                    }
                } else {
                    return Err(crate::ber_util::unexpected(t.tag, o));
                }
            }
        }
        ComponentKind::ReturnError => {
            if let Some(Ok((o, t))) = next {
                if let Some(code) = code_of(&t, o)? {
                    c.error_code = Some(code);
                    next = kids.next();
                }
            }
            take_parameter(&mut c, next)?;
        }
        ComponentKind::Reject => {
            if let Some(r) = next {
                let (o, t) = r?;
                if t.tag.class == Class::Context && !t.tag.constructed && t.tag.number <= 3 {
                    c.problem = Some(Problem {
                        kind: ProblemType(t.tag.number as u8),
                        code: int_of(&t, o)?,
                        ansi: false,
                    });
                } else {
                    return Err(crate::ber_util::unexpected(t.tag, o));
                }
            }
        }
        _ => {}
    }
    // Anything left (beyond what take_parameter consumed) is an error in the component.
    if let Some(r) = kids.next() {
        let (o, t) = r?;
        return Err(Error::value(
            Layer::Tcap,
            "extra element in component",
            u64::from(t.tag.number),
            o,
        ));
    }
    Ok(c)
}

fn take_parameter<'a>(
    c: &mut Component<'a>,
    next: Option<Result<(usize, Tlv<'a>), Error>>,
) -> Result<(), Error> {
    if let Some(r) = next {
        let (o, t) = r?;
        c.parameter = Some(t);
        c.parameter_offset = o;
    }
    Ok(())
}

fn code_of<'a>(t: &Tlv<'a>, off: usize) -> Result<Option<Code<'a>>, Error> {
    if t.tag == Tag::INTEGER {
        Ok(Some(Code::Local(int_of(t, off)?)))
    } else if t.tag == Tag::OID {
        Ok(Some(Code::Global(Oid(t.value))))
    } else {
        Ok(None)
    }
}

const fn private(constructed: bool, n: u32) -> Tag {
    Tag::new(Class::Private, constructed, n)
}

fn be_u16(v: &[u8]) -> Option<u16> {
    match v {
        [a, b] => Some(u16::from_be_bytes([*a, *b])),
        [a] => Some(u16::from(*a)),
        _ => None,
    }
}

fn parse_ansi<'a>(off: usize, tlv: Tlv<'a>) -> Result<Component<'a>, Error> {
    let kind = match (tlv.tag.class, tlv.tag.constructed, tlv.tag.number) {
        (Class::Private, true, 9) => ComponentKind::Invoke,
        (Class::Private, true, 10) => ComponentKind::ReturnResultLast,
        (Class::Private, true, 11) => ComponentKind::ReturnError,
        (Class::Private, true, 12) => ComponentKind::Reject,
        (Class::Private, true, 13) => ComponentKind::InvokeNotLast,
        (Class::Private, true, 14) => ComponentKind::ReturnResultNotLast,
        _ => ComponentKind::Unknown,
    };
    let mut c = Component::empty(kind, tlv.tag, off, tlv.raw);
    if kind == ComponentKind::Unknown {
        return Ok(c);
    }
    for r in tlv.children_at(off + tlv.header_len) {
        let (o, t) = r?;
        let code = |t: &Tlv<'a>, national: bool| {
            be_u16(t.value)
                .map(|v| {
                    if national {
                        Code::National(v)
                    } else {
                        Code::Private(v)
                    }
                })
                .ok_or(Error::value(
                    Layer::Tcap,
                    "ansi code length",
                    t.value.len() as u64,
                    o,
                ))
        };
        if t.tag == private(false, 15) {
            // Component IDs: invoke id [, correlation id] for invokes; correlation id otherwise.
            let mut ids = t.value.iter();
            match kind {
                ComponentKind::Invoke | ComponentKind::InvokeNotLast => {
                    c.invoke_id = ids.next().map(|b| i64::from(*b));
                    c.linked_id = ids.next().map(|b| i64::from(*b));
                }
                _ => c.invoke_id = ids.next().map(|b| i64::from(*b)),
            }
            if t.value.len() > 2 {
                return Err(Error::value(
                    Layer::Tcap,
                    "ansi component id length",
                    t.value.len() as u64,
                    o,
                ));
            }
        } else if t.tag == private(false, 16) || t.tag == private(false, 17) {
            c.opcode = Some(code(&t, t.tag.number == 16)?);
        } else if t.tag == private(false, 19) || t.tag == private(false, 20) {
            c.error_code = Some(code(&t, t.tag.number == 19)?);
        } else if t.tag == private(false, 21) {
            let v = be_u16(t.value).ok_or(Error::value(
                Layer::Tcap,
                "ansi problem length",
                t.value.len() as u64,
                o,
            ))?;
            // T1.114: type 1 general .. 5 transaction portion; mapped onto the ITU categories
            // (0..3) plus TRANSACTION; an unassigned type keeps its value with bit 7 set.
            let ty = (v >> 8) as u8;
            c.problem = Some(Problem {
                kind: ProblemType(match ty {
                    1..=5 => ty - 1,
                    other => 0x80 | other,
                }),
                code: i64::from(v & 0xff),
                ansi: true,
            });
        } else if t.tag == private(true, 18) || t.tag == Tag::SEQUENCE {
            c.parameter = Some(t);
            c.parameter_offset = o;
        } else {
            return Err(crate::ber_util::unexpected(t.tag, o));
        }
    }
    Ok(c)
}
