"""What a login with both factors leaves in a session, for clients that skip the login pages:
the test suite's (``conftest.verified_client``) and the benchmarks' (``tests/bench``)."""

from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.middleware import SESSION_LOGIN_AT


def mark_verified(session, device) -> None:
    """The second factor passed with ``device``, just now (the session's login time)."""
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_LOGIN_AT] = timezone.now().isoformat()
