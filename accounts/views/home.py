from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..navigation import ROLE_INTRO, items_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page of each role: what this role does here and where to begin."""
    user = request.user
    tiles = [item for item in items_for(user) if item.url_name != "accounts:home"]
    return render(
        request,
        "accounts/home.html",
        {"intro": ROLE_INTRO[user.role_enum], "tiles": tiles},
    )


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/account.html", {})
