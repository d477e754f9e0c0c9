"""The link-preview head: values are escaped and the shell's generic entries replaced."""

from citypulse.api.page_meta import head_tags, preload_tag, with_meta
from citypulse.services.sharing.page_meta import PageMeta

SHELL = (
    '<html><head><meta charSet="utf-8"/><title>Old</title>'
    '<meta name="description" content="old"/><meta property="og:title" content="old"/>'
    "<script>boot()</script></head><body></body></html>"
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
    assert "body:has(main) #cp-shell{display:none}" in page.split("</head>")[0]


def test_the_largest_image_is_preloaded_with_the_carousels_srcset() -> None:
    meta = PageMeta(title="t", description="d", image="/_upload/p.jpg",
                    image_srcset="/_upload/t.jpg 400w, /_upload/p.jpg 1600w")  # fmt: skip
    tag = preload_tag(meta)
    assert 'rel="preload" as="image" fetchpriority="high" href="/_upload/p.jpg"' in tag
    assert 'imagesrcset="/_upload/t.jpg 400w, /_upload/p.jpg 1600w"' in tag
    assert preload_tag(PageMeta(title="t", description="d")) == ""
