# The "shipped" texts of TEXTS are kept verbatim, with their old references: they are how a
# row nobody corrected is recognised, and what reversing puts back.
"""Replace the shipped citations of the tariffs and parameters by the public sources.

Migration 0002 copied the `source` and `note` texts of reimbursements/data/*.csv into the
database, where the insured person's "Pourquoi ce montant ?" and the staff pages show them.
Those texts cited internal design notes instead of the public pages they quoted; the CSV files
now name the public source itself (docs/sources.md). Three notes had also been cut at their
first comma by the CSV reader (unquoted commas): they get their whole text.

Each shipped row is found by its natural key (act code + start for a tariff, key + start for a
parameter) and a field is rewritten only where it still holds exactly the shipped text: a row
staff corrected keeps their text. Reversing puts the shipped text back under the same
condition. The texts are the literal mapping `TEXTS` at the end of this module (a migration
must not read the app's files, which move on).
"""

from django.db import migrations

FIELDS = ("source", "note")


def rewrite(queryset_of, entries: list[dict], old: str, new: str) -> int:
    """Set each entry's field from its `old` text to its `new` one where it is still `old`."""
    changed = 0
    for entry in entries:
        for field in FIELDS:
            if field in entry:
                rows = queryset_of(entry).filter(**{field: entry[field][old]})
                changed += rows.update(**{field: entry[field][new]})
    return changed


def rewrite_all(apps, old: str, new: str) -> int:
    parameters = apps.get_model("cpam_portal", "RuleParameter").objects
    tariffs = apps.get_model("reimbursements", "ActTariff").objects
    return rewrite(
        lambda e: parameters.filter(key=e["key"], valid_from=e["valid_from"]),
        TEXTS["rule_parameters"],
        old,
        new,
    ) + rewrite(
        lambda e: tariffs.filter(act__code=e["code"], valid_from=e["valid_from"]),
        TEXTS["act_tariffs"],
        old,
        new,
    )


def to_public_sources(apps, schema_editor) -> None:
    rewrite_all(apps, "shipped", "public")


def to_shipped_texts(apps, schema_editor) -> None:
    rewrite_all(apps, "public", "shipped")


class Migration(migrations.Migration):
    dependencies = [
        ("reimbursements", "0008_transmission_leaves"),
        ("cpam_portal", "0002_rule_parameters"),
    ]

    operations = [migrations.RunPython(to_public_sources, to_shipped_texts)]


# Per shipped row (natural key), the text migration 0002 loaded and its replacement.
TEXTS = {
    "rule_parameters": [
        {
            "key": "reimbursement.rounding",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §11 (no public source states the mode)",
                "public": "No public source states the mode: chosen to fit the published worked examples (docs/sources.md §2.1)",
            },
            "note": {
                "shipped": "⚠ Truncated to the cent on each line: the one mode that reproduces every published figure we hold — onemedia.fr's medicine example 2.09 € × 65 % = 1.35 € (1.3585, half-up would give 1.36), and every other worked example (SP F17042, ameli, maaf, SNDS night visit 32.942 → 32.94, econostrum 17.58 / 20.51), which are exact or truncation-consistent. The daily allowances truncate individual amounts too (allowance.rounding.amount). Change this row to ROUND_HALF_UP to switch.",
                "public": "⚠ Truncated to the cent on each line: the one mode that reproduces every published figure we hold — onemedia.fr's medicine example 2.09 € × 65 % = 1.35 € (1.3585, half-up would give 1.36), and every other worked example (service-public.fr F17042, ameli, maaf, SNDS night visit 32.942 → 32.94, econostrum 17.58 / 20.51), which are exact or truncation-consistent. The daily allowances truncate individual amounts too (allowance.rounding.amount). Change this row to ROUND_HALF_UP to switch.",
            },
        },
        {
            "key": "reimbursement.rate.doctor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P12 (SP F17042; ameli tableau récapitulatif)",
                "public": "service-public.fr F17042 (vérifié le 22/12/2024); ameli.fr/assure/remboursements/rembourse/tableau-recapitulatif-taux-remboursement (24/09/2024)",
            },
        },
        {
            "key": "reimbursement.rate.doctor_outside_pathway",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P13 (SP F17042)",
                "public": "service-public.fr F17042 (vérifié le 22/12/2024); lamutuellegenerale.fr (2015)",
            },
        },
        {
            "key": "reimbursement.rate.midwife",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P12 (SP F17042)",
                "public": "service-public.fr F17042 (vérifié le 22/12/2024); ameli.fr/assure/remboursements/rembourse/tableau-recapitulatif-taux-remboursement (24/09/2024)",
            },
        },
        {
            "key": "reimbursement.rate.dental",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P14 (boursorama 2023-10; francetvinfo 2023-10)",
                "public": "boursorama.com (2023-10); francetvinfo.fr (2023-10): 70 % until the change of 2023-10-15",
            },
        },
        {
            "key": "reimbursement.rate.dental",
            "valid_from": "2023-10-15",
            "source": {
                "shipped": "RULES.md P14 (boursorama 2023-10; francetvinfo 2023-10; ofracar.fr)",
                "public": "boursorama.com (2023-10); francetvinfo.fr (2023-10); ofracar.fr",
            },
        },
        {
            "key": "reimbursement.rate.auxiliary",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P15 (Code séc. soc. R160-5; csfe.fr tariff table)",
                "public": "Code de la sécurité sociale art. R160-5 (40 % ticket modérateur), as quoted by aide-sociale.fr; csfe.fr tariff table (16.51 € → 9.90 €)",
            },
            "note": {
                "shipped": "⚠ The stored ameli table (24/09/2024) shows 70 % but is internally inconsistent: 60 % kept as RULES.md §3.2 recommends.",
                "public": "⚠ ameli.fr/assure/remboursements/rembourse/tableau-recapitulatif-taux-remboursement (24/09/2024) shows 70 % but is internally inconsistent: 60 % kept (docs/sources.md §2.2).",
            },
        },
        {
            "key": "reimbursement.rate.biology",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P16 (placedesfinances.fr; mnt.fr)",
                "public": "placedesfinances.fr; mnt.fr (secondary sources)",
            },
        },
        {
            "key": "reimbursement.rate.imaging",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.2 (placedesfinances.fr)",
                "public": "placedesfinances.fr",
            },
        },
        {
            "key": "reimbursement.rate.pharmacy",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P17 (mnt.fr)",
                "public": "mnt.fr/glossaire/medicaments; vidal24.fr",
            },
        },
        {
            "key": "reimbursement.rate.transport",
            "valid_from": "2017-01-01",
            "note": {
                "shipped": '⚠ RULES.md P19: alehop.co says 55 % "since 2025-03-01"; the earlier rate is kept at the long-standing 65 % until that day. Verify.',
                "public": '⚠ alehop.co (2025-07) says 55 % "since 2025-03-01"; the earlier rate is kept at the long-standing 65 % until that day. Verify.',
            },
        },
        {
            "key": "reimbursement.rate.transport",
            "valid_from": "2025-03-01",
            "source": {
                "shipped": "RULES.md P19 (alehop.co 2025-07; forumhyper.net)",
                "public": "alehop.co (2025-07); forumhyper.net",
            },
            "note": {
                "shipped": "⚠ What changed on 2025-03-01 is not established (RULES.md P19).",
                "public": "⚠ What changed on 2025-03-01 is not established: other pages read already gave 55 % before that day.",
            },
        },
        {
            "key": "reimbursement.rate.hospital",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P18 (cnmss.fr)",
                "public": "cnmss.fr; archive.nossenateurs.fr (secondary)",
            },
        },
        {
            "key": "reimbursement.rate.full",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.5 (ameli; SP)",
                "public": "docs/sources.md §2.3: ameli.fr participation forfaitaire page (2016) for ALD, ameli.fr (2016) and studylibfr.com « droits des futurs parents » for maternity, lecomparateurassurance.com for AT/MP, cnmss.fr for invalidity",
            },
            "note": {
                "shipped": "Rate of the 100 % cases: ALD-related care",
                "public": "Rate of the 100 % cases: ALD-related care, maternity period, AT/MP-related care, invalidity, AME.",
            },
        },
        {
            "key": "reimbursement.pathway.min_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.4 (SP F10870; klesia.fr)",
                "public": "service-public.fr F10870 (copy of 2014); klesia.fr",
            },
        },
        {
            "key": "reimbursement.pathway.psychiatry_direct_access_max_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.4 (hopital.fr; SP F17042)",
                "public": "hopital.fr; service-public.fr F17042 (vérifié le 22/12/2024)",
            },
        },
        {
            "key": "reimbursement.sector2.base.general_practitioner",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P11 (magnolia.fr 2024; mon.apicil.com)",
                "public": "cdn.magnolia.fr/actualites/sante/mutuelle-remboursement-consultation-secteur-3-en-2024 (2024); mon.apicil.com (FAQ OPTAM)",
            },
        },
        {
            "key": "reimbursement.sector2.base.specialist",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P11 (magnolia.fr 2024; mon.apicil.com)",
                "public": "cdn.magnolia.fr/actualites/sante/mutuelle-remboursement-consultation-secteur-3-en-2024 (2024); mon.apicil.com (FAQ OPTAM)",
            },
        },
        {
            "key": "reimbursement.pf.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P21 (ucr.fr; magnolia.fr)",
                "public": "ucr.fr; magnolia.fr (1 € until 2024-05-14)",
            },
        },
        {
            "key": "reimbursement.pf.amount",
            "valid_from": "2024-05-15",
            "source": {
                "shipped": "RULES.md P21 (ucr.fr; tripalio: Uncam decision of 21/03/2024)",
                "public": "Uncam decision of 21/03/2024 published in the Journal officiel (as quoted by tripalio.fr); ucr.fr",
            },
        },
        {
            "key": "reimbursement.pf.cap.day_count",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P22 (décret 2007-1166 amending D322-4; ucr.fr)",
                "public": "Code de la sécurité sociale art. D322-4 as amended by décret 2007-1166 (text quoted in the pages read); ucr.fr",
            },
        },
        {
            "key": "reimbursement.pf.cap.year",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P22 (ameli participation forfaitaire page)",
                "public": "ameli.fr participation forfaitaire page (address and date read not recorded)",
            },
        },
        {
            "key": "reimbursement.pf.exempt_under_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §4.1 (ameli PF page; defenseconso.fr)",
                "public": "ameli.fr participation forfaitaire page (address and date read not recorded); defenseconso.fr",
            },
        },
        {
            "key": "reimbursement.pf.families",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §4.1 (magnolia.fr; mutuelle-conseil.com)",
                "public": "magnolia.fr; mutuelle-conseil.com",
            },
            "note": {
                "shipped": "Doctors' consultations and acts",
                "public": "Doctors' consultations and acts, biology, radiology; not dentists, midwives, auxiliaries, hospital stays.",
            },
        },
        {
            "key": "reimbursement.franchise.medicine",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P23 (ameli franchise page 05/09/2024)",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024); décret 2024-114 (Journal officiel of 17/02/2024) as tabulated by klesiaprosocial.fr (29/02/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.medicine",
            "valid_from": "2024-03-31",
            "source": {
                "shipped": "RULES.md P23 (ameli franchise page 05/09/2024; swisslife.fr)",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024); swisslife.fr",
            },
        },
        {
            "key": "reimbursement.franchise.paramedical",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P23",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024); décret 2024-114 (Journal officiel of 17/02/2024) as tabulated by klesiaprosocial.fr (29/02/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.paramedical",
            "valid_from": "2024-03-31",
            "source": {
                "shipped": "RULES.md P23",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024); secu-artistes-auteurs.fr",
            },
        },
        {
            "key": "reimbursement.franchise.transport",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P23",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024); décret 2024-114 (Journal officiel of 17/02/2024) as tabulated by klesiaprosocial.fr (29/02/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.transport",
            "valid_from": "2024-03-31",
            "source": {
                "shipped": "RULES.md P23",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024); secu-artistes-auteurs.fr",
            },
        },
        {
            "key": "reimbursement.franchise.cap.paramedical_day",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P24 / §9 (caps doubled on 2024-03-31)",
                "public": "décret 2024-114 (Journal officiel of 17/02/2024) as tabulated by klesiaprosocial.fr (29/02/2024); swisslife.fr (daily caps doubled on 2024-03-31)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.paramedical_day",
            "valid_from": "2024-03-31",
            "source": {
                "shipped": "RULES.md P24 (ameli franchise page)",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.transport_day",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P24 / §9",
                "public": "décret 2024-114 (Journal officiel of 17/02/2024) as tabulated by klesiaprosocial.fr (29/02/2024); swisslife.fr (daily caps doubled on 2024-03-31)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.transport_day",
            "valid_from": "2024-03-31",
            "source": {
                "shipped": "RULES.md P24 (ameli franchise page)",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.year",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P24 (ameli franchise page)",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024)",
            },
            "note": {
                "shipped": "Separate from the participation forfaitaire cap. The 2025 doubling was abandoned (P25).",
                "public": "Separate from the participation forfaitaire cap. The 2025 doubling was abandoned (upday.com 04/12/2025; bfmtv.com 05/12/2025).",
            },
        },
        {
            "key": "reimbursement.franchise.exempt_under_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §4.2 (ameli franchise page)",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale (05/09/2024)",
            },
        },
        {
            "key": "reimbursement.fjh.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §9 (FJH 18 → 20 € on 2018-01-01)",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement (2018: 18 → 20 €, psychiatry 13.50 → 15 €, on 2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.amount",
            "valid_from": "2018-01-01",
            "source": {
                "shipped": "RULES.md P26 (msa-bourgogne.fr 2018)",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement (2018: 18 → 20 €, psychiatry 13.50 → 15 €, on 2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.amount",
            "valid_from": "2026-03-01",
            "source": {
                "shipped": "RULES.md P26 (quechoisir.org n174650; decree published 28/02/2026)",
                "public": "quechoisir.org article n174650; upday.com (28/02/2026: text published in the Journal officiel that day)",
            },
        },
        {
            "key": "reimbursement.fjh.psychiatry",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §9",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement (2018: 18 → 20 €, psychiatry 13.50 → 15 €, on 2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.psychiatry",
            "valid_from": "2018-01-01",
            "source": {
                "shipped": "RULES.md P26",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement (2018: 18 → 20 €, psychiatry 13.50 → 15 €, on 2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.psychiatry",
            "valid_from": "2026-03-01",
            "source": {
                "shipped": "RULES.md P26",
                "public": "quechoisir.org article n174650; upday.com (28/02/2026: text published in the Journal officiel that day)",
            },
        },
        {
            "key": "reimbursement.fjh.exempt_newborn_days",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.5 and §4.3 (lecomparateurassurance.com)",
                "public": "lecomparateurassurance.com",
            },
        },
        {
            "key": "reimbursement.flat_fee.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §9 (forfait actes lourds 18 → 24 € in 2019)",
                "public": "studylibfr.com/doc/2627957 (CISS fiche thématique n°2, 2014: forfait de 18 €); ameli.fr/assure/remboursements/reste-charge/forfait-24-euros (date read not recorded): 24 € since 2019",
            },
            "note": {
                "shipped": "⚠ RULES.md gives the year 2019 only: 2019-01-01 is assumed.",
                "public": "⚠ The sources give the year 2019 only: 2019-01-01 is assumed.",
            },
        },
        {
            "key": "reimbursement.flat_fee.amount",
            "valid_from": "2019-01-01",
            "source": {
                "shipped": "RULES.md P28 (ameli forfait-24-euros)",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros (date read not recorded)",
            },
        },
        {
            "key": "reimbursement.flat_fee.amount",
            "valid_from": "2026-04-01",
            "source": {
                "shipped": "RULES.md P28 (boursorama 2026-02-23 draft)",
                "public": "boursorama.com (23/02/2026: draft decree); quechoisir.org article n174650",
            },
        },
        {
            "key": "reimbursement.flat_fee.threshold",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §4.4 (ameli forfait-24-euros)",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros (date read not recorded)",
            },
        },
        {
            "key": "reimbursement.flat_fee.coefficient",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §4.4 (ameli forfait-24-euros)",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros (date read not recorded)",
            },
        },
        {
            "key": "reimbursement.flat_fee.families",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §4.4 (ameli forfait-24-euros)",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros (date read not recorded)",
            },
            "note": {
                "shipped": "⚠ Imaging and biology left out (RULES.md: some imaging acts are exempt; list not re-checked). Each line is judged alone: acts of one session are not added up.",
                "public": "⚠ Imaging and biology left out (the ameli forfait-24-euros page exempts some imaging acts; list not re-checked). Each line is judged alone: acts of one session are not added up.",
            },
        },
        {
            "key": "reimbursement.local.rate.doctor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P20 (SNDS fiche montant_soins_de_ville)",
                "public": "SNDS documentation, fiche montant_soins_de_ville (documentation-snds.health-data-hub.fr; GitHub indsante/Documentation-SNDS)",
            },
        },
        {
            "key": "reimbursement.local.rate.PH1",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §12 (100 % already)",
                "public": "SNDS documentation, table ER_PHA_F (documentation-snds.health-data-hub.fr/tables/er_pha_f): PH1 is already 100 %",
            },
        },
        {
            "key": "reimbursement.local.rate.transport",
            "valid_from": "2017-01-01",
            "note": {
                "shipped": "⚠ No source read on the local scheme and transport: no local complement is assumed (the rate equals the general one from 2025-03-01; before",
                "public": "⚠ No source read on the local scheme and transport: no local complement is assumed (the rate equals the general one from 2025-03-01; before, the general 65 % applies and no complement is paid either).",
            },
        },
    ],
    "act_tariffs": [
        {
            "code": "C",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P2 (23 € before 2017-05-01)",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25 (23 € before 2017-05-01)",
            },
        },
        {
            "code": "G",
            "valid_from": "2017-05-01",
            "source": {
                "shipped": "RULES.md P2 (demarchesadministratives.fr)",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25",
            },
        },
        {
            "code": "G",
            "valid_from": "2023-11-01",
            "source": {
                "shipped": "RULES.md P2 (agipi.com quoting the ameli note of 30/10/2023)",
                "public": "agipi.com/?p=8603 (quoting the ameli note of 30/10/2023)",
            },
        },
        {
            "code": "G",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P1 (ameli actualité 22/12/2024; SP F17042)",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes et spécialistes : ce qui change le 22 décembre 2024 » (22/12/2024); service-public.fr F17042 (vérifié le 22/12/2024)",
            },
        },
        {
            "code": "GS",
            "valid_from": "2017-05-01",
            "source": {
                "shipped": "RULES.md P2",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25",
            },
        },
        {
            "code": "GS",
            "valid_from": "2023-11-01",
            "source": {
                "shipped": "RULES.md P2",
                "public": "agipi.com/?p=8603 (quoting the ameli note of 30/10/2023)",
            },
        },
        {
            "code": "GS",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P1",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes et spécialistes : ce qui change le 22 décembre 2024 » (22/12/2024); service-public.fr F17042 (vérifié le 22/12/2024)",
            },
        },
        {
            "code": "VG",
            "valid_from": "2017-05-01",
            "source": {
                "shipped": "RULES.md P2",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25",
            },
        },
        {
            "code": "VG",
            "valid_from": "2023-11-01",
            "source": {
                "shipped": "RULES.md P2",
                "public": "agipi.com/?p=8603 (quoting the ameli note of 30/10/2023)",
            },
        },
        {
            "code": "VG",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P1",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes et spécialistes : ce qui change le 22 décembre 2024 » (22/12/2024); service-public.fr F17042 (vérifié le 22/12/2024)",
            },
        },
        {
            "code": "MEG",
            "valid_from": "2023-11-01",
            "source": {
                "shipped": "RULES.md P3 (klesiamut.fr: G for a child under 6 = 35 €; was 31.50 €)",
                "public": "klesiamut.fr/fr/nouvelle-convention-medicale-2024 (G for a child under 6 = 35 €; was 31.50 €)",
            },
        },
        {
            "code": "APC",
            "valid_from": "2018-01-01",
            "source": {
                "shipped": "RULES.md §9 (APC 55 → 56.50 € on 2023-11-01)",
                "public": "lecardiologue.com « L'APC aujourd'hui… et demain ? » (55 € until 2023-10-31; it dates the 55 € from 2022-04-01: docs/sources.md §2.4)",
            },
        },
        {
            "code": "APC",
            "valid_from": "2023-11-01",
            "source": {
                "shipped": "RULES.md §9; P5",
                "public": "aefinfo.fr (2023-05) and lequotidiendumedecin.fr: règlement arbitral published in the Journal officiel of 30/04/2023, APC 55 → 56.50 € on 2023-11-01; lecardiologue.com",
            },
        },
        {
            "code": "APC",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P5 (ameli convention 2024-2029 essentiel; europe1.fr)",
                "public": "ameli.fr/medecin/textes-reference/convention-medicale-2024-2029/essentiel; europe1.fr (2024-06)",
            },
        },
        {
            "code": "CSP",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P6 (ameli actualité 22/12/2024 footnote 1)",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes et spécialistes : ce qui change le 22 décembre 2024 » (22/12/2024), footnote 1",
            },
        },
        {
            "code": "CNPSY",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P7 (ameli actualité 22/12/2024)",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes et spécialistes : ce qui change le 22 décembre 2024 » (22/12/2024)",
            },
        },
        {
            "code": "CNPSY",
            "valid_from": "2026-01-01",
            "source": {
                "shipped": "RULES.md P7 (europe1.fr 2024-06: amount); moneyvox.fr 2025-06 (Cnam to AFP: the 2025-07-01 step suspended by the comité d'alerte and applied on 2026-01-01); previssima.fr; geroscopie.fr",
                "public": "europe1.fr (2024-06: amount); moneyvox.fr 2025-06 (Cnam to AFP: the 2025-07-01 step suspended by the comité d'alerte and applied on 2026-01-01); previssima.fr; geroscopie.fr",
            },
        },
        {
            "code": "CGYN",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P8 (ameli actualité 22/12/2024)",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes et spécialistes : ce qui change le 22 décembre 2024 » (22/12/2024)",
            },
        },
        {
            "code": "CGYN",
            "valid_from": "2026-01-01",
            "source": {
                "shipped": "RULES.md P8 (europe1.fr 2024-06: amount); moneyvox.fr 2025-06 (Cnam to AFP: the 2025-07-01 step suspended by the comité d'alerte and applied on 2026-01-01); previssima.fr; geroscopie.fr",
                "public": "europe1.fr (2024-06: amount); moneyvox.fr 2025-06 (Cnam to AFP: the 2025-07-01 step suspended by the comité d'alerte and applied on 2026-01-01); previssima.fr; geroscopie.fr",
            },
        },
        {
            "code": "CGER",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P9 (ameli actualité 22/12/2024)",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes et spécialistes : ce qui change le 22 décembre 2024 » (22/12/2024)",
            },
        },
        {
            "code": "GL",
            "valid_from": "2026-01-01",
            "source": {
                "shipped": "RULES.md P10 (ameli convention essentiel; magnolia.fr; fmfpro.org)",
                "public": "ameli.fr/medecin/textes-reference/convention-medicale-2024-2029/essentiel; magnolia.fr; fmfpro.org",
            },
        },
        {
            "code": "TCG",
            "valid_from": "2024-12-22",
            "source": {
                "shipped": "RULES.md P4 (klesiamut.fr)",
                "public": "klesiamut.fr/fr/nouvelle-convention-medicale-2024 (secondary)",
            },
        },
        {
            "code": "PH1",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §12 (SNDS ER_PHA_F) and P17",
                "public": "SNDS documentation, table ER_PHA_F (documentation-snds.health-data-hub.fr/tables/er_pha_f); mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "PH7",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §12 (SNDS ER_PHA_F) and P17",
                "public": "SNDS documentation, table ER_PHA_F (documentation-snds.health-data-hub.fr/tables/er_pha_f); mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "PH4",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §12 (SNDS ER_PHA_F) and P17",
                "public": "SNDS documentation, table ER_PHA_F (documentation-snds.health-data-hub.fr/tables/er_pha_f); mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "PH2",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §12 (SNDS ER_PHA_F) and P17",
                "public": "SNDS documentation, table ER_PHA_F (documentation-snds.health-data-hub.fr/tables/er_pha_f); mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "AMB",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.2 and P19 (ameli frais-transport)",
                "public": "ameli.fr frais de transport page (conditions; date read not recorded); tariffs are departmental (docs/sources.md §2.5)",
            },
        },
        {
            "code": "VSL",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.2 and P19",
                "public": "ameli.fr frais de transport page (conditions; date read not recorded); tariffs are departmental (docs/sources.md §2.5)",
            },
        },
        {
            "code": "TAX",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md §3.2 and P19",
                "public": "ameli.fr frais de transport page (conditions; date read not recorded); tariffs are departmental (docs/sources.md §2.5)",
            },
        },
        {
            "code": "GHS",
            "valid_from": "2017-01-01",
            "source": {
                "shipped": "RULES.md P18 and issue 4 contract",
                "public": "cnmss.fr (hospital stays at 80 %); no GHS tariff shipped, the line carries its base (docs/sources.md §2.5)",
            },
        },
    ],
}
