"""Changes to audited models are logged with actor, role and organisation; personal data masked."""

from accounts import services
from accounts.audit import MASK, acting_as
from accounts.models import AuditLogEntry, User
from accounts.roles import Role
from accounts.tests.factories import OrganisationFactory, UserFactory


def entries_for(obj) -> list[AuditLogEntry]:
    return list(AuditLogEntry.objects.get_for_object(obj).order_by("pk"))


def test_it_logs_a_created_user_with_actor_role_and_organisation(world):
    actor = world.user(Role.ADMINISTRATOR)
    with acting_as(actor):
        user = UserFactory(
            username="nieuw",
            first_name="Fatima",
            last_name="El Amrani",
            email="fatima@example.org",
            organisation=world.municipality,
            role=Role.MUNICIPAL_OFFICER,
        )

    [entry] = entries_for(user)
    assert entry.action == AuditLogEntry.Action.CREATE
    assert entry.actor == actor
    assert entry.actor_role == Role.ADMINISTRATOR
    assert entry.actor_organisation == actor.organisation
    assert entry.request_path == ""  # no request: a task or command


def test_it_masks_personal_fields_with_a_constant(world):
    with acting_as(world.user(Role.ADMINISTRATOR)):
        user = UserFactory(
            first_name="Fatima",
            last_name="El Amrani",
            email="fatima@example.org",
            organisation=world.municipality,
        )
        user.first_name = "Fadma"
        user.save()

    create, update = entries_for(user)
    for field in ("first_name", "last_name", "email"):
        assert create.changes[field] == [MASK, MASK]
    assert update.changes == {"first_name": [MASK, MASK]}
    stored = str(create.changes) + str(update.changes)
    assert "Fatima" not in stored and "Fadma" not in stored and "example.org" not in stored


def test_it_names_a_user_by_type_and_id_only(world):
    with acting_as(world.user(Role.ADMINISTRATOR)):
        user = UserFactory(first_name="Fatima", last_name="El Amrani")

    [entry] = entries_for(user)
    assert "Fatima" not in entry.object_repr
    assert entry.object_repr == f"gebruiker {user.pk}"
    assert entry.actor_email is None


def test_it_logs_a_change_made_by_a_service(world):
    actor = world.user(Role.ADMINISTRATOR)
    user = world.user(Role.VT_STAFF)
    with acting_as(actor):
        services.user_set_role(user=user, role=Role.VT_OFFICER, actor=actor)

    entry = entries_for(user)[-1]
    assert entry.action == AuditLogEntry.Action.UPDATE
    assert entry.changes == {"role": [Role.VT_STAFF.value, Role.VT_OFFICER.value]}
    assert (entry.actor, entry.actor_role, entry.actor_organisation) == (
        actor,
        Role.ADMINISTRATOR.value,
        actor.organisation,
    )


def test_it_logs_system_work_without_an_actor(world):
    with acting_as(None, path="task:example"):
        user = UserFactory(organisation=world.municipality)

    [entry] = entries_for(user)
    assert entry.actor is None
    assert entry.actor_role == ""
    assert entry.actor_organisation is None
    assert entry.request_path == "task:example"


def test_it_does_not_log_a_login_timestamp(world):
    user = world.user(Role.VT_STAFF)
    before = AuditLogEntry.objects.count()
    User.objects.get(pk=user.pk).save(update_fields=["last_login"])
    assert AuditLogEntry.objects.count() == before


def test_it_leaves_reverse_relations_out_of_the_changes(world):
    with acting_as(world.user(Role.ADMINISTRATOR)):
        org = OrganisationFactory(region=world.region)

    [entry] = entries_for(org)
    assert entry.changes["name"] == [None, org.name]  # not personal: kept readable
    assert "users" not in entry.changes  # reverse relation: "accounts.User.None" was noise
    assert entry.object_repr == org.name
