"""Which model permission each API action needs, declared per viewset (Open Zaak style).

A viewset states ``required_permissions = {"list": "signals.view_signal", ...}``; an action
without a row is refused (deny by default). The permissions come from the role map in
``accounts.roles``; *which* signals a user may act on is the selectors' business.

Actions on one signal are checked on the object, that is after ``get_object()`` found it
through the selector: a signal the user may not see answers 404 whatever the user's role,
exactly as a signal that does not exist (SECURITY.md "Access"). DRF calls
``has_object_permission`` only from ``get_object()``, so every detail action goes through it.
"""

from __future__ import annotations

from rest_framework.permissions import BasePermission


class RequiredPermissions(BasePermission):
    message = "U heeft geen toestemming voor deze handeling."

    @staticmethod
    def _allowed(request, view) -> bool:
        required = getattr(view, "required_permissions", {}).get(view.action)
        if required is None:
            return False
        perms = (required,) if isinstance(required, str) else tuple(required)
        return request.user.has_perms(perms)

    def has_permission(self, request, view) -> bool:
        if view.action is None:
            # A method the route does not offer (PATCH, DELETE): no handler runs, DRF answers
            # 405, which says more than 403 would.
            return True
        if getattr(view, "detail", False):
            # Checked in has_object_permission, once the selector answered 404 or the object.
            return True
        return self._allowed(request, view)

    def has_object_permission(self, request, view, obj) -> bool:
        return self._allowed(request, view)
