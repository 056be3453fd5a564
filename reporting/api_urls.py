"""API routes, included in ``config.urls`` under ``/api/v1/`` (namespace "api")."""

urlpatterns: list = []
