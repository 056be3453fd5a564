"""API authentication: verified browser sessions and hashed integration tokens.

Kept apart from the viewsets: DRF imports these classes while it is still loading itself.
"""

from __future__ import annotations

from knox.auth import TokenAuthentication
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from .audit import bind_user


class VerifiedSessionAuthentication(SessionAuthentication):
    """Browser sessions count only when both login factors were given.

    The session middleware already ends sessions without a verified second factor; this is
    the same rule at the API's door, so no path into the API skips it.
    """

    def authenticate(self, request: Request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = request._request.user
        if not user.is_verified():
            return None
        return result

    def authenticate_header(self, request: Request) -> str:
        # DRF answers a refused request with the header of the *first* authentication class;
        # SessionAuthentication has none, which turns every "not logged in" into 403. Name
        # the token scheme instead, so missing, revoked or inactive credentials answer 401.
        return AuditedTokenAuthentication().authenticate_header(request)


class AuditedTokenAuthentication(TokenAuthentication):
    """Knox tokens (stored hashed); the user is bound to the audit context of the request."""

    def authenticate(self, request: Request):
        result = super().authenticate(request)
        if result is not None:
            bind_user(result[0])
        return result
