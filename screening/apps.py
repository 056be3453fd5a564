from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "screening"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Screeningstafel"

    def ready(self) -> None:
        from accounts.audit import audit_register

        from . import models as m

        audit_register(m.Meeting, exclude_fields=["updated_at"])
        audit_register(
            m.AgendaItem,
            personal_fields=["weighing", "advice"],
            exclude_fields=["updated_at"],
            personal_repr=False,
        )
        audit_register(m.PartnerInput, personal_fields=["text"])
        audit_register(m.RouteDecision, personal_fields=["note"])
        audit_register(m.Attendance)
        audit_register(m.Addendum, personal_fields=["text"])
