"""Numbers and dates in the page's language («17 446,5», «18. januar 2027»; "17,446.5", "18 January 2027")."""

from __future__ import annotations

import datetime as dt
import functools
import html

from django import template
from django.utils import dateformat, timezone
from django.utils.html import escape, format_html, json_script
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dugnad.analytics.maps.spec import number_text

register = template.Library()


def _lang() -> str:
    return (get_language() or "nb")[:2]


@register.filter
def num(value, decimals: int = 1) -> str:
    """A number as the page's language writes it (a dash when there is none)."""
    if value is None or value == "":
        return "–"
    return number_text(float(value), lang=_lang(), decimals=int(decimals))


@register.filter
def longdate(value) -> str:
    """A date written out: «18. januar 2027» in Norwegian, "18 January 2027" in English."""
    if not value:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, "j F Y" if _lang() == "en" else "j. F Y")


@register.filter
def local_name(obj) -> str:
    """A catalogue object's name in the page's language (``name_nn``/``name_en`` when set, else bokmål)."""
    return getattr(obj, f"name_{_lang()}", "") or getattr(obj, "name_nb", "") or getattr(obj, "name", "")


@register.filter
def get_lang(names: dict, lang: str) -> str:
    """A name in the language from a ``{"nb", "nn", "en"}`` mapping (bokmål when missing)."""
    return names.get(lang) or names.get("nb", "")


def _escape(value) -> str:
    """``conditional_escape`` without its wrappers, the same text: a unit page escapes ~4,000 values (its figures'
    tables), and Django's lazy-aware wrappers were a tenth of rendering it."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _cell(cell, first: bool) -> str:
    inner = f'<a href="{_escape(cell.href)}">{_escape(cell.text)}</a>' if cell.href else _escape(cell.text)
    if first:
        return f'<th scope="row">{inner}</th>'
    return f'<td class="num">{inner}</td>' if cell.numeric else f"<td>{inner}</td>"


@register.simple_tag(takes_context=True)
def figure_html(context, figure) -> str:
    """``web/components/figure.html`` written in Python: the same markup, a hundredth of the time (pages with dozens of
    figures). ``tests/web/test_portal_pages.py`` checks that both give the same HTML."""
    if not figure:
        return ""
    from django.utils.translation import gettext as _

    fid = _escape(figure.dom_id)
    demo = format_html(' <span class="dg-demo-tag">{}</span>', context.get("demo_label", "")) if figure.demo else ""
    help_text = (_("Pek på et område i kartet for å se navn og verdi. Det samme står i tabellen.") if figure.kind == "map"
                 else _("Pek på figuren for å se verdiene. Det samme står i tabellen."))
    parts = [
        f'<figure class="dg-figure dg-{_escape(figure.kind)}" id="{fid}" aria-labelledby="{fid}-title">\n',
        f'  <figcaption class="dg-figure__title" id="{fid}-title">{_escape(figure.title)}{demo}</figcaption>\n',
        f'  <div class="dg-figure__canvas dg-figure__canvas--{_escape(figure.size)}" role="img" tabindex="0" '
        f'aria-label="{_escape(figure.alt)}" aria-describedby="{fid}-help"></div>\n',
        f"  {json_script(figure.spec, figure.spec_id)}\n",
        f'  <p class="dg-figure__help" id="{fid}-help">{_escape(help_text)}</p>\n',
    ]
    table = figure.table
    if table:
        summary = _("Vis kartet som tabell") if figure.kind == "map" else _("Vis figuren som tabell")
        cid = _escape(table.caption_id)
        num_class = ' class="num"'
        head = "".join(f'<th scope="col"{num_class if c.numeric else ""}>{_escape(c.label)}</th>'
                       for c in table.columns)
        body = "".join("<tr>" + "".join(_cell(cell, i == 0) for i, cell in enumerate(row)) + "</tr>" for row in table.rows)
        parts.append(
            f'  <details class="dg-figure__table"{" open" if figure.table_open else ""}>\n'
            f"    <summary>{_escape(summary)}</summary>\n"
            f'    <div class="dg-table-region" role="region" tabindex="0" aria-labelledby="{cid}">\n'
            f'<table class="ds-table data-table" data-border="true">\n'
            f'  <caption id="{cid}">{_escape(table.caption)}</caption>\n'
            f"  <thead><tr>{head}</tr></thead>\n  <tbody>{body}</tbody>\n</table>\n</div>\n\n  </details>\n")
    if figure.attribution:
        parts.append(f'  <p class="dg-figure__source">{_escape(figure.attribution)}</p>\n')
    if figure.embed_url:
        parts.append(_embed_details(context, figure))
    parts.append("</figure>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def indicator_lines(context, b) -> str:
    """A unit page's indicator lines of one goal (``b``: a block of ``unit_detail``'s ``blocks``): the markup the page
    template's loop wrote, written in Python (about 80 lines a page, which were a third of rendering a unit page).
    ``tests/web/test_portal_pages.py`` checks that both give the same HTML."""
    from django.utils.translation import gettext as _

    from dugnad.web.portal_figures import url_of

    number = b["block"].goal.number
    lang = context.get("lang", "nb")
    parent = _escape(context.get("parent_name", ""))
    country = _escape(context.get("country_name", ""))
    value_word, status_word, trend_word = (_escape(_(w)) for w in ("Verdi", "Status", "Utvikling"))
    similar_word = _escape(_("Kommuner av samme størrelse"))
    parts = []
    for counter, item in enumerate(b["lines"], start=1):
        line = item["line"]
        ind, cell = line.indicator, line.cell
        line_id = f"ind-{number}-{counter}"
        if cell:
            value = (f"{_escape(num(cell.value))} {_escape(ind.unit_of_measure)}"
                     + (f" ({cell.year})" if cell.year else ""))
        else:
            value = "–"
        county = f"<div><dt>{parent}</dt><dd>{_escape(num(line.county.value))}</dd></div>" if line.county else ""
        national = (f"<div><dt>{country}</dt><dd>{_escape(num(line.country.value))}</dd></div>"
                    if line.country else "")
        similar = (f"<div><dt>{similar_word}</dt><dd>{_escape(num(line.similar))}</dd></div>"
                   if line.similar is not None else "")
        chart = figure_html(context, item["chart"]) if item["chart"] else ""
        href = _escape(url_of("portal-indicator", ind.framework, ind.code))
        parts.append(
            f'\n    <article class="dg-indicator-line" aria-labelledby="{line_id}">\n'
            f'      <h4 id="{line_id}" class="ds-heading" data-size="2xs"><a href="{href}">'
            f'{_escape(item["name"])}</a>{value_label(line.provenance, lang)}</h4>\n'
            f'      <dl class="dg-facts">\n'
            f"        <div><dt>{value_word}</dt><dd>{value}</dd></div>\n"
            f"        <div><dt>{status_word}</dt><dd>{cell_status_html(cell)}</dd></div>\n"
            f"        <div><dt>{trend_word}</dt><dd>{trend_html(cell.trend if cell is not None else '')}</dd></div>\n"
            f"        {county}\n        {national}\n        {similar}\n"
            f"      </dl>\n      {chart}\n    </article>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def _embed_details(context, figure) -> str:
    from django.utils.translation import gettext as _

    fid = _escape(figure.dom_id)
    return (f'  <details class="dg-figure__embed">\n    <summary>{_escape(_("Bygg inn"))}</summary>\n'
            f'    <label for="{fid}-embed">{_escape(_("Kopier koden og lim den inn på nettsiden din:"))}</label>\n'
            f'    <textarea id="{fid}-embed" class="dg-figure__embed-code" rows="3" readonly>'
            f"{escape(str(embed_snippet(context, figure)))}</textarea>\n"
            f'    <p class="dg-figure__embed-page"><a href="{escape(figure.embed_url)}">'
            f'{_escape(_("Se figuren slik den vises innebygd"))}</a></p>\n  </details>\n')


@register.simple_tag(takes_context=True)
def embed_snippet(context, figure) -> str:
    """The ``<iframe>`` another site pastes to show the figure: the embed page's public address (``DUGNAD_PUBLIC_URL``,
    else the host the page was asked for; the bare path without a request)."""
    from dugnad.web.public_address import public_url

    src = public_url(figure.embed_url, context.get("request"))
    height = 560 if figure.kind == "map" else 420
    return format_html('<iframe src="{}" title="{}" width="100%" height="{}" style="border:0" loading="lazy"></iframe>',
                       src, figure.title, height)


@register.simple_tag(takes_context=True)
def figure_embed(context, figure) -> str:
    """The «Bygg inn» details of ``web/components/figure.html`` (empty without an embed address)."""
    return mark_safe(_embed_details(context, figure)) if figure and figure.embed_url else ""  # noqa: S308 - escaped


@register.filter
def status_html(colour: str | None) -> str:
    """``{% status_badge %}``'s markup from Python, for long tables (made once per colour and language)."""
    return _status_markup(colour or "grey", get_language())


@functools.lru_cache(maxsize=256)
def _status_markup(code: str, language: str | None) -> str:
    from dugnad.web.vocab import status_label

    swatch = mark_safe('<span class="dg-status__swatch" aria-hidden="true"></span>')
    return format_html('<span class="dg-status dg-status--{}">{}{}</span>', code, swatch, status_label(code))


@register.filter
def cell_status_html(cell) -> str:
    """A portal cell's status: the four colours (grey «Mangler data» without a value), or for a value of a year the
    score run did not score, «Ingen poengberegning for YYYY» (no status was computed for it, so none is shown)."""
    from django.utils.translation import gettext as _

    from dugnad.portal.selectors import UNSCORED

    if cell is not None and cell.colour == UNSCORED and cell.score is None and cell.year:
        text = _("Ingen poengberegning for %(year)s") % {"year": cell.year}
        return format_html('<span class="dg-status dg-status--unscored">{}</span>', text)
    return status_html(cell.colour if cell is not None else None)


@register.filter
def trend_html(trend: str | None) -> str:
    """``{% trend_arrow %}``'s markup from Python, for long tables (made once per trend and language)."""
    return _trend_markup(trend, get_language())


@functools.lru_cache(maxsize=256)
def _trend_markup(trend: str | None, language: str | None) -> str:
    from dugnad.web.vocab import trend_parts

    arrow, label = trend_parts(trend)
    if not arrow:
        return mark_safe('<span class="dg-trend dg-trend--none">–</span>')
    return format_html('<span class="dg-trend dg-trend--{}"><span class="dg-trend__arrow" aria-hidden="true">{}</span> {}</span>',
                       trend or "", arrow, label)


@register.filter
def value_label(provenance, lang: str = "nb") -> str:
    """A value's provenance tag (``observations.provenance``): the demo label on demo values, «Kilde: …» on real
    ones (with a link to the source when it has one), «Registrert av kommunen» on entered ones; '' for None."""
    if provenance is None:
        return ""
    text = provenance.label(lang)
    if not text:
        return ""
    if provenance.is_demo:
        return format_html(' <span class="dg-demo-tag">{}</span>', text)
    title = provenance.note(lang)
    if provenance.url:
        return format_html(' <span class="dg-source-tag"><a href="{}" title="{}">{}</a></span>', provenance.url, title, text)
    return format_html(' <span class="dg-source-tag" title="{}">{}</span>', title, text)


@register.filter
def demo_tag(provenance, lang: str = "nb") -> str:
    """The demo label on a demo value only (rows of long tables, where a source on every row would be noise)."""
    if provenance is None or not provenance.is_demo:
        return ""
    return format_html(' <span class="dg-demo-tag">{}</span>', provenance.label(lang))
