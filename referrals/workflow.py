"""The life cycle of a referral (DESIGN.md): draft → sent → accepted | declined → completed.

Veilig Thuis prepares and sends; the receiving organisation accepts or declines with a
reason, and completes an accepted referral with feedback ("terugkoppeling"). A declined or
completed referral is final; a new question is a new referral.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from signals.workflow import TransitionNotAllowed as SignalTransitionNotAllowed


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SENT = "sent", _("Verstuurd")
    ACCEPTED = "accepted", _("Geaccepteerd")
    DECLINED = "declined", _("Afgewezen")
    COMPLETED = "completed", _("Afgerond")


ALLOWED_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.DRAFT: frozenset({ReferralStatus.SENT}),
    ReferralStatus.SENT: frozenset({ReferralStatus.ACCEPTED, ReferralStatus.DECLINED}),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.COMPLETED: frozenset(),
}

# Where the receiving organisation still sees the shared fields.
SHARING_STATUSES = frozenset(
    {ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED}
)

# Where the receiving organisation has answered: the referral waits for nobody any more.
ANSWERED_STATUSES = frozenset(
    {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.COMPLETED}
)


class TransitionNotAllowed(SignalTransitionNotAllowed):
    """An illegal step in a referral's life cycle; the message is shown to the user (Dutch).

    A subclass of the signals' exception, so the API's one error mapping
    (``signals.api.errors.ServiceErrorsMixin``) answers it 409 like every other illegal step.
    """


# Steps with a reason of their own: the generic "from X to Y" would not tell the user why.
_REFUSALS: dict[tuple[ReferralStatus, ReferralStatus], str] = {
    (ReferralStatus.SENT, ReferralStatus.COMPLETED): _(
        "Een verwijzing die nooit is geaccepteerd, kan niet worden afgerond. "
        "Accepteer de verwijzing eerst, of wijs haar af met een reden."
    ),
    (ReferralStatus.DRAFT, ReferralStatus.COMPLETED): _(
        "Een verwijzing die nooit is geaccepteerd, kan niet worden afgerond: "
        "deze verwijzing is nog niet eens verstuurd."
    ),
    (ReferralStatus.DECLINED, ReferralStatus.COMPLETED): _(
        "Een afgewezen verwijzing kan niet worden afgerond: zij is nooit geaccepteerd."
    ),
    (ReferralStatus.DRAFT, ReferralStatus.ACCEPTED): _(
        "Deze verwijzing is nog een concept: zij kan pas worden geaccepteerd als zij is verstuurd."
    ),
    (ReferralStatus.DRAFT, ReferralStatus.DECLINED): _(
        "Deze verwijzing is nog een concept: zij kan pas worden afgewezen als zij is verstuurd."
    ),
}


def check_transition(current: str, target: str) -> None:
    current_status, target_status = ReferralStatus(current), ReferralStatus(target)
    if target_status in ALLOWED_TRANSITIONS[current_status]:
        return
    message = _REFUSALS.get((current_status, target_status)) or _(
        "Een verwijzing met status '%(current)s' kan niet naar '%(target)s'."
    ) % {"current": current_status.label, "target": target_status.label}
    raise TransitionNotAllowed(str(message), current=current, target=target)
