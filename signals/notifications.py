"""The acute alert: who is told, and the guarantee that it happens once per signal."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import acting_as
from accounts.models import User
from accounts.roles import Role
from accounts.services import notification_send

from .models import Signal

ACUTE_RECIPIENT_ROLES = (Role.VT_STAFF, Role.VT_OFFICER, Role.AVIM)


def acute_alert_send(*, signal_id: int, actor_id: int | None) -> int:
    """Returns the number of people notified; 0 when the alert was already sent."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    with acting_as(actor, path="task:send_acute_alert"), transaction.atomic():
        # The row lock makes a second run (retry, duplicate delivery) wait and then see sent_at.
        signal = Signal.objects.select_for_update().get(pk=signal_id)
        if signal.acute_alert_sent_at is not None:
            return 0
        recipients = list(
            User.objects.filter(
                is_active=True,
                role__in=ACUTE_RECIPIENT_ROLES,
                organisation__region_id=signal.region_id,
            )
        )
        url = reverse("signals:detail", kwargs={"public_id": signal.public_id})
        # No personal data in a notice or an e-mail: the reference and a link, nothing more.
        message = _("Acuut signaal %(ref)s: direct overleg nodig.") % {"ref": signal.reference}
        notification_send(
            recipients=recipients, key=f"acute:{signal.public_id}", message=message, url=url
        )
        signal.acute_alert_sent_at = timezone.now()
        signal.save(update_fields=["acute_alert_sent_at"])
        emails = [u.email for u in recipients if u.email]
        if emails:
            body = _(
                "Er staat een acuut signaal (%(ref)s) in het register van de meldroute mensenhandel.\n"
                "Bekijk het direct: %(url)s\n"
            ) % {"ref": signal.reference, "url": settings.SITE_URL.rstrip("/") + url}
            # Sent inside the transaction: if mailing fails, sent_at is rolled back and the retry mails again.
            send_mail(_("Acuut signaal %(ref)s") % {"ref": signal.reference}, body, None, emails)
        return len(recipients)
