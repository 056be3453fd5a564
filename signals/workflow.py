"""The life cycle of a signal, as one table anyone can audit in a minute (DESIGN.md).

draft → submitted (to the Veilig Thuis register) → registered (VT intake, preliminary
classification) → scheduled (on a screening agenda) | acute (immediate consultation) →
screened (final classification, advice) → routed | closed. A municipality may instead close
its own draft as handled_internally.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Concept")
    SUBMITTED = "submitted", _("Ingediend bij Veilig Thuis")
    REGISTERED = "registered", _("Geregistreerd")
    SCHEDULED = "scheduled", _("Geagendeerd")
    ACUTE = "acute", _("Acuut overleg")
    SCREENED = "screened", _("Gescreend")
    ROUTED = "routed", _("Doorgeleid")
    CLOSED = "closed", _("Afgesloten")
    HANDLED_INTERNALLY = "handled_internally", _("Intern afgehandeld")


ALLOWED_TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.HANDLED_INTERNALLY}),
    Status.SUBMITTED: frozenset({Status.REGISTERED, Status.ACUTE}),
    Status.REGISTERED: frozenset({Status.SCHEDULED, Status.ACUTE, Status.SCREENED, Status.CLOSED}),
    Status.SCHEDULED: frozenset({Status.ACUTE, Status.SCREENED, Status.CLOSED, Status.REGISTERED}),
    Status.ACUTE: frozenset({Status.SCREENED, Status.ROUTED, Status.CLOSED}),
    Status.SCREENED: frozenset({Status.ROUTED, Status.CLOSED, Status.SCHEDULED}),
    Status.ROUTED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
    Status.HANDLED_INTERNALLY: frozenset(),
}

# Statuses in which the content of the signal (description, persons, places) may still be
# edited, and by whom: the sender edits only its draft; VT completes it during intake.
SENDER_EDITABLE = frozenset({Status.DRAFT})
REGISTER_EDITABLE = frozenset({Status.SUBMITTED, Status.REGISTERED, Status.SCHEDULED, Status.ACUTE})

# Statuses in which a signal sits in the Veilig Thuis register.
IN_REGISTER = frozenset(set(Status) - {Status.DRAFT, Status.HANDLED_INTERNALLY})
# Statuses in which a signal can be marked acute.
CAN_BECOME_ACUTE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.REGISTERED, Status.SCHEDULED})


class TransitionNotAllowed(Exception):
    """An illegal step in the life cycle; the message is shown to the user (Dutch)."""

    def __init__(self, message: str, *, current: str = "", target: str = ""):
        super().__init__(message)
        self.message = message
        self.current = current
        self.target = target


def check_transition(current: str, target: str) -> None:
    if Status(target) not in ALLOWED_TRANSITIONS[Status(current)]:
        raise TransitionNotAllowed(
            _("Een signaal met status '%(current)s' kan niet naar '%(target)s'.")
            % {"current": Status(current).label, "target": Status(target).label},
            current=current,
            target=target,
        )
