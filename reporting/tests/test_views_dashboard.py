"""The dashboard page: who sees what, suppression on the page, bad filters, the queries."""

from __future__ import annotations

from accounts.models import AuditLogEntry
from accounts.roles import Role

from .support import html_count_cells, html_table, is_small

URL = "/rapportage/"


def test_the_analyst_sees_no_count_from_one_to_four(ds, login):
    response = login(ds.world.user(Role.POLICY_ANALYST)).get(URL, {"year": "2025"})

    html = response.content.decode()
    assert response.status_code == 200
    cells = html_count_cells(html)
    assert len(cells) > 100
    assert not [c for c in cells if is_small(c)]
    assert html_table(html, "signals_by_source")["avim"] == ["&lt;5"]
    assert html_table(html, "signals_by_source")["external_care_safety"] == ["x"]
    assert "aantallen van 1 tot en met 4 staan als &lt;5" in html


def test_veilig_thuis_sees_the_exact_counts(ds, login):
    response = login(ds.world.user(Role.VT_STAFF)).get(URL, {"year": "2025"})

    html = response.content.decode()
    assert html_table(html, "signals_by_source")["avim"] == ["2"]
    assert html_table(html, "persons_age")["minor"] == ["3", "4"]
    assert html_table(html, "signals_by_criminal_kind")["money_mule"] == ["1"]
    assert "aantallen van 1 tot en met 4 staan als" not in html


def test_each_chart_has_a_title_and_its_table_beside_it(ds, login):
    html = login(ds.world.user(Role.POLICY_ANALYST)).get(URL, {"year": "2025"}).content.decode()

    assert html.count('role="img"') == html.count("<svg xmlns") >= 15
    assert '<title id="chart-signals_by_month-title">Signalen per maand</title>' in html
    assert 'id="table-signals_by_month"' in html
    assert "style=" not in html.split('<main id="main"', 1)[1]  # the CSP forbids inline style


def test_a_municipal_officer_sees_its_own_municipality(ds, login):
    officer = ds.world.user(Role.MUNICIPAL_OFFICER, organisation=ds.world.other_municipality)

    response = login(officer).get(URL, {"year": "2025"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "Gemeente B-zl · 2025" in html
    assert html_table(html, "signals_by_municipality") == {
        str(ds.world.other_municipality.public_id): ["&lt;5"],
        "total": ["&lt;5"],
    }


def test_a_municipal_officer_asking_for_another_municipality_gets_404(ds, login):
    officer = ds.world.user(Role.MUNICIPAL_OFFICER, organisation=ds.world.other_municipality)
    before = AuditLogEntry.objects.count()

    response = login(officer).get(
        URL, {"year": "2025", "municipality": str(ds.world.municipality.public_id)}
    )

    assert response.status_code == 404
    assert AuditLogEntry.objects.count() == before


def test_the_analyst_can_narrow_to_one_municipality(ds, login):
    response = login(ds.world.user(Role.POLICY_ANALYST)).get(
        URL, {"year": "2025", "municipality": str(ds.world.municipality.public_id)}
    )

    html = response.content.decode()
    assert "Gemeente A-zl · 2025" in html
    assert html_table(html, "signals_by_month")["total"] == ["10"]


def test_bad_filters_answer_400_with_the_reason_in_dutch(ds, login):
    client = login(ds.world.user(Role.POLICY_ANALYST))
    cases = [
        ({"year": "1900"}, "Kies een jaar van 2000 tot en met"),
        ({"year": "2027"}, "Kies een jaar van 2000 tot en met"),
        ({"year": "twintig"}, "Vul een jaartal in, bijvoorbeeld 2025."),
        ({"start": "2025-05-01", "end": "2025-04-01"}, "De einddatum ligt voor de begindatum."),
        ({"year": "2025", "municipality": "onbekend"}, "Onbekende gemeente"),
    ]
    for params, message in cases:
        response = client.get(URL, params)
        assert response.status_code == 400, params
        assert message in response.content.decode(), params
        assert 'id="table-' not in response.content.decode()
