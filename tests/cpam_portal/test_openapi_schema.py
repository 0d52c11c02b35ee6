"""The OpenAPI schema generates without a warning, so a future clash fails the suite.

drf-spectacular names a component after its serializer class: two apps' serializers with the
same name ("SimulationResult") make one component silently replace the other in the schema.
It only warns, and `check --deploy` reports the warning in production; here it fails the tests.
"""

from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.management.commands.spectacular import SchemaGenerationError


def generate(tmp_path, *options):
    GENERATOR_STATS.reset()  # the warnings of an earlier generation in this process
    try:
        call_command("spectacular", "--fail-on-warn", "--file", tmp_path / "schema.yml", *options)
    except SchemaGenerationError:
        return [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    finally:
        GENERATOR_STATS.reset()
    return []


def test_the_schema_generates_valid_and_without_warnings(tmp_path):
    problems = generate(tmp_path, "--validate")

    assert problems == [], "\n".join(problems)
    schema = (tmp_path / "schema.yml").read_text()
    for component in ("Problem", "InvalidParam", "CareSheetSimulationResult"):
        assert f"\n    {component}:\n" in schema, component
    assert "\n    DailyAllowanceSimulationResult:\n" in schema


def test_two_serializers_with_the_same_name_fail_the_schema_test(tmp_path):
    problems = generate(tmp_path, "--urlconf", "tests.cpam_portal.schema_clash_urls")

    assert len(problems) == 1
    assert 'identical names "SimulationResult"' in problems[0]
