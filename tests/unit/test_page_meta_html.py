"""The link-preview head: values are escaped and the shell's generic entries replaced."""

import gzip

from citypulse.api.page_meta import (
    head_tags,
    preload_tag,
    shell_body,
    shell_response,
    with_meta,
)
from citypulse.services.sharing.page_meta import PageMeta, ShellCard

SHELL = (
    '<html><head><meta charSet="utf-8"/><title>Old</title>'
    '<meta name="description" content="old"/><meta property="og:title" content="old"/>'
    "<script>boot()</script></head><body></body></html>"
)
# What Reflex exports: the global styles preloaded, then the render-blocking link.
STYLES = (
    '<link as="style" href="/assets/__reflex_global_styles-X.css" rel="preload"/>'
    '<link href="/assets/__reflex_global_styles-X.css" rel="stylesheet" type="text/css"/>'
)


def test_values_are_escaped_and_urls_absolute() -> None:
    meta = PageMeta(
        title='"><script>x</script> · CityPulse', description="a & b", image="/_upload/p.jpg"
    )
    tags = head_tags(meta, "https://city-pulse.app/recommendations/1", "https://city-pulse.app")
    assert "<script>x" not in tags
    assert 'content="&quot;&gt;&lt;script&gt;x&lt;/script&gt; · CityPulse"' in tags
    assert 'content="a &amp; b"' in tags
    assert '<meta property="og:image" content="https://city-pulse.app/_upload/p.jpg"/>' in tags


def test_the_shells_generic_title_and_tags_are_replaced() -> None:
    page = with_meta(SHELL, "<title>New</title>", skeleton=False)
    assert page.count("<title>") == 1 and "<title>New</title></head>" in page
    assert "old" not in page and "<script>boot()</script>" in page and 'charSet="utf-8"' in page


def test_the_skeleton_paints_first_and_yields_to_the_app() -> None:
    page = with_meta(SHELL, "<title>New</title>")
    assert '<body><div id="cp-shell" aria-hidden="true">' in page
    head = page.split("</head>")[0]
    # The shell goes, and the app shows, once the app has rendered the page's heading
    # and its stylesheet applies (page-shell.js marks <html data-cp-styled>).
    assert "html[data-cp-styled] body:has(main h1) #cp-shell{display:none}" in head
    assert "html:not([data-cp-styled]) #cp-shell~[data-is-root-theme]," in head
    assert "#cp-shell~[data-is-root-theme]:not(:has(main h1)){visibility:hidden;" in head
    assert "page-shell.js" not in page  # the head script every page has does it
    assert 'class="line title"' in page  # nothing known about the page: placeholders


def test_the_global_stylesheet_does_not_hold_the_shells_first_paint() -> None:
    shell = SHELL.replace("</head>", STYLES + "</head>")
    page = with_meta(shell, "<title>New</title>")
    assert (
        '<link as="style" href="/assets/__reflex_global_styles-X.css" rel="preload"/>'
        '<link href="/assets/__reflex_global_styles-X.css" rel="stylesheet" type="text/css"'
        ' media="print" data-cp-deferred-css/>'
    ) in page
    assert page.count('media="print"') == 1
    # A link preview's page (no skeleton) is left as exported.
    assert STYLES in with_meta(shell, "<title>New</title>", skeleton=False)


def test_the_first_paint_shows_the_page_itself_escaped() -> None:
    place = PageMeta(
        title="t",
        description="d",
        image="/_upload/p.jpg",
        image_srcset="/_upload/t.jpg 400w, /_upload/p.jpg 1600w",
        heading="<b>Pai</b>",
        subheading="Toronto, Ontario, Canada · Restaurant",
    )
    body = shell_body(place)
    assert '<p class="head">&lt;b&gt;Pai&lt;/b&gt;</p>' in body and "<b>" not in body
    assert '<p class="sub">Toronto, Ontario, Canada · Restaurant</p>' in body
    assert (
        '<img class="hero" src="/_upload/p.jpg" srcset="/_upload/t.jpg 400w, /_upload/p.jpg'
        ' 1600w" sizes="(max-width: 440px) 100vw, 800px" alt="" fetchpriority="high"/>'
    ) in body
    assert "<h1" not in body  # the app's heading is the page's one h1
    city = PageMeta(
        title="t",
        description="d",
        heading="Toronto",
        lead="Lake & islands",
        cards=(ShellCard("Island Park", "/_upload/a_thumb.jpg"), ShellCard("No photo", "")),
    )
    body = shell_body(city)
    assert '<p class="lead">Lake &amp; islands</p>' in body
    assert '<img src="/_upload/a_thumb.jpg" alt="" width="400" height="300"/>' in body
    assert "<div>Island Park</div>" in body and '<img alt=""/><div>No photo</div>' in body
    assert "hero" not in body.split("</style>")[-1]


def test_the_largest_image_is_preloaded_with_the_carousels_srcset() -> None:
    meta = PageMeta(title="t", description="d", image="/_upload/p.jpg",
                    image_srcset="/_upload/t.jpg 400w, /_upload/p.jpg 1600w")  # fmt: skip
    tag = preload_tag(meta)
    assert 'rel="preload" as="image" fetchpriority="high" href="/_upload/p.jpg"' in tag
    assert 'imagesrcset="/_upload/t.jpg 400w, /_upload/p.jpg 1600w"' in tag
    assert preload_tag(PageMeta(title="t", description="d")) == ""


def test_a_city_preloads_its_first_cards_photo() -> None:
    meta = PageMeta(title="t", description="d", image="/_upload/cover.jpg",
                    cards=(ShellCard("A", "/_upload/a_thumb.jpg"),))  # fmt: skip
    assert preload_tag(meta) == (
        '<link rel="preload" as="image" fetchpriority="high" href="/_upload/a_thumb.jpg"/>'
    )


def _scope(accept_encoding: str) -> dict:
    return {"type": "http", "headers": [(b"accept-encoding", accept_encoding.encode())]}


def test_the_shell_is_sent_gzipped_and_never_cached_stale() -> None:
    page = "<html>" + "Toronto " * 500 + "</html>"
    zipped = shell_response(page, _scope("gzip, deflate, br"))
    assert zipped.headers["content-encoding"] == "gzip"
    assert zipped.headers["cache-control"] == "no-cache"
    assert zipped.headers["vary"] == "Accept-Encoding"
    assert gzip.decompress(zipped.body).decode() == page
    assert len(zipped.body) < len(page) // 10
    plain = shell_response(page, _scope(""))
    assert "content-encoding" not in plain.headers and plain.body.decode() == page


def test_the_largest_photo_is_asked_for_before_the_apps_module_preloads() -> None:
    shell = (
        '<html lang="en"><head><meta charSet="utf-8"/><link rel="modulepreload" href="/a.js"/>'
        "<title>Old</title></head><body></body></html>"
    )
    first = '<link rel="preload" as="image" href="/_upload/p.jpg"/>'
    page = with_meta(shell, "<title>New</title>", first=first)
    assert page.startswith(f'<html lang="en"><head><meta charSet="utf-8"/>{first}<link rel="mod')
