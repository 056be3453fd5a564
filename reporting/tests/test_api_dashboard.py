"""``/api/v1/reports/dashboard/``: the dashboard's figures as JSON, suppressed per role."""

from __future__ import annotations

from accounts.roles import Role
from reporting.periods import last_year_allowed

from .support import json_count_cells

URL = "/api/v1/reports/dashboard/"


def table(data: dict, key: str) -> dict:
    t = data["tables"][key]
    return {
        r["key"]: [c["display"] for c in r["cells"]] for r in [*t["rows"], t["total"] or {}] if r
    }


def test_the_analyst_gets_no_count_from_one_to_four(ds, login):
    response = login(ds.world.user(Role.POLICY_ANALYST)).get(URL, {"year": "2025"})

    data = response.json()
    assert response.status_code == 200
    assert data["exact"] is False
    cells = json_count_cells(data)
    assert len(cells) > 100
    assert all(c["value"] is None or c["value"] == 0 or c["value"] >= 5 for c in cells)
    assert table(data, "signals_by_source")["avim"] == ["<5"]
    assert data["tables"]["signals_by_source"]["rows"][3]["cells"][0] == {
        "value": None,
        "display": "<5",
        "kind": "count",
        "suppressed": "primary",
    }


def test_veilig_thuis_gets_the_exact_counts(ds, login):
    data = login(ds.world.user(Role.VT_OFFICER)).get(URL, {"year": "2025"}).json()

    assert data["exact"] is True
    assert table(data, "signals_by_source")["avim"] == ["2"]
    speed = data["tables"]["route_speed"]["rows"][2]["cells"]
    assert [c["value"] for c in speed][0] == 4


def test_the_json_equals_the_page(ds, login):
    from .support import html_table

    client = login(ds.world.user(Role.CHAIN_DIRECTOR))
    data = client.get(URL, {"year": "2025", "quarter": "1"}).json()
    html = client.get("/rapportage/", {"year": "2025", "quarter": "1"}).content.decode()

    for key in ("signals_by_month", "persons_age", "referrals", "trajectories"):
        page = {
            k: [v.replace("&lt;", "<") for v in cells] for k, cells in html_table(html, key).items()
        }
        assert page == table(data, key), key


def test_a_municipal_officer_gets_404_for_another_municipality(ds, login):
    officer = ds.world.user(Role.MUNICIPAL_OFFICER)
    other = ds.world.other_municipality

    response = login(officer).get(URL, {"year": "2025", "municipality": str(other.public_id)})

    assert response.status_code == 404
    own = login(officer).get(URL, {"year": "2025"}).json()
    assert own["scope"]["municipality"]["id"] == str(ds.world.municipality.public_id)


def test_bad_input_answers_400_per_parameter(ds, login):
    client = login(ds.world.user(Role.POLICY_ANALYST))

    assert client.get(URL, {"year": "1900"}).json() == {
        "year": ["Kies een jaar van 2000 tot en met 2026."]
    }
    assert client.get(URL, {"start": "2025-06-01", "end": "2025-01-01"}).json() == {
        "end": ["De einddatum ligt voor de begindatum."]
    }
    response = client.get(URL, {"municipality": "11111111-2222-4333-8444-555555555555"})
    assert response.status_code == 400
    assert response.json() == {
        "municipality": ["Onbekende gemeente: kies een gemeente uit de lijst."]
    }


def test_roles_without_figures_are_refused(ds, login):
    for role in (Role.AVIM, Role.CARE_COORDINATOR, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR):
        assert login(ds.world.user(role)).get(URL).status_code == 403, role


def test_an_empty_parameter_is_refused(ds, login):
    client = login(ds.world.user(Role.POLICY_ANALYST))

    assert client.get(URL, {"year": ""}).json() == {
        "year": ["Vul een waarde in of laat de parameter weg."]
    }
    response = client.get("/api/v1/reports/comensha/", {"format": ""})
    assert response.status_code == 400


def test_values_of_the_wrong_shape_twice_or_unknown_are_refused(ds, login):
    client = login(ds.world.user(Role.POLICY_ANALYST))
    comensha = "/api/v1/reports/comensha/"
    last = last_year_allowed()

    refused = [
        (URL, "year=2025.0", {"year": ["Vul een jaartal in, bijvoorbeeld 2025."]}),
        (URL, "year=2025&year=2024", {"year": ["Geef deze parameter één keer."]}),
        (URL, "year=2025&quarter=5", {"quarter": ["Kies kwartaal 1, 2, 3 of 4."]}),
        (
            URL,
            "start=1-6-2025&end=2025-07-01",
            {"start": ["Vul een geldige datum in (JJJJ-MM-DD)."]},
        ),
        (
            URL,
            "municipality=utrecht",
            {"municipality": ["Onbekende gemeente: kies een gemeente uit de lijst."]},
        ),
        (
            URL,
            "year=2025&start=2025-01-01&end=2025-02-01",
            {"start": ["Kies een jaar (en kwartaal) of een eigen periode, niet beide."]},
        ),
        (comensha, "format=pdf", {"format": ["Kies csv, xlsx of json."]}),
        (comensha, "year=1999", {"year": [f"Kies een jaar van 2000 tot en met {last}."]}),
        (comensha, "quarter=1", {"quarter": ["Onbekende parameter: gebruik year, format."]}),
    ]
    for url, query, errors in refused:
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, query
        assert response.json() == errors, query
