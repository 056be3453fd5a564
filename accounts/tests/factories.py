import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, Region, User
from accounts.roles import Role


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Regio {n}")
    code = factory.Sequence(lambda n: f"r{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.OTHER


class MunicipalityFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    kind = Organisation.Kind.MUNICIPALITY
    cbs_code = factory.Sequence(lambda n: f"GM{n % 10000:04d}")


class UserFactory(factory.django.DjangoModelFactory):
    """Users without a usable password by default: hashing with Argon2 costs time per test."""

    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VT_STAFF
    password = "!"  # unusable


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "authenticator"
    confirmed = True
