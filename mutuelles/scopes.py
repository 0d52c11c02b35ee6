"""The OAuth 2.0 scopes of the mutuelle API, and the backend that grants each client its own.

django-oauth-toolkit asks its scopes backend which scopes an application may obtain; ours answers
with the scopes staff gave that client, so a client asking for more gets `invalid_scope`.
"""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import SettingsScopes

MEMBERS_WRITE = "members:write"
STATEMENTS_READ = "statements:read"
STATEMENTS_ACK = "statements:ack"
ELIGIBILITY_READ = "eligibility:read"

SCOPES = {
    MEMBERS_WRITE: _("Déclarer et mettre fin aux contrats de ses adhérents"),
    STATEMENTS_READ: _("Lire les décomptes de ses adhérents"),
    STATEMENTS_ACK: _("Accuser réception des décomptes ou les rejeter"),
    ELIGIBILITY_READ: _("Vérifier les droits au régime obligatoire de ses adhérents"),
}


def allowed_scopes(application) -> list[str]:
    """The scopes staff granted the client behind `application` (none when it is disabled)."""
    client = getattr(application, "mutuelle_client", None)
    if client is None or not client.is_active or not client.mutuelle.is_active:
        return []
    return [scope for scope in client.scope_list if scope in SCOPES]


class ClientScopes(SettingsScopes):
    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:
            return list(SCOPES)
        return allowed_scopes(application)

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        # A token request without `scope` gets every scope the client was granted.
        if application is None:
            return []
        return allowed_scopes(application)
