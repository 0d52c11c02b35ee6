"""Replace the shipped citations of the daily-allowance parameters by the public sources.

Migration 0004 copied the `source` and `note` texts of allowances/data/allowance_parameters.csv
into the database, where the allowance explanation and the staff pages show them. Those texts
cited internal design notes instead of the public pages they quoted; the CSV file now names the
public source itself (docs/sources.md).

Each shipped row is found by its natural key (key + start) and a field is rewritten only
where it still holds exactly the shipped text, recognised by its SHA-256 (the old texts cited documents the
repository does not hold, so only their digests are kept): a row staff corrected keeps their
text. Unapplying leaves the public texts, which name the sources of the same figures. The
mapping is the literal `TEXTS` at the end of this module (a migration must not read the app's
files, which move on).
"""

import hashlib

from django.db import migrations

FIELDS = ("source", "note")


def shipped_text_of(value: str, entry_field: dict) -> bool:
    """Whether `value` is still the text the earlier migration loaded (by its SHA-256)."""
    return hashlib.sha256(value.encode()).hexdigest() == entry_field["shipped_sha256"]


def rewrite(rows_of, entries: list[dict]) -> int:
    """Give each entry's fields their public text where they still hold the shipped one."""
    changed = 0
    for entry in entries:
        for row in rows_of(entry):
            fields = [
                field
                for field in FIELDS
                if field in entry and shipped_text_of(getattr(row, field), entry[field])
            ]
            for field in fields:
                setattr(row, field, entry[field]["public"])
            if fields:
                row.save(update_fields=fields)
                changed += 1
    return changed


def to_public_sources(apps, schema_editor) -> None:
    parameters = apps.get_model("cpam_portal", "RuleParameter").objects
    rewrite(
        lambda e: parameters.filter(key=e["key"], valid_from=e["valid_from"]),
        TEXTS["rule_parameters"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("allowances", "0004_allowance_parameters"),
        ("cpam_portal", "0002_rule_parameters"),
    ]

    operations = [migrations.RunPython(to_public_sources, migrations.RunPython.noop)]


# Per shipped row (natural key): the digest of the text the earlier migration loaded, and the
# public text that replaces it.
TEXTS = {
    "rule_parameters": [
        {
            "key": "allowance.smic.hourly",
            "valid_from": "2024-11-01",
            "source": {
                "shipped_sha256": "8084520bb7073f80117d9ae3ff79aacd7c05d76519071f515f788d4dcf8a4835",
                "public": "cerfrance49 (2025-03)",
            },
        },
        {
            "key": "allowance.smic.hourly",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "6fbc171476f06e9a11ec155efcff90a69539229926181884f37a1d5938900819",
                "public": "cabinet-oreco.fr (décret 2025-1228 du 17/12/2025)",
            },
        },
        {
            "key": "allowance.smic.monthly",
            "valid_from": "2024-11-01",
            "source": {
                "shipped_sha256": "c04b04efb1a25eb80f865f3e5d9d1eee73f04bf2defffdee67f650eddefbe3c1",
                "public": "cerfrance49 (2025-03)",
            },
        },
        {
            "key": "allowance.smic.monthly",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "bbff0763268023e71820165091f26c09eb50050d0703a149814e33821f1240a3",
                "public": "cabinet-oreco.fr (décret 2025-1228 du 17/12/2025)",
            },
        },
        {
            "key": "allowance.pass.annual",
            "valid_from": "2025-01-01",
            "source": {
                "shipped_sha256": "f62db46e2a194d9dfc76f61f96635c693ce4d790a3e1b15bff592c70f35183bf",
                "public": "53.force-ouvriere.org; hrconseil.com",
            },
        },
        {
            "key": "allowance.pass.annual",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "724afcd39a7fa5cae7c7417b2e4e31d4e0f16b255b3981945fbafab0b1528fa6",
                "public": "hrconseil.com",
            },
        },
        {
            "key": "allowance.pmss.monthly",
            "valid_from": "2025-01-01",
            "source": {
                "shipped_sha256": "e40193c8ea53199383bbdbb0717ea948a2d55271c6fc0c73c571482d333d2f41",
                "public": "juritravail.com (2025)",
            },
        },
        {
            "key": "allowance.pmss.monthly",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "d52938680daaf8fc83004b46a86e6dabfbbbd1a81a73c87de6ba1d2054b79fd8",
                "public": "hrconseil.com; lessentieldeleco.fr",
            },
        },
        {
            "key": "allowance.rounding.daily_base",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "21c6b466a5ac05a5e8438714828c1d27b468de1987f894eb14f9545cdd881cef",
                "public": "No public source states the mode: chosen to fit "
                "the published figures (docs/sources.md §3.1); "
                "service-public.fr example quoted by moneyvox.fr "
                "(01/2026)",
            },
            "note": {
                "shipped_sha256": "d2af6cfc9b1ab3fc079047c51b56be11ce1c73530d991c4c73470b62e17fb8ad",
                "public": "⚠ Choice: the SJB/SJR (and the daily base of the "
                "cap) is cut to the cent (truncated) before the rate. "
                "It gives the SJB 65.75 of service-public.fr's "
                "example (6 000 / 91.25 = 65.7534) and the daily "
                "bases behind every published maximum: 82.93 (1.4 x 1 "
                "801.80 x 3 / 91.25 = 82.9322), 83.90 (83.9094), "
                "106.62 (106.6271), maternity 129.04 / 131.67, AT "
                "343.07 / 392.81 / 400.82. Rounding it half-up "
                "instead gives 83.91 and 106.63, hence maxima 41.96 "
                "and 53.32 (published: 41.95, 53.31).",
            },
        },
        {
            "key": "allowance.rounding.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "199c19a192690e96df23ef595b962d6f275e67de46c39654d750062f5aa67aa7",
                "public": "docs/sources.md §3.1; service-public.fr example "
                "quoted by moneyvox.fr (01/2026): 2 000 €/month -> "
                "32.87 €; journaldunet.com (49.31 €; exact 49.3151 "
                "= 9 000 / 91.25 x 50 %: 3 000 €/month)",
            },
            "note": {
                "shipped_sha256": "4910de61e13d6e61461095a1c8ab95bc6a55f839db4888db8f7089cc7ed56c31",
                "public": "⚠ Choice: an individual daily amount (daily base x "
                "rate, from the person's own pay) is truncated to the "
                "cent. It reproduces service-public.fr's 32.87 € "
                "(65.75 x 50 % = 32.875; half-up would give 32.88 € "
                "as ledroit.fr prints) and journaldunet's 49.31 € "
                "(98.63 x 50 % = 49.315; exact 49.3151). The amount "
                "is never above the maximum of "
                "allowance.rounding.maximum, and a daily base at the "
                "cap gets exactly that maximum.",
            },
        },
        {
            "key": "allowance.rounding.maximum",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "66a465c2ad7ab524805fe5b1e50f74565dc4fbcdfa8ef65289a59e4ed762f816",
                "public": "docs/sources.md §3.1; cerfrance49; "
                "service-public.fr actualité A18779 (26/01/2026); "
                "moneyvox.fr; journaldunet.com; hrconseil.com; "
                "groupe-vyv.fr Book Sécu 2022; juritravail.com",
            },
            "note": {
                "shipped_sha256": "1e9e8b4bb0907184b187ccc4f21dd665254f6d281337b7cbb1ad48b5d4a7f5d4",
                "public": "⚠ Choice: the regulatory figures are rounded half-up "
                "to the cent: monthly salary caps, AT daily cap "
                "(0.834 % of the PASS), eligibility thresholds, "
                "maternity minimum and the maximum daily amounts "
                "(daily base of the cap x rate). It reproduces every "
                "published maximum: sickness 41.47 (82.93 x 50 % = "
                "41.465; truncation would give 41.46), 53.31, 41.95; "
                "AT 2026 240.49 / 320.66 (400.82 x 80 % = 320.656), "
                "2025 235.69 / 314.25, 2022 205.84 / 274.46 (343.07 x "
                "80 % = 274.456); maternity 101.94 / 104.02; salary "
                "caps 2 522.52 € and 2 552.24 € in 2026 (1.4 x 1 "
                "823.03 = 2 552.242; moneyvox) rather than "
                "service-public.fr A18779's 2 552.25 €. So daily "
                "amount = min(truncated(daily base x rate), "
                "half-up(daily base of the cap x rate)); both modes "
                "are needed: 32.875 -> 32.87 and 41.465 -> 41.47 "
                "round in opposite directions.",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.hours",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "1698691bc4734c055386314a450ce4975c3cb3b8ea6debc4711f5a7293ced540",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded); c-i-j.com",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.hours_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "bc62b583180b7d27722d79d07c285889404ce6f31f4e29ffed9f19a4e944e5a9",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.smic_multiple",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "a9b120b6531166a26a5d61ca3118c0868e38f00ef709dcd92c7424fd8b6ce38d",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded); c-i-j.com",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.contribution_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "bc62b583180b7d27722d79d07c285889404ce6f31f4e29ffed9f19a4e944e5a9",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.hours",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "1707032fbfa3abcfad092a9c83c179291bcd8027cf60346b0faf82d7f4b2f97c",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "1707032fbfa3abcfad092a9c83c179291bcd8027cf60346b0faf82d7f4b2f97c",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.smic_multiple",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "1707032fbfa3abcfad092a9c83c179291bcd8027cf60346b0faf82d7f4b2f97c",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.affiliation_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "1707032fbfa3abcfad092a9c83c179291bcd8027cf60346b0faf82d7f4b2f97c",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.long_stoppage_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped_sha256": "15b2a9c316fb47a0d6d9e531165f1d3b15b4d42330468872e3a520e2d83282f0",
                "public": "service-public.fr F3053 (co-marquage copy whose "
                "example is a stoppage from 2017-01-01; date read "
                "not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.smic_date",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "4cbc965074023edd025a5a3a19e72bd5e23d70777a88edc8857d44903500ffb6",
                "public": "service-public.fr F3053, co-marquage copy "
                "(stoppage from 2017-01-01: 1 015 x 9.67 = 9 815.05 "
                "€ over 2016-07-01 to 2016-12-31); docs/sources.md "
                "§3.2",
            },
            "note": {
                "shipped_sha256": "448ee8d3d23b533d3b5fd576e57f37da008a19525ef87afae865264c4df11c19",
                "public": "⚠ Choice: two official worked examples use two "
                "readings of the SMIC horaire and no source says when "
                "or whether the reading changed. service-public.fr "
                "F3053 (stoppage from 2017-01-01) takes the SMIC in "
                "force on the first day of the reference period (9.67 "
                "€ on 2016-07-01; value 'period_start'); c-i-j.com "
                "(stoppage from 2024-01-01) takes the SMIC of the "
                "stoppage's first day (value 'stoppage_start'). We "
                "use period_start until the earliest evidenced date "
                "of the second reading, 2024-01-01. Correctable "
                "without code (a new row) once the CNAM confirms.",
            },
        },
        {
            "key": "allowance.eligibility.smic_date",
            "valid_from": "2024-01-01",
            "source": {
                "shipped_sha256": "7d735fa19891bc25991f58ee2ebf18429b55227b308965ed726057dcff98309a",
                "public": "c-i-j.com/criteres-indemnisation-maladie (stoppage "
                "from 2024-01-01: 1 015 x 11.65 = 11 824.75 € over "
                "2023-07-01 to 2023-12-31); docs/sources.md §3.2",
            },
            "note": {
                "shipped_sha256": "6215762a9993faf9a8845756b0d25be685c40b38dae1015f2bb4520a029dbc4c",
                "public": "⚠ Choice: the SMIC horaire in force on the "
                "stoppage's first day, from 2024-01-01, the earliest "
                "date the c-i-j.com reading is evidenced; before, "
                "period_start (service-public.fr F3053, 2017). Two "
                "official examples use two readings; no source says "
                "when or whether the reading changed. Correctable "
                "without code once the CNAM confirms.",
            },
        },
        {
            "key": "allowance.sickness.rate",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "c97137716fbc6a7d671ee96e67301e229d46cea066cde408df91fc4b0f504734",
                "public": "service-public.fr actualité A18779 (26/01/2026)",
            },
            "note": {
                "shipped_sha256": "121606d62b0ce3b712b54af63067deac2d96908a467b4e6573fe94dee43bbe9d",
                "public": "⚠ Not implemented: the 2/3 rate from day 31 for "
                "insured persons with 3 dependent children "
                "(jonxio.fr; adjcourtage.fr), only quoted by "
                "secondary pages and not confirmed as in force.",
            },
        },
        {
            "key": "allowance.sickness.divisor",
            "valid_from": "2010-12-01",
            "source": {
                "shipped_sha256": "b9f22acdbc714e8a2d6c8c85ee5ff3d36f5cb1bcd90c7116c254a2d985bec9f2",
                "public": "service-public.fr actualité A18779 (26/01/2026); "
                "rpvconseil.com (was 90 before 2010-12-01)",
            },
        },
        {
            "key": "allowance.sickness.reference_months",
            "valid_from": "2010-12-01",
            "source": {
                "shipped_sha256": "6249dc78aa3085ed17965c82bfae1fd9a6788ec0b7ab23cb5268106eae6343a1",
                "public": "service-public.fr actualité A18779 (26/01/2026)",
            },
        },
        {
            "key": "allowance.sickness.cap_smic_factor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "9ec32609d702bbfac56bf57917bed77e36875a2edc4ea830cd28bbeb413dc58b",
                "public": "cerfrance49; cftcbanques.fr; chorum.fr",
            },
            "note": {
                "shipped_sha256": "68e3c298a1acbd52b0c10b4a9a01e1a9b42be8a0b6da72aedb103137ffd539bd",
                "public": "Monthly pay counted at most = factor x SMIC mensuel "
                "in force on the last day of the month before the "
                "stoppage (service-public.fr A18779; journaldunet); "
                "the factor is the one in force on the stoppage's "
                "first day.",
            },
        },
        {
            "key": "allowance.sickness.cap_smic_factor",
            "valid_from": "2025-04-01",
            "source": {
                "shipped_sha256": "1e6789db5e54b4fb60cbbfdb02b34b3215d93e66e77ad1e48753e35d95abda0a",
                "public": "décret 2025-160 du 20/02/2025 (Journal officiel); "
                "service-public.fr actualité A18779 (26/01/2026); "
                "cerfrance49; cftcbanques.fr",
            },
        },
        {
            "key": "allowance.sickness.waiting_days",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "21044b35bf5a30df82370125ab93a619e0ce6583c946f607313eb7ef2841f8af",
                "public": "service-public.fr actualité A18779 (26/01/2026)",
            },
        },
        {
            "key": "allowance.sickness.waiting_gap_days",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "70490c72d17c4d461751fc7740cb65d84cb2895f4552dece67d8f39c628f9e8c",
                "public": "moneyvox.fr; service-public.fr actualité A18779 "
                "(26/01/2026) (no new waiting period when work "
                "resumed <= 48 h)",
            },
        },
        {
            "key": "allowance.sickness.ald_waiting_years",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "8b032199cd80ce6855c9f90e218dd5767976185373bae199f3aeb4e295dbacd6",
                "public": "moneyvox.fr; service-public.fr actualité A18779 (26/01/2026)",
            },
        },
        {
            "key": "allowance.sickness.max_days_3_years",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "70862bcbe6dcd242afa68d8bdf6bad98debf8a747e55b0df3e379f113ceb45c5",
                "public": "Code de la sécurité sociale, Légifrance article "
                "LEGIARTI000006760562 (text read at "
                "legal.tricoteuses.fr)",
            },
        },
        {
            "key": "allowance.sickness.ald_max_years",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "4d0679ad2a2bb4098e4b6c34d2c30d1c740a6139da8e1fdf9850188bbd5f9b79",
                "public": "circulaire interministérielle DSS/SD2/2015/179 du "
                "26/05/2015 (as summarised by "
                "syndicat-infirmier.com)",
            },
        },
        {
            "key": "allowance.maternity.deduction",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "d1d32d77e9d2b43d2176ec2ef09f0d97837229751029eb7250afdbe26b53b5cd",
                "public": "juritravail.com (2025); lessentieldeleco.fr (2026)",
            },
        },
        {
            "key": "allowance.maternity.divisor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "55d5ab8565841946e9fae4ffbc6876b6ab77332545893e68fe278dcfa6c8daff",
                "public": "lessentieldeleco.fr",
            },
        },
        {
            "key": "allowance.maternity.reference_months",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "37408a21e3c1242c2a7af8f58d10c0d60d2c55e9b783b1984d0d380bfec0259e",
                "public": "juritravail.com (2025); lessentieldeleco.fr "
                "(2026): 3 months / 91.25, capped at the PMSS",
            },
        },
        {
            "key": "allowance.maternity.affiliation_months",
            "valid_from": "2023-08-20",
            "source": {
                "shipped_sha256": "02ab4132da61e46b56491321cd2e1f5c28dd987e09d19d376f0e32a59e16f84f",
                "public": "décret 2023-790 du 17/08/2023; ameli.fr congé "
                "maternité page (date read not recorded)",
            },
        },
        {
            "key": "allowance.maternity.daily_amount_min",
            "valid_from": "2025-01-01",
            "source": {
                "shipped_sha256": "a660274af98e1b29a883c9202348fe5912e96b7122390dab835f8d4ae5973e0a",
                "public": "juritravail.com (2025)",
            },
        },
        {
            "key": "allowance.maternity.daily_amount_min",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "5352b2633349e14297b82c0de9b02f7e1020c2b3495ed985e06da3ef25484878",
                "public": "lessentieldeleco.fr (2026, secondary)",
            },
        },
        {
            "key": "allowance.work_accident.divisor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "583f3b086f464e5e315e896d6fc461ec311f4a14e462a82b15c60be5897495c1",
                "public": "service-public.fr F175 (co-marquage copy at "
                "mairie-st-vital.fr; date read not recorded); "
                "groupe-vyv.fr Book Sécu 2022",
            },
        },
        {
            "key": "allowance.work_accident.reference_months",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "089e54eb633a2f050e57225bb6567854309bcc7184426bc239eb4fef8785ed86",
                "public": "service-public.fr F175 (co-marquage copy at "
                "mairie-st-vital.fr; date read not recorded)",
            },
        },
        {
            "key": "allowance.work_accident.cap_pass_rate",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "f62db46e2a194d9dfc76f61f96635c693ce4d790a3e1b15bff592c70f35183bf",
                "public": "53.force-ouvriere.org (formula); hrconseil.com (2026 maxima)",
            },
        },
        {
            "key": "allowance.work_accident.rate",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "089e54eb633a2f050e57225bb6567854309bcc7184426bc239eb4fef8785ed86",
                "public": "service-public.fr F175 (co-marquage copy at "
                "mairie-st-vital.fr; date read not recorded)",
            },
        },
        {
            "key": "allowance.work_accident.rate_from_day_29",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "2ed80260d783dfdb79338620cf517f8ff6c29b40f411287716203ece16c89041",
                "public": "service-public.fr F175 (co-marquage copy at "
                "mairie-st-vital.fr; date read not recorded); "
                "groupe-vyv.fr Book Sécu 2022",
            },
            "note": {
                "shipped_sha256": "98115f9c717a0c6c855823742f07c305f6053580be2cd374011112f38ea58a22",
                "public": "⚠ Not implemented: the net-gain limit (IJ <= SJR - "
                "21 %, service-public.fr F175 and groupe-vyv.fr Book "
                "Sécu 2022), which would cap this rate at 79 % of the "
                "SJR; the published maxima (240.49 / 320.66 € in "
                "2026, 205.84 / 274.46 € in 2022) ignore it, so it "
                "waits for a CNAM confirmation (docs/sources.md "
                "§3.3). Not implemented either: the revaluation after "
                "3 months.",
            },
        },
        {
            "key": "allowance.work_accident.increased_rate_from_day",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "089e54eb633a2f050e57225bb6567854309bcc7184426bc239eb4fef8785ed86",
                "public": "service-public.fr F175 (co-marquage copy at "
                "mairie-st-vital.fr; date read not recorded)",
            },
        },
    ]
}
