"""The register in the browser counts at most 1,000 rows and pages on past them."""

from django.urls import reverse

from accounts import pagination
from accounts.roles import Role
from accounts.tests.pagination_support import counts_over, is_bounded
from signals import views
from signals.tests.factories import make_signal

URL = reverse("signals:list")


def rows(html: str) -> int:
    return html.count('<th scope="row">')


def test_it_says_more_than_the_limit_and_pages_on(world, login, monkeypatch):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    for _ in range(5):
        make_signal(officer)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = login(officer)

    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()
    third = client.get(URL, {"page": 3}).content.decode()

    assert "Meer dan 3 signalen" in first
    assert "Pagina 1<" in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert rows(first) == 2
    assert 'rel="next"' in second and 'rel="prev"' in second
    assert rows(third) == 1 and 'rel="next"' not in third
    # Past the end: the first page again, as for any page number that does not exist.
    assert rows(client.get(URL, {"page": 9}).content.decode()) == 2


def test_it_shows_the_exact_count_up_to_the_limit(world, login, monkeypatch):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    for _ in range(3):
        make_signal(officer)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    html = login(officer).get(URL).content.decode()
    assert "3 signalen" in html
    assert "Meer dan" not in html


def test_the_count_reads_at_most_the_limit_plus_one_row(world, login):
    make_signal(world.user(Role.MUNICIPAL_OFFICER))
    client = login(world.user(Role.VT_STAFF))
    register_counts = counts_over("signals_signal", lambda: client.get(URL))
    assert len(register_counts) == 1
    assert is_bounded(register_counts[0])
