"""Problem details (RFC 9457) for every API endpoint that refuses a request.

One shape for every API consumer: a client that handles the care-sheet simulator's errors
handles the daily-allowance simulator's, and the next endpoints', with the same code. Each
endpoint keeps its own title and detail; the invalid fields always come as `invalid_params`.

RFC 9457 names its example extension member `invalid-params`; ours is written `invalid_params`,
with an underscore like every other key of our JSON. Each entry is {name, code, reason}: `name`
is the field's path in the request ("lines[0].act_code"), `code` a stable code a program can
test, `reason` the message for a person, in the request's language.

drf-spectacular turns a class docstring into the schema's description, untranslated: notes on
the serializers are comments, and the documented texts are translated help_texts.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.response import Response

PROBLEM_CONTENT_TYPE = "application/problem+json"
# The type of every "the request's data is invalid" problem. RFC 9457 reserves "about:blank"
# for problems whose title is the HTTP status phrase; ours have their own titles. A URN, not an
# https address: the portal may run under any domain, and a type need not be dereferenceable
# (RFC 9457 §3.1.1); it only has to be stable for clients to test.
INVALID_DATA_TYPE = "urn:cpam-portal:problem:invalid-data"
# The name of an error about the request as a whole (a body that is not a JSON object...).
REQUEST = "request"


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text=gettext_lazy("Chemin du champ : « lines[0].act_code »."))
    code = serializers.CharField(help_text=gettext_lazy("Code stable de l'erreur."))
    reason = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    # Documentation only: problem_response builds the body.
    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    invalid_params = InvalidParamSerializer(many=True, required=False)


def invalid_param(name: str, code: str, reason: str) -> dict[str, str]:
    return {"name": name, "code": str(code), "reason": str(reason)}


def invalid_params_from_errors(errors, name: str = "") -> list[dict[str, str]]:
    """DRF's nested serializer errors as one {name, code, reason} per message.

    Names are paths: "beneficiary.birth_date", "lines[0].act_code", "exemptions[1]". DRF keys a
    ListField's errors by index in a dict and leaves {} for the valid items of a many=True list;
    both come out as "[index]" paths, and valid items give nothing.
    """
    if isinstance(errors, dict):
        found = []
        for key, value in errors.items():
            if key == "non_field_errors":
                child = name or REQUEST
            elif isinstance(key, int):
                child = f"{name}[{key}]"
            else:
                child = f"{name}.{key}" if name else key
            found += invalid_params_from_errors(value, child)
        return found
    if isinstance(errors, list):
        found = []
        for index, item in enumerate(errors):
            if isinstance(item, dict | list):  # one entry per item of a list of objects
                found += invalid_params_from_errors(item, f"{name}[{index}]")
            else:  # several messages for the same field
                found += invalid_params_from_errors(item, name)
        return found
    return [invalid_param(name or REQUEST, getattr(errors, "code", None) or "invalid", errors)]


def problem_response(
    title: str, invalid_params: list[dict[str, str]], *, detail: str | None = None, status=400
) -> Response:
    """The problem document; without a detail, it names the invalid fields."""
    if detail is None:
        names = ", ".join(dict.fromkeys(param["name"] for param in invalid_params))
        detail = _("Corrigez les champs suivants : %(names)s.") % {"names": names}
    body = {
        "type": INVALID_DATA_TYPE,
        "title": str(title),
        "status": status,
        "detail": str(detail),
        "invalid_params": invalid_params,
    }
    return Response(body, status=status, content_type=PROBLEM_CONTENT_TYPE)
