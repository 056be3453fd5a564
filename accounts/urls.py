from django.urls import path

from .views import audit, auth, home, notifications

app_name = "accounts"

urlpatterns = [
    path("", home.home, name="home"),
    path("inloggen/", auth.login_password, name="login"),
    path("inloggen/verificatie/", auth.login_verify, name="verify"),
    path("inloggen/koppelen/", auth.login_enrol, name="enrol"),
    path("uitloggen/", auth.logout_view, name="logout"),
    path("uitloggen/overal/", auth.logout_everywhere, name="logout_everywhere"),
    path("account/", home.account, name="account"),
    path("account/reservecodes/", auth.backup_codes_regenerate, name="backup_codes"),
    path("auditlog/", audit.audit_log, name="audit_log"),
    path("auditlog/export.csv", audit.audit_log_export, name="audit_log_export"),
    path("meldingen/", notifications.notification_list, name="notifications"),
    path("meldingen/gelezen/", notifications.notifications_read, name="notifications_read"),
]
