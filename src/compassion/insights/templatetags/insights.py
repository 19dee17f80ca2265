from django import template
from django.utils.safestring import SafeString, mark_safe

from compassion.insights import charts, equity
from compassion.insights.tables import Chart

register = template.Library()


@register.simple_tag
def chart_svg(chart: Chart) -> SafeString:
    """The chart inline; render_svg escapes every text it writes."""
    return mark_safe(charts.render_svg(chart))


@register.filter
def group_value(comparison: equity.Comparison, unit: str) -> str:
    return equity.compared_values(comparison, unit)[0]


@register.filter
def rest_value(comparison: equity.Comparison, unit: str) -> str:
    return equity.compared_values(comparison, unit)[1]


@register.filter
def difference(comparison: equity.Comparison, unit: str) -> str:
    return equity.difference_text(comparison, unit)


@register.filter
def verdict(comparison: equity.Comparison) -> str:
    return equity.verdict(comparison)


@register.simple_tag
def lookup(mapping: dict, *parts: str) -> object:
    return mapping.get(":".join(parts), "")
