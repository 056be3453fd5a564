"""Template tags of reporting: one chart code for the dashboard and the PDF."""

from django import template
from django.utils.safestring import SafeString

from ..charts import chart
from ..tables import Table

register = template.Library()


@register.simple_tag
def figure_chart(table: Table) -> SafeString:
    """The table's chart as inline SVG (empty for a table without one)."""
    return chart(table, f"chart-{table.key}")
