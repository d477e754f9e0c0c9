"""The prerendered pages paint without waiting for the global stylesheet (issue 15 item 11).

`/`, `/login`, `/about`, ... are exported as Radix markup that needs the app's global
stylesheet (Radix themes: ~700 KB of CSS, 83 KB gzipped) to look right, and the browser
holds their first paint until it has fetched and parsed all of it. After every export
(`CriticalCssPlugin.post_build`: `reflex export`, `reflex run --env prod`, the e2e
harness, the backend image) each page gets, inline, only the rules that can apply to its
own markup, with only the custom properties those rules and the markup use; its link to
the global stylesheet is then made non-blocking the way the shared pages' shell does it
(`media="print" data-cp-deferred-css`, switched on by assets/page-shell.js once loaded).
The first paint looks as before, just sooner; then the whole stylesheet applies.

The match is deliberately loose (over-keeping only costs bytes): classes, ids and
attribute values must occur in the page, whatever sits inside `:not()`/`:has()` and
element names are ignored. Rules for states a first paint cannot be in (hover, focus)
and `@keyframes` are left to the full stylesheet. The shell (`404.html`, served for the
shared pages by api/page_meta.py) is not touched: it has its own first paint.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from reflex_base.plugins.base import Plugin

SKIPPED = frozenset({"404.html", "__spa-fallback.html"})
# Set on <html> by the colour-mode script before the first paint.
RUNTIME_CLASSES = frozenset({"dark", "light", "dark-theme", "light-theme"})
DEFERRED_CSS = "data-cp-deferred-css"  # a stylesheet page-shell.js switches on when loaded
# The exported pages' render-blocking stylesheet links (Reflex writes one, the global
# styles, after a <link rel="preload" as="style"> of the same file, so it is already on
# its way at high priority).
_STYLESHEET = re.compile(r'<link (?=[^>]*\brel="stylesheet")([^>]*?)\s*/?>')
_HREF = re.compile(r'\bhref="([^"]+)"')
_GROUPS = ("@media", "@supports", "@layer", "@container")
_DROPPED_AT_RULES = ("@keyframes", "@-webkit-keyframes")
_USER_STATES = re.compile(r":(?:hover|active|focus|focus-visible|focus-within)\b")
_SAME_ELEMENT = re.compile(r":(?:is|where|matches|-webkit-any)\(")
_CLASS = re.compile(r"\.((?:\\.|[\w-])+)")
_ID = re.compile(r"#((?:\\.|[\w-])+)")
_ATTRIBUTE = re.compile(
    r"""\[\s*([\w-]+)\s*(?:([~|^$*]?=)\s*("[^"]*"|'[^']*'|[^\]\s]+))?[^\]]*\]"""
)
_VAR = re.compile(r"var\(\s*(--[\w-]+)")


class PageMarkup(HTMLParser):
    """What a page's markup holds: its classes, ids and attribute values."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.classes: set[str] = set(RUNTIME_CLASSES)
        self.ids: set[str] = set()
        self.attributes: dict[str, set[str]] = {}
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            self.attributes.setdefault(name, set()).add(value or "")
            if name == "class" and value:
                self.classes.update(value.split())
            elif name == "id" and value:
                self.ids.add(value)


def _unescape(name: str) -> str:
    return re.sub(r"\\(.)", r"\1", name)


def _matching_paren(text: str, start: int) -> int:
    """The index of the `)` closing the `(` at `start - 1` (or the end of `text`)."""
    depth = 1
    for index in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index
    return len(text)


def may_match(selector: str, page: PageMarkup) -> bool:
    """Whether `selector` can match something in `page` (never False when it can)."""
    if _USER_STATES.search(selector):
        return False
    while found := _SAME_ELEMENT.search(selector):  # their selectors apply to this element
        end = _matching_paren(selector, found.end())
        options = split_top_level(selector[found.end() : end], ",")
        if not any(may_match(option, page) for option in options):
            return False
        selector = selector[: found.start()] + selector[end + 1 :]
    while (start := selector.find("(")) >= 0:  # :not(), :has(), :nth-child(): not required
        selector = selector[:start] + selector[_matching_paren(selector, start + 1) + 1 :]
    for name, operator, value in _ATTRIBUTE.findall(selector):
        values = page.attributes.get(name)
        if values is None or (operator == "=" and value.strip("\"'") not in values):
            return False
    selector = _ATTRIBUTE.sub("", selector)  # `[href$=".pdf"]` names no class
    if any(_unescape(name) not in page.classes for name in _CLASS.findall(selector)):
        return False
    return all(_unescape(name) in page.ids for name in _ID.findall(selector))


def split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at `separator` outside brackets and strings."""
    parts, depth, quote, start = [], 0, "", 0
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote and text[index - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def blocks(css: str) -> list[tuple[str, str | None]]:
    """Top-level `(prelude, body)` pairs; `body` is None for a statement (`@layer a,b;`)."""
    found, depth, quote, start, prelude = [], 0, "", 0, ""
    for index, char in enumerate(css):
        if quote:
            quote = "" if char == quote and css[index - 1] != "\\" else quote
        elif char in "\"'":
            quote = char
        elif char == "{":
            if depth == 0:
                prelude, start = css[start:index].strip(), index + 1
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                found.append((prelude, css[start:index]))
                start = index + 1
        elif char == ";" and depth == 0:
            found.append((css[start:index].strip(), None))
            start = index + 1
    return found


@dataclass(frozen=True)
class Rule:
    """One parsed rule: a statement (`@layer a,b;`), a group (`@media`, `@layer`: its
    `rules`), another at-rule (`@font-face`: kept whole) or a style rule."""

    prelude: str
    selectors: tuple[str, ...] = ()
    declarations: tuple[str, ...] = ()
    rules: tuple[Rule, ...] | None = None
    statement: bool = False


@functools.lru_cache(maxsize=4)
def parse(css: str) -> tuple[Rule, ...]:
    """The stylesheet as rules (parsed once per export, not once per page)."""
    parsed = []
    for prelude, body in blocks(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        if body is None:
            parsed.append(Rule(prelude, statement=True))
        elif prelude.startswith(_GROUPS):
            parsed.append(Rule(prelude, rules=parse(body)))
        elif prelude.startswith(_DROPPED_AT_RULES):
            continue
        elif prelude.startswith("@"):  # @font-face, @property: small, and lazy
            parsed.append(Rule(prelude, declarations=(body,)))
        else:
            selectors = tuple(split_top_level(prelude, ","))
            parsed.append(Rule(prelude, selectors, tuple(split_top_level(body, ";"))))
    return tuple(parsed)


def _matching(rules: tuple[Rule, ...], page: PageMarkup) -> list[Rule]:
    """The rules that may apply to `page`, with only the selectors that may match."""
    kept: list[Rule] = []
    for rule in rules:
        if rule.rules is not None:
            if inner := _matching(rule.rules, page):
                kept.append(Rule(rule.prelude, rules=tuple(inner)))
        elif rule.statement or not rule.selectors:
            kept.append(rule)
        elif selectors := tuple(s for s in rule.selectors if may_match(s, page)):
            kept.append(Rule(",".join(selectors), selectors, rule.declarations))
    return kept


def _declarations(rules: list[Rule] | tuple[Rule, ...]) -> list[str]:
    found: list[str] = []
    for rule in rules:
        found += _declarations(rule.rules) if rule.rules is not None else rule.declarations
    return found


def _used_properties(rules: list[Rule], markup: str) -> set[str]:
    """Custom properties read by the kept rules or the markup, and those they read."""
    defined: dict[str, list[str]] = {}
    used = set(_VAR.findall(markup))
    for declaration in _declarations(rules):
        name, _, value = declaration.partition(":")
        if name.strip().startswith("--"):
            defined.setdefault(name.strip(), []).append(value)
        else:
            used.update(_VAR.findall(value))
    pending = list(used)
    while pending:
        for value in defined.get(pending.pop(), []):
            for name in _VAR.findall(value):
                if name not in used:
                    used.add(name)
                    pending.append(name)
    return used


def _serialise(rules: list[Rule] | tuple[Rule, ...], used: set[str]) -> str:
    out = []
    for rule in rules:
        if rule.rules is not None:
            inner = _serialise(rule.rules, used)
            out.append(f"{rule.prelude}{{{inner}}}" if inner else "")
        elif rule.statement:
            out.append(f"{rule.prelude};")
        else:
            declarations = [
                d for d in rule.declarations
                if not d.startswith("--") or d.partition(":")[0].strip() in used
            ]  # fmt: skip
            out.append(f"{rule.prelude}{{{';'.join(declarations)}}}" if declarations else "")
    return "".join(out)


def critical_css(css: str, markup: str) -> str:
    """The part of `css` that can style `markup` as it is first painted."""
    rules = _matching(parse(css), PageMarkup(markup))
    return _serialise(rules, _used_properties(rules, markup))


def inline_critical_css(markup: str, static_dir: Path) -> str:
    """`markup` with the critical part of its stylesheets inline, in their place, and the
    stylesheets themselves loaded without holding the first paint."""
    links = [_HREF.search(link.group(1)) for link in _STYLESHEET.finditer(markup)]
    if not links or DEFERRED_CSS in markup:
        return markup
    files = [static_dir / link.group(1).lstrip("/") for link in links if link]
    css = "".join(file.read_text(encoding="utf-8") for file in files)
    # A function as replacement: the CSS holds backslashes re.sub would read as escapes.
    style = f"<style data-cp-critical>{critical_css(css, markup)}</style>"
    page = _STYLESHEET.sub(lambda m: style + m.group(0), markup, count=1)
    return defer_stylesheets(page)


def defer_stylesheets(page: str) -> str:
    """The page's stylesheets no longer hold its first paint: `media="print"` until
    assets/page-shell.js (in every page's head script) sees them loaded and sets
    `media="all"`. No inline `onload`: the CSP allows no inline handlers. Only for a page
    that paints without them: the shell (its own <style>, the app hidden until then) or
    a prerendered page with its critical CSS inline."""
    return _STYLESHEET.sub(lambda m: f'<link {m.group(1)} media="print" {DEFERRED_CSS}/>', page)


class CriticalCssPlugin(Plugin):
    """Rewrites the exported pages after every production build (before compression)."""

    def post_build(self, **context) -> None:
        static_dir = Path(context["static_dir"])
        for page in static_dir.rglob("*.html"):
            if page.name in SKIPPED:
                continue
            markup = page.read_text(encoding="utf-8")
            page.write_text(inline_critical_css(markup, static_dir), encoding="utf-8")
