"""Permission-matrix rows for the privacy officer's pages (``reporting.privacy_urls``).

Same vocabulary as ``tests/permission_matrix.py``. Only the privacy officer may use them; the
gate is its permission in ``accounts.roles``. Persons are found in the user's own region only:
a public id of another region answers 404 (``test_privacy_subject_access``).
"""

from __future__ import annotations

from accounts.roles import Role
from tests.permission_matrix import Ctx, Method, Ok, Row, roles_with

PRIVACY = frozenset({Role.PRIVACY_OFFICER})
REQUESTS = roles_with("accounts.handle_subject_requests")
TOMBSTONES = roles_with("accounts.view_tombstone")


def _person(ctx: Ctx):
    from signals.models import Person
    from signals.validation import normalise

    name = "Matrix Persoon"
    return Person.objects.create(
        region=ctx.world.region, name=name, normalised_name=normalise(name)
    )


def _search(ctx: Ctx) -> dict:
    _person(ctx)
    return {"name": "Matrix Persoon"}


def _export(ctx: Ctx) -> dict:
    return {"persons": [str(_person(ctx).public_id)], "format": "json"}


def _erase(ctx: Ctx) -> dict:
    # A person without records: nothing stops the erasure, which anonymises the person.
    return {
        "persons": [str(_person(ctx).public_id)],
        "reason": "Verzoek van betrokkene, identiteit gecontroleerd.",
        "confirm": "on",
    }


ROWS: list[Row] = [
    Row(
        "privacy:search",
        gate=REQUESTS,
        allowed=PRIVACY,
        get=Method(Ok(200)),
        # A search reads (and logs) but changes nothing.
        post=Method(Ok(200), data=_search, changes=False),
    ),
    Row("privacy:export", gate=REQUESTS, allowed=PRIVACY, post=Method(Ok(200), data=_export)),
    Row(
        "privacy:erase",
        gate=REQUESTS,
        allowed=PRIVACY,
        post=Method(Ok(302, "privacy:tombstones"), data=_erase),
    ),
    Row("privacy:tombstones", gate=TOMBSTONES, allowed=PRIVACY, get=Method(Ok(200))),
    Row("privacy:tombstones_export", gate=TOMBSTONES, allowed=PRIVACY, get=Method(Ok(200))),
]
