from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Casussen en zorgtrajecten"

    def ready(self) -> None:
        from accounts.audit import audit_register

        from . import models as m

        audit_register(m.Case, personal_fields=["close_note"], personal_repr=False)
        audit_register(m.CaseSignal)
        audit_register(m.CasePerson)
        audit_register(m.Action, personal_fields=["description"])
        audit_register(m.CaseNote, personal_fields=["text"])
        audit_register(m.Consent, personal_fields=["scope"])
        audit_register(m.Trajectory, personal_fields=["outcome_note"])
        audit_register(m.PhaseChange)
        audit_register(m.Placement, personal_fields=["provider"])
        audit_register(m.CareMeeting, personal_fields=["participants", "agreements"])
        audit_register(m.TrajectoryAccess)
        audit_register(m.ShelterCapacity)
