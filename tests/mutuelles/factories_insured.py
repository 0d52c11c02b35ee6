"""Helpers of the schema and route tests: the project's OpenAPI document, the URL patterns."""

import json
import re
from dataclasses import dataclass

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

API_VERSION = "1.0.0"  # as cpam_portal/urls.py serves the schema


def project_schema() -> dict:
    """The document `/api/v1/schema/` serves, built by the same generator and renderer."""
    generator = SchemaGenerator(api_version=API_VERSION)
    return json.loads(OpenApiJsonRenderer().render(generator.get_schema(request=None, public=True)))


# A variable of a route: <converter:name> (path()) or (?P<name>regex) (re_path(), routers).
VARIABLE = re.compile(r"<(?:[^>:]+:)?(?P<path_name>[^>]+)>|\(\?P<(?P<regex_name>[^>]+)>[^)]*\)")
# Values tried for every variable of a route, until the URL resolves back to the route.
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
SAMPLE_VALUES = ("1", "8b1f4e3a-2c5d-4f6e-9a7b-0c1d2e3f4a5b", "a", "ABC123")


@dataclass(frozen=True)
class Route:
    route: str  # "api/v1/mutuelle/members/<uuid:member_id>/" or a router's regex
    name: str  # "api-v1:mutuelle-member"
    callback: object

    @property
    def is_format_suffix(self) -> bool:
        """A router's `.json` twin of a route: not documented separately."""
        return "(?P<format>" in self.route

    @property
    def openapi_path(self) -> str:
        """The route as the schema writes it: /api/v1/mutuelle/members/{member_id}/."""
        path = VARIABLE.sub(
            lambda match: "{" + (match["path_name"] or match["regex_name"]) + "}", self.route
        )
        return "/" + path.replace("^", "").replace("$", "")

    def sample_url(self) -> str:
        """A URL this route answers: each variable replaced by the first sample value with which
        the URL resolves back to this route."""
        for value in SAMPLE_VALUES:
            url = re.sub(r"\{[^}]+\}", value, self.openapi_path)
            try:
                match = resolve(url)
            except Resolver404:
                continue
            if match.func is self.callback:
                return url
        raise AssertionError(f"no sample URL resolves to {self.name} ({self.route})")

    @property
    def methods(self) -> list[str]:
        """The HTTP methods the view answers (OPTIONS and HEAD aside)."""
        actions = getattr(self.callback, "actions", None)  # a ViewSet's route
        if actions:  # DRF adds "head" to it once the view has answered a GET
            return [method for method in HTTP_METHODS if method in actions]
        view_class = getattr(self.callback, "view_class", None) or getattr(
            self.callback, "cls", None
        )
        return [
            method
            for method in HTTP_METHODS
            if view_class is not None and hasattr(view_class, method)
        ]


def routes_under(prefix: str) -> list[Route]:
    """Every URL pattern of the project whose route starts with `prefix` ("api/v1/mutuelle/").

    `route` is the concatenation of the patterns' strings, from the root to the pattern.
    """
    found = []

    def walk(patterns, route_prefix: str, namespace: str) -> None:
        for pattern in patterns:
            route = route_prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}{pattern.namespace}:"
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern) and route.startswith(prefix):
                found.append(Route(route, f"{namespace}{pattern.name}", pattern.callback))

    walk(get_resolver().url_patterns, "", "")
    return found
