from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import audit_registry, schema, signals  # noqa: F401  (registers models, receivers, schema)

        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts_sync_roles")


def _sync_roles_after_migrate(sender, using="default", **kwargs) -> None:
    """Sync once all apps have their permissions: after the last app's post_migrate."""
    from django.apps import apps

    from .rolesync import sync_roles

    # post_migrate is sent only for apps with a models module, in INSTALLED_APPS order.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        sync_roles(using=using)
