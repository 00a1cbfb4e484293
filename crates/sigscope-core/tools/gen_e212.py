#!/usr/bin/env python3
"""Generate the E.212 MCC/MNC tables in ../src/e212.rs (between the GENERATED markers).

Usage (from crates/sigscope-core):
    python3 tools/gen_e212.py [path/to/mcc-mnc-list.json]

Without a path the script fetches the data with `npm pack mcc-mnc-list@1.1.11` into a
temporary directory (the npm registry is the only network access it needs).

Data source: npm package `mcc-mnc-list` 1.1.11 by Peter Bakondy, licence MIT
(https://www.npmjs.com/package/mcc-mnc-list). Its JSON is scraped from Wikipedia's
"Mobile Network Codes" pages (text under CC BY-SA).

Rules applied:
- MNCs that are not 2 or 3 digits are dropped (a handful of 5-digit French entries and "?"),
  "NNN - NNN" ranges are expanded, and entries whose status is "Returned spare" are dropped.
- Several entries for one MCC+MNC: keep the operational one, then one with a brand, then
  the one in the MCC's main country, then the first; OVERRIDE_ISO fixes the few where the
  main country is the wrong pick.
- Operator: the brand when there is one, else the operator's company name.
- Multi-territory codes ("AU/CC/CX", "BL/GF/GP/MF/MQ", ...) are mapped to one ISO code
  with a descriptive country name (MULTI).
- The MCC list is the data set's MCCs plus the ITU-assigned MCCs it has no operator for
  (EXTRA_MCC).
"""
import collections
import glob
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from country_names import NAMES  # noqa: E402

PACKAGE = "mcc-mnc-list@1.1.11"

MULTI = {
    "AU/CC/CX": ("AU", "Australia"),
    "BQ/CW/SX": ("CW", "Curaçao, Sint Maarten and Caribbean Netherlands"),
    "BL/GF/GP/MF/MQ": ("GP", "French Antilles"),
    "YT/RE": ("RE", "Réunion and Mayotte"),
    "GE-AB": ("GE", "Abkhazia"),
}

# MCCs with no country in the data set.
SPECIAL_MCC = {
    "001": ("", "Test network"),
    "901": ("", "International operators"),
    "902": ("", "International operators"),
    "991": ("", "International operators (trial)"),
    "995": ("IO", "British Indian Ocean Territory"),
    "999": ("", "Internal use (private networks)"),
}

# ITU-assigned MCCs without operator entries in the data set.
EXTRA_MCC = {
    "225": ("VA", NAMES["VA"]),
    "332": ("VI", NAMES["VI"]),
    "430": ("AE", NAMES["AE"]),
    "431": ("AE", NAMES["AE"]),
    "461": ("CN", NAMES["CN"]),
}

OVERRIDE_ISO = {
    ("425", "05"): "PS",
    ("425", "06"): "PS",
}

STATUS_DROP = {"Returned spare"}


def load(path):
    if path is None:
        tmp = tempfile.mkdtemp()
        subprocess.run(["npm", "pack", PACKAGE], cwd=tmp, check=True, capture_output=True)
        (tgz,) = glob.glob(os.path.join(tmp, "*.tgz"))
        with tarfile.open(tgz) as t:
            t.extractall(tmp, filter="data")
        path = os.path.join(tmp, "package", "mcc-mnc-list.json")
    with open(path, "rb") as f:
        raw = f.read()
    return json.loads(raw), hashlib.sha256(raw).hexdigest()


def territory(e):
    code = e["countryCode"]
    if e["mcc"] in SPECIAL_MCC and not code:
        return SPECIAL_MCC[e["mcc"]]
    if code in MULTI:
        return MULTI[code]
    if code in NAMES:
        return code, NAMES[code]
    raise SystemExit(f"unknown country code {code!r} in {e}")


def mncs(e):
    m = (e["mnc"] or "").strip()
    if re.fullmatch(r"\d{2,3}", m):
        return [m]
    r = re.fullmatch(r"(\d{3})\s*-\s*(\d{3})", m)
    if r:
        return [f"{i:03d}" for i in range(int(r.group(1)), int(r.group(2)) + 1)]
    return []


def clean(s):
    return re.sub(r"\s+", " ", (s or "").strip())


def main():
    data, sha = load(sys.argv[1] if len(sys.argv) > 1 else None)
    by_mcc_country = collections.defaultdict(collections.Counter)
    for e in data:
        by_mcc_country[e["mcc"]][territory(e)] += 1
    home = {mcc: c.most_common(1)[0][0] for mcc, c in by_mcc_country.items()}

    groups = collections.defaultdict(list)
    dropped = 0
    for order, e in enumerate(data):
        ms = mncs(e)
        if not re.fullmatch(r"\d{3}", e["mcc"] or "") or not ms or e["status"] in STATUS_DROP:
            dropped += 1
            continue
        for m in ms:
            groups[(e["mcc"], m)].append((order, e))

    rows = []
    for (mcc, mnc), entries in groups.items():
        def rank(item):
            order, e = item
            return (
                e["status"] != "Operational",
                not clean(e["brand"]),
                territory(e) != home[mcc],
                order,
            )

        _, e = min(entries, key=rank)
        iso, country = territory(e)
        if (mcc, mnc) in OVERRIDE_ISO:
            iso = OVERRIDE_ISO[(mcc, mnc)]
            country = NAMES[iso]
        name = clean(e["brand"]) or clean(e["operator"])
        rows.append((int(mcc), mnc, iso, country, name))
    rows.sort(key=lambda r: (r[0], r[1]))

    mcc_rows = {int(m): h for m, h in home.items()}
    for m, v in EXTRA_MCC.items():
        assert int(m) not in mcc_rows, m
        mcc_rows[int(m)] = v
    for m, v in SPECIAL_MCC.items():
        mcc_rows[int(m)] = v

    def rs(s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "// Generated by tools/gen_e212.py; do not edit by hand.",
        f"// Source: npm {PACKAGE} (MIT), mcc-mnc-list.json sha256 {sha}.",
        "#[rustfmt::skip]",
        "static PLMNS: &[Plmn] = &[",
    ]
    for mcc, mnc, iso, country, name in rows:
        lines.append(f"    p({mcc}, {rs(mnc)}, {rs(iso)}, {rs(country)}, {rs(name)}),")
    lines += ["];", "", "#[rustfmt::skip]", "static MCCS: &[(u16, &str, &str)] = &["]
    for mcc in sorted(mcc_rows):
        iso, name = mcc_rows[mcc]
        lines.append(f"    ({mcc}, {rs(iso)}, {rs(name)}),")
    lines.append("];")

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "e212.rs")
    with open(path, encoding="utf-8") as f:
        src = f.read()
    begin = "// BEGIN GENERATED TABLE\n"
    end = "// END GENERATED TABLE\n"
    head, rest = src.split(begin, 1)
    _, tail = rest.split(end, 1)
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + begin + "\n".join(lines) + "\n" + end + tail)
    print(f"{len(data)} source entries, {dropped} dropped, {len(rows)} PLMNs, "
          f"{len(mcc_rows)} MCCs, sha256 {sha}", file=sys.stderr)


if __name__ == "__main__":
    main()
