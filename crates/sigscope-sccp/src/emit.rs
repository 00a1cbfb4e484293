//! Emitters for the connectionless messages (UDT, UDTS, XUDT, XUDTS, LUDT, LUDTS).

use sigscope_core::{Error, Layer};

use crate::address::{AddressRepr, PcFormat};
use crate::message::Message;
use crate::types::{Cause, MessageType, ParamName, ProtocolClass, ReturnCause, Segmentation};

/// Owned connectionless message, for round trips and test-capture generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitdataRepr {
    /// UDT, UDTS, XUDT, XUDTS, LUDT or LUDTS.
    pub msg_type: MessageType,
    /// Protocol class (UDT, XUDT, LUDT).
    pub protocol_class: ProtocolClass,
    /// Return cause (UDTS, XUDTS, LUDTS).
    pub return_cause: ReturnCause,
    /// Hop counter (X/L types).
    pub hop_counter: u8,
    /// Called party address.
    pub called: AddressRepr,
    /// Calling party address.
    pub calling: AddressRepr,
    /// User data.
    pub data: Vec<u8>,
    /// Segmentation (X/L types).
    pub segmentation: Option<Segmentation>,
    /// Importance (X/L types).
    pub importance: Option<u8>,
}

impl Default for UnitdataRepr {
    fn default() -> Self {
        UnitdataRepr {
            msg_type: MessageType::UDT,
            protocol_class: ProtocolClass(0),
            return_cause: ReturnCause(0),
            hop_counter: 15,
            called: AddressRepr::default(),
            calling: AddressRepr::default(),
            data: Vec::new(),
            segmentation: None,
            importance: None,
        }
    }
}

impl UnitdataRepr {
    /// Read the owned form from a decoded connectionless message (addresses decoded in
    /// `format`). `None` for other message types or missing addresses.
    pub fn parse(m: &Message<'_>, format: PcFormat) -> Option<UnitdataRepr> {
        if !m.msg_type.is_connectionless() {
            return None;
        }
        let mut a = sigscope_core::Anomalies::new();
        let called = m.called_address(format, &mut a)?;
        let calling = m.calling_address(format, &mut a)?;
        Some(UnitdataRepr {
            msg_type: m.msg_type,
            protocol_class: m.protocol_class.unwrap_or_default(),
            return_cause: match m.cause {
                Some(Cause::Return(c)) => c,
                _ => ReturnCause(0),
            },
            hop_counter: m.hop_counter.unwrap_or(0),
            called: AddressRepr::from_address(&called),
            calling: AddressRepr::from_address(&calling),
            data: m.user_data().to_vec(),
            segmentation: m.segmentation,
            importance: m.importance,
        })
    }

    /// Encode. Fails when a length does not fit its field (UDT/XUDT data over 255 octets, a
    /// message over 255 octets of pointers, LUDT data over 65535) or the type is not
    /// connectionless.
    pub fn emit(&self, format: PcFormat) -> Result<Vec<u8>, Error> {
        let t = self.msg_type;
        if !t.is_connectionless() {
            return Err(Error::value(
                Layer::Sccp,
                "message type for UnitdataRepr",
                u64::from(t.0),
                0,
            ));
        }
        let long = matches!(t, MessageType::LUDT | MessageType::LUDTS);
        let extended = !matches!(t, MessageType::UDT | MessageType::UDTS);
        let mut called = Vec::new();
        self.called.emit(format, &mut called);
        let mut calling = Vec::new();
        self.calling.emit(format, &mut calling);
        let mut opt = Vec::new();
        if extended {
            if let Some(s) = self.segmentation {
                opt.extend_from_slice(&[ParamName::SEGMENTATION.0, 4]);
                opt.extend_from_slice(&s.to_bytes());
            }
            if let Some(i) = self.importance {
                opt.extend_from_slice(&[ParamName::IMPORTANCE.0, 1, i & 0x07]);
            }
            if !opt.is_empty() {
                opt.push(0);
            }
        }
        for (what, v) in [
            ("called address length", &called),
            ("calling address length", &calling),
        ] {
            if v.len() > 255 {
                return Err(Error::value(Layer::Sccp, what, v.len() as u64, 0));
            }
        }
        let max_data = if long { 0xffff } else { 255 };
        if self.data.len() > max_data {
            return Err(Error::value(
                Layer::Sccp,
                "data length",
                self.data.len() as u64,
                0,
            ));
        }
        let psize = if long { 2 } else { 1 };
        let nptr = if extended { 4 } else { 3 };
        let mut out =
            Vec::with_capacity(8 + called.len() + calling.len() + self.data.len() + opt.len());
        out.push(t.0);
        out.push(if t.is_service() {
            self.return_cause.0
        } else {
            self.protocol_class.0
        });
        if extended {
            out.push(self.hop_counter);
        }
        let ptr_start = out.len();
        let params_start = ptr_start + nptr * psize;
        let dlen = if long { 2 } else { 1 };
        let offs = [
            params_start,
            params_start + 1 + called.len(),
            params_start + 2 + called.len() + calling.len(),
            params_start + 2 + called.len() + calling.len() + dlen + self.data.len(),
        ];
        for (i, target) in offs.iter().take(nptr).enumerate() {
            let at = ptr_start + i * psize;
            let v = if i == 3 && opt.is_empty() {
                0
            } else {
                target - at - (psize - 1)
            };
            if long {
                let v16 = u16::try_from(v)
                    .map_err(|_| Error::value(Layer::Sccp, "pointer", v as u64, at))?;
                out.extend_from_slice(&v16.to_le_bytes());
            } else {
                let v8 = u8::try_from(v)
                    .map_err(|_| Error::value(Layer::Sccp, "pointer", v as u64, at))?;
                out.push(v8);
            }
        }
        out.push(called.len() as u8);
        out.extend_from_slice(&called);
        out.push(calling.len() as u8);
        out.extend_from_slice(&calling);
        if long {
            out.extend_from_slice(&(self.data.len() as u16).to_le_bytes());
        } else {
            out.push(self.data.len() as u8);
        }
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&opt);
        Ok(out)
    }
}
