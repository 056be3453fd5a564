"""The signals API under ``/api/v1/signals/`` (Open Zaak's layout: one room per concern).

- ``serializers``: input serializers parse and shape a request into the services' input
  dataclasses; output serializers render; no business logic in either (STYLE.md rule 8).
- ``filters``: the list's query parameters, parsed into ``selectors.SignalFilters``.
- ``permissions``: the declared action → model permission table, checked after the selector
  found the object (another organisation's signal answers 404, never 403).
- ``errors``: the services' exceptions mapped to HTTP in one place (400, 403, 409).
- ``schema``: OpenAPI examples, error shapes and the authentication schemes.
- ``viewsets``: thin viewsets calling ``signals.selectors`` and ``signals.services`` — the same
  functions the HTML views call, so both enforce the same rules.
"""
