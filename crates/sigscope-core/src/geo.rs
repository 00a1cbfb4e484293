//! Approximate positions of countries and territories (ISO 3166-1 alpha-2, plus the ITU
//! codes `AC`, `TA`, `XK` that `e164` uses): a point near each one's centre, in degrees,
//! for judging how far apart two places a subscriber was seen are (FS.11 category 3 velocity);
//! which countries border each other and how large each is ([`travel_km`]: the least distance
//! from one into the other). Coarse by design: large countries span thousands of kilometres.
//!
//! @generated table (from public geographic facts); edit the list, not the lookup.

/// Mean Earth radius in kilometres.
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// (ISO code, latitude, longitude), sorted by code.
const POSITIONS: &[(&str, f64, f64)] = &[
    ("AC", -7.90, -14.40),
    ("AD", 42.50, 1.50),
    ("AE", 24.00, 54.00),
    ("AF", 33.00, 65.00),
    ("AG", 17.05, -61.80),
    ("AI", 18.20, -63.05),
    ("AL", 41.00, 20.00),
    ("AM", 40.00, 45.00),
    ("AO", -12.50, 18.50),
    ("AR", -34.00, -64.00),
    ("AS", -14.30, -170.70),
    ("AT", 47.30, 13.30),
    ("AU", -25.00, 133.00),
    ("AW", 12.50, -69.97),
    ("AX", 60.20, 20.00),
    ("AZ", 40.50, 47.50),
    ("BA", 44.00, 18.00),
    ("BB", 13.20, -59.50),
    ("BD", 24.00, 90.00),
    ("BE", 50.80, 4.00),
    ("BF", 13.00, -2.00),
    ("BG", 43.00, 25.00),
    ("BH", 26.00, 50.50),
    ("BI", -3.50, 30.00),
    ("BJ", 9.50, 2.25),
    ("BL", 17.90, -62.83),
    ("BM", 32.30, -64.80),
    ("BN", 4.50, 114.70),
    ("BO", -17.00, -65.00),
    ("BQ", 12.20, -68.30),
    ("BR", -10.00, -55.00),
    ("BS", 24.25, -76.00),
    ("BT", 27.50, 90.50),
    ("BW", -22.00, 24.00),
    ("BY", 53.00, 28.00),
    ("BZ", 17.25, -88.75),
    ("CA", 60.00, -95.00),
    ("CC", -12.20, 96.80),
    ("CD", 0.00, 25.00),
    ("CF", 7.00, 21.00),
    ("CG", -1.00, 15.00),
    ("CH", 47.00, 8.00),
    ("CI", 8.00, -5.00),
    ("CK", -21.20, -159.80),
    ("CL", -30.00, -71.00),
    ("CM", 6.00, 12.00),
    ("CN", 35.00, 105.00),
    ("CO", 4.00, -72.00),
    ("CR", 10.00, -84.00),
    ("CU", 21.50, -80.00),
    ("CV", 16.00, -24.00),
    ("CW", 12.20, -69.00),
    ("CX", -10.50, 105.60),
    ("CY", 35.00, 33.00),
    ("CZ", 49.75, 15.50),
    ("DE", 51.00, 9.00),
    ("DJ", 11.50, 43.00),
    ("DK", 56.00, 10.00),
    ("DM", 15.40, -61.30),
    ("DO", 19.00, -70.70),
    ("DZ", 28.00, 3.00),
    ("EC", -2.00, -77.50),
    ("EE", 59.00, 26.00),
    ("EG", 27.00, 30.00),
    ("EH", 24.50, -13.00),
    ("ER", 15.00, 39.00),
    ("ES", 40.00, -4.00),
    ("ET", 8.00, 38.00),
    ("FI", 64.00, 26.00),
    ("FJ", -18.00, 175.00),
    ("FK", -51.75, -59.00),
    ("FM", 6.90, 158.20),
    ("FO", 62.00, -7.00),
    ("FR", 46.00, 2.00),
    ("GA", -1.00, 11.75),
    ("GB", 54.00, -2.00),
    ("GD", 12.10, -61.70),
    ("GE", 42.00, 43.50),
    ("GF", 4.00, -53.00),
    ("GG", 49.50, -2.56),
    ("GH", 8.00, -2.00),
    ("GI", 36.10, -5.35),
    ("GL", 72.00, -40.00),
    ("GM", 13.50, -15.50),
    ("GN", 11.00, -10.00),
    ("GP", 16.25, -61.60),
    ("GQ", 2.00, 10.00),
    ("GR", 39.00, 22.00),
    ("GT", 15.50, -90.25),
    ("GU", 13.40, 144.80),
    ("GW", 12.00, -15.00),
    ("GY", 5.00, -59.00),
    ("HK", 22.30, 114.20),
    ("HN", 15.00, -86.50),
    ("HR", 45.20, 15.50),
    ("HT", 19.00, -72.40),
    ("HU", 47.00, 20.00),
    ("ID", -5.00, 120.00),
    ("IE", 53.00, -8.00),
    ("IL", 31.50, 34.75),
    ("IM", 54.25, -4.50),
    ("IN", 20.00, 77.00),
    ("IO", -6.00, 71.50),
    ("IQ", 33.00, 44.00),
    ("IR", 32.00, 53.00),
    ("IS", 65.00, -18.00),
    ("IT", 42.80, 12.80),
    ("JE", 49.20, -2.10),
    ("JM", 18.25, -77.50),
    ("JO", 31.00, 36.00),
    ("JP", 36.00, 138.00),
    ("KE", 1.00, 38.00),
    ("KG", 41.00, 75.00),
    ("KH", 13.00, 105.00),
    ("KI", 1.40, 173.00),
    ("KM", -12.20, 44.25),
    ("KN", 17.30, -62.70),
    ("KP", 40.00, 127.00),
    ("KR", 37.00, 127.50),
    ("KW", 29.50, 47.75),
    ("KY", 19.50, -80.50),
    ("KZ", 48.00, 68.00),
    ("LA", 18.00, 105.00),
    ("LB", 33.80, 35.80),
    ("LC", 13.90, -61.00),
    ("LI", 47.20, 9.50),
    ("LK", 7.00, 81.00),
    ("LR", 6.50, -9.50),
    ("LS", -29.50, 28.50),
    ("LT", 56.00, 24.00),
    ("LU", 49.75, 6.20),
    ("LV", 57.00, 25.00),
    ("LY", 25.00, 17.00),
    ("MA", 32.00, -5.00),
    ("MC", 43.70, 7.40),
    ("MD", 47.00, 29.00),
    ("ME", 42.50, 19.30),
    ("MF", 18.07, -63.05),
    ("MG", -20.00, 47.00),
    ("MH", 9.00, 168.00),
    ("MK", 41.80, 22.00),
    ("ML", 17.00, -4.00),
    ("MM", 22.00, 98.00),
    ("MN", 46.00, 105.00),
    ("MO", 22.20, 113.50),
    ("MP", 15.20, 145.70),
    ("MQ", 14.70, -61.00),
    ("MR", 20.00, -12.00),
    ("MS", 16.75, -62.20),
    ("MT", 35.90, 14.40),
    ("MU", -20.30, 57.50),
    ("MV", 3.20, 73.00),
    ("MW", -13.50, 34.00),
    ("MX", 23.00, -102.00),
    ("MY", 2.50, 112.50),
    ("MZ", -18.25, 35.00),
    ("NA", -22.00, 17.00),
    ("NC", -21.50, 165.50),
    ("NE", 16.00, 8.00),
    ("NF", -29.00, 168.00),
    ("NG", 10.00, 8.00),
    ("NI", 13.00, -85.00),
    ("NL", 52.50, 5.75),
    ("NO", 62.00, 10.00),
    ("NP", 28.00, 84.00),
    ("NR", -0.50, 166.90),
    ("NU", -19.00, -169.90),
    ("NZ", -41.00, 174.00),
    ("OM", 21.00, 57.00),
    ("PA", 9.00, -80.00),
    ("PE", -10.00, -76.00),
    ("PF", -15.00, -140.00),
    ("PG", -6.00, 147.00),
    ("PH", 13.00, 122.00),
    ("PK", 30.00, 70.00),
    ("PL", 52.00, 20.00),
    ("PM", 46.80, -56.30),
    ("PR", 18.25, -66.50),
    ("PS", 32.00, 35.25),
    ("PT", 39.50, -8.00),
    ("PW", 7.50, 134.50),
    ("PY", -23.00, -58.00),
    ("QA", 25.50, 51.25),
    ("RE", -21.10, 55.60),
    ("RO", 46.00, 25.00),
    ("RS", 44.00, 21.00),
    ("RU", 60.00, 100.00),
    ("RW", -2.00, 30.00),
    ("SA", 25.00, 45.00),
    ("SB", -8.00, 159.00),
    ("SC", -4.60, 55.70),
    ("SD", 15.00, 30.00),
    ("SE", 62.00, 15.00),
    ("SG", 1.35, 103.80),
    ("SH", -15.90, -5.70),
    ("SI", 46.00, 15.00),
    ("SJ", 78.00, 20.00),
    ("SK", 48.70, 19.50),
    ("SL", 8.50, -11.50),
    ("SM", 43.90, 12.40),
    ("SN", 14.00, -14.00),
    ("SO", 10.00, 49.00),
    ("SR", 4.00, -56.00),
    ("SS", 7.00, 30.00),
    ("ST", 1.00, 7.00),
    ("SV", 13.80, -88.90),
    ("SX", 18.05, -63.05),
    ("SY", 35.00, 38.00),
    ("SZ", -26.50, 31.50),
    ("TA", -37.10, -12.30),
    ("TC", 21.75, -71.60),
    ("TD", 15.00, 19.00),
    ("TG", 8.00, 1.20),
    ("TH", 15.00, 100.00),
    ("TJ", 39.00, 71.00),
    ("TL", -8.80, 125.90),
    ("TM", 40.00, 60.00),
    ("TN", 34.00, 9.00),
    ("TO", -20.00, -175.00),
    ("TR", 39.00, 35.00),
    ("TT", 11.00, -61.00),
    ("TV", -8.00, 178.00),
    ("TW", 23.50, 121.00),
    ("TZ", -6.00, 35.00),
    ("UA", 49.00, 32.00),
    ("UG", 1.00, 32.00),
    ("US", 38.00, -97.00),
    ("UY", -33.00, -56.00),
    ("UZ", 41.00, 64.00),
    ("VA", 41.90, 12.45),
    ("VC", 13.25, -61.20),
    ("VE", 8.00, -66.00),
    ("VG", 18.50, -64.50),
    ("VI", 18.35, -64.90),
    ("VN", 16.00, 106.00),
    ("VU", -16.00, 167.00),
    ("WF", -13.30, -176.20),
    ("WS", -13.60, -172.30),
    ("XK", 42.60, 20.90),
    ("YE", 15.00, 48.00),
    ("YT", -12.80, 45.15),
    ("ZA", -29.00, 24.00),
    ("ZM", -15.00, 30.00),
    ("ZW", -20.00, 30.00),
];

/// (ISO code, area in km², countries it shares a land border with), sorted by code: the
/// GeoNames country information (geonames.org, CC BY 4.0), its `Area` and `neighbours` columns.
const BORDERS: &[(&str, f64, &[&str])] = &[
    ("AD", 468.0, &["ES", "FR"]),
    ("AE", 82880.0, &["OM", "SA"]),
    ("AF", 647500.0, &["CN", "IR", "PK", "TJ", "TM", "UZ"]),
    ("AG", 443.0, &[]),
    ("AI", 102.0, &[]),
    ("AL", 28748.0, &["GR", "ME", "MK", "RS", "XK"]),
    ("AM", 29800.0, &["AZ", "GE", "IR", "TR"]),
    ("AO", 1246700.0, &["CD", "CG", "NA", "ZM"]),
    ("AQ", 14000000.0, &[]),
    ("AR", 2766890.0, &["BO", "BR", "CL", "PY", "UY"]),
    ("AS", 199.0, &[]),
    (
        "AT",
        83858.0,
        &["CH", "CZ", "DE", "HU", "IT", "LI", "SI", "SK"],
    ),
    ("AU", 7686850.0, &[]),
    ("AW", 193.0, &[]),
    ("AX", 1580.0, &[]),
    ("AZ", 86600.0, &["AM", "GE", "IR", "RU", "TR"]),
    ("BA", 51129.0, &["HR", "ME", "RS"]),
    ("BB", 431.0, &[]),
    ("BD", 144000.0, &["IN", "MM"]),
    ("BE", 30510.0, &["DE", "FR", "LU", "NL"]),
    ("BF", 274200.0, &["BJ", "CI", "GH", "ML", "NE", "TG"]),
    ("BG", 110910.0, &["GR", "MK", "RO", "RS", "TR"]),
    ("BH", 665.0, &[]),
    ("BI", 27830.0, &["CD", "RW", "TZ"]),
    ("BJ", 112620.0, &["BF", "NE", "NG", "TG"]),
    ("BL", 21.0, &[]),
    ("BM", 53.0, &[]),
    ("BN", 5770.0, &["MY"]),
    ("BO", 1098580.0, &["AR", "BR", "CL", "PE", "PY"]),
    ("BQ", 328.0, &[]),
    (
        "BR",
        8511965.0,
        &["AR", "BO", "CO", "GF", "GY", "PE", "PY", "SR", "UY", "VE"],
    ),
    ("BS", 13940.0, &[]),
    ("BT", 47000.0, &["CN", "IN"]),
    ("BV", 49.0, &[]),
    ("BW", 600370.0, &["NA", "ZA", "ZW"]),
    ("BY", 207600.0, &["LT", "LV", "PL", "RU", "UA"]),
    ("BZ", 22966.0, &["GT", "MX"]),
    ("CA", 9984670.0, &["US"]),
    ("CC", 14.0, &[]),
    (
        "CD",
        2345410.0,
        &["AO", "BI", "CF", "CG", "RW", "SS", "TZ", "UG", "ZM"],
    ),
    ("CF", 622984.0, &["CD", "CG", "CM", "SD", "SS", "TD"]),
    ("CG", 342000.0, &["AO", "CD", "CF", "CM", "GA"]),
    ("CH", 41290.0, &["AT", "DE", "FR", "IT", "LI"]),
    ("CI", 322460.0, &["BF", "GH", "GN", "LR", "ML"]),
    ("CK", 240.0, &[]),
    ("CL", 756950.0, &["AR", "BO", "PE"]),
    ("CM", 475440.0, &["CF", "CG", "GA", "GQ", "NG", "TD"]),
    (
        "CN",
        9596960.0,
        &[
            "AF", "BT", "IN", "KG", "KP", "KZ", "LA", "MM", "MN", "NP", "PK", "RU", "TJ", "VN",
        ],
    ),
    ("CO", 1138910.0, &["BR", "EC", "PA", "PE", "VE"]),
    ("CR", 51100.0, &["NI", "PA"]),
    ("CU", 110860.0, &["US"]),
    ("CV", 4033.0, &[]),
    ("CW", 444.0, &[]),
    ("CX", 135.0, &[]),
    ("CY", 9250.0, &[]),
    ("CZ", 78866.0, &["AT", "DE", "PL", "SK"]),
    (
        "DE",
        357021.0,
        &["AT", "BE", "CH", "CZ", "DK", "FR", "LU", "NL", "PL"],
    ),
    ("DJ", 23000.0, &["ER", "ET", "SO"]),
    ("DK", 43094.0, &["DE"]),
    ("DM", 754.0, &[]),
    ("DO", 48730.0, &["HT"]),
    ("DZ", 2381740.0, &["EH", "LY", "MA", "ML", "MR", "NE", "TN"]),
    ("EC", 283560.0, &["CO", "PE"]),
    ("EE", 45226.0, &["LV", "RU"]),
    ("EG", 1001450.0, &["IL", "LY", "PS", "SD"]),
    ("EH", 266000.0, &["DZ", "MA", "MR"]),
    ("ER", 121320.0, &["DJ", "ET", "SD"]),
    ("ES", 504782.0, &["AD", "FR", "GI", "MA", "PT"]),
    ("ET", 1127127.0, &["DJ", "ER", "KE", "SD", "SO", "SS"]),
    ("FI", 337030.0, &["NO", "RU", "SE"]),
    ("FJ", 18270.0, &[]),
    ("FK", 12173.0, &[]),
    ("FM", 702.0, &[]),
    ("FO", 1399.0, &[]),
    (
        "FR",
        547030.0,
        &["AD", "BE", "CH", "DE", "ES", "IT", "LU", "MC"],
    ),
    ("GA", 267667.0, &["CG", "CM", "GQ"]),
    ("GB", 244820.0, &["IE"]),
    ("GD", 344.0, &[]),
    ("GE", 69700.0, &["AM", "AZ", "RU", "TR"]),
    ("GF", 91000.0, &["BR", "SR"]),
    ("GG", 78.0, &[]),
    ("GH", 239460.0, &["BF", "CI", "TG"]),
    ("GI", 6.5, &["ES"]),
    ("GL", 2166086.0, &[]),
    ("GM", 11300.0, &["SN"]),
    ("GN", 245857.0, &["CI", "GW", "LR", "ML", "SL", "SN"]),
    ("GP", 1780.0, &[]),
    ("GQ", 28051.0, &["CM", "GA"]),
    ("GR", 131940.0, &["AL", "BG", "MK", "TR"]),
    ("GS", 3903.0, &[]),
    ("GT", 108890.0, &["BZ", "HN", "MX", "SV"]),
    ("GU", 549.0, &[]),
    ("GW", 36120.0, &["GN", "SN"]),
    ("GY", 214970.0, &["BR", "SR", "VE"]),
    ("HK", 1092.0, &[]),
    ("HM", 412.0, &[]),
    ("HN", 112090.0, &["GT", "NI", "SV"]),
    ("HR", 56542.0, &["BA", "HU", "ME", "RS", "SI"]),
    ("HT", 27750.0, &["DO"]),
    ("HU", 93030.0, &["AT", "HR", "RO", "RS", "SI", "SK", "UA"]),
    ("ID", 1919440.0, &["MY", "PG", "TL"]),
    ("IE", 70280.0, &["GB"]),
    ("IL", 20770.0, &["EG", "JO", "LB", "PS", "SY"]),
    ("IM", 572.0, &[]),
    ("IN", 3287590.0, &["BD", "BT", "CN", "MM", "NP", "PK"]),
    ("IO", 60.0, &[]),
    ("IQ", 437072.0, &["IR", "JO", "KW", "SA", "SY", "TR"]),
    ("IR", 1648000.0, &["AF", "AM", "AZ", "IQ", "PK", "TM", "TR"]),
    ("IS", 103000.0, &[]),
    ("IT", 301230.0, &["AT", "CH", "FR", "SI", "SM", "VA"]),
    ("JE", 116.0, &[]),
    ("JM", 10991.0, &[]),
    ("JO", 92300.0, &["IL", "IQ", "PS", "SA", "SY"]),
    ("JP", 377835.0, &[]),
    ("KE", 582650.0, &["ET", "SO", "SS", "TZ", "UG"]),
    ("KG", 198500.0, &["CN", "KZ", "TJ", "UZ"]),
    ("KH", 181040.0, &["LA", "TH", "VN"]),
    ("KI", 811.0, &[]),
    ("KM", 2170.0, &[]),
    ("KN", 261.0, &[]),
    ("KP", 120540.0, &["CN", "KR", "RU"]),
    ("KR", 98480.0, &["KP"]),
    ("KW", 17820.0, &["IQ", "SA"]),
    ("KY", 262.0, &[]),
    ("KZ", 2717300.0, &["CN", "KG", "RU", "TM", "UZ"]),
    ("LA", 236800.0, &["CN", "KH", "MM", "TH", "VN"]),
    ("LB", 10400.0, &["IL", "SY"]),
    ("LC", 616.0, &[]),
    ("LI", 160.0, &["AT", "CH"]),
    ("LK", 65610.0, &[]),
    ("LR", 111370.0, &["CI", "GN", "SL"]),
    ("LS", 30355.0, &["ZA"]),
    ("LT", 65200.0, &["BY", "LV", "PL", "RU"]),
    ("LU", 2586.0, &["BE", "DE", "FR"]),
    ("LV", 64589.0, &["BY", "EE", "LT", "RU"]),
    ("LY", 1759540.0, &["DZ", "EG", "NE", "SD", "TD", "TN"]),
    ("MA", 446550.0, &["DZ", "EH", "ES"]),
    ("MC", 1.9, &["FR"]),
    ("MD", 33843.0, &["RO", "UA"]),
    ("ME", 14026.0, &["AL", "BA", "HR", "RS", "XK"]),
    ("MF", 53.0, &["SX"]),
    ("MG", 587040.0, &[]),
    ("MH", 181.3, &[]),
    ("MK", 25333.0, &["AL", "BG", "GR", "RS", "XK"]),
    ("ML", 1240000.0, &["BF", "CI", "DZ", "GN", "MR", "NE", "SN"]),
    ("MM", 678500.0, &["BD", "CN", "IN", "LA", "TH"]),
    ("MN", 1565000.0, &["CN", "RU"]),
    ("MO", 254.0, &[]),
    ("MP", 477.0, &[]),
    ("MQ", 1100.0, &[]),
    ("MR", 1030700.0, &["DZ", "EH", "ML", "SN"]),
    ("MS", 102.0, &[]),
    ("MT", 316.0, &[]),
    ("MU", 2040.0, &[]),
    ("MV", 300.0, &[]),
    ("MW", 118480.0, &["MZ", "TZ", "ZM"]),
    ("MX", 1972550.0, &["BZ", "GT", "US"]),
    ("MY", 329750.0, &["BN", "ID", "TH"]),
    ("MZ", 801590.0, &["MW", "SZ", "TZ", "ZA", "ZM", "ZW"]),
    ("NA", 825418.0, &["AO", "BW", "ZA", "ZM"]),
    ("NC", 19060.0, &[]),
    ("NE", 1267000.0, &["BF", "BJ", "DZ", "LY", "ML", "NG", "TD"]),
    ("NF", 34.6, &[]),
    ("NG", 923768.0, &["BJ", "CM", "NE", "TD"]),
    ("NI", 129494.0, &["CR", "HN"]),
    ("NL", 41526.0, &["BE", "DE"]),
    ("NO", 324220.0, &["FI", "RU", "SE"]),
    ("NP", 140800.0, &["CN", "IN"]),
    ("NR", 21.0, &[]),
    ("NU", 260.0, &[]),
    ("NZ", 268680.0, &[]),
    ("OM", 212460.0, &["AE", "SA", "YE"]),
    ("PA", 78200.0, &["CO", "CR"]),
    ("PE", 1285220.0, &["BO", "BR", "CL", "CO", "EC"]),
    ("PF", 4167.0, &[]),
    ("PG", 462840.0, &["ID"]),
    ("PH", 300000.0, &[]),
    ("PK", 803940.0, &["AF", "CN", "IN", "IR"]),
    ("PL", 312685.0, &["BY", "CZ", "DE", "LT", "RU", "SK", "UA"]),
    ("PM", 242.0, &[]),
    ("PN", 47.0, &[]),
    ("PR", 9104.0, &[]),
    ("PS", 5970.0, &["EG", "IL", "JO"]),
    ("PT", 92391.0, &["ES"]),
    ("PW", 458.0, &[]),
    ("PY", 406750.0, &["AR", "BO", "BR"]),
    ("QA", 11437.0, &["SA"]),
    ("RE", 2517.0, &[]),
    ("RO", 237500.0, &["BG", "HU", "MD", "RS", "UA"]),
    (
        "RS",
        88361.0,
        &["AL", "BA", "BG", "HR", "HU", "ME", "MK", "RO", "XK"],
    ),
    (
        "RU",
        17100000.0,
        &[
            "AZ", "BY", "CN", "EE", "FI", "GE", "KP", "KZ", "LT", "LV", "MN", "NO", "PL", "UA",
        ],
    ),
    ("RW", 26338.0, &["BI", "CD", "TZ", "UG"]),
    ("SA", 1960582.0, &["AE", "IQ", "JO", "KW", "OM", "QA", "YE"]),
    ("SB", 28450.0, &[]),
    ("SC", 455.0, &[]),
    ("SD", 1861484.0, &["CF", "EG", "ER", "ET", "LY", "SS", "TD"]),
    ("SE", 449964.0, &["FI", "NO"]),
    ("SG", 692.7, &[]),
    ("SH", 410.0, &[]),
    ("SI", 20273.0, &["AT", "HR", "HU", "IT"]),
    ("SJ", 62049.0, &[]),
    ("SK", 48845.0, &["AT", "CZ", "HU", "PL", "UA"]),
    ("SL", 71740.0, &["GN", "LR"]),
    ("SM", 61.2, &["IT"]),
    ("SN", 196190.0, &["GM", "GN", "GW", "ML", "MR"]),
    ("SO", 637657.0, &["DJ", "ET", "KE"]),
    ("SR", 163270.0, &["BR", "GF", "GY"]),
    ("SS", 644329.0, &["CD", "CF", "ET", "KE", "SD", "UG"]),
    ("ST", 1001.0, &[]),
    ("SV", 21040.0, &["GT", "HN"]),
    ("SX", 21.0, &["MF"]),
    ("SY", 185180.0, &["IL", "IQ", "JO", "LB", "TR"]),
    ("SZ", 17363.0, &["MZ", "ZA"]),
    ("TC", 430.0, &[]),
    ("TD", 1284000.0, &["CF", "CM", "LY", "NE", "NG", "SD"]),
    ("TF", 7829.0, &[]),
    ("TG", 56785.0, &["BF", "BJ", "GH"]),
    ("TH", 514000.0, &["KH", "LA", "MM", "MY"]),
    ("TJ", 143100.0, &["AF", "CN", "KG", "UZ"]),
    ("TK", 10.0, &[]),
    ("TL", 15007.0, &["ID"]),
    ("TM", 488100.0, &["AF", "IR", "KZ", "UZ"]),
    ("TN", 163610.0, &["DZ", "LY"]),
    ("TO", 748.0, &[]),
    (
        "TR",
        780580.0,
        &["AM", "AZ", "BG", "GE", "GR", "IQ", "IR", "SY"],
    ),
    ("TT", 5128.0, &[]),
    ("TV", 26.0, &[]),
    ("TW", 35980.0, &[]),
    (
        "TZ",
        945087.0,
        &["BI", "CD", "KE", "MW", "MZ", "RW", "UG", "ZM"],
    ),
    ("UA", 603700.0, &["BY", "HU", "MD", "PL", "RO", "RU", "SK"]),
    ("UG", 236040.0, &["CD", "KE", "RW", "SS", "TZ"]),
    ("US", 9629091.0, &["CA", "CU", "MX"]),
    ("UY", 176220.0, &["AR", "BR"]),
    ("UZ", 447400.0, &["AF", "KG", "KZ", "TJ", "TM"]),
    ("VA", 0.4, &["IT"]),
    ("VC", 389.0, &[]),
    ("VE", 912050.0, &["BR", "CO", "GY"]),
    ("VG", 153.0, &[]),
    ("VI", 352.0, &[]),
    ("VN", 329560.0, &["CN", "KH", "LA"]),
    ("VU", 12200.0, &[]),
    ("WF", 274.0, &[]),
    ("WS", 2944.0, &[]),
    ("XK", 10908.0, &["AL", "ME", "MK", "RS"]),
    ("YE", 527970.0, &["OM", "SA"]),
    ("YT", 374.0, &[]),
    ("ZA", 1219912.0, &["BW", "LS", "MZ", "NA", "SZ", "ZW"]),
    ("ZM", 752614.0, &["AO", "CD", "MW", "MZ", "NA", "TZ", "ZW"]),
    ("ZW", 390580.0, &["BW", "MZ", "ZA", "ZM"]),
];

/// Countries no land border joins whose networks still meet: a bridge, tunnel or causeway
/// (Singapore-Malaysia, Bahrain-Saudi Arabia, the Channel, the Øresund) or a strait a few
/// kilometres wide (Hong Kong and Macao with the mainland, Kinmen, Gibraltar, Tiran, Torres,
/// Bab-el-Mandeb, Palk, the Channel Islands): a subscriber's phone takes either side's network without travelling.
/// Pairs sorted within and between.
const NEAR: &[(&str, &str)] = &[
    ("AU", "PG"),
    ("AX", "FI"),
    ("AX", "SE"),
    ("BH", "QA"),
    ("BH", "SA"),
    ("CN", "HK"),
    ("CN", "MO"),
    ("CN", "TW"),
    ("DJ", "YE"),
    ("DK", "SE"),
    ("EE", "FI"),
    ("EG", "SA"),
    ("ES", "MA"),
    ("FR", "GB"),
    ("FR", "GG"),
    ("FR", "JE"),
    ("GB", "GG"),
    ("GB", "IM"),
    ("GB", "JE"),
    ("HK", "MO"),
    ("ID", "SG"),
    ("IN", "LK"),
    ("MY", "SG"),
    ("TT", "VE"),
];

/// Whether two countries share a land border, or a fixed link or narrow strait joins them
/// ([`NEAR`]): a subscriber crosses between them in minutes, or stays put while the phone
/// takes the other side's network.
pub fn neighbours(a: &str, b: &str) -> bool {
    let land = BORDERS
        .binary_search_by(|(c, _, _)| (*c).cmp(a))
        .ok()
        .and_then(|i| BORDERS.get(i))
        .is_some_and(|(_, _, n)| n.contains(&b));
    let pair = if a <= b { (a, b) } else { (b, a) };
    land || NEAR.binary_search(&pair).is_ok()
}

/// The radius (km) of a disc of the country's area: how far its edge lies from its position,
/// roughly (a long country reaches further along its length).
pub fn radius_km(iso: &str) -> Option<f64> {
    BORDERS
        .binary_search_by(|(c, _, _)| (*c).cmp(iso))
        .ok()
        .and_then(|i| BORDERS.get(i))
        .map(|(_, area, _)| (area / std::f64::consts::PI).sqrt())
}

/// The least distance (km) a subscriber travels from one country into another: none between
/// neighbours ([`neighbours`]) or within one country; else the distance between their
/// positions less each one's [`radius_km`] (edge to edge, not centre to centre), never below
/// zero. `None` when a position is unknown.
pub fn travel_km(a: &str, b: &str) -> Option<f64> {
    if a == b || neighbours(a, b) {
        return Some(0.0);
    }
    let d = country_distance_km(a, b)?;
    let r = radius_km(a).unwrap_or(0.0) + radius_km(b).unwrap_or(0.0);
    Some((d - r).max(0.0))
}

/// Latitude and longitude (degrees) near the centre of a country, by ISO alpha-2 code.
pub fn position(iso: &str) -> Option<(f64, f64)> {
    POSITIONS
        .binary_search_by(|(c, _, _)| (*c).cmp(iso))
        .ok()
        .and_then(|i| POSITIONS.get(i))
        .map(|(_, lat, lon)| (*lat, *lon))
}

/// Great-circle distance in kilometres between two points (haversine).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// Distance in kilometres between two countries' positions, when both are known.
pub fn country_distance_km(a: &str, b: &str) -> Option<f64> {
    Some(distance_km(position(a)?, position(b)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_plausible() {
        assert!(POSITIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(POSITIONS
            .iter()
            .all(|(_, la, lo)| la.abs() <= 90.0 && lo.abs() <= 180.0));
        let gb_hk = country_distance_km("GB", "HK").unwrap();
        assert!((9000.0..10500.0).contains(&gb_hk), "{gb_hk}");
        let fr_ch = country_distance_km("FR", "CH").unwrap();
        assert!(fr_ch < 700.0, "{fr_ch}");
        assert_eq!(position("ZZ"), None);
    }

    #[test]
    fn borders_sorted_symmetric_and_known() {
        assert!(BORDERS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(NEAR.windows(2).all(|w| w[0] < w[1]) && NEAR.iter().all(|(a, b)| a < b));
        for (a, area, ns) in BORDERS {
            assert!(*area > 0.0, "{a}");
            for b in *ns {
                assert!(neighbours(b, a), "{a} {b}");
            }
        }
        for (a, b) in NEAR {
            assert!(position(a).is_some() && position(b).is_some(), "{a} {b}");
        }
    }

    #[test]
    fn travel_between_countries() {
        // land borders and fixed links: no travel at all
        for (a, b) in [
            ("US", "CA"),
            ("RU", "FI"),
            ("CN", "VN"),
            ("TH", "MY"),
            ("IN", "NP"),
            ("MY", "SG"),
            ("HK", "CN"),
            ("GB", "FR"),
            ("NG", "BJ"),
            ("KE", "TZ"),
        ] {
            assert_eq!(travel_km(a, b), Some(0.0), "{a} {b}");
            assert_eq!(travel_km(b, a), Some(0.0), "{b} {a}");
        }
        // near but not joined: edge to edge, well under centre to centre
        let gb_de = travel_km("GB", "DE").unwrap();
        assert!((100.0..400.0).contains(&gb_de), "{gb_de}");
        // far apart: thousands of kilometres
        let my_gb = travel_km("MY", "GB").unwrap();
        assert!(my_gb > 8000.0, "{my_gb}");
        let ng_ua = travel_km("NG", "UA").unwrap();
        assert!(ng_ua > 3000.0, "{ng_ua}");
        assert_eq!(travel_km("ZZ", "GB"), None);
    }
}
