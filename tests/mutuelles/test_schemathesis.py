"""Schemathesis against the project's own OpenAPI schema, in-process
(docs/reliability.md#api-schema-checks).

Every operation the schema documents (the mutuelle API, the directory, the simulators...) gets
generated requests, valid and invalid, carrying the bearer token of a mutuelle client granted
every scope: no request may end in a server error, and the mutuelle API's answers must all be
documented (status code, content type, body schema). The examples per operation are bounded
(EXAMPLES_PER_OPERATION) so the whole run stays well under a minute.

Requests run inside the test's transaction (the `db` fixture rolls everything back after each
operation); the on-commit callbacks a request schedules (task enqueues) are run after it, so a
failure there is caught too.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cpam_portal.wsgi import application
from mutuelles.services.release import release_transmissions
from tests.mutuelles.factories import bearer_token, member_of, mutuelle_client, paid_transmissions
from tests.mutuelles.factories_insured import project_schema
from tests.reimbursements.factories import rules_from_files  # noqa: F401

SCHEMA_URL = "/api/v1/schema/?format=json"
# Per operation and per generation mode (valid data, invalid data).
EXAMPLES_PER_OPERATION = 25
MUTUELLE_API = "/api/v1/mutuelle/"
# Everywhere: no server error.
CHECKS = [not_a_server_error]
# The mutuelle API documents every answer it gives, problem documents included: the status
# code, the content type and the body. The other APIs do not (the directory's 404s, the
# simulators' problem+json content type and their parse-error problems without
# `invalid_params`): they get the server-error check only.
STRICT_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The document `/api/v1/schema/` serves, built by the same generator and renderer when the module
# is collected: schemathesis' fixture-based lazy loader does not run under pytest 9 (it reads a
# private attribute of the test item that pytest removed), and at collection there is no
# database to answer a request. A test below checks the served document is this one.
schema = schemathesis.openapi.from_dict(project_schema())
schema.app = application  # in-process WSGI calls, as `from_wsgi` sets it
schema.location = SCHEMA_URL


@pytest.fixture
def in_the_test_transaction(db):
    """The WSGI handler closes the database connection at the start and end of each request
    (`close_old_connections`), which would end the test's transaction; Django's test client
    disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_fuzzed_schema_is_the_one_served(client, db):
    response = client.get(SCHEMA_URL)
    assert response.status_code == 200
    assert response.json() == project_schema()
    assert schema.raw_schema["paths"], "no operation to fuzz"


@pytest.fixture
def mutuelle_authorization(in_the_test_transaction, rules_from_files):  # noqa: F811
    """The headers of a client granted every scope, whose mutuelle has a member with released
    statements (so the scoped querysets and the feed are not empty: their documents are checked
    against the schema); a second mutuelle has its own."""
    client, _secret = mutuelle_client()
    paid_transmissions(member_of(client.mutuelle), 2)
    paid_transmissions(member_of(mutuelle_client()[0].mutuelle), 1)
    release_transmissions()
    return {"Authorization": f"Bearer {bearer_token(client)}"}


def operations() -> list[tuple[str, str]]:
    """(method, path) of every operation of the schema; an operation the schema cannot describe
    is an error here, not a silent omission."""
    found = []
    for result in schema.get_all_operations():
        operation = result.ok()  # raises on an operation schemathesis cannot read
        found.append((operation.method.upper(), operation.path))
    return found


# Parametrized here rather than with `schema.parametrize()`: schemathesis gives all its items the
# same node id under pytest 9, and pytest-xdist then runs only one of them.
@pytest.mark.parametrize(
    ("method", "path"), operations(), ids=[f"{m} {p}" for m, p in operations()]
)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_a_server_error_or_off_schema(
    method, path, mode, mutuelle_authorization, django_capture_on_commit_callbacks
):
    operation = schema[path][method.lower()]
    checks = STRICT_CHECKS if path.startswith(MUTUELLE_API) else CHECKS

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def answers_within_the_schema(case):
        with django_capture_on_commit_callbacks(execute=True):
            response = case.call(headers=mutuelle_authorization)
        case.validate_response(response, checks=checks, headers=mutuelle_authorization)

    try:
        answers_within_the_schema()
    except Unsatisfiable:
        # Every input of the operation accepts any string (a path segment, optional query
        # strings): there is no invalid request to generate for it.
        assert mode == GenerationMode.NEGATIVE
