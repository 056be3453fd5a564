"""Consent on a person: who gives it (the person from 16, below a parent or guardian), when."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from cases.models import CaseEvent, Consent
from cases.selectors.case import valid_consent
from cases.services import case as services
from cases.services.case import CaseStepNotAllowed
from cases.tests.case_support import record_consent, victim, vt
from cases.tests.factories import make_case
from signals.tests.factories import person_input

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def years_ago(years: int, days: int = 0) -> date:
    return date(TODAY.year - years, TODAY.month, min(TODAY.day, 28)) - timedelta(days=days)


def case_with(world, **person):
    values = {"age_band": "", **person}
    return make_case(world, persons=[person_input(**values)])


def test_an_adult_gives_consent_herself(world):
    case = make_case(world)  # the victim is 23 to 29
    consent = record_consent(world, case)
    assert consent.given_by == "person"
    assert valid_consent(person=victim(case), day=TODAY) == consent
    assert CaseEvent.objects.filter(case=case, summary__startswith="Toestemming").count() == 1


def test_a_child_under_16_by_birth_date_does_not_give_consent_herself(world):
    case = case_with(world, birth_date=years_ago(15))
    with pytest.raises(ValidationError) as exc:
        record_consent(world, case, given_by="person")
    assert "jonger dan 16" in exc.value.message_dict["given_by"][0]
    assert not Consent.objects.exists()


def test_a_child_under_16_by_age_band_does_not_give_consent_herself(world):
    case = case_with(world, age_band="12-15")
    with pytest.raises(ValidationError):
        record_consent(world, case, given_by="person")


def test_a_parent_consents_for_a_child_under_16(world):
    case = case_with(world, birth_date=years_ago(15))
    assert record_consent(world, case, given_by="parent").given_by == "parent"


def test_a_parent_does_not_consent_for_a_16_year_old_with_a_known_birth_date(world):
    case = case_with(world, birth_date=years_ago(16, days=30))
    with pytest.raises(ValidationError) as exc:
        record_consent(world, case, given_by="guardian")
    assert "16 jaar of ouder" in exc.value.message_dict["given_by"][0]


def test_age_is_taken_on_the_day_consent_was_given(world):
    # 16 today, but 15 a month ago: then a parent gave it.
    case = case_with(world, birth_date=years_ago(16, days=10))
    consent = record_consent(world, case, given_by="parent", given_on=TODAY - timedelta(days=30))
    assert consent.given_by == "parent"


def test_with_only_an_estimated_16_or_17_a_parent_may_still_consent(world):
    case = case_with(world, age_band="16-17")
    assert record_consent(world, case, given_by="parent").given_by == "parent"


@pytest.mark.parametrize(
    "given_on",
    [TODAY + timedelta(days=1), years_ago(11)],
    ids=["in-the-future", "over-ten-years-ago"],
)
def test_a_date_out_of_range_is_refused(world, given_on):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        record_consent(world, case, given_on=given_on)
    assert "given_on" in exc.value.message_dict


def test_a_scope_is_required(world):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        record_consent(world, case, scope=" ")
    assert "scope" in exc.value.message_dict


def test_a_role_without_consent_rights_records_none(world):
    case = make_case(world)
    with pytest.raises(PermissionDenied):
        record_consent(world, case, actor=world.user(Role.MUNICIPAL_OFFICER))


def test_a_care_coordinator_records_consent_only_for_persons_of_its_cases(world):
    case = make_case(world)  # led by the municipality: the care coordinator does not see it
    with pytest.raises(PermissionDenied):
        record_consent(world, case, actor=world.user(Role.CARE_COORDINATOR))


def test_withdrawing_ends_the_validity(world):
    case = make_case(world)
    consent = record_consent(world, case)

    services.consent_withdraw(consent=consent, actor=vt(world), withdrawn_on=TODAY)

    assert valid_consent(person=victim(case), day=TODAY) is None
    assert valid_consent(person=victim(case), day=TODAY - timedelta(days=1)) == consent


def test_withdrawing_before_it_was_given_is_refused(world):
    case = make_case(world)
    consent = record_consent(world, case)
    with pytest.raises(ValidationError):
        services.consent_withdraw(
            consent=consent, actor=vt(world), withdrawn_on=consent.given_on - timedelta(days=1)
        )


def test_withdrawing_twice_is_refused(world):
    case = make_case(world)
    consent = record_consent(world, case)
    services.consent_withdraw(consent=consent, actor=vt(world), withdrawn_on=TODAY)
    with pytest.raises(CaseStepNotAllowed):
        services.consent_withdraw(consent=consent, actor=vt(world), withdrawn_on=TODAY)
