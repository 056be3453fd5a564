from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "signals"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Signalen"

    def ready(self) -> None:
        from accounts.audit import audit_register

        from . import models as m

        audit_register(
            m.Signal,
            personal_fields=["description"],
            personal_repr=False,  # str() is the reference number
            exclude_fields=["search_text", "updated_at"],
            m2m_fields={"indicators"},
        )
        audit_register(m.SignalForm)
        audit_register(m.SignalPerson)
        audit_register(
            m.Person, personal_fields=["name", "birth_date", "normalised_name", "language"]
        )
        audit_register(
            m.Place, personal_fields=["name", "address", "postcode", "url", "kvk_number", "facts"]
        )
        audit_register(m.Attachment, personal_fields=["original_name", "file"])
        audit_register(m.Note, personal_fields=["text"])
        audit_register(m.AcuteConsultation, personal_fields=["decision", "follow_up"])
        audit_register(m.PersonLink)
        audit_register(m.Indicator)
        audit_register(m.ClassificationRecord, personal_fields=["reason"])
