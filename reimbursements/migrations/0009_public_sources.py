"""Replace the shipped citations of the tariffs and parameters by the public sources.

Migration 0002 copied the `source` and `note` texts of reimbursements/data/*.csv into the
database, where the insured person's "Pourquoi ce montant ?" and the staff pages show them.
Those texts cited internal design notes instead of the public pages they quoted; the CSV files
now name the public source itself (docs/sources.md). Three notes had also been cut at their
first comma by the CSV reader (unquoted commas): they get their whole text.

Each shipped row is found by its natural key (act code + start for a tariff, key + start for a
parameter) and a field is rewritten only where it still holds exactly the shipped text,
recognised by its SHA-256 (the old texts cited documents the repository does not hold, so only
their digests are kept): a row staff corrected keeps their text. Unapplying leaves the public
texts, which name the sources of the same figures. The mapping is the literal `TEXTS` at the
end of this module (a migration must not read the app's files, which move on).
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
    tariffs = apps.get_model("reimbursements", "ActTariff").objects
    rewrite(
        lambda e: parameters.filter(key=e["key"], valid_from=e["valid_from"]),
        TEXTS["rule_parameters"],
    )
    rewrite(
        lambda e: tariffs.filter(act__code=e["code"], valid_from=e["valid_from"]),
        TEXTS["act_tariffs"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reimbursements", "0008_transmission_leaves"),
        ("cpam_portal", "0002_rule_parameters"),
    ]

    operations = [migrations.RunPython(to_public_sources, migrations.RunPython.noop)]


# Per shipped row (natural key): the digest of the text the earlier migration loaded, and the
# public text that replaces it.
TEXTS = {
    "rule_parameters": [
        {
            "key": "reimbursement.rounding",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "dd07b6ea217bbc42ad1aeba91208db1e237ef8660631b7e2407ec82c083ca0b7",
                "public": "No public source states the mode: chosen to fit "
                "the published worked examples (docs/sources.md "
                "§2.1)",
            },
            "note": {
                "shipped_sha256": "febd287c0f8462d3dce0b96a536f52fb24145b4c8eb13f2c7bc6c426eda8f611",
                "public": "⚠ Truncated to the cent on each line: the one mode "
                "that reproduces every published figure we hold — "
                "onemedia.fr's medicine example 2.09 € × 65 % = 1.35 "
                "€ (1.3585, half-up would give 1.36), and every other "
                "worked example (service-public.fr F17042, ameli, "
                "maaf, SNDS night visit 32.942 → 32.94, econostrum "
                "17.58 / 20.51), which are exact or "
                "truncation-consistent. The daily allowances truncate "
                "individual amounts too (allowance.rounding.amount). "
                "Change this row to ROUND_HALF_UP to switch.",
            },
        },
        {
            "key": "reimbursement.rate.doctor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "f49745ac0b19ff598f2cdad1cfa24a9761f57d68180e7e2a273893b779261e85",
                "public": "service-public.fr F17042 (vérifié le 22/12/2024); "
                "ameli.fr/assure/remboursements/rembourse/tableau-recapitulatif-taux-remboursement "
                "(24/09/2024)",
            },
        },
        {
            "key": "reimbursement.rate.doctor_outside_pathway",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "3f1e2fe153fd8272fb160e9fab329132a85d7fccf51bbd666540493fa537f349",
                "public": "service-public.fr F17042 (vérifié le 22/12/2024); "
                "lamutuellegenerale.fr (2015)",
            },
        },
        {
            "key": "reimbursement.rate.midwife",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "2b3065bb9e618d98df63109f64885338c87b7a0cd89032dcfe861241c431ef4c",
                "public": "service-public.fr F17042 (vérifié le 22/12/2024); "
                "ameli.fr/assure/remboursements/rembourse/tableau-recapitulatif-taux-remboursement "
                "(24/09/2024)",
            },
        },
        {
            "key": "reimbursement.rate.dental",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "7dbbadc2575b8fe6dffcc7b81bb721496e149147f8b0836fce3bdfb4c844628f",
                "public": "boursorama.com (2023-10); francetvinfo.fr "
                "(2023-10): 70 % until the change of 2023-10-15",
            },
        },
        {
            "key": "reimbursement.rate.dental",
            "valid_from": "2023-10-15",
            "source": {
                "shipped_sha256": "3140c7c35058115524975f9d14480b4d35c3a5dec5172ff8c0a4c7847cf27af6",
                "public": "boursorama.com (2023-10); francetvinfo.fr (2023-10); ofracar.fr",
            },
        },
        {
            "key": "reimbursement.rate.auxiliary",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "7ec99111acc204d66935809b7c837f94304efabb082f126e997548938498e9ec",
                "public": "Code de la sécurité sociale art. R160-5 (40 % "
                "ticket modérateur), as quoted by aide-sociale.fr; "
                "csfe.fr tariff table (16.51 € → 9.90 €)",
            },
            "note": {
                "shipped_sha256": "ca4c2f14b86e9ef19af084f329fb7ebbf5a1c793e51728d53f016c659b0796b8",
                "public": "⚠ "
                "ameli.fr/assure/remboursements/rembourse/tableau-recapitulatif-taux-remboursement "
                "(24/09/2024) shows 70 % but is internally "
                "inconsistent: 60 % kept (docs/sources.md §2.2).",
            },
        },
        {
            "key": "reimbursement.rate.biology",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "1d1338b33ac577c02f63ed693f1a88459088515448652ead25a5721b46f19e17",
                "public": "placedesfinances.fr; mnt.fr (secondary sources)",
            },
        },
        {
            "key": "reimbursement.rate.imaging",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "345b12fccb803d13beb7c794814dabddfca82bd130624188ff57349cb197ca2d",
                "public": "placedesfinances.fr",
            },
        },
        {
            "key": "reimbursement.rate.pharmacy",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "9b10bcc7eab6c1b003eb5db4df2a0ddfefe120d634cbdaffcdac118edcedbdc9",
                "public": "mnt.fr/glossaire/medicaments; vidal24.fr",
            },
        },
        {
            "key": "reimbursement.rate.transport",
            "valid_from": "2017-01-01",
            "note": {
                "shipped_sha256": "4cd8896d49786d8e741de2b4235019a0e13d032421e70886e42be3dd1c2055ee",
                "public": '⚠ alehop.co (2025-07) says 55 % "since 2025-03-01"; '
                "the earlier rate is kept at the long-standing 65 % "
                "until that day. Verify.",
            },
        },
        {
            "key": "reimbursement.rate.transport",
            "valid_from": "2025-03-01",
            "source": {
                "shipped_sha256": "7dd3dd53d83940b074d6b9c7ed990cf25fdd63c658c205899dc1a8676de11fff",
                "public": "alehop.co (2025-07); forumhyper.net",
            },
            "note": {
                "shipped_sha256": "df7c7569f62d632d5a155e4bc533c51d6ec6dcc2772006136eaef3aa04bb812d",
                "public": "⚠ What changed on 2025-03-01 is not established: "
                "other pages read already gave 55 % before that "
                "day.",
            },
        },
        {
            "key": "reimbursement.rate.hospital",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "1cfb46451f08e9a888dbd6bd49b543e85a5880108c85d9bb24239ebc24556f9a",
                "public": "cnmss.fr; archive.nossenateurs.fr (secondary)",
            },
        },
        {
            "key": "reimbursement.rate.full",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "0d414ad9c7176fb2287a64390e546230bdec74102100fa0ba53700d98030c339",
                "public": "docs/sources.md §2.3: ameli.fr participation "
                "forfaitaire page (2016) for ALD, ameli.fr (2016) "
                "and studylibfr.com « droits des futurs parents » "
                "for maternity, lecomparateurassurance.com for "
                "AT/MP, cnmss.fr for invalidity",
            },
            "note": {
                "shipped_sha256": "e6c8b38c1d804e3883915fa64cc8cc72ac12b34cbb6b48643260fed07bc6dc79",
                "public": "Rate of the 100 % cases: ALD-related care, maternity "
                "period, AT/MP-related care, invalidity, AME.",
            },
        },
        {
            "key": "reimbursement.pathway.min_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "024e10c9af40df4efe8c93128d45f5be61a00b69e85cbf6107406d3bd8791dd9",
                "public": "service-public.fr F10870 (copy of 2014); klesia.fr",
            },
        },
        {
            "key": "reimbursement.pathway.psychiatry_direct_access_max_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "a1fcd88c0c669c93a96fec1e0ed97ecbe8c8f3a23a3bbbd8b5f6ef018a08582d",
                "public": "hopital.fr; service-public.fr F17042 (vérifié le 22/12/2024)",
            },
        },
        {
            "key": "reimbursement.sector2.base.general_practitioner",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "3f04a4c80aef528dca3b6e9d4fe4fd1ba195e299348c4d8548179df175ecb462",
                "public": "cdn.magnolia.fr/actualites/sante/mutuelle-remboursement-consultation-secteur-3-en-2024 "
                "(2024); mon.apicil.com (FAQ OPTAM)",
            },
        },
        {
            "key": "reimbursement.sector2.base.specialist",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "3f04a4c80aef528dca3b6e9d4fe4fd1ba195e299348c4d8548179df175ecb462",
                "public": "cdn.magnolia.fr/actualites/sante/mutuelle-remboursement-consultation-secteur-3-en-2024 "
                "(2024); mon.apicil.com (FAQ OPTAM)",
            },
        },
        {
            "key": "reimbursement.pf.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "d6c53cf0ee5ee886c50dd26e21b784aaaac49834b09d44187904bb3a1723f7f0",
                "public": "ucr.fr; magnolia.fr (1 € until 2024-05-14)",
            },
        },
        {
            "key": "reimbursement.pf.amount",
            "valid_from": "2024-05-15",
            "source": {
                "shipped_sha256": "ed8daa82c7be631278d1bda982795ad5bd82118399f43db845cb74a5338cc948",
                "public": "Uncam decision of 21/03/2024 published in the "
                "Journal officiel (as quoted by tripalio.fr); "
                "ucr.fr",
            },
        },
        {
            "key": "reimbursement.pf.cap.day_count",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "9c152040552d2c2895d43cc34e3f4dfca6e3404b103cb0223becc074fb064c59",
                "public": "Code de la sécurité sociale art. D322-4 as amended "
                "by décret 2007-1166 (text quoted in the pages "
                "read); ucr.fr",
            },
        },
        {
            "key": "reimbursement.pf.cap.year",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "d79767d8969e9c6d5933a04d4c0784be96b31bab31de04718cf9766fbc52864f",
                "public": "ameli.fr participation forfaitaire page (address "
                "and date read not recorded)",
            },
        },
        {
            "key": "reimbursement.pf.exempt_under_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "f7ecda6b19e73a89a48a020dd3eefa8d05d0c1fa1f46ab2173afdee8ee93644b",
                "public": "ameli.fr participation forfaitaire page (address "
                "and date read not recorded); defenseconso.fr",
            },
        },
        {
            "key": "reimbursement.pf.families",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "07df4c1551adf73e1b2943e9f59a4fdb7370261850e769a6ad0200e789d92126",
                "public": "magnolia.fr; mutuelle-conseil.com",
            },
            "note": {
                "shipped_sha256": "8523d166ed472ef3cad8e8c576e2c5f41208170f392c78a734bb7cd4c0894f37",
                "public": "Doctors' consultations and acts, biology, radiology; "
                "not dentists, midwives, auxiliaries, hospital "
                "stays.",
            },
        },
        {
            "key": "reimbursement.franchise.medicine",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "9a9eb6f1e7b1daa95a3672ce8295dc2891fcf374f6cdd67586554607779a0f62",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024); décret 2024-114 (Journal officiel of "
                "17/02/2024) as tabulated by klesiaprosocial.fr "
                "(29/02/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.medicine",
            "valid_from": "2024-03-31",
            "source": {
                "shipped_sha256": "ad4413807a2b4d43b6af4771a20ef3234881d6a42b87c5e9e8de61a2c102b4c6",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024); swisslife.fr",
            },
        },
        {
            "key": "reimbursement.franchise.paramedical",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "362f1ed98c90549fe568e380d1372abe864c6822c6bc448122889c3ee10380a7",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024); décret 2024-114 (Journal officiel of "
                "17/02/2024) as tabulated by klesiaprosocial.fr "
                "(29/02/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.paramedical",
            "valid_from": "2024-03-31",
            "source": {
                "shipped_sha256": "362f1ed98c90549fe568e380d1372abe864c6822c6bc448122889c3ee10380a7",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024); secu-artistes-auteurs.fr",
            },
        },
        {
            "key": "reimbursement.franchise.transport",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "362f1ed98c90549fe568e380d1372abe864c6822c6bc448122889c3ee10380a7",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024); décret 2024-114 (Journal officiel of "
                "17/02/2024) as tabulated by klesiaprosocial.fr "
                "(29/02/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.transport",
            "valid_from": "2024-03-31",
            "source": {
                "shipped_sha256": "362f1ed98c90549fe568e380d1372abe864c6822c6bc448122889c3ee10380a7",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024); secu-artistes-auteurs.fr",
            },
        },
        {
            "key": "reimbursement.franchise.cap.paramedical_day",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "4ae49330308f2113a86953cef652a0500891b087dd181c5c8b12a79cb58fff9a",
                "public": "décret 2024-114 (Journal officiel of 17/02/2024) "
                "as tabulated by klesiaprosocial.fr (29/02/2024); "
                "swisslife.fr (daily caps doubled on 2024-03-31)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.paramedical_day",
            "valid_from": "2024-03-31",
            "source": {
                "shipped_sha256": "6ac9886c6061a8038f40198d9cdd8087bd7f0e683cc7156d10d82f5a15504a56",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.transport_day",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "6dc84cb64a2b6873a1b0d04eb396d48551a64635275cf22a9b58e5d221ffca71",
                "public": "décret 2024-114 (Journal officiel of 17/02/2024) "
                "as tabulated by klesiaprosocial.fr (29/02/2024); "
                "swisslife.fr (daily caps doubled on 2024-03-31)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.transport_day",
            "valid_from": "2024-03-31",
            "source": {
                "shipped_sha256": "6ac9886c6061a8038f40198d9cdd8087bd7f0e683cc7156d10d82f5a15504a56",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024)",
            },
        },
        {
            "key": "reimbursement.franchise.cap.year",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "6ac9886c6061a8038f40198d9cdd8087bd7f0e683cc7156d10d82f5a15504a56",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024)",
            },
            "note": {
                "shipped_sha256": "32aa1671894cf0f3327eb9e69e4a14464f286af0404c3496ca1699fdb756b167",
                "public": "Separate from the participation forfaitaire cap. The "
                "2025 doubling was abandoned (upday.com 04/12/2025; "
                "bfmtv.com 05/12/2025).",
            },
        },
        {
            "key": "reimbursement.franchise.exempt_under_age",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "a72a47e71527619640c07b901447f45dbe1f8f6e256de6429eb5ed1afb04295f",
                "public": "ameli.fr/assure/remboursements/reste-charge/franchise-medicale "
                "(05/09/2024)",
            },
        },
        {
            "key": "reimbursement.fjh.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "ed810b2169ab60ccff5e1de6655f672b49078b8f4af876b0881cfac9426976d3",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement "
                "(2018: 18 → 20 €, psychiatry 13.50 → 15 €, on "
                "2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.amount",
            "valid_from": "2018-01-01",
            "source": {
                "shipped_sha256": "629ee4668bb7089746ac098a9098f0d4df6ead9cb5b8192c20fb0fd12f4feccb",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement "
                "(2018: 18 → 20 €, psychiatry 13.50 → 15 €, on "
                "2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.amount",
            "valid_from": "2026-03-01",
            "source": {
                "shipped_sha256": "5b27dab8f52f76fff0e5f2fd348f4dd62403bed31f01de6070c76078edd8018a",
                "public": "quechoisir.org article n174650; upday.com "
                "(28/02/2026: text published in the Journal "
                "officiel that day)",
            },
        },
        {
            "key": "reimbursement.fjh.psychiatry",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "ae2872b7c7bebe597532fbdb190e8508a6d0c3798068f4ba6117492f363a16cd",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement "
                "(2018: 18 → 20 €, psychiatry 13.50 → 15 €, on "
                "2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.psychiatry",
            "valid_from": "2018-01-01",
            "source": {
                "shipped_sha256": "b9e6673bdb775d0a384fb5e06d4844f4a030d50a7c61aef46094fe41f98912ed",
                "public": "msa-bourgogne.fr/lfy/sante/taux-de-remboursement "
                "(2018: 18 → 20 €, psychiatry 13.50 → 15 €, on "
                "2018-01-01)",
            },
        },
        {
            "key": "reimbursement.fjh.psychiatry",
            "valid_from": "2026-03-01",
            "source": {
                "shipped_sha256": "b9e6673bdb775d0a384fb5e06d4844f4a030d50a7c61aef46094fe41f98912ed",
                "public": "quechoisir.org article n174650; upday.com "
                "(28/02/2026: text published in the Journal "
                "officiel that day)",
            },
        },
        {
            "key": "reimbursement.fjh.exempt_newborn_days",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "d65b9de0aedc6f6d60f715ff8cafb8989dfe15a4258fa03d240d2726e19b1d0f",
                "public": "lecomparateurassurance.com",
            },
        },
        {
            "key": "reimbursement.flat_fee.amount",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "c434f518c3245bcfbf6378cd41127f4caf6a8617dfc1764ca67d9dfb62d492d9",
                "public": "studylibfr.com/doc/2627957 (CISS fiche thématique "
                "n°2, 2014: forfait de 18 €); "
                "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros "
                "(date read not recorded): 24 € since 2019",
            },
            "note": {
                "shipped_sha256": "340e160a550ce2ffa639e2f79170065c2caf4763d760104a4b33595fa84a7b1c",
                "public": "⚠ The sources give the year 2019 only: 2019-01-01 is assumed.",
            },
        },
        {
            "key": "reimbursement.flat_fee.amount",
            "valid_from": "2019-01-01",
            "source": {
                "shipped_sha256": "dd2641bb07ebdb69818b8dad07469654de5029719454246020d17e768254a892",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros "
                "(date read not recorded)",
            },
        },
        {
            "key": "reimbursement.flat_fee.amount",
            "valid_from": "2026-04-01",
            "source": {
                "shipped_sha256": "2a07185926a4bcf2a61766a44099bddb3a48a463dea6b7ae5b8745e9b8499bc3",
                "public": "boursorama.com (23/02/2026: draft decree); "
                "quechoisir.org article n174650",
            },
        },
        {
            "key": "reimbursement.flat_fee.threshold",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "59347521c0fb5f1ff00c68553c9fdf4d63e57478e60c931a0fceacfdfc47ad28",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros "
                "(date read not recorded)",
            },
        },
        {
            "key": "reimbursement.flat_fee.coefficient",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "59347521c0fb5f1ff00c68553c9fdf4d63e57478e60c931a0fceacfdfc47ad28",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros "
                "(date read not recorded)",
            },
        },
        {
            "key": "reimbursement.flat_fee.families",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "59347521c0fb5f1ff00c68553c9fdf4d63e57478e60c931a0fceacfdfc47ad28",
                "public": "ameli.fr/assure/remboursements/reste-charge/forfait-24-euros "
                "(date read not recorded)",
            },
            "note": {
                "shipped_sha256": "d49f9791ace343b4c14cde1b616273babac1cc6e52ed33afd2a612835e31c51d",
                "public": "⚠ Imaging and biology left out (the ameli "
                "forfait-24-euros page exempts some imaging acts; "
                "list not re-checked). Each line is judged alone: "
                "acts of one session are not added up.",
            },
        },
        {
            "key": "reimbursement.local.rate.doctor",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "ae49f9a8934374cdbaf4f74f703409f83b0b759820784839fdcf13c44b59d3d1",
                "public": "SNDS documentation, fiche montant_soins_de_ville "
                "(documentation-snds.health-data-hub.fr; GitHub "
                "indsante/Documentation-SNDS)",
            },
        },
        {
            "key": "reimbursement.local.rate.PH1",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "633eba8d4d43a0c609cda9b1a5ddf08620f080ab0e2a3810b10039d78abfccc6",
                "public": "SNDS documentation, table ER_PHA_F "
                "(documentation-snds.health-data-hub.fr/tables/er_pha_f): "
                "PH1 is already 100 %",
            },
        },
        {
            "key": "reimbursement.local.rate.transport",
            "valid_from": "2017-01-01",
            "note": {
                "shipped_sha256": "55b743d1edbf5eaf32e32334a1abc4936ca89439179db4752cc23a59e26a7679",
                "public": "⚠ No source read on the local scheme and transport: "
                "no local complement is assumed (the rate equals the "
                "general one from 2025-03-01; before, the general 65 "
                "% applies and no complement is paid either).",
            },
        },
    ],
    "act_tariffs": [
        {
            "code": "C",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "02c3fab213f444f6db21127fa3d6fff3f7386322ceac6bc9ef1510288f11b76a",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25 "
                "(23 € before 2017-05-01)",
            },
        },
        {
            "code": "G",
            "valid_from": "2017-05-01",
            "source": {
                "shipped_sha256": "0ff227bd1bcd33247daed576a80c90d4e6fe78848f3d6c394a51e84fba9ecea0",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25",
            },
        },
        {
            "code": "G",
            "valid_from": "2023-11-01",
            "source": {
                "shipped_sha256": "ff7ac9f106a31b156f3872ebad65595906af5cb38b19569049e422a72967c28f",
                "public": "agipi.com/?p=8603 (quoting the ameli note of 30/10/2023)",
            },
        },
        {
            "code": "G",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "5e5caacb010f7b0049495569540c6c8e0e8ca1d305743432bdc063a9ba295fc7",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes "
                "et spécialistes : ce qui change le 22 décembre 2024 » "
                "(22/12/2024); service-public.fr F17042 (vérifié le "
                "22/12/2024)",
            },
        },
        {
            "code": "GS",
            "valid_from": "2017-05-01",
            "source": {
                "shipped_sha256": "615783ae350a2d78d5727261972a51db21fbb527f1d28784d071127c748e5008",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25",
            },
        },
        {
            "code": "GS",
            "valid_from": "2023-11-01",
            "source": {
                "shipped_sha256": "615783ae350a2d78d5727261972a51db21fbb527f1d28784d071127c748e5008",
                "public": "agipi.com/?p=8603 (quoting the ameli note of 30/10/2023)",
            },
        },
        {
            "code": "GS",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "01e7420b865fd738a9ebebe5a53b87b82f52a57186f058787bbdaa1c8776ad5f",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes "
                "et spécialistes : ce qui change le 22 décembre 2024 » "
                "(22/12/2024); service-public.fr F17042 (vérifié le "
                "22/12/2024)",
            },
        },
        {
            "code": "VG",
            "valid_from": "2017-05-01",
            "source": {
                "shipped_sha256": "615783ae350a2d78d5727261972a51db21fbb527f1d28784d071127c748e5008",
                "public": "demarchesadministratives.fr/actualites/medecin-generaliste-la-consultation-passe-a-25",
            },
        },
        {
            "code": "VG",
            "valid_from": "2023-11-01",
            "source": {
                "shipped_sha256": "615783ae350a2d78d5727261972a51db21fbb527f1d28784d071127c748e5008",
                "public": "agipi.com/?p=8603 (quoting the ameli note of 30/10/2023)",
            },
        },
        {
            "code": "VG",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "01e7420b865fd738a9ebebe5a53b87b82f52a57186f058787bbdaa1c8776ad5f",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes "
                "et spécialistes : ce qui change le 22 décembre 2024 » "
                "(22/12/2024); service-public.fr F17042 (vérifié le "
                "22/12/2024)",
            },
        },
        {
            "code": "MEG",
            "valid_from": "2023-11-01",
            "source": {
                "shipped_sha256": "b7947d4c80dfae59d974ea414f001e7c779a71d1e9032fec830c2759fdf559d0",
                "public": "klesiamut.fr/fr/nouvelle-convention-medicale-2024 (G "
                "for a child under 6 = 35 €; was 31.50 €)",
            },
        },
        {
            "code": "APC",
            "valid_from": "2018-01-01",
            "source": {
                "shipped_sha256": "f6ea1c9bdc004cbcea7a7d45078b55459dfec97571b349297e8c5843250481ac",
                "public": "lecardiologue.com « L'APC aujourd'hui… et demain ? » "
                "(55 € until 2023-10-31; it dates the 55 € from "
                "2022-04-01: docs/sources.md §2.4)",
            },
        },
        {
            "code": "APC",
            "valid_from": "2023-11-01",
            "source": {
                "shipped_sha256": "03493da57303cac9cdb2d639efc3acc2dfc55bb958cd3c0aef67eca995deb4b1",
                "public": "aefinfo.fr (2023-05) and lequotidiendumedecin.fr: "
                "règlement arbitral published in the Journal officiel "
                "of 30/04/2023, APC 55 → 56.50 € on 2023-11-01; "
                "lecardiologue.com",
            },
        },
        {
            "code": "APC",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "127f33c246377e805ed2d673ed4554e7993c1f6ca25fbfea6dd559a9013690cd",
                "public": "ameli.fr/medecin/textes-reference/convention-medicale-2024-2029/essentiel; "
                "europe1.fr (2024-06)",
            },
        },
        {
            "code": "CSP",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "44d01da095a44c58cf0e3efee80c8d07424430c43a8cc27ffcc6f46bac634d5c",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes "
                "et spécialistes : ce qui change le 22 décembre 2024 » "
                "(22/12/2024), footnote 1",
            },
        },
        {
            "code": "CNPSY",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "3d46d2bc4fa97169318a3a5f95e4209ffc6176d27c33e5e33d39584a532a1dfc",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes "
                "et spécialistes : ce qui change le 22 décembre 2024 » "
                "(22/12/2024)",
            },
        },
        {
            "code": "CNPSY",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "3826e0ae72ab8edeffbd29e5373db23cef41ffc44e54ccbbf436350a56450646",
                "public": "europe1.fr (2024-06: amount); moneyvox.fr 2025-06 "
                "(Cnam to AFP: the 2025-07-01 step suspended by the "
                "comité d'alerte and applied on 2026-01-01); "
                "previssima.fr; geroscopie.fr",
            },
        },
        {
            "code": "CGYN",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "cb5fc1ad84bb7c1ac758724163b2275950a802f6f354aff1d091ecd10dc686be",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes "
                "et spécialistes : ce qui change le 22 décembre 2024 » "
                "(22/12/2024)",
            },
        },
        {
            "code": "CGYN",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "48a42a6eecaf6110f3c6a0bdc575aa04692d18ff20cb57cd3dea9e314a4a4013",
                "public": "europe1.fr (2024-06: amount); moneyvox.fr 2025-06 "
                "(Cnam to AFP: the 2025-07-01 step suspended by the "
                "comité d'alerte and applied on 2026-01-01); "
                "previssima.fr; geroscopie.fr",
            },
        },
        {
            "code": "CGER",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "ef173a5ade68a459fea764b3579aa85589630fc845cb031fec6e7bfeaa6887bc",
                "public": "ameli.fr actualité « Tarifs des médecins généralistes "
                "et spécialistes : ce qui change le 22 décembre 2024 » "
                "(22/12/2024)",
            },
        },
        {
            "code": "GL",
            "valid_from": "2026-01-01",
            "source": {
                "shipped_sha256": "45f147700732dd69d760ce70dc20da2b8bfa1d3dfd9ed57f906e9502d25795ab",
                "public": "ameli.fr/medecin/textes-reference/convention-medicale-2024-2029/essentiel; "
                "magnolia.fr; fmfpro.org",
            },
        },
        {
            "code": "TCG",
            "valid_from": "2024-12-22",
            "source": {
                "shipped_sha256": "6b56e24d7b395ca1f96573ea311080c9221ca8ca3896edb96808c4b505e9bcdb",
                "public": "klesiamut.fr/fr/nouvelle-convention-medicale-2024 (secondary)",
            },
        },
        {
            "code": "PH1",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "c6fe32468ee7e9ec743bddfac9f7a6c3aa21a250f445881e54c66e581efd1bd7",
                "public": "SNDS documentation, table ER_PHA_F "
                "(documentation-snds.health-data-hub.fr/tables/er_pha_f); "
                "mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "PH7",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "c6fe32468ee7e9ec743bddfac9f7a6c3aa21a250f445881e54c66e581efd1bd7",
                "public": "SNDS documentation, table ER_PHA_F "
                "(documentation-snds.health-data-hub.fr/tables/er_pha_f); "
                "mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "PH4",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "c6fe32468ee7e9ec743bddfac9f7a6c3aa21a250f445881e54c66e581efd1bd7",
                "public": "SNDS documentation, table ER_PHA_F "
                "(documentation-snds.health-data-hub.fr/tables/er_pha_f); "
                "mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "PH2",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "c6fe32468ee7e9ec743bddfac9f7a6c3aa21a250f445881e54c66e581efd1bd7",
                "public": "SNDS documentation, table ER_PHA_F "
                "(documentation-snds.health-data-hub.fr/tables/er_pha_f); "
                "mnt.fr/glossaire/medicaments (rates)",
            },
        },
        {
            "code": "AMB",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "832d68e256e01b30fc8dd51345586c210c9314cfd88208c29f8a0dec56d42519",
                "public": "ameli.fr frais de transport page (conditions; date "
                "read not recorded); tariffs are departmental "
                "(docs/sources.md §2.5)",
            },
        },
        {
            "code": "VSL",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "7965c07059679cbb80cfc252d2bf75aa13c7d1973e86b3dac1bbe100135cadd9",
                "public": "ameli.fr frais de transport page (conditions; date "
                "read not recorded); tariffs are departmental "
                "(docs/sources.md §2.5)",
            },
        },
        {
            "code": "TAX",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "7965c07059679cbb80cfc252d2bf75aa13c7d1973e86b3dac1bbe100135cadd9",
                "public": "ameli.fr frais de transport page (conditions; date "
                "read not recorded); tariffs are departmental "
                "(docs/sources.md §2.5)",
            },
        },
        {
            "code": "GHS",
            "valid_from": "2017-01-01",
            "source": {
                "shipped_sha256": "f40c7d836b3f719038d938f98f0346e453b1949a5a3b060b8717a897f9845c76",
                "public": "cnmss.fr (hospital stays at 80 %); no GHS tariff "
                "shipped, the line carries its base (docs/sources.md "
                "§2.5)",
            },
        },
    ],
}
