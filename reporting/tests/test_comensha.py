"""CoMensha: the yearly counts (suppressed exports), the per-victim list and the tracker."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import AuditLogEntry
from accounts.roles import Role
from reporting.comensha import comensha_tables, comensha_tracker, pseudonym, victim_list
from reporting.periods import Period, Scope
from signals.models import Person, SignalPerson

from .dataset import _signal, at, on
from .support import csv_rows, is_small, xlsx_rows

URL = "/rapportage/comensha/"


def values(table) -> dict:
    return {row.key: row.cells[0].value for row in table.all_rows}


def test_it_counts_victims_classified_suspected_or_actual_once(ds):
    tables = comensha_tables(Scope(ds.world.region), Period.for_year(2025))

    # pA (s01, again in s04), pB (s02), pC (s03), pJ (s12); s05/s06 are "none", s10 potential.
    assert values(tables["age_registration"]) == {"minor": 1, "adult": 3, "unknown": 0, "total": 4}
    assert values(tables["age_exploitation"]) == {"minor": 2, "adult": 1, "unknown": 1, "total": 4}
    assert values(tables["gender"]) == {
        "female": 3,
        "male": 1,
        "other": 0,
        "unknown": 0,
        "total": 4,
    }
    assert values(tables["nationality"]) == {
        "dutch": 2, "non_dutch": 1, "stateless": 0, "unknown": 1, "total": 4,
    }  # fmt: skip
    assert values(tables["sector"]) == {
        "forced_begging": 0, "forced_criminality": 0, "regulated_labour": 3,
        "sexual_services": 1, "other": 0, "total": 4,
    }  # fmt: skip


# Criminal signals of 2025 on top of the data set: key → (forms, kind, final, victim).
CRIMINAL = {
    "b1": (["criminal"], "begging", "actual", ("Rosa", "female", "NL")),
    "b2": (["criminal", "sexual"], "begging", "suspected", ("Sven", "male", "RO")),
    "b3": (["criminal"], "drug_running", "suspected", ("Tim", "male", "NL")),
    "b4": (["criminal"], "", "actual", ("Uma", "female", "")),
    "b5": (["criminal"], "begging", "potential", ("Vera", "female", "NL")),  # not counted
}


@pytest.fixture
def criminal(ds) -> dict[str, Person]:
    """The victims of CRIMINAL, each in a signal of their own with an offender beside them."""
    victims = {}
    for day, (key, (forms, kind, final, (name, gender, nationality))) in enumerate(
        CRIMINAL.items(), start=1
    ):
        moments = (at(9, day), at(9, day + 1))  # submitted, registered
        spec = (on(9, day), "A", "avim", forms, "", "routed", "suspected", final, *moments, False)
        signal = _signal(ds, key, spec, criminal_kind=kind)
        victims[key] = Person.objects.create(
            region=ds.world.region,
            name=name,
            birth_date=date(1990, 1, 1),
            gender=gender,
            nationality=nationality,
        )
        offender = Person.objects.create(region=ds.world.region, name=f"Dader {key}")
        SignalPerson.objects.create(signal=signal, person=victims[key], role="possible_victim")
        SignalPerson.objects.create(signal=signal, person=offender, role="possible_offender")
    return victims


def test_forced_begging_is_its_own_sector_and_a_person_counts_in_each_of_theirs(ds, criminal):
    tables = comensha_tables(Scope(ds.world.region), Period.for_year(2025))

    # The four of the data set, and Rosa (b1), Sven (b2), Tim (b3), Uma (b4); not Vera
    # ("potential") and no offender. Sven is in two sectors; Uma's kind was not recorded.
    assert values(tables["sector"]) == {
        "forced_begging": 2,  # Rosa, Sven
        "forced_criminality": 2,  # Tim (drug running), Uma (kind unknown)
        "regulated_labour": 3,
        "sexual_services": 2,  # pC (s03), Sven
        "other": 0,
        "total": 8,
    }
    assert values(tables["gender"])["total"] == 8


def test_the_victim_list_names_the_begging_sector(ds, criminal, login):
    client = login(ds.world.user(Role.VT_STAFF))

    rows = csv_rows(client.get(f"{URL}slachtoffers/", {"year": "2025", "format": "csv"}))

    sectors = {r[0]: r[7] for r in rows[1:]}
    assert sectors[pseudonym(criminal["b1"])] == "Gedwongen bedelarij"
    assert sectors[pseudonym(criminal["b2"])] == "Gedwongen bedelarij, Seksuele dienstverlening"
    assert sectors[pseudonym(criminal["b3"])] == "Gedwongen criminaliteit"
    assert pseudonym(criminal["b5"]) not in sectors


def test_the_export_shows_the_begging_row_suppressed(ds, criminal, login):
    client = login(ds.world.user(Role.POLICY_ANALYST))

    rows = csv_rows(client.get(f"{URL}export/", {"year": "2025", "format": "csv"}))

    assert ["Regio zl", "2025", "Sector", "Gedwongen bedelarij", "<5"] in rows
    assert not [r for r in rows[1:] if is_small(r[4])]


def test_the_csv_export_shows_no_count_from_one_to_four(ds, login):
    response = login(ds.world.user(Role.POLICY_ANALYST)).get(
        f"{URL}export/", {"year": "2025", "format": "csv"}
    )

    rows = csv_rows(response)
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0] == ["Regio", "Jaar", "Indeling", "Categorie", "Aantal"]
    # Header; age twice (3 groups), gender and nationality (4), sector (5); each with a total.
    assert len(rows) == 1 + 4 + 4 + 5 + 5 + 6
    assert not [r for r in rows[1:] if is_small(r[4])]
    assert ["Regio zl", "2025", "Sector", "Gereguleerde arbeid of dienstverlening", "<5"] in rows


def test_the_xlsx_export_shows_no_count_from_one_to_four(ds, login):
    response = login(ds.world.user(Role.CHAIN_DIRECTOR)).get(
        f"{URL}export/", {"year": "2025", "format": "xlsx"}
    )

    rows = xlsx_rows(response)
    assert response["Content-Disposition"] == 'attachment; filename="comensha-zl-2025.xlsx"'
    counts = [r[4] for r in rows[1:]]
    assert not [c for c in counts if is_small(c)]
    assert {c for c in counts} <= {0, "<5", "x"} | set(range(5, 1000))


def test_exports_neutralise_spreadsheet_formulas(ds, login):
    region = ds.world.region
    region.name = "=HYPERLINK(1)"
    region.save()
    client = login(ds.world.user(Role.POLICY_ANALYST))

    csv_cells = csv_rows(client.get(f"{URL}export/", {"year": "2025", "format": "csv"}))[1]
    xlsx_cells = xlsx_rows(client.get(f"{URL}export/", {"year": "2025", "format": "xlsx"}))[1]

    assert csv_cells[0].startswith("'=")
    assert xlsx_cells[0].startswith("'=")


def test_the_victim_list_is_pseudonymised_and_stable(ds, login):
    client = login(ds.world.user(Role.VT_STAFF))

    first = csv_rows(client.get(f"{URL}slachtoffers/", {"year": "2025", "format": "csv"}))
    second = csv_rows(client.get(f"{URL}slachtoffers/", {"year": "2025", "format": "csv"}))

    assert first == second
    body = "\n".join(";".join(r) for r in first)
    assert len(first) == 1 + 4
    for person in ds.persons.values():
        assert person.name not in body
    for signal in ds.signals.values():
        assert signal.reference not in body
    by_pseudonym = {r[0]: r for r in first[1:]}
    anna = by_pseudonym[pseudonym(ds.persons["pA"])]
    assert anna[1:] == [
        "2025", "Vermoedelijk slachtoffer", "Meerderjarig", "Minderjarig", "Vrouw",
        "Nederlands", "Gereguleerde arbeid of dienstverlening", "ja", "2025-02-01",
    ]  # fmt: skip
    # Joyce withdrew her consent on 1 July 2025.
    assert by_pseudonym[pseudonym(ds.persons["pJ"])][8] == "nee"


def test_a_pseudonym_is_the_same_for_a_person_and_differs_between_persons(ds, settings):
    anna, bogdan = ds.persons["pA"], ds.persons["pB"]

    assert pseudonym(anna) == pseudonym(anna)
    assert pseudonym(anna) != pseudonym(bogdan)
    assert pseudonym(anna).startswith("P-") and len(pseudonym(anna)) == 16
    settings.COMENSHA_PSEUDONYM_KEY = "a-key-kept-apart-from-the-secret-key"
    assert pseudonym(anna) != pseudonym(bogdan)


def test_the_victim_list_export_is_logged_with_the_persons(ds, login):
    client = login(ds.world.user(Role.VT_OFFICER))

    client.get(f"{URL}slachtoffers/", {"year": "2025", "format": "xlsx"})

    entry = AuditLogEntry.objects.filter(access_kind="export").latest("pk")
    persons, _rows = victim_list(scope=Scope(ds.world.region), year=2025)
    assert sorted(entry.additional_data["object_ids"]) == sorted(str(p.public_id) for p in persons)


def test_the_tracker_lists_who_waits_and_who_was_reported(ds):
    pending, reported = comensha_tracker(scope=Scope(ds.world.region), year=2025)

    # Bogdan: consent, no report yet. Anna: reported on 1 February. Joyce withdrew her
    # consent; Chloé gave none.
    assert [t.person for t in pending] == [ds.persons["pB"]]
    assert [(t.person, str(t.reported_on)) for t in reported] == [(ds.persons["pA"], "2025-02-01")]
    assert pending[0].reference == "T-2025-s02"  # the signal he is a victim in


def test_the_tracker_and_the_list_are_for_veilig_thuis_only(ds, login):
    analyst = login(ds.world.user(Role.POLICY_ANALYST))

    assert analyst.get(f"{URL}slachtoffers/", {"year": "2025"}).status_code == 403
    page = analyst.get(URL, {"year": "2025"}).content.decode()
    assert "tracker-pending" not in page
    vt_page = login(ds.world.user(Role.VT_STAFF)).get(URL, {"year": "2025"}).content.decode()
    assert 'id="tracker-pending"' in vt_page
    assert pseudonym(ds.persons["pB"]) in vt_page


def test_the_api_gives_csv_xlsx_or_json_by_format_or_accept(ds, login):
    client = login(ds.world.user(Role.POLICY_ANALYST))
    api = "/api/v1/reports/comensha/"

    assert client.get(api, {"year": "2025"})["Content-Type"].startswith("text/csv")
    assert client.get(api, {"year": "2025", "format": "xlsx"})["Content-Type"].startswith(
        "application/vnd.openxmlformats"
    )
    assert client.get(
        api,
        {"year": "2025"},
        HTTP_ACCEPT="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )["Content-Type"].startswith("application/vnd.openxmlformats")
    data = client.get(api, {"year": "2025"}, HTTP_ACCEPT="application/json").json()
    assert data["tables"]["sector"]["total"]["cells"][0]["display"] == "<5"
    assert client.get(api, {"year": "1900"}).status_code == 400
    assert client.get(api, {"year": "2025", "format": "pdf"}).json() == {
        "format": ["Kies csv, xlsx of json."]
    }
