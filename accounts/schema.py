"""drf-spectacular descriptions of the project's own authentication classes.

Registered on import (from ``AccountsConfig.ready``); without them every endpoint of the
schema warns that it cannot describe how to authenticate.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object


class VerifiedSessionScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.VerifiedSessionAuthentication"
    name = "sessionAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The browser session, after login with password and verification "
            "code. Changes also need the CSRF token (header X-CSRFToken).",
        }


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.AuditedTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        definition = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )
        definition["description"] = (
            "An integration token issued per user by an administrator: "
            "`Authorization: Token <key>`. Revocable."
        )
        return definition
