"""The link-preview head: values are escaped and the shell's generic entries replaced."""

from citypulse.api.page_meta import head_tags, with_meta
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
    page = with_meta(SHELL, "<title>New</title>")
    assert page.count("<title>") == 1 and "<title>New</title></head>" in page
    assert "old" not in page and "<script>boot()</script>" in page and 'charSet="utf-8"' in page
