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


PAGE_NOT_FOUND = {
    "description": "The page does not exist (below 1 or past the last page).",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}
INVALID_CURSOR = {
    "description": "The cursor is not one from a next or previous link: field -> messages.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            }
        }
    },
}


def document_pagination(result, generator, request, public):
    """What DRF's pagination does with its query parameter, written into the schema once.

    Page numbers: a page that does not exist (``?page=0``, past the last page) answers 404
    ``{"detail": "Ongeldige pagina."}``, and an empty ``?page=`` is the first page. Cursors: a
    cursor that is not one of ours answers 400 ``{"cursor": [...]}``. A postprocessing hook
    documents this for every list with such a parameter, so a new list cannot forget it.
    """
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict):
                continue
            query = {
                p.get("name"): p for p in operation.get("parameters", []) if p.get("in") == "query"
            }
            responses = operation.setdefault("responses", {})
            if "page" in query:
                query["page"]["allowEmptyValue"] = True
                responses.setdefault("404", PAGE_NOT_FOUND)
            if "cursor" in query:
                responses.setdefault("400", INVALID_CURSOR)
    return result
