"""Load the shipped nomenclature and reimbursement parameters (reimbursements/data/*.csv).

The content lives in `reimbursements.nomenclature` (load_shipped_nomenclature,
load_shipped_parameters) so that a regenerated migration only has to call them.
"""

from django.db import migrations

from reimbursements.nomenclature import load_shipped_nomenclature, load_shipped_parameters


def load(apps, schema_editor):
    load_shipped_nomenclature(
        apps.get_model("reimbursements", "ActCode"), apps.get_model("reimbursements", "ActTariff")
    )
    load_shipped_parameters(apps.get_model("cpam_portal", "RuleParameter"))


class Migration(migrations.Migration):
    dependencies = [
        ("cpam_portal", "0002_rule_parameters"),
        ("reimbursements", "0001_initial"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
