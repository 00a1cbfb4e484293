//! Errors (fatal for one message) and anomalies (non-fatal oddities returned with the data).

use core::fmt;

use crate::AnomalyCode;

/// The protocol layer an error or anomaly belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Layer {
    /// Capture file container (pcap / pcapng).
    Capture,
    /// Link layer (Ethernet, SLL, MTP2, ...).
    Link,
    /// IPv4 / IPv6.
    Ip,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
    /// M3UA.
    M3ua,
    /// M2PA.
    M2pa,
    /// M2UA.
    M2ua,
    /// MTP2.
    Mtp2,
    /// MTP3.
    Mtp3,
    /// SUA.
    Sua,
    /// SCCP.
    Sccp,
    /// TCAP.
    Tcap,
    /// GSM MAP.
    Map,
    /// SMS TPDU.
    Sms,
    /// GTP (any version).
    Gtp,
    /// BER encoding.
    Ber,
    /// Digit strings (TBCD / BCD).
    Digits,
    /// Text (GSM 7-bit, UCS-2).
    Text,
}

impl Layer {
    /// Lower-case name used in output (`"m3ua"`, `"sccp"`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Layer::Capture => "capture",
            Layer::Link => "link",
            Layer::Ip => "ip",
            Layer::Udp => "udp",
            Layer::Sctp => "sctp",
            Layer::M3ua => "m3ua",
            Layer::M2pa => "m2pa",
            Layer::M2ua => "m2ua",
            Layer::Mtp2 => "mtp2",
            Layer::Mtp3 => "mtp3",
            Layer::Sua => "sua",
            Layer::Sccp => "sccp",
            Layer::Tcap => "tcap",
            Layer::Map => "map",
            Layer::Sms => "sms",
            Layer::Gtp => "gtp",
            Layer::Ber => "ber",
            Layer::Digits => "digits",
            Layer::Text => "text",
        }
    }
}

impl fmt::Display for Layer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Not enough bytes: what was required, what there was, where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{layer}: need {required} bytes at offset {offset}, have {actual}")]
pub struct LenError {
    /// Layer that needed the bytes.
    pub layer: Layer,
    /// Bytes required from `offset`.
    pub required: usize,
    /// Bytes available from `offset`.
    pub actual: usize,
    /// Byte offset within the layer's input where the requirement starts.
    pub offset: usize,
}

/// A fatal decode error for one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The input is shorter than a length field or fixed layout requires.
    #[error(transparent)]
    Len(#[from] LenError),
    /// A field holds a value that makes the rest undecodable.
    #[error("{layer}: invalid {what} {value:#x} at offset {offset}")]
    Value {
        /// Layer.
        layer: Layer,
        /// Which field (static name).
        what: &'static str,
        /// The offending value.
        value: u64,
        /// Byte offset of the field.
        offset: usize,
    },
    /// A nesting or count limit was reached.
    #[error("{layer}: limit {what} ({limit}) reached at offset {offset}")]
    Limit {
        /// Layer.
        layer: Layer,
        /// Which limit.
        what: &'static str,
        /// The limit's value.
        limit: usize,
        /// Byte offset where it was reached.
        offset: usize,
    },
}

impl Error {
    /// Shorthand for a length error (cold: the decoders' error paths are moved out of line).
    #[cold]
    pub const fn len(layer: Layer, required: usize, actual: usize, offset: usize) -> Self {
        Error::Len(LenError {
            layer,
            required,
            actual,
            offset,
        })
    }

    /// Shorthand for a value error (cold, as [`Error::len`]).
    #[cold]
    pub const fn value(layer: Layer, what: &'static str, value: u64, offset: usize) -> Self {
        Error::Value {
            layer,
            what,
            value,
            offset,
        }
    }

    /// The layer the error belongs to.
    pub const fn layer(&self) -> Layer {
        match self {
            Error::Len(e) => e.layer,
            Error::Value { layer, .. } | Error::Limit { layer, .. } => *layer,
        }
    }

    /// Byte offset (within that layer's input).
    pub const fn offset(&self) -> usize {
        match self {
            Error::Len(e) => e.offset,
            Error::Value { offset, .. } | Error::Limit { offset, .. } => *offset,
        }
    }

    /// The anomaly code for reporting the error as an anomaly.
    pub const fn code(&self) -> AnomalyCode {
        match self {
            Error::Len(_) => AnomalyCode::Truncated,
            Error::Value { .. } => AnomalyCode::InvalidValue,
            Error::Limit { .. } => AnomalyCode::LimitReached,
        }
    }

    /// Turn the error into an anomaly (for "decode what can be decoded" paths).
    pub fn to_anomaly(&self) -> Anomaly {
        let (detail, value) = match self {
            Error::Len(e) => ("need more bytes", Some(e.required as u64)),
            Error::Value { what, value, .. } => (*what, Some(*value)),
            Error::Limit { what, limit, .. } => (*what, Some(*limit as u64)),
        };
        Anomaly {
            layer: self.layer(),
            code: self.code(),
            offset: self.offset(),
            detail,
            value,
        }
    }
}

/// A non-fatal oddity found while decoding, returned beside the data.
///
/// `code` is one of the catalogue [`AnomalyCode`] (its stable snake_case name is what users
/// write rules against); `offset` is the byte offset in
/// the layer's own input; `detail` is a static human explanation and `value` an optional
/// number (the value found, a count, ...). It is `Copy` and allocation-free.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Anomaly {
    /// Layer that found it.
    pub layer: Layer,
    /// Stable code (printed as its snake_case name).
    pub code: AnomalyCode,
    /// Byte offset within the layer's input.
    pub offset: usize,
    /// Human explanation.
    pub detail: &'static str,
    /// A value that goes with it, if any.
    pub value: Option<u64>,
}

impl Anomaly {
    /// New anomaly without a value.
    pub const fn new(layer: Layer, code: AnomalyCode, offset: usize, detail: &'static str) -> Self {
        Anomaly {
            layer,
            code,
            offset,
            detail,
            value: None,
        }
    }

    /// Attach a value.
    pub const fn with_value(mut self, value: u64) -> Self {
        self.value = Some(value);
        self
    }

    /// Shift the offset (when a layer's anomaly is reported relative to an outer buffer).
    pub const fn shifted(mut self, by: usize) -> Self {
        self.offset = self.offset.saturating_add(by);
        self
    }
}

impl fmt::Display for Anomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}@{}: {}",
            self.layer, self.code, self.offset, self.detail
        )?;
        if let Some(v) = self.value {
            write!(f, " ({v})")?;
        }
        Ok(())
    }
}

/// Most anomalies kept for one message; more are counted in [`Anomalies::dropped`].
pub const MAX_ANOMALIES: usize = 16;

/// A fixed-capacity, allocation-free list of anomalies for one message.
///
/// Backed by `arrayvec::ArrayVec`, so creating one costs nothing whatever its capacity (an
/// inline `[Option<Anomaly>; N]` had to be written out in full for every message).
#[derive(Clone, PartialEq, Eq)]
pub struct Anomalies {
    items: arrayvec::ArrayVec<Anomaly, MAX_ANOMALIES>,
    dropped: usize,
}

impl Default for Anomalies {
    fn default() -> Self {
        Self::new()
    }
}

impl Anomalies {
    /// Empty list.
    pub const fn new() -> Self {
        Anomalies {
            items: arrayvec::ArrayVec::new_const(),
            dropped: 0,
        }
    }

    /// Add one; past [`MAX_ANOMALIES`] it is only counted.
    #[cold]
    #[inline(never)]
    pub fn push(&mut self, a: Anomaly) {
        if self.items.try_push(a).is_err() {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    /// Add every anomaly of another list.
    pub fn extend_from(&mut self, other: &Anomalies) {
        for a in other.iter() {
            self.push(*a);
        }
        self.dropped = self.dropped.saturating_add(other.dropped);
    }

    /// Kept anomalies.
    pub fn iter(&self) -> impl Iterator<Item = &Anomaly> {
        self.items.iter()
    }

    /// Number kept.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Forget every anomaly kept and the count of those dropped.
    pub fn clear(&mut self) {
        self.items.clear();
        self.dropped = 0;
    }

    /// None kept and none dropped.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty() && self.dropped == 0
    }

    /// How many did not fit.
    pub const fn dropped(&self) -> usize {
        self.dropped
    }

    /// True if an anomaly with this code was recorded.
    pub fn contains(&self, code: AnomalyCode) -> bool {
        self.iter().any(|a| a.code == code)
    }
}

impl fmt::Debug for Anomalies {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut l = f.debug_list();
        l.entries(self.iter());
        if self.dropped > 0 {
            l.entry(&format_args!("+{} dropped", self.dropped));
        }
        l.finish()
    }
}

impl Extend<Anomaly> for Anomalies {
    fn extend<T: IntoIterator<Item = Anomaly>>(&mut self, iter: T) {
        for a in iter {
            self.push(a);
        }
    }
}

/// Checked sub-slice helper: `data[start..start+len]` or a [`LenError`].
#[inline]
pub fn take(data: &[u8], start: usize, len: usize, layer: Layer) -> Result<&[u8], Error> {
    let end = start
        .checked_add(len)
        .ok_or(Error::len(layer, len, 0, start))?;
    data.get(start..end)
        .ok_or_else(|| Error::len(layer, len, data.len().saturating_sub(start), start))
}

/// Read a big-endian u16 at `at`.
#[inline]
pub fn be_u16(data: &[u8], at: usize, layer: Layer) -> Result<u16, Error> {
    match data.get(at..at.wrapping_add(2)) {
        Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
        _ => Err(Error::len(layer, 2, data.len().saturating_sub(at), at)),
    }
}

/// Read a big-endian u32 at `at`.
#[inline]
pub fn be_u32(data: &[u8], at: usize, layer: Layer) -> Result<u32, Error> {
    match data.get(at..at.wrapping_add(4)) {
        Some(&[a, b, c, d]) => Ok(u32::from_be_bytes([a, b, c, d])),
        _ => Err(Error::len(layer, 4, data.len().saturating_sub(at), at)),
    }
}

/// Read one byte at `at`.
#[inline]
pub fn u8_at(data: &[u8], at: usize, layer: Layer) -> Result<u8, Error> {
    data.get(at).copied().ok_or(Error::len(layer, 1, 0, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anomalies_cap_and_count() {
        let mut l = Anomalies::new();
        for i in 0..20 {
            l.push(Anomaly::new(Layer::Sctp, AnomalyCode::BadChecksum, i, "d"));
        }
        assert_eq!(l.len(), MAX_ANOMALIES);
        assert_eq!(l.dropped(), 4);
        assert!(l.contains(AnomalyCode::BadChecksum));
        assert!(!l.contains(AnomalyCode::Truncated));
        assert_eq!(l.iter().last().map(|a| a.offset), Some(15));
    }

    #[test]
    fn readers() {
        let d = [1u8, 2, 3, 4, 5];
        assert_eq!(be_u16(&d, 3, Layer::Sctp), Ok(0x0405));
        assert!(be_u16(&d, 4, Layer::Sctp).is_err());
        assert!(be_u32(&d, usize::MAX, Layer::Sctp).is_err());
        assert_eq!(take(&d, 1, 2, Layer::Sctp), Ok(&d[1..3]));
        let e = take(&d, 4, 3, Layer::M3ua).unwrap_err();
        assert_eq!(e, Error::len(Layer::M3ua, 3, 1, 4));
        assert_eq!(e.to_anomaly().code, AnomalyCode::Truncated);
        assert!(take(&d, usize::MAX, 3, Layer::M3ua).is_err());
    }
}
