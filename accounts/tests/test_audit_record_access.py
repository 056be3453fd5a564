"""record_access and record_list: one entry per read, naming records without their content."""

from accounts.audit import acting_as, bind_user, current_context, record_access, record_list
from accounts.models import AuditLogEntry, User
from accounts.roles import Role


def test_it_names_a_read_person_by_type_and_id(world):
    reader, person = world.user(Role.VT_STAFF), world.user(Role.AVIM)
    with acting_as(reader):
        entry = record_access(kind=AuditLogEntry.AccessKind.READ, instance=person)

    assert entry.object_repr == f"gebruiker {person.pk}"
    assert person.get_full_name() not in entry.object_repr
    assert entry.additional_data == {"object_ids": [str(person.public_id)], "count": 1}


def test_it_keeps_the_plural_name_for_a_list_of_persons(world):
    users = [world.user(Role.VT_STAFF), world.user(Role.AVIM)]
    with acting_as(users[0]):
        entry = record_list(model=User, rows=users, query={"page": "2"})

    assert entry.access_kind == AuditLogEntry.AccessKind.LIST
    assert entry.object_repr == "gebruikers"
    assert entry.object_pk == ""
    assert entry.additional_data["object_ids"] == [str(u.public_id) for u in users]


def test_it_logs_search_parameter_names_not_values(world):
    with acting_as(world.user(Role.VT_STAFF)):
        entry = record_list(
            model=User, rows=[], query={"q": "Jansen", "page": "1", "ordering": "name", "x": " "}
        )

    assert entry.access_kind == AuditLogEntry.AccessKind.SEARCH
    assert entry.additional_data == {"query_params": ["q"], "object_ids": [], "count": 0}


def test_an_explicit_actor_needs_no_request_context(world):
    reader = world.user(Role.AVIM)
    assert current_context() is None
    entry = record_access(
        kind=AuditLogEntry.AccessKind.PRINT, instance=world.municipality, actor=reader
    )
    assert (entry.actor, entry.actor_role, entry.actor_organisation) == (
        reader,
        Role.AVIM.value,
        reader.organisation,
    )


def test_binding_a_user_outside_a_request_leaves_no_context_behind(world):
    bind_user(world.user(Role.VT_STAFF))
    assert current_context() is None
