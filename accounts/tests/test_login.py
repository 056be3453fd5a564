import pytest
from django.urls import reverse
from django_otp.oath import totp

from accounts.models import User
from accounts.tests.factories import TOTPDeviceFactory, UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def user(world) -> User:
    user = UserFactory(username="anna", organisation=world.orgs["veilig_thuis"], role="vt_staff")
    user.set_password(PASSWORD)
    user.save()
    return user


def code_for(device, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def password_step(client, username="anna", password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_it_asks_for_a_code_after_the_password(client, user):
    TOTPDeviceFactory(user=user)
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:verify")
    # Not logged in yet: the start page still sends to the login page.
    assert client.get(reverse("accounts:home")).status_code == 302


def test_it_logs_in_with_password_and_code(client, user):
    device = TOTPDeviceFactory(user=user)
    password_step(client)
    response = client.post(reverse("accounts:verify"), {"code": code_for(device)})
    assert response.status_code == 302
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 200
    assert "Welkom" in home.content.decode()


def test_it_refuses_a_wrong_password_in_dutch(client, user):
    response = password_step(client, password="wrong password here")
    assert response.status_code == 200
    assert "Gebruikersnaam of wachtwoord is onjuist." in response.content.decode()
    assert "_auth_user_id" not in client.session
