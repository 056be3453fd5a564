from .audit import audit_register
from .models import Organisation, Region, User

audit_register(
    User,
    personal_fields=["first_name", "last_name", "email"],
    exclude_fields=["password", "last_login"],
    m2m_fields=set(),
)
audit_register(Organisation)
audit_register(Region)
