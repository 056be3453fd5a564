"""Two partners typing at the same time: neither contribution is lost, neither waits."""

import threading

import pytest
from django.db import connection, transaction

from accounts.roles import Role
from screening import services
from screening.models import PartnerInput
from screening.tests.factories import meeting_in_session


@pytest.mark.django_db(transaction=True)
def test_it_keeps_both_contributions_when_two_partners_add_input_at_once(world):
    _meeting, (item,) = meeting_in_session(world)
    partners = [world.user(Role.AVIM), world.user(Role.CARE_COORDINATOR)]
    start = threading.Barrier(len(partners))
    # Both transactions have written before either commits: if adding input locked the
    # item (or anything else both share), the second would block here and time out.
    written = threading.Barrier(len(partners))
    errors: list[BaseException] = []

    def contribute(partner):
        try:
            start.wait(timeout=10)
            with transaction.atomic():
                services.partner_input_add(
                    item=item, actor=partner, text=f"Inbreng van {partner.organisation.name}"
                )
                written.wait(timeout=10)
        except BaseException as exc:  # reported to the test thread below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=contribute, args=(p,)) for p in partners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(PartnerInput.objects.filter(item=item).values_list("author_id", flat=True)) == (
        sorted(p.pk for p in partners)
    )
    assert item.signal.events.filter(kind="note").count() == 2
