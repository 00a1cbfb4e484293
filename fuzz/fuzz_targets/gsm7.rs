//! Fuzz GSM 7-bit / UCS-2 text decoding as used by SMS and USSD: packed septets with fill
//! bits, USSD `<CR>` padding, CBS data coding schemes, and UCS-2.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sigscope_core::gsm7;
use sigscope_map::Ussd;

fuzz_target!(|data: &[u8]| {
    let Some((&ctl, rest)) = data.split_first() else {
        return;
    };
    let _ = gsm7::decode_packed(rest, ctl % 7, usize::from(ctl));
    let _ = gsm7::decode_packed_ussd(rest);
    let mut s = String::new();
    let _ = gsm7::decode_ucs2(rest, &mut s);
    let u = Ussd {
        dcs: Some(ctl),
        string: rest,
        offset: 0,
    };
    let _ = u.text();
});
