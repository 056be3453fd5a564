from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import User


@receiver(post_save, sender=User, dispatch_uid="accounts_user_role_group")
def _user_role_group(sender, instance: User, **kwargs) -> None:
    """Group membership follows the role, however the user was saved."""
    if kwargs.get("raw"):
        return
    from .services import user_sync_role_group

    user_sync_role_group(user=instance)
