from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Rapportage"

    def ready(self) -> None:
        from accounts.audit import audit_register

        from . import models as m

        # Progress and heartbeat saves of a running report are not changes worth a log entry
        # (auditlog writes none when only excluded fields changed).
        audit_register(
            m.AnnualReport,
            exclude_fields=["progress", "updated_at", "task_id", "started_at", "size", "pages"],
        )
        audit_register(m.EvaluationIntroduction, exclude_fields=["updated_at"])
        audit_register(m.ImplementationAction, exclude_fields=["updated_at"])
        audit_register(m.AwarenessSession, exclude_fields=["updated_at"])
