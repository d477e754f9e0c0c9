"""The prerendered pages' inline CSS: what their own markup can use, nothing else."""

from __future__ import annotations

from pathlib import Path

from citypulse.critical_css import (
    DEFERRED_CSS,
    CriticalCssPlugin,
    critical_css,
    defer_stylesheets,
    inline_critical_css,
)

MARKUP = (
    '<div class="radix-themes rt-Box" data-accent-color="teal" style="color:var(--inline)">'
    '<a class="rt-Link" href="/x.pdf">x</a></div>'
)
CSS = (
    "@layer base{*{margin:0}}"
    ":root{--used:1px;--chained:var(--deep);--deep:2px;--unused:3px;--inline:red}"
    ".radix-themes{padding:var(--used);margin:var(--chained)}"
    ".rt-Box:where(.rt-variant-solid){color:red}"
    ".rt-Link:where(.rt-Box,.rt-Link){color:blue}"
    ".rt-Card{border:1px}"
    ".rt-Link:hover{color:green}"
    ".rt-Link:not(.rt-Card){display:inline}"
    "[data-accent-color=teal]{--accent:teal}[data-accent-color=red]{--accent:red}"
    '.rt-Box a[href$=".pdf"]{font-weight:700}'
    ".dark .radix-themes{background:black}"
    "@media (min-width:768px){.rt-Card{x:1}.rt-Box{y:2}}"
    "@keyframes spin{to{transform:rotate(1turn)}}"
    "@font-face{font-family:X;src:url(x.woff2)}"
)


def test_keeps_only_the_rules_the_markup_can_use() -> None:
    kept = critical_css(CSS, MARKUP)
    assert "@layer base{*{margin:0}}" in kept
    assert ".radix-themes{padding:var(--used);margin:var(--chained)}" in kept
    assert ".rt-Link:where(.rt-Box,.rt-Link){color:blue}" in kept
    assert ".rt-Link:not(.rt-Card){display:inline}" in kept  # what :not() names is not needed
    assert '.rt-Box a[href$=".pdf"]{font-weight:700}' in kept
    assert ".dark .radix-themes{background:black}" in kept  # set by the colour-mode script
    assert "@media (min-width:768px){.rt-Box{y:2}}" in kept
    assert "@font-face{font-family:X;src:url(x.woff2)}" in kept
    for gone in ("rt-variant-solid", ".rt-Card{", ":hover", "=red", "@keyframes"):
        assert gone not in kept, gone


def test_keeps_only_the_custom_properties_that_are_read() -> None:
    kept = critical_css(CSS, MARKUP)
    assert ":root{--used:1px;--chained:var(--deep);--deep:2px;--inline:red}" in kept
    assert "--unused" not in kept
    assert "[data-accent-color=teal]{" not in kept  # --accent is read by nothing kept


def test_a_page_gets_its_css_inline_and_its_stylesheet_without_blocking(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "app.css").write_text(CSS, encoding="utf-8")
    head = '<head><link href="/assets/app.css" rel="stylesheet" type="text/css"/></head>'
    page = f"<html>{head}<body>{MARKUP}</body></html>"
    (tmp_path / "index.html").write_text(page, encoding="utf-8")
    (tmp_path / "404.html").write_text(page, encoding="utf-8")
    CriticalCssPlugin().post_build(static_dir=tmp_path)
    done = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert done.index("<style data-cp-critical>") < done.index('<link href="/assets/app.css"')
    assert f'type="text/css" media="print" {DEFERRED_CSS}/>' in done
    assert inline_critical_css(done, tmp_path) == done  # once only
    # The shell has a first paint of its own (api/page_meta.py).
    assert (tmp_path / "404.html").read_text(encoding="utf-8") == page


def test_defer_stylesheets_leaves_other_links_alone() -> None:
    page = '<link rel="preload" as="style" href="/a.css"/><link href="/a.css" rel="stylesheet"/>'
    assert defer_stylesheets(page) == (
        '<link rel="preload" as="style" href="/a.css"/>'
        f'<link href="/a.css" rel="stylesheet" media="print" {DEFERRED_CSS}/>'
    )
