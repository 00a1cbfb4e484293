#!/usr/bin/env python3
"""Generate the E.164 prefix table in ../src/e164.rs (between the GENERATED markers).

Usage: python3 tools/gen_e164.py            (from crates/sigscope-core)

Data: hand-maintained from the ITU-T E.164 list of assigned country codes ("List of ITU-T
Recommendation E.164 assigned country codes", Annex to ITU Operational Bulletin) and the
NANP area-code assignments.  The shared-code splits (NANP, +7, +44 Crown Dependencies, ...)
follow libphonenumber's metadata (Apache-2.0), version 9.0.43 as shipped by the PyPI
package `phonenumbers`; if that package is importable the script cross-checks the country
code list and the NANP territories against it and fails on any difference.

Output rows are (prefix, cc, iso, name) sorted by prefix; lookup is a longest-prefix match.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from country_names import NAMES  # noqa: E402

# Country code -> ISO 3166-1 alpha-2 of the main territory for that code.
GEOGRAPHIC = """
1 US  7 RU  20 EG  27 ZA  30 GR  31 NL  32 BE  33 FR  34 ES  36 HU  39 IT  40 RO  41 CH
43 AT  44 GB  45 DK  46 SE  47 NO  48 PL  49 DE  51 PE  52 MX  53 CU  54 AR  55 BR  56 CL
57 CO  58 VE  60 MY  61 AU  62 ID  63 PH  64 NZ  65 SG  66 TH  81 JP  82 KR  84 VN  86 CN
90 TR  91 IN  92 PK  93 AF  94 LK  95 MM  98 IR
211 SS  212 MA  213 DZ  216 TN  218 LY  220 GM  221 SN  222 MR  223 ML  224 GN  225 CI
226 BF  227 NE  228 TG  229 BJ  230 MU  231 LR  232 SL  233 GH  234 NG  235 TD  236 CF
237 CM  238 CV  239 ST  240 GQ  241 GA  242 CG  243 CD  244 AO  245 GW  246 IO  247 AC
248 SC  249 SD  250 RW  251 ET  252 SO  253 DJ  254 KE  255 TZ  256 UG  257 BI  258 MZ
260 ZM  261 MG  262 RE  263 ZW  264 NA  265 MW  266 LS  267 BW  268 SZ  269 KM  290 SH
291 ER  297 AW  298 FO  299 GL
350 GI  351 PT  352 LU  353 IE  354 IS  355 AL  356 MT  357 CY  358 FI  359 BG  370 LT
371 LV  372 EE  373 MD  374 AM  375 BY  376 AD  377 MC  378 SM  379 VA  380 UA  381 RS
382 ME  383 XK  385 HR  386 SI  387 BA  389 MK  420 CZ  421 SK  423 LI
500 FK  501 BZ  502 GT  503 SV  504 HN  505 NI  506 CR  507 PA  508 PM  509 HT  590 GP
591 BO  592 GY  593 EC  594 GF  595 PY  596 MQ  597 SR  598 UY  599 CW
670 TL  672 NF  673 BN  674 NR  675 PG  676 TO  677 SB  678 VU  679 FJ  680 PW  681 WF
682 CK  683 NU  685 WS  686 KI  687 NC  688 TV  689 PF  690 TK  691 FM  692 MH
850 KP  852 HK  853 MO  855 KH  856 LA  880 BD  886 TW
960 MV  961 LB  962 JO  963 SY  964 IQ  965 KW  966 SA  967 YE  968 OM  970 PS  971 AE
972 IL  973 BH  974 QA  975 BT  976 MN  977 NP  992 TJ  993 TM  994 AZ  995 GE  996 KG
998 UZ
"""

# Non-geographic (global service) codes: iso is "".
NON_GEOGRAPHIC = {
    "800": "International Freephone Service (UIFN)",
    "808": "International Shared Cost Service (ISCS)",
    "870": "Inmarsat (Single Network Access Code)",
    "878": "Universal Personal Telecommunications (UPT)",
    "881": "Global Mobile Satellite System (GMSS)",
    "882": "International Networks",
    "883": "International Networks",
    "888": "Telecommunications for Disaster Relief (OCHA)",
    "979": "International Premium Rate Service (IPRS)",
    "991": "Trial of International Telecommunications Public Correspondence Service (ITPCS)",
}

# NANP area codes of the other NANP members (country code 1).
NANP = """
242 BS  246 BB  264 AI  268 AG  284 VG  340 VI  345 KY  441 BM  473 GD  649 TC  658 JM
664 MS  670 MP  671 GU  684 AS  721 SX  758 LC  767 DM  784 VC  787 PR  809 DO  829 DO
849 DO  868 TT  869 KN  876 JM  939 PR
"""

# Canadian NPAs: every geographic NPA libphonenumber 9.0.43 assigns to CA, plus the
# Canadian non-geographic NPAs 600 and 622.
CANADA = """
204 226 236 249 250 257 263 273 289 306 343 354 365 367 368 382 403 416 418 428 431 437
438 450 468 474 506 514 519 548 579 581 584 587 600 604 613 622 639 647 672 683 705 709
742 753 778 780 782 807 819 825 867 873 879 902 905 942
"""

# Other territories that share a country code, as (prefix incl. country code, iso).
SUBPREFIXES = [
    ("76", "KZ"), ("77", "KZ"),
    ("3906698", "VA"),
    ("441481", "GG"), ("447781", "GG"), ("447839", "GG"), ("4479111", "GG"), ("4479117", "GG"),
    ("441534", "JE"), ("447509", "JE"), ("447829", "JE"), ("447937", "JE"), ("447797", "JE"),
    ("4477003", "JE"), ("4477007", "JE"), ("4477008", "JE"),
    ("441624", "IM"), ("447524", "IM"), ("447624", "IM"), ("447924", "IM"), ("4474576", "IM"),
    ("4779", "SJ"),
    ("6189162", "CC"), ("6189164", "CX"),
    ("2125288", "EH"), ("2125289", "EH"),
    ("262269", "YT"), ("262639", "YT"),
    ("2908", "TA"),
    ("35818", "AX"),
    ("5993", "BQ"), ("5994", "BQ"), ("5997", "BQ"),
]


def pairs(text):
    toks = text.split()
    return list(zip(toks[0::2], toks[1::2]))


def rows():
    out = {}

    def add(prefix, cc, iso, name):
        assert prefix.isdigit() and prefix.startswith(cc), prefix
        assert prefix not in out, f"duplicate prefix {prefix}"
        out[prefix] = (cc, iso, name)

    for cc, iso in pairs(GEOGRAPHIC):
        add(cc, cc, iso, NAMES[iso])
    for cc, name in NON_GEOGRAPHIC.items():
        add(cc, cc, "", name)
    for npa, iso in pairs(NANP):
        add("1" + npa, "1", iso, NAMES[iso])
    for npa in CANADA.split():
        add("1" + npa, "1", "CA", NAMES["CA"])
    for prefix, iso in SUBPREFIXES:
        cc = next(c for c in (prefix[:1], prefix[:2], prefix[:3]) if c in out and out[c][0] == c)
        add(prefix, cc, iso, NAMES[iso])
    return sorted(out.items())


def cross_check(table):
    try:
        import phonenumbers
        from phonenumbers import COUNTRY_CODE_TO_REGION_CODE as C
    except ImportError:
        print("phonenumbers not installed: skipping cross-check", file=sys.stderr)
        return
    ours = {p for p, (cc, _, _) in table if p == cc}
    theirs = {str(c) for c in C}
    extra = ours - theirs
    missing = theirs - ours
    print(f"phonenumbers {phonenumbers.__version__}: codes only here {sorted(extra)}",
          file=sys.stderr)
    if missing:
        sys.exit(f"country codes missing from the table: {sorted(missing)}")
    regions = {iso for _, (_, iso, _) in table if iso}
    lib_regions = {r for v in C.values() for r in v if r != "001"}
    # Saint Barthélemy and Saint Martin share +590 with Guadeloupe in interleaved blocks that
    # no short prefix separates: they resolve to GP.
    if lib_regions - regions - {"BL", "MF"}:
        sys.exit(f"regions missing: {sorted(lib_regions - regions)}")
    for r in C[1]:
        md = phonenumbers.PhoneMetadata.metadata_for_region(r)
        if md.leading_digits:
            for npa in re.findall(r"\d{3}", md.leading_digits.replace("8[024]9", "809|829|849")):
                got = dict(table).get("1" + npa)
                if npa != "800" and (got is None or got[1] != r):
                    sys.exit(f"NANP {npa} should be {r}, table has {got}")


def rust_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    table = rows()
    cross_check(table)
    lines = [
        "// Generated by tools/gen_e164.py; do not edit by hand.",
        "#[rustfmt::skip]",
        "static PREFIXES: &[(&str, Country)] = &[",
    ]
    for prefix, (cc, iso, name) in table:
        lines.append(
            f"    ({rust_str(prefix)}, c({rust_str(cc)}, {rust_str(iso)}, {rust_str(name)})),"
        )
    lines.append("];")
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "e164.rs")
    with open(path, encoding="utf-8") as f:
        src = f.read()
    begin = "// BEGIN GENERATED TABLE\n"
    end = "// END GENERATED TABLE\n"
    head, rest = src.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + begin + "\n".join(lines) + "\n" + end + tail)
    print(f"wrote {len(table)} prefixes", file=sys.stderr)


if __name__ == "__main__":
    main()
