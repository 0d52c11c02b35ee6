"""OpenAPI description of the mutuelle API's authentication (OAuth 2.0 client credentials).

drf-spectacular describes django-oauth-toolkit's `OAuth2Authentication` but not its subclasses;
this extension names ours, with the client-credentials flow and the scopes a client may ask for.
Imported by the app config (an extension registers itself when its class is defined).
"""

from django.urls import reverse
from drf_spectacular.contrib.django_oauth_toolkit import DjangoOAuthToolkitScheme

from mutuelles.scopes import SCOPES


class MutuelleTokenScheme(DjangoOAuthToolkitScheme):
    target_class = "mutuelles.api.base.MutuelleTokenAuthentication"
    name = "mutuelleOAuth2"

    def get_security_definition(self, auto_schema):
        return {
            "type": "oauth2",
            "flows": {
                "clientCredentials": {
                    "tokenUrl": reverse("api-v1:oauth-token"),
                    "scopes": {scope: str(text) for scope, text in SCOPES.items()},
                }
            },
        }
