"""An index for the figures: a region's signals received in a period.

Every table of the dashboard and the annual report starts from "the signals of this region
received in this period"; without this index each of those queries reads the region's
whole register (25,000 rows per region at 100,000 signals) to keep one year. The index is
on the signals table but serves reporting only, so it is made here (docs/reporting.md).
"""

from django.db import migrations

NAME = "reporting_signal_region_received_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0001_initial"),
        ("signals", "0003_classification_history"),
    ]

    operations = [
        migrations.RunSQL(
            sql=f"CREATE INDEX IF NOT EXISTS {NAME} ON signals_signal (region_id, received_at)",
            reverse_sql=f"DROP INDEX IF EXISTS {NAME}",
        ),
    ]
