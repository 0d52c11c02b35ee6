"""Shipped data of the allowances app: the dated IJ parameters (see README.md here)."""

from pathlib import Path

from cpam_portal.parameters import ParameterTable, ParameterValue, read_parameter_csv

PARAMETERS_CSV = Path(__file__).resolve().parent / "allowance_parameters.csv"


def allowance_parameter_rows() -> list[ParameterValue]:
    """The rows a data migration loads into RuleParameter (and tests build a table from)."""
    return read_parameter_csv(PARAMETERS_CSV)


def shipped_parameter_table() -> ParameterTable:
    return ParameterTable(allowance_parameter_rows())
