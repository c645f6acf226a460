"""Template tags of the design: Designsystemet form fields, SDG goal tiles, status and trend, breadcrumbs, table regions."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from dugnad.web.vocab import localized, status_label, trend_parts

register = template.Library()


@register.filter
def ds_input(field):
    """A form field's widget with Designsystemet's ``ds-input`` class, described by its help text and its errors.

    The ids match ``web/components/form_fields.html``: ``<id>_helptext`` (Django's own) and ``<id>-error``.
    """
    attrs = {"class": "ds-input"}
    described = ([f"{field.auto_id}_helptext"] if field.help_text else []) + ([f"{field.auto_id}-error"] if field.errors else [])
    if described and field.auto_id:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


register.filter("localized", localized)
register.filter("status_text", status_label)


@register.inclusion_tag("web/components/status.html")
def status_badge(colour: str | None):
    """The four-colour status as a swatch and its label in words (grey when there is no colour)."""
    code = colour or "grey"
    return {"code": code, "label": status_label(code)}


@register.inclusion_tag("web/components/trend.html")
def trend_arrow(trend: str | None):
    """A trend arrow (up is always better) with its meaning in words; a dash when there is no trend."""
    arrow, label = trend_parts(trend)
    return {"code": trend or "", "arrow": arrow, "label": label}


@register.inclusion_tag("web/components/goal_tile.html")
def goal_tile(goal, *, name: str = "", score=None, status: str | None = None, trend: str | None = None,
              href: str = "", level: int = 3):
    """A tile for one SDG goal in its official colour: number, name, score, status in words and trend arrow.

    ``goal`` is a :class:`~dugnad.catalogue.models.Goal` or a goal number (then give ``name``).
    """
    number = getattr(goal, "number", goal)
    return {"number": number, "name": name or (localized(goal) if hasattr(goal, "number") else ""), "score": score,
            "status": status or "grey", "trend": trend, "href": href, "level": level}


@register.inclusion_tag("web/components/breadcrumbs.html", takes_context=True)
def breadcrumbs(context, *parts):
    """Breadcrumbs from alternating ``label, url`` arguments; the last label (without url) is the current page."""
    items = [{"label": parts[i], "url": parts[i + 1] if i + 1 < len(parts) else ""} for i in range(0, len(parts), 2)]
    return {"items": items, "request": context.get("request")}


class TableRegionNode(template.Node):
    """Renders its content inside a focusable, labelled region that scrolls sideways on its own."""

    def __init__(self, nodelist, label_parts):
        self.nodelist = nodelist
        self.label_parts = label_parts

    def render(self, context):
        label_id = "".join(str(part.resolve(context)) for part in self.label_parts)
        return format_html('<div class="dg-table-region" role="region" tabindex="0" aria-labelledby="{}">{}</div>',
                           label_id, self.nodelist.render(context))


@register.tag
def table_region(parser, token):
    """``{% table_region "caption-id" %}<table>…</table>{% endtable_region %}``: a wide table scrolls inside its region.

    The region is focusable (so keyboard users can scroll it) and labelled by the element with the given id,
    usually the table's caption; several arguments are joined into the id (``{% table_region "caption-" row.pk %}``).
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("table_region needs the id of the element that labels it")
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]])
