from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Verwijzingen"

    def ready(self) -> None:
        from accounts.audit import audit_register

        from . import models as m

        audit_register(
            m.Referral,
            personal_fields=[
                "reason",
                "legal_basis_note",
                "consent_override_reason",
                "response",
                "feedback",
                "plan",
                "plan_name",
            ],
        )
