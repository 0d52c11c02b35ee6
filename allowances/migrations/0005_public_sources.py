# The "shipped" texts of TEXTS are kept verbatim, with their old references: they are how a
# row nobody corrected is recognised, and what reversing puts back.
"""Replace the shipped citations of the daily-allowance parameters by the public sources.

Migration 0004 copied the `source` and `note` texts of allowances/data/allowance_parameters.csv
into the database, where the allowance explanation and the staff pages show them. Those texts
cited internal design notes instead of the public pages they quoted; the CSV file now names the
public source itself (docs/sources.md).

Each shipped row is found by its natural key (key + start) and a field is rewritten only where
it still holds exactly the shipped text: a row staff corrected keeps their text. Reversing puts
the shipped text back under the same condition. The texts are the literal mapping `TEXTS` at
the end of this module (a migration must not read the app's files, which move on).
"""

from django.db import migrations

FIELDS = ("source", "note")


def rewrite_all(apps, old: str, new: str) -> int:
    """Set each row's field from its `old` text to its `new` one where it is still `old`."""
    parameters = apps.get_model("cpam_portal", "RuleParameter").objects
    changed = 0
    for entry in TEXTS["rule_parameters"]:
        for field in FIELDS:
            if field in entry:
                rows = parameters.filter(
                    key=entry["key"], valid_from=entry["valid_from"], **{field: entry[field][old]}
                )
                changed += rows.update(**{field: entry[field][new]})
    return changed


def to_public_sources(apps, schema_editor) -> None:
    rewrite_all(apps, "shipped", "public")


def to_shipped_texts(apps, schema_editor) -> None:
    rewrite_all(apps, "public", "shipped")


class Migration(migrations.Migration):
    dependencies = [
        ("allowances", "0004_allowance_parameters"),
        ("cpam_portal", "0002_rule_parameters"),
    ]

    operations = [migrations.RunPython(to_public_sources, to_shipped_texts)]


# Per shipped row (natural key), the text migration 0004 loaded and its replacement.
TEXTS = {
    "rule_parameters": [
        {
            "key": "allowance.smic.hourly",
            "valid_from": "2024-11-01",
            "source": {
                "shipped": "RULES.md P29: cerfrance49 (2025-03)",
                "public": "cerfrance49 (2025-03)",
            },
        },
        {
            "key": "allowance.smic.hourly",
            "valid_from": "2026-01-01",
            "source": {
                "shipped": "RULES.md P29: cabinet-oreco.fr (décret 2025-1228 du 17/12/2025)",
                "public": "cabinet-oreco.fr (décret 2025-1228 du 17/12/2025)",
            },
        },
        {
            "key": "allowance.smic.monthly",
            "valid_from": "2024-11-01",
            "source": {
                "shipped": "RULES.md P30: cerfrance49 (2025-03)",
                "public": "cerfrance49 (2025-03)",
            },
        },
        {
            "key": "allowance.smic.monthly",
            "valid_from": "2026-01-01",
            "source": {
                "shipped": "RULES.md P30: cabinet-oreco.fr",
                "public": "cabinet-oreco.fr (décret 2025-1228 du 17/12/2025)",
            },
        },
        {
            "key": "allowance.pass.annual",
            "valid_from": "2025-01-01",
            "source": {
                "shipped": "RULES.md P41: 53.force-ouvriere.org; hrconseil.com",
                "public": "53.force-ouvriere.org; hrconseil.com",
            },
        },
        {
            "key": "allowance.pass.annual",
            "valid_from": "2026-01-01",
            "source": {"shipped": "RULES.md P41 and §9: hrconseil.com", "public": "hrconseil.com"},
        },
        {
            "key": "allowance.pmss.monthly",
            "valid_from": "2025-01-01",
            "source": {
                "shipped": "RULES.md P43: juritravail.com",
                "public": "juritravail.com (2025)",
            },
        },
        {
            "key": "allowance.pmss.monthly",
            "valid_from": "2026-01-01",
            "source": {
                "shipped": "RULES.md P43: hrconseil.com; lessentieldeleco.fr",
                "public": "hrconseil.com; lessentieldeleco.fr",
            },
        },
        {
            "key": "allowance.rounding.daily_base",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §11 (no public source states the mode); SP example via moneyvox (01/2026)",
                "public": "No public source states the mode: chosen to fit the published figures (docs/sources.md §3.1); service-public.fr example quoted by moneyvox.fr (01/2026)",
            },
            "note": {
                "shipped": "⚠ Choice: the SJB/SJR (and the daily base of the cap) is cut to the cent (truncated) before the rate. It gives the SJB 65.75 of SP's example (6 000 / 91.25 = 65.7534) and the daily bases behind every published maximum: 82.93 (1.4 x 1 801.80 x 3 / 91.25 = 82.9322), 83.90 (83.9094), 106.62 (106.6271), maternity 129.04 / 131.67, AT 343.07 / 392.81 / 400.82. Rounding it half-up instead gives 83.91 and 106.63, hence maxima 41.96 and 53.32 (published: 41.95, 53.31).",
                "public": "⚠ Choice: the SJB/SJR (and the daily base of the cap) is cut to the cent (truncated) before the rate. It gives the SJB 65.75 of service-public.fr's example (6 000 / 91.25 = 65.7534) and the daily bases behind every published maximum: 82.93 (1.4 x 1 801.80 x 3 / 91.25 = 82.9322), 83.90 (83.9094), 106.62 (106.6271), maternity 129.04 / 131.67, AT 343.07 / 392.81 / 400.82. Rounding it half-up instead gives 83.91 and 106.63, hence maxima 41.96 and 53.32 (published: 41.95, 53.31).",
            },
        },
        {
            "key": "allowance.rounding.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §11; SP example via moneyvox (01/2026): 2 000 €/month -> 32.87 €; journaldunet (49.31 €; exact 49.3151 = 9 000 / 91.25 x 50 %: 3 000 €/month)",
                "public": "docs/sources.md §3.1; service-public.fr example quoted by moneyvox.fr (01/2026): 2 000 €/month -> 32.87 €; journaldunet.com (49.31 €; exact 49.3151 = 9 000 / 91.25 x 50 %: 3 000 €/month)",
            },
            "note": {
                "shipped": "⚠ Choice: an individual daily amount (daily base x rate, from the person's own pay) is truncated to the cent. It reproduces SP's 32.87 € (65.75 x 50 % = 32.875; half-up would give 32.88 € as ledroit.fr prints) and journaldunet's 49.31 € (98.63 x 50 % = 49.315; exact 49.3151). The amount is never above the maximum of allowance.rounding.maximum, and a daily base at the cap gets exactly that maximum.",
                "public": "⚠ Choice: an individual daily amount (daily base x rate, from the person's own pay) is truncated to the cent. It reproduces service-public.fr's 32.87 € (65.75 x 50 % = 32.875; half-up would give 32.88 € as ledroit.fr prints) and journaldunet's 49.31 € (98.63 x 50 % = 49.315; exact 49.3151). The amount is never above the maximum of allowance.rounding.maximum, and a daily base at the cap gets exactly that maximum.",
            },
        },
        {
            "key": "allowance.rounding.maximum",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §11 and P34/P35/P41/P43: cerfrance49; SP A18779; moneyvox; journaldunet; hrconseil.com; groupe-vyv.fr Book Sécu 2022; juritravail.com",
                "public": "docs/sources.md §3.1; cerfrance49; service-public.fr actualité A18779 (26/01/2026); moneyvox.fr; journaldunet.com; hrconseil.com; groupe-vyv.fr Book Sécu 2022; juritravail.com",
            },
            "note": {
                "shipped": "⚠ Choice: the regulatory figures are rounded half-up to the cent: monthly salary caps, AT daily cap (0.834 % of the PASS), eligibility thresholds, maternity minimum and the maximum daily amounts (daily base of the cap x rate). It reproduces every published maximum: sickness 41.47 (82.93 x 50 % = 41.465; truncation would give 41.46), 53.31, 41.95; AT 2026 240.49 / 320.66 (400.82 x 80 % = 320.656), 2025 235.69 / 314.25, 2022 205.84 / 274.46 (343.07 x 80 % = 274.456); maternity 101.94 / 104.02; salary caps 2 522.52 € and 2 552.24 € in 2026 (1.4 x 1 823.03 = 2 552.242; moneyvox) rather than SP A18779's 2 552.25 €. So daily amount = min(truncated(daily base x rate), half-up(daily base of the cap x rate)); both modes are needed: 32.875 -> 32.87 and 41.465 -> 41.47 round in opposite directions.",
                "public": "⚠ Choice: the regulatory figures are rounded half-up to the cent: monthly salary caps, AT daily cap (0.834 % of the PASS), eligibility thresholds, maternity minimum and the maximum daily amounts (daily base of the cap x rate). It reproduces every published maximum: sickness 41.47 (82.93 x 50 % = 41.465; truncation would give 41.46), 53.31, 41.95; AT 2026 240.49 / 320.66 (400.82 x 80 % = 320.656), 2025 235.69 / 314.25, 2022 205.84 / 274.46 (343.07 x 80 % = 274.456); maternity 101.94 / 104.02; salary caps 2 522.52 € and 2 552.24 € in 2026 (1.4 x 1 823.03 = 2 552.242; moneyvox) rather than service-public.fr A18779's 2 552.25 €. So daily amount = min(truncated(daily base x rate), half-up(daily base of the cap x rate)); both modes are needed: 32.875 -> 32.87 and 41.465 -> 41.47 round in opposite directions.",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.hours",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P38: SP F3053 copy (lesauthieux…?xml=F3053); c-i-j.com",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded); c-i-j.com",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.hours_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P38: SP F3053 copy",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.smic_multiple",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P38: SP F3053 copy; c-i-j.com",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded); c-i-j.com",
            },
        },
        {
            "key": "allowance.eligibility.up_to_6_months.contribution_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P38: SP F3053 copy",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.hours",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P39: SP F3053 copy",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P39: SP F3053 copy",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.smic_multiple",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P39: SP F3053 copy",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.over_6_months.affiliation_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P39: SP F3053 copy",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.long_stoppage_months",
            "valid_from": "2015-02-01",
            "source": {
                "shipped": "RULES.md P38/P39: SP F3053 copy",
                "public": "service-public.fr F3053 (co-marquage copy whose example is a stoppage from 2017-01-01; date read not recorded)",
            },
        },
        {
            "key": "allowance.eligibility.smic_date",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §5.1.1: SP F3053 copy (stoppage from 2017-01-01: 1 015 x 9.67 = 9 815.05 € over 2016-07-01 to 2016-12-31)",
                "public": "service-public.fr F3053, co-marquage copy (stoppage from 2017-01-01: 1 015 x 9.67 = 9 815.05 € over 2016-07-01 to 2016-12-31); docs/sources.md §3.2",
            },
            "note": {
                "shipped": "⚠ Choice: two official worked examples use two readings of the SMIC horaire and no source says when or whether the reading changed. SP F3053 (stoppage from 2017-01-01) takes the SMIC in force on the first day of the reference period (9.67 € on 2016-07-01; value 'period_start'); c-i-j.com (stoppage from 2024-01-01) takes the SMIC of the stoppage's first day (value 'stoppage_start'). We use period_start until the earliest evidenced date of the second reading, 2024-01-01. Correctable without code (a new row) once the CNAM confirms.",
                "public": "⚠ Choice: two official worked examples use two readings of the SMIC horaire and no source says when or whether the reading changed. service-public.fr F3053 (stoppage from 2017-01-01) takes the SMIC in force on the first day of the reference period (9.67 € on 2016-07-01; value 'period_start'); c-i-j.com (stoppage from 2024-01-01) takes the SMIC of the stoppage's first day (value 'stoppage_start'). We use period_start until the earliest evidenced date of the second reading, 2024-01-01. Correctable without code (a new row) once the CNAM confirms.",
            },
        },
        {
            "key": "allowance.eligibility.smic_date",
            "valid_from": "2024-01-01",
            "source": {
                "shipped": "RULES.md §5.1.1: c-i-j.com (stoppage from 2024-01-01: 1 015 x 11.65 = 11 824.75 € over 2023-07-01 to 2023-12-31); issue 6 API contract",
                "public": "c-i-j.com/criteres-indemnisation-maladie (stoppage from 2024-01-01: 1 015 x 11.65 = 11 824.75 € over 2023-07-01 to 2023-12-31); docs/sources.md §3.2",
            },
            "note": {
                "shipped": "⚠ Choice: the SMIC horaire in force on the stoppage's first day, from 2024-01-01, the earliest date the c-i-j.com reading is evidenced; before, period_start (SP F3053, 2017). Two official examples use two readings; no source says when or whether the reading changed. Correctable without code once the CNAM confirms.",
                "public": "⚠ Choice: the SMIC horaire in force on the stoppage's first day, from 2024-01-01, the earliest date the c-i-j.com reading is evidenced; before, period_start (service-public.fr F3053, 2017). Two official examples use two readings; no source says when or whether the reading changed. Correctable without code once the CNAM confirms.",
            },
        },
        {
            "key": "allowance.sickness.rate",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P31: SP A18779 (26/01/2026)",
                "public": "service-public.fr actualité A18779 (26/01/2026)",
            },
            "note": {
                "shipped": "⚠ Not implemented: the 2/3 rate from day 31 for insured persons with 3 dependent children (RULES.md §5.1.6), only quoted by secondary pages and not confirmed as in force.",
                "public": "⚠ Not implemented: the 2/3 rate from day 31 for insured persons with 3 dependent children (jonxio.fr; adjcourtage.fr), only quoted by secondary pages and not confirmed as in force.",
            },
        },
        {
            "key": "allowance.sickness.divisor",
            "valid_from": "2010-12-01",
            "source": {
                "shipped": "RULES.md P32: SP A18779; rpvconseil.com (was 90 before 2010-12-01)",
                "public": "service-public.fr actualité A18779 (26/01/2026); rpvconseil.com (was 90 before 2010-12-01)",
            },
        },
        {
            "key": "allowance.sickness.reference_months",
            "valid_from": "2010-12-01",
            "source": {
                "shipped": "RULES.md P32: SP A18779",
                "public": "service-public.fr actualité A18779 (26/01/2026)",
            },
        },
        {
            "key": "allowance.sickness.cap_smic_factor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P33: cerfrance49; cftcbanques.fr; chorum.fr",
                "public": "cerfrance49; cftcbanques.fr; chorum.fr",
            },
            "note": {
                "shipped": "Monthly pay counted at most = factor x SMIC mensuel in force on the last day of the month before the stoppage (SP A18779; journaldunet); the factor is the one in force on the stoppage's first day.",
                "public": "Monthly pay counted at most = factor x SMIC mensuel in force on the last day of the month before the stoppage (service-public.fr A18779; journaldunet); the factor is the one in force on the stoppage's first day.",
            },
        },
        {
            "key": "allowance.sickness.cap_smic_factor",
            "valid_from": "2025-04-01",
            "source": {
                "shipped": "RULES.md P33: décret 2025-160 du 20/02/2025; SP A18779",
                "public": "décret 2025-160 du 20/02/2025 (Journal officiel); service-public.fr actualité A18779 (26/01/2026); cerfrance49; cftcbanques.fr",
            },
        },
        {
            "key": "allowance.sickness.waiting_days",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P36: SP A18779",
                "public": "service-public.fr actualité A18779 (26/01/2026)",
            },
        },
        {
            "key": "allowance.sickness.waiting_gap_days",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §5.1.2: moneyvox; SP A18779 (no new waiting period when work resumed <= 48 h)",
                "public": "moneyvox.fr; service-public.fr actualité A18779 (26/01/2026) (no new waiting period when work resumed <= 48 h)",
            },
        },
        {
            "key": "allowance.sickness.ald_waiting_years",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §5.1.2: moneyvox; SP A18779",
                "public": "moneyvox.fr; service-public.fr actualité A18779 (26/01/2026)",
            },
        },
        {
            "key": "allowance.sickness.max_days_3_years",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P37: legal.tricoteuses.fr LEGIARTI000006760562",
                "public": "Code de la sécurité sociale, Légifrance article LEGIARTI000006760562 (text read at legal.tricoteuses.fr)",
            },
        },
        {
            "key": "allowance.sickness.ald_max_years",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P37: circulaire DSS 26/05/2015 (syndicat-infirmier.com)",
                "public": "circulaire interministérielle DSS/SD2/2015/179 du 26/05/2015 (as summarised by syndicat-infirmier.com)",
            },
        },
        {
            "key": "allowance.maternity.deduction",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P43 and §5.2: juritravail.com; lessentieldeleco.fr",
                "public": "juritravail.com (2025); lessentieldeleco.fr (2026)",
            },
        },
        {
            "key": "allowance.maternity.divisor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §5.2: lessentieldeleco.fr",
                "public": "lessentieldeleco.fr",
            },
        },
        {
            "key": "allowance.maternity.reference_months",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §5.2",
                "public": "juritravail.com (2025); lessentieldeleco.fr (2026): 3 months / 91.25, capped at the PMSS",
            },
        },
        {
            "key": "allowance.maternity.affiliation_months",
            "valid_from": "2023-08-20",
            "source": {
                "shipped": "RULES.md §5.2: décret 2023-790 du 17/08/2023; ameli congé maternité page",
                "public": "décret 2023-790 du 17/08/2023; ameli.fr congé maternité page (date read not recorded)",
            },
        },
        {
            "key": "allowance.maternity.daily_amount_min",
            "valid_from": "2025-01-01",
            "source": {
                "shipped": "RULES.md P43: juritravail.com (2025)",
                "public": "juritravail.com (2025)",
            },
        },
        {
            "key": "allowance.maternity.daily_amount_min",
            "valid_from": "2026-01-01",
            "source": {
                "shipped": "RULES.md P43: lessentieldeleco.fr (secondary)",
                "public": "lessentieldeleco.fr (2026, secondary)",
            },
        },
        {
            "key": "allowance.work_accident.divisor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P40: SP F175 copy (mairie-st-vital.fr); groupe-vyv.fr Book Sécu 2022",
                "public": "service-public.fr F175 (co-marquage copy at mairie-st-vital.fr; date read not recorded); groupe-vyv.fr Book Sécu 2022",
            },
        },
        {
            "key": "allowance.work_accident.reference_months",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P40: SP F175 copy",
                "public": "service-public.fr F175 (co-marquage copy at mairie-st-vital.fr; date read not recorded)",
            },
        },
        {
            "key": "allowance.work_accident.cap_pass_rate",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P41: 53.force-ouvriere.org; hrconseil.com",
                "public": "53.force-ouvriere.org (formula); hrconseil.com (2026 maxima)",
            },
        },
        {
            "key": "allowance.work_accident.rate",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P40: SP F175 copy",
                "public": "service-public.fr F175 (co-marquage copy at mairie-st-vital.fr; date read not recorded)",
            },
        },
        {
            "key": "allowance.work_accident.rate_from_day_29",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P40: SP F175 copy; groupe-vyv.fr Book Sécu 2022",
                "public": "service-public.fr F175 (co-marquage copy at mairie-st-vital.fr; date read not recorded); groupe-vyv.fr Book Sécu 2022",
            },
            "note": {
                "shipped": "⚠ Not implemented: the net-gain limit (IJ <= SJR - 21 %, RULES.md §5.4), which would cap this rate at 79 % of the SJR; the published maxima (240.49 / 320.66 € in 2026, 205.84 / 274.46 € in 2022) ignore it, and RULES.md asks for a CNAM confirmation first. Not implemented either: the revaluation after 3 months.",
                "public": "⚠ Not implemented: the net-gain limit (IJ <= SJR - 21 %, service-public.fr F175 and groupe-vyv.fr Book Sécu 2022), which would cap this rate at 79 % of the SJR; the published maxima (240.49 / 320.66 € in 2026, 205.84 / 274.46 € in 2022) ignore it, so it waits for a CNAM confirmation (docs/sources.md §3.3). Not implemented either: the revaluation after 3 months.",
            },
        },
        {
            "key": "allowance.work_accident.increased_rate_from_day",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P40: SP F175 copy",
                "public": "service-public.fr F175 (co-marquage copy at mairie-st-vital.fr; date read not recorded)",
            },
        },
    ]
}
