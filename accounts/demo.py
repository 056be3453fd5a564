"""The demo region: Zuid-Limburg with its partners and one user per role.

Used by ``manage.py demo_data`` (``make run``) and by the browser tests. Running it twice
changes nothing: every row is looked up by its natural key before it is created.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Organisation, Region, User
from .roles import Role
from .services import TOTP_DEVICE_NAME

REGION = ("Zuid-Limburg", "zl")

# CBS municipality codes (gemeentecodes) of the 16 municipalities of Zuid-Limburg.
MUNICIPALITIES = {
    "Beek": "GM0888",
    "Beekdaelen": "GM1954",
    "Brunssum": "GM0899",
    "Eijsden-Margraten": "GM1903",
    "Gulpen-Wittem": "GM1729",
    "Heerlen": "GM0917",
    "Kerkrade": "GM0928",
    "Landgraaf": "GM0882",
    "Maastricht": "GM0935",
    "Meerssen": "GM0938",
    "Simpelveld": "GM0965",
    "Sittard-Geleen": "GM1883",
    "Stein": "GM0971",
    "Vaals": "GM0981",
    "Valkenburg aan de Geul": "GM0994",
    "Voerendaal": "GM0986",
}

K = Organisation.Kind
PARTNERS = [
    ("Veilig Thuis Zuid-Limburg", K.VEILIG_THUIS),
    ("Politie eenheid Limburg — AVIM", K.POLICE_AVIM),
    ("Zorg- en Veiligheidshuis Maastricht-Heuvelland", K.ZVH),
    ("Zorg- en Veiligheidshuis Parkstad", K.ZVH),
    ("Zorg- en Veiligheidshuis Westelijke Mijnstreek", K.ZVH),
    ("RIEC Limburg", K.RIEC),
    ("Nederlandse Arbeidsinspectie", K.LABOUR_INSPECTORATE),
    ("CoMensha", K.COMENSHA),
    ("Vrouwenopvang Zuid-Limburg", K.CARE_PROVIDER),
    ("Jeugdzorg Zuid-Limburg", K.CARE_PROVIDER),
    ("Opvang arbeidsuitbuiting Limburg", K.CARE_PROVIDER),
]

VT = "Veilig Thuis Zuid-Limburg"
DEMO_USERS = [
    ("demo-heerlen", Role.MUNICIPAL_OFFICER, "Gemeente Heerlen"),
    ("demo-maastricht", Role.MUNICIPAL_OFFICER, "Gemeente Maastricht"),
    ("demo-vt", Role.VT_STAFF, VT),
    ("demo-vt-officer", Role.VT_OFFICER, VT),
    ("demo-avim", Role.AVIM, "Politie eenheid Limburg — AVIM"),
    ("demo-zoco", Role.CARE_COORDINATOR, "Zorg- en Veiligheidshuis Parkstad"),
    ("demo-procesregisseur", Role.PROCESS_DIRECTOR, "Zorg- en Veiligheidshuis Parkstad"),
    ("demo-riec", Role.CHAIN_DIRECTOR, "RIEC Limburg"),
    ("demo-beleid", Role.POLICY_ANALYST, "Gemeente Maastricht"),
    ("demo-fg", Role.PRIVACY_OFFICER, VT),
    ("demo-beheer", Role.ADMINISTRATOR, VT),
]


class DemoDataError(Exception):
    pass


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    password: str | None  # None: existing user, password left as it was
    otpauth_uri: str


def municipality_name(name: str) -> str:
    return f"Gemeente {name}"


def _organisations(region: Region) -> dict[str, Organisation]:
    wanted = [(municipality_name(n), K.MUNICIPALITY, code) for n, code in MUNICIPALITIES.items()]
    wanted += [(name, kind, "") for name, kind in PARTNERS]
    result = {}
    for name, kind, code in wanted:
        org, _ = Organisation.objects.get_or_create(
            region=region, name=name, defaults={"kind": kind, "cbs_code": code}
        )
        result[name] = org
    return result


@transaction.atomic
def load_demo_data(
    *,
    password: str | None = None,
    extra_users: list[tuple[str, str, str]] = (),
    figures: bool = False,
) -> list[DemoLogin]:
    """Create the demo region, organisations and users. ``extra_users``: (username, role, organisation).

    ``figures``: also a demo year of signals and follow-up for the dashboard (``reporting.demo``).
    """
    if password is not None:
        validate_password(password)
    region, _ = Region.objects.get_or_create(name=REGION[0], defaults={"code": REGION[1]})
    orgs = _organisations(region)

    wanted = list(DEMO_USERS)
    for username, role, org_name in extra_users:
        if role not in Role.values:
            raise DemoDataError(f"Onbekende rol '{role}'. Kies uit: {', '.join(Role.values)}.")
        if org_name not in orgs:
            raise DemoDataError(
                f"Onbekende organisatie '{org_name}'. Kies uit: {', '.join(sorted(orgs))}."
            )
        wanted.append((username, Role(role), org_name))

    logins = []
    for username, role, org_name in wanted:
        org = orgs[org_name]
        user = User.objects.filter(username=username).first()
        given_password = None
        if user is None:
            user = User(username=username, organisation=org, role=role, first_name=username)
            given_password = password or secrets.token_urlsafe(12)
            user.set_password(given_password)
            user.save()
        elif password is not None and not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
            given_password = password
        elif password is not None:
            given_password = password
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)
        logins.append(DemoLogin(username, role.value, org.name, given_password, device.config_url))
    if figures:
        from reporting.demo import load_demo_figures  # the later app's demo year, on request

        load_demo_figures(region=region)
    return logins
