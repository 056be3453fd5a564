"""Background work of the follow-up: the hourly reminders (beat: ``cases.tasks.send_reminders``).

Three kinds of reminder, each once per event however often the task runs:

- an action past its due date → the users of the action's owner organisation who lead cases
  (``cases.lead_case``); a new due date is a new event;
- a reflection period that ends within ``REFLECTION_REMINDER_DAYS`` → the care coordinators
  of the organisation coordinating the trajectory; a corrected start is a new event;
- a shelter stay over its type's limit (an emergency bed over 14 days) → the same care
  coordinators, once per placement.

Idempotent through ``cases.models.Reminder`` (``cases.services.reminder``): the key is inserted
in the same transaction as the notices, so a failure or a killed worker rolls the key back
and the next run (or the broker's second delivery) tries again, and a second run finds the
key and sends nothing; the e-mail is claimed before it is sent, so it never goes twice. A
notice or e-mail carries a reference and a link, never personal data (the case reference is
a number, not a person).
"""

from __future__ import annotations

from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.audit import acting_as
from accounts.models import User
from accounts.roles import ROLE_PERMISSIONS, Role

from .models import Action, Placement, Trajectory
from .selectors.trajectory import placements_over_limit
from .services.reminder import reminder_send
from .workflow import CaseStatus, Phase

TASK_PATH = "task:cases.send_reminders"


def _roles_with(permission: str) -> list[str]:
    return [role.value for role, perms in ROLE_PERMISSIONS.items() if permission in perms]


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return reverse("accounts:home")


def _coordinators(organisation_ids: set[int]) -> dict[int, list[User]]:
    by_org: dict[int, list[User]] = {}
    for user in User.objects.filter(
        is_active=True, role=Role.CARE_COORDINATOR, organisation_id__in=organisation_ids
    ):
        by_org.setdefault(user.organisation_id, []).append(user)
    return by_org


# --- the three kinds ----------------------------------------------------------------------------


def overdue_action_reminders(today: date) -> int:
    actions = list(
        Action.objects.filter(
            done_at__isnull=True, due_date__lt=today, case__status=CaseStatus.OPEN
        ).select_related("case")
    )
    leads = _roles_with("cases.lead_case")
    recipients: dict[int, list[User]] = {}
    for user in User.objects.filter(
        is_active=True,
        role__in=leads,
        organisation_id__in={a.owner_organisation_id for a in actions},
    ):
        recipients.setdefault(user.organisation_id, []).append(user)
    sent = 0
    for action in actions:
        users = recipients.get(action.owner_organisation_id, [])
        if not users:
            continue
        reference = action.case.reference
        url = (
            _url("cases:detail", public_id=action.case.public_id)
            if action.case.lead_organisation_id == action.owner_organisation_id
            else _url("cases:my_actions")
        )
        sent += reminder_send(
            key=f"action-overdue:{action.public_id}:{action.due_date.isoformat()}",
            recipients=users,
            message=_("Een actie bij casus %(ref)s is over de uiterste datum (%(due)s).")
            % {"ref": reference, "due": date_format(action.due_date, "j F Y")},
            subject=_("Actie over datum: casus %(ref)s") % {"ref": reference},
            url=url,
        )
    return sent


def reflection_reminders(today: date) -> int:
    days = settings.REFLECTION_REMINDER_DAYS
    # The end is three months after the start; a start this far back ends within ``days``.
    candidates = (
        Trajectory.objects.exclude(phase=Phase.CLOSED)
        .filter(reflection_start__isnull=False, reflection_start__gte=today - timedelta(days=100))
        .select_related("case")
    )
    due = [
        t
        for t in candidates
        if t.reflection_end and today <= t.reflection_end <= today + timedelta(days=days)
    ]
    coordinators = _coordinators({t.coordinator_organisation_id for t in due})
    sent = 0
    for trajectory in due:
        reference = trajectory.case.reference
        sent += reminder_send(
            key=f"reflection-ending:{trajectory.public_id}:{trajectory.reflection_start.isoformat()}",
            recipients=coordinators.get(trajectory.coordinator_organisation_id, []),
            message=_("De bedenktijd in een zorgtraject bij casus %(ref)s eindigt op %(end)s.")
            % {"ref": reference, "end": date_format(trajectory.reflection_end, "j F Y")},
            subject=_("Bedenktijd eindigt: casus %(ref)s") % {"ref": reference},
            url=_url("trajectories:detail", public_id=trajectory.public_id),
        )
    return sent


def shelter_stay_reminders(today: date) -> int:
    placements: list[Placement] = list(
        placements_over_limit(today=today).select_related("trajectory__case")
    )
    coordinators = _coordinators({p.trajectory.coordinator_organisation_id for p in placements})
    sent = 0
    for placement in placements:
        trajectory = placement.trajectory
        reference = trajectory.case.reference
        sent += reminder_send(
            key=f"shelter-over-limit:{placement.public_id}",
            recipients=coordinators.get(trajectory.coordinator_organisation_id, []),
            message=_(
                "Een opvangplaatsing (%(type)s) in een zorgtraject bij casus %(ref)s duurt "
                "langer dan %(days)s dagen."
            )
            % {
                "type": placement.get_shelter_type_display(),
                "ref": reference,
                "days": placement.limit_days(),
            },
            subject=_("Opvang langer dan bedoeld: casus %(ref)s") % {"ref": reference},
            url=_url("trajectories:detail", public_id=trajectory.public_id),
        )
    return sent


def reminders_send(*, today: date | None = None) -> dict[str, int]:
    """All reminders due today; returns how many of each were sent (0 on a second run)."""
    today = today or timezone.localdate()
    with acting_as(None, path=TASK_PATH):
        return {
            "overdue_actions": overdue_action_reminders(today),
            "reflection_periods": reflection_reminders(today),
            "shelter_stays": shelter_stay_reminders(today),
        }


@shared_task(bind=True, max_retries=5, default_retry_delay=60)
def send_reminders(self) -> dict[str, int]:
    """Hourly (beat): overdue actions, reflection periods ending, shelter stays over their limit."""
    return reminders_send()
