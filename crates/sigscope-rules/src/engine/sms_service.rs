//! What a delivered short message is to its reader: text shown (an SMS service's alerts and
//! codes, no beacon on their clock) or nothing shown (type 0, SIM data, a discard
//! indication: a tracker's ping when it comes on a clock from abroad).

use sigscope_map::MapEntry;

/// Fewest characters of a short message's text taken for a reader's (an alert, a code and
/// its sentence): a periodic delivery of such text is an SMS service's.
const SMS_SERVICE_TEXT_MIN: usize = 8;
/// TP-PID "short message type 0" (TS 23.040 9.2.3.9): acknowledged and discarded by the
/// handset, never shown (a "silent SMS": a tracker's ping).
const PID_TYPE_0: u8 = 0x40;

/// TP-PID "SIM data download" (TS 23.040 9.2.3.9): for the SIM's applications, never shown.
const PID_SIM_DATA_DOWNLOAD: u8 = 0x7f;
/// DCS coding group "message waiting indication: discard message" (TS 23.038 4).
const DCS_GROUP_MWI_DISCARD: u8 = 0xc;
/// DCS message class 2 (SIM-specific): stored on the SIM, not shown.
const DCS_CLASS_SIM: u8 = 2;
/// Fewest characters of the last part of a concatenated text (a word or two).
const SMS_LAST_PART_MIN: usize = 2;

/// Whether a delivered short message carries text for a reader: an SMS-DELIVER of GSM
/// 7-bit or UCS-2 text of at least [`SMS_SERVICE_TEXT_MIN`] characters that the octets
/// hold (not what TP-UDL claims), or the last part of a concatenated one (a word or two);
/// never one the handset does not show: type 0, SIM data download, class 2 (for the SIM),
/// or a waiting indication to discard.
pub(super) fn text_for_a_reader(e: &MapEntry<'_>) -> bool {
    use sigscope_map::sms::{Charset, TpduKind};
    let Some(t) = &e.sms else { return false };
    let Some(u) = t.user_data else { return false };
    let dcs = u.dcs.0;
    let class = match dcs >> 4 {
        // general coding groups with a class (bit 4), and group 1111
        0x0..=0x3 if dcs & 0x10 != 0 => Some(dcs & 0x03),
        0xf => Some(dcs & 0x03),
        _ => None,
    };
    if t.kind != TpduKind::Deliver
        || matches!(t.pid, Some(PID_TYPE_0 | PID_SIM_DATA_DOWNLOAD))
        || u.dcs.compressed()
        || dcs >> 4 == DCS_GROUP_MWI_DISCARD
        || class == Some(DCS_CLASS_SIM)
    {
        return false;
    }
    let chars = match u.dcs.charset() {
        Charset::Gsm7 => {
            // the septets the octets hold after the header
            let held = (u.raw.len() * 8 / 7).saturating_sub((u.header_len() * 8).div_ceil(7));
            u.septet_count().min(held)
        }
        Charset::Ucs2 => u.body().len() / 2,
        Charset::Eight | Charset::Reserved => 0,
    };
    let last_part = u.concat().is_some_and(|c| c.total >= 2 && c.seq == c.total);
    chars >= SMS_SERVICE_TEXT_MIN || (last_part && chars >= SMS_LAST_PART_MIN)
}

/// A short message of type 0 (TP-PID 0x40): the handset acknowledges and discards it, the
/// subscriber never sees it (a "silent SMS": it tells the sender the handset is attached,
/// and where).
pub(super) fn silent_sms(e: &MapEntry<'_>) -> bool {
    e.sms.as_ref().is_some_and(|t| t.pid == Some(PID_TYPE_0))
}
