"""Addresses to files and pages made static (no database)."""

from __future__ import annotations

from dugnad.site.links import Site, page_file, relative, rewrite_page, root_index, topology_js


def test_an_address_maps_to_one_file_in_the_language_tree():
    assert page_file("/") == "index.html"
    assert page_file("/enheter/0301/") == "enheter/0301/index.html"
    assert page_file("/indikatorer/dugnad-demo/D01.1/") == "indikatorer/dugnad-demo/D01.1/index.html"
    assert page_file("/", "mal=3") == "mal-3.html"
    assert page_file("/indikatorer/x/y/", "niva=fylke") == "indikatorer/x/y/niva-fylke.html"
    assert page_file("/indikatorer/x/y/data.csv") == "indikatorer/x/y/data.csv"
    assert page_file("/embed/enheter/0301") == "embed/enheter/0301/index.html"
    assert page_file("/../../etc/passwd/") == "etc/passwd/index.html", "no way out of the tree"
    odd = page_file("/sammenlign/", "enheter=4601,46")
    assert odd.startswith("sammenlign/enheter-4601-46-") and odd.endswith(".html")
    assert odd != page_file("/sammenlign/", "enheter=4601 46")


def test_links_are_relative_and_name_the_file():
    assert relative("nb/enheter/0301/index.html", "nb/mal/3/index.html") == "../../mal/3/index.html"
    assert relative("nb/index.html", "static/web/dugnad.css") == "../static/web/dugnad.css"
    assert relative("nb/index.html", "nb/enheter/index.html") == "enheter/index.html"


PAGE = """<html><head><link rel="stylesheet" href="/static/web/dugnad.css">
<script src="/static/web/charts.js" data-vendor="/static/web/vendor/vega/" defer></script></head>
<body hx-headers='{"X-CSRFToken": "abc"}'>
<a href="/">Dugnad</a> <a href="/mal/3/#goal-3">Mål 3</a> <a href="/logg-inn/">Logg inn</a> <a href="#main">hopp</a>
<a href="http://testserver/enheter/4601/">Bergen</a> <a href="https://example.org/x">ute</a> <a href="?niva=fylke">fylker</a>
<form class="dg-language" action="/i18n/setlang/" method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
<button name="language" value="nn">Nynorsk</button></form>
<form action="/enheter/" method="get"><input name="q"></form>
<figure><script type="application/json">{"data": {"url": "/static/web/maps/2024.topo.json"}}</script></figure>
</body></html>"""


def _site(base_url: str = "") -> Site:
    return Site(is_page=lambda path: not path.startswith("/logg-inn/"), base_url=base_url)


def test_a_page_is_made_static_with_relative_links_and_no_server_forms():
    out = rewrite_page(PAGE, url="/indikatorer/x/y/", lang="nn", site=_site())
    html = out.html
    assert 'href="../../../../static/web/dugnad.css"' in html
    assert 'data-vendor="../../../../static/web/vendor/vega/"' in html
    assert 'href="../../../index.html"' in html and 'href="../../../mal/3/index.html#goal-3"' in html
    assert 'href="../../../enheter/4601/index.html"' in html and 'href="niva-fylke.html"' in html
    assert "<a>Logg inn</a>" in html, "a link to the live site without --base-url loses its href"
    assert 'href="#main"' in html and 'href="https://example.org/x"' in html
    assert "csrf" not in html.lower() and "<form" not in html
    assert 'href="../../../../nb/indikatorer/x/y/index.html" lang="nb"' in html, "language buttons became links"
    assert '"url": "../../../../static/web/maps/2024.topo.json"' in html
    assert html.index("static/site/2024.topo.js") < html.index("static/site/site.js") < html.index("web/charts.js")
    assert out.topologies == {"2024"}
    assert out.pages == {"/", "/mal/3/", "/enheter/4601/", "/indikatorer/x/y/?niva=fylke"}
    assert out.statics == {"/static/web/dugnad.css", "/static/web/charts.js", "/static/web/vendor/vega/"}


def test_with_a_base_url_server_links_and_get_forms_point_at_the_live_site():
    html = rewrite_page(PAGE, url="/", lang="nb", site=_site("https://dugnad.example.no/")).html
    assert '<a href="https://dugnad.example.no/logg-inn/">Logg inn</a>' in html
    assert 'action="https://dugnad.example.no/enheter/"' in html
    assert "setlang" not in html, "the language form is links either way"


def test_the_root_index_opens_the_first_language_and_topologies_register_themselves():
    assert 'url=nb/index.html' in root_index(("nb", "nn", "en"))
    script = topology_js("2024", b'{"type": "Topology"}\n')
    assert script.endswith(b'window.dugnadTopology["2024"] = {"type": "Topology"};\n')


def test_only_level_and_goal_choices_are_exported_and_embed_snippets_follow_the_base_url():
    page = ('<a href="/enheter/4601/?ar=2020">2020</a> <a href="/?mal=3">3</a> <a href="/enheter/4601/data.csv">CSV</a>'
            '<figure><details class="dg-figure__embed"><summary>Bygg inn</summary><textarea>&lt;iframe '
            'src=&quot;http://testserver/embed/kart/enhet/4601/&quot;&gt;</textarea></details></figure>')
    out = rewrite_page(page, url="/", lang="nb", site=_site())
    assert out.pages == {"/?mal=3", "/enheter/4601/data.csv"}
    assert "<a>2020</a>" in out.html and 'href="enheter/4601/data.csv"' in out.html and "Bygg inn" not in out.html
    live = rewrite_page(page, url="/", lang="nb", site=_site("https://dugnad.example.no")).html
    assert 'href="https://dugnad.example.no/enheter/4601/?ar=2020"' in live
    assert "src=&quot;https://dugnad.example.no/embed/kart/enhet/4601/&quot;" in live and "testserver" not in live


def test_the_page_digests_account_for_every_field_of_the_portal_snapshot():
    import dataclasses

    from dugnad.portal.snapshot import PortalSnapshot
    from dugnad.site.inputs import KNOWN_FIELDS

    fields = {f.name for f in dataclasses.fields(PortalSnapshot)}
    assert fields == KNOWN_FIELDS, "a new snapshot field: add it to the page digests in dugnad.site.inputs"


def test_without_a_base_url_an_exported_embed_page_keeps_its_link_and_loses_the_snippet():
    def box(href: str) -> str:
        return ('<figure><details class="dg-figure__embed">\n    <summary>Bygg inn</summary>\n'
                '    <label for="m-embed">Kopier koden:</label>\n'
                '    <textarea id="m-embed" class="dg-figure__embed-code" rows="3" readonly>&lt;iframe '
                f'src=&quot;http://testserver{href}&quot;&gt;</textarea>\n'
                f'    <p class="dg-figure__embed-page"><a href="{href}">Se figuren</a></p>\n  </details>\n</figure>')

    site = Site(is_page=lambda path: not path.startswith("/embed/graf/4601/"))
    out = rewrite_page(box("/embed/kart/enhet/4601/"), url="/enheter/4601/", lang="nb", site=site)
    assert out.pages == {"/embed/kart/enhet/4601/"}
    assert 'href="../../embed/kart/enhet/4601/index.html"' in out.html and "Bygg inn" in out.html
    assert "textarea" not in out.html and "iframe" not in out.html and "testserver" not in out.html
    gone = rewrite_page(box("/embed/graf/4601/x/y/"), url="/enheter/4601/", lang="nb", site=site)
    assert "Bygg inn" not in gone.html and gone.pages == set(), "a box whose embed page is not exported goes"
    chosen = rewrite_page(box("/embed/sammenlign/x/y/?enheter=4601"), url="/sammenlign/", lang="nb", site=site)
    assert "Bygg inn" not in chosen.html, "an embed of a chosen comparison is not exported either"
    live = rewrite_page(box("/embed/graf/4601/x/y/"), url="/enheter/4601/", lang="nb",
                        site=Site(is_page=site.is_page, base_url="https://dugnad.example.no")).html
    assert "src=&quot;https://dugnad.example.no/embed/graf/4601/x/y/&quot;" in live
    assert 'href="https://dugnad.example.no/embed/graf/4601/x/y/"' in live


def test_without_a_base_url_a_snippet_naming_the_public_address_stays():
    """DUGNAD_PUBLIC_URL set: the snippets name the public site, not the export's host, so they are kept; the link
    leads to the exported embed page, or to the public one when it is not exported."""
    def box(href: str) -> str:
        return ('<figure><details class="dg-figure__embed">\n    <summary>Bygg inn</summary>\n'
                '    <label for="m-embed">Kopier koden:</label>\n'
                '    <textarea id="m-embed" class="dg-figure__embed-code" rows="3" readonly>&lt;iframe '
                f'src=&quot;https://dugnad.example.no{href}&quot; title=&quot;Kart&quot;&gt;</textarea>\n'
                f'    <p class="dg-figure__embed-page"><a href="{href}">Se figuren</a></p>\n  </details>\n</figure>')

    site = Site(is_page=lambda path: not path.startswith("/embed/graf/"))
    out = rewrite_page(box("/embed/kart/enhet/4601/"), url="/enheter/4601/", lang="nb", site=site).html
    assert "src=&quot;https://dugnad.example.no/embed/kart/enhet/4601/&quot;" in out
    assert 'href="../../embed/kart/enhet/4601/index.html"' in out
    live = rewrite_page(box("/embed/graf/4601/x/y/"), url="/enheter/4601/", lang="nb", site=site)
    assert "src=&quot;https://dugnad.example.no/embed/graf/4601/x/y/&quot;" in live.html
    assert 'href="https://dugnad.example.no/embed/graf/4601/x/y/"' in live.html and live.pages == set()
    back = '<a href="https://dugnad.example.no/enheter/4601/" target="_top">Bergen</a> <a href="https://dugnad.example.no/logg-inn/">x</a>'
    site = Site(is_page=lambda path: path.startswith("/enheter/"), public_url="https://dugnad.example.no")
    out = rewrite_page(back, url="/embed/kart/enhet/4601/", lang="nb", site=site)
    assert 'href="../../../../enheter/4601/index.html" target="_top"' in out.html, "the link back to an exported page"
    assert 'href="https://dugnad.example.no/logg-inn/"' in out.html and out.pages == {"/enheter/4601/"}
