"""The referrals API under ``/api/v1/referrals/`` (the signals API's layout, one room per concern).

- ``serializers``: input serializers parse a request into the services' input; output
  serializers render what the user may see (``selectors.referral_shared_view``).
- ``schema``: named enums, error shapes and examples for the OpenAPI document.
- ``viewsets``: a thin viewset calling ``referrals.selectors`` and ``referrals.services`` —
  the functions the HTML views call, so both enforce the same rules.
"""
