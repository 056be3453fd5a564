"""Nothing of reporting is kept in the admin.

The administrator role manages users and reference lists and sees no figures; the
implementation plan and the awareness sessions have their own pages (with their own
permissions and audit trail), and generated reports are never edited.
"""
