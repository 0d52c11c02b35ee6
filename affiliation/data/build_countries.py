"""Rebuild countries.csv (run by hand: `python affiliation/data/build_countries.py`).

Not used at run time. The INSEE codes come from the mapping ISO 3166 alpha-2 -> code officiel
géographique (COG) pays of OCA/l10n-france, module l10n_fr_cog, file data/res_country.xml
(AGPL, Akretion, derived from INSEE's "Pays et territoires étrangers" file); France (99100) from
INSEE's COG pays file. The French and English names are pycountry's (Debian iso-codes: ISO 3166
names and their French translation). See README.md in this folder.
"""

import csv
import gettext
from pathlib import Path

import pycountry

# ISO alpha-2 -> INSEE code, as in l10n_fr_cog/data/res_country.xml (Odoo's "uk" is GB).
INSEE_BY_ISO = """
AD 99130 AE 99247 AF 99212 AG 99441 AI 99425 AL 99125 AM 99252 AO 99395 AR 99415 AS 99505
AT 99110 AU 99501 AW 99135 AZ 99253 BA 99118 BB 99434 BD 99246 BE 99131 BF 99331 BG 99111
BH 99249 BI 99321 BJ 99327 BM 99425 BN 99225 BO 99418 BQ 99443 BR 99416 BS 99436 BT 99214
BV 99103 BW 99347 BY 99148 BZ 99429 CA 99401 CC 99501 CF 99323 CD 99312 CG 99324 CH 99140
CI 99326 CK 99502 CL 99417 CM 99322 CN 99216 CO 99419 CR 99406 CU 99407 CV 99396 CW 99444
CX 99501 CY 99254 CZ 99116 DE 99109 DJ 99399 DK 99101 DM 99438 DO 99408 DZ 99352 EC 99420
EE 99106 EG 99301 EH 99389 ER 99317 ES 99134 ET 99315 FI 99105 FJ 99508 FK 99427 FM 99516
FO 99101 GA 99328 GD 99435 GE 99255 GH 99329 GI 99133 GG 99132 GL 99430 GM 99304 GN 99330
GQ 99314 GR 99126 GS 99427 GT 99409 GU 99505 GW 99392 GY 99428 HK 99230 HM 99501 HN 99411
HR 99119 HT 99410 HU 99112 ID 99231 IE 99136 IL 99207 IM 99132 IN 99223 IO 99308 IQ 99203
IR 99204 IS 99102 IT 99127 JE 99132 JM 99426 JO 99222 JP 99217 KE 99332 KG 99257 KH 99234
KI 99513 KM 99397 KN 99442 KP 99238 KR 99239 KW 99240 KY 99425 KZ 99256 LA 99241 LB 99205
LC 99439 LI 99113 LK 99235 LR 99302 LS 99348 LT 99108 LU 99137 LV 99107 LY 99316 MA 99350
MC 99138 MD 99151 ME 99120 MG 99333 MH 99515 MK 99156 ML 99335 MM 99224 MN 99242 MO 99232
MP 99505 MR 99336 MS 99425 MT 99144 MU 99390 MV 99229 MW 99334 MX 99405 MY 99227 MZ 99393
NA 99311 NE 99337 NF 99501 NG 99338 NI 99412 NL 99135 NO 99103 NP 99215 NR 99507 NU 99502
NZ 99502 OM 99250 PA 99413 PE 99422 PG 99510 PH 99220 PK 99213 PL 99122 PN 99503 PR 99432
PS 99261 PT 99139 PW 99517 PY 99421 QA 99248 RO 99114 RS 99121 RU 99123 RW 99340 SA 99201
SB 99512 SC 99398 SD 99343 SE 99104 SG 99226 SH 99306 SI 99145 SJ 99103 SK 99117 SL 99342
SM 99128 SN 99341 SO 99318 SR 99437 SS 99349 ST 99394 SV 99414 SX 99445 SY 99206 SZ 99391
TC 99425 TD 99344 TG 99345 TH 99219 TJ 99259 TK 99502 TL 99262 TM 99260 TN 99351 TO 99509
TR 99208 TT 99433 TV 99511 TW 99236 TZ 99309 UA 99155 UG 99339 GB 99132 US 99404 UY 99423
UZ 99258 VA 99129 VC 99440 VE 99424 VG 99425 VI 99432 VN 99243 VU 99514 WS 99506 YE 99251
ZA 99303 ZM 99346 ZW 99310 XK 99157 FR 99100
"""

# Where several ISO codes share one INSEE code, the row keeps the sovereign state; dependent
# territories are folded into it. Codes shared only by territories (99425 British Caribbean
# territories, 99427 Falklands/South Georgia, 99432 Puerto Rico/US Virgin Islands, 99505 US
# Pacific territories) have no single ISO country and are left out.
SOVEREIGN = {
    "99101": "DK", "99103": "NO", "99132": "GB", "99135": "NL", "99501": "AU", "99502": "NZ",
}  # fmt: skip

EU = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE"
EEA_NOT_EU = "IS LI NO"
EU_EEA_CH = frozenset(f"{EU} {EEA_NOT_EU} CH".split())
# pycountry has no Kosovo (no ISO 3166 code): its names are given here.
EXTRA_NAMES = {"XK": ("Kosovo", "Kosovo")}


def rows() -> list[dict[str, str]]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    pairs = INSEE_BY_ISO.split()
    by_code: dict[str, list[str]] = {}
    for iso, code in zip(pairs[::2], pairs[1::2], strict=True):
        by_code.setdefault(code, []).append(iso)
    result = []
    for code, isos in sorted(by_code.items()):
        iso = isos[0] if len(isos) == 1 else SOVEREIGN.get(code)
        if iso is None:
            continue
        if iso in EXTRA_NAMES:
            name_fr, name_en = EXTRA_NAMES[iso]
        else:
            country = pycountry.countries.get(alpha_2=iso)
            name_fr = french.gettext(country.name)
            name_en = getattr(country, "common_name", country.name)
        result.append(
            {
                "insee_code": code,
                "name_fr": name_fr,
                "name_en": name_en,
                "iso_alpha2": iso,
                "eu_eea_ch": "1" if iso in EU_EEA_CH else "0",
            }
        )
    return result


if __name__ == "__main__":
    path = Path(__file__).with_name("countries.csv")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows()[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows())
