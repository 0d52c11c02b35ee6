"""Load the daily-allowance parameters (allowances/data/allowance_parameters.csv)."""

from django.db import migrations

from allowances.data import allowance_parameter_rows
from cpam_portal.models import load_parameter_rows


def load_allowance_parameters(apps, schema_editor):
    load_parameter_rows(apps.get_model("cpam_portal", "RuleParameter"), allowance_parameter_rows())


class Migration(migrations.Migration):
    dependencies = [
        ("allowances", "0003_staff_permissions"),
        ("cpam_portal", "0002_rule_parameters"),
    ]

    operations = [migrations.RunPython(load_allowance_parameters, migrations.RunPython.noop)]
