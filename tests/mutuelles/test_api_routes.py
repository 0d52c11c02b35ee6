"""Every route of the API, walked from the URL resolver: documented, and closed to strangers.

The walk reads the URLconf rather than a list kept by hand, so a route added to
`mutuelles/api/urls.py` is checked without anyone remembering to add it here
(docs/reliability.md#api-schema-checks).
"""

import re

import pytest
from django.urls import URLPattern, URLResolver

from cpam_portal.problems import PROBLEM_CONTENT_TYPE
from mutuelles.api import urls as mutuelle_urls
from tests.mutuelles.factories_insured import project_schema, routes_under

MUTUELLE_API = "api/v1/mutuelle/"
# Routes of /api/v1/ that are not API operations of the schema: the schema itself, its
# viewer, and the OAuth 2.0 endpoints (RFC 6749 forms, served by django-oauth-toolkit).
NOT_IN_THE_SCHEMA = {"api-v1:schema", "api-v1:docs", "api-v1:oauth-token", "api-v1:oauth-revoke"}


def declared_names(patterns) -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= declared_names(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            names.add(pattern.name)
    return names


def mutuelle_routes():
    return [route for route in routes_under(MUTUELLE_API) if not route.is_format_suffix]


def template(path: str) -> str:
    """A path with its variables unnamed (the schema writes a router's `pk` as `id`)."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def undocumented(routes, schema: dict) -> list[str]:
    documented = {
        (template(path), method)
        for path, operations in schema["paths"].items()
        for method in operations
    }
    return [
        f"{method.upper()} {route.openapi_path} ({route.name})"
        for route in routes
        for method in route.methods
        if (template(route.openapi_path), method) not in documented
    ]


def test_the_walk_finds_every_route_the_mutuelle_api_declares():
    walked = routes_under(MUTUELLE_API)
    assert sorted(route.name for route in walked) == sorted(
        f"api-v1:{name}" for name in declared_names(mutuelle_urls.urlpatterns)
    )
    assert all(route.name.startswith("api-v1:mutuelle-") for route in walked)
    # The walker itself, on the routes next door.
    assert {route.name for route in routes_under("api/v1/oauth/")} == {
        "api-v1:oauth-token",
        "api-v1:oauth-revoke",
    }


def test_every_api_route_is_in_the_schema():
    routes = [
        route
        for route in routes_under("api/v1/")
        if not route.is_format_suffix and route.name not in NOT_IN_THE_SCHEMA
    ]
    assert any(route.route.startswith("api/v1/directory/") for route in routes)  # walked
    assert undocumented(routes, project_schema()) == []


@pytest.mark.django_db
def test_an_anonymous_caller_gets_a_401_problem_on_every_mutuelle_route(client):
    refused = []
    for route in mutuelle_routes():
        url = route.sample_url()
        for method in route.methods:
            if method == "get":
                response = client.get(url)
            else:
                response = getattr(client, method)(url, data={}, content_type="application/json")
            if (
                response.status_code != 401
                or response["Content-Type"] != PROBLEM_CONTENT_TYPE
                or not response.get("WWW-Authenticate", "").startswith("Bearer")
            ):
                refused.append(
                    f"{method.upper()} {url}: {response.status_code} {response['Content-Type']}"
                )
    assert refused == []
