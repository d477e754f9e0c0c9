#!/usr/bin/env python3
"""Render deploy/nginx/nginx.conf.template into a runnable nginx.conf.

Used by the nginx image build (deploy/Dockerfile.nginx) and by the loopback tests, so
production and the test run the same configuration with different ports and paths.
Standard library only: the image build stage has Python but no project dependencies.

    python3 deploy/nginx/render.py --static-root .web/build/client \
        --output /tmp/nginx.conf HTTP_PORT=80 HTTPS_PORT=443 ...

CSP_SCRIPT_HASHES is computed from the exported pages under STATIC_ROOT: Reflex's
prerendered HTML carries inline scripts (theme bootstrap, React Router context), and
the CSP allows exactly those by SHA-256 hash instead of 'unsafe-inline'.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
# Inline scripts only: a <script> with a src attribute is covered by 'self'.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


class RenderError(ValueError):
    """A placeholder has no value, or a value would break the config."""


def inline_script_hashes(static_root: Path) -> list[str]:
    """CSP source expressions for every distinct inline script of the exported pages."""
    hashes = set()
    for page in sorted(static_root.rglob("*.html")):
        for body in INLINE_SCRIPT.findall(page.read_text(encoding="utf-8")):
            digest = hashlib.sha256(body.encode("utf-8")).digest()
            hashes.add(f"'sha256-{base64.b64encode(digest).decode()}'")
    return sorted(hashes)


def render(template: str, values: dict[str, str]) -> str:
    """Substitute `${NAME}` placeholders; every placeholder must have a value."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise RenderError("no value for " + ", ".join(missing))
    for name, value in values.items():
        # A quote, semicolon or newline in a value could inject directives.
        if re.search(r"[\"';\n{}]", value) and name != "CSP_SCRIPT_HASHES":
            raise RenderError(f"unsafe characters in {name}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def render_file(
    output: Path, values: dict[str, str], template: Path = TEMPLATE, hash_root: Path | None = None
) -> Path:
    """Render `template` to `output`, adding CSP hashes from `hash_root` (or STATIC_ROOT)."""
    values = dict(values)
    root = hash_root or Path(values["STATIC_ROOT"])
    hashes = inline_script_hashes(root)
    if not hashes:
        raise RenderError(f"no exported pages under {root}; run reflex export first")
    values["CSP_SCRIPT_HASHES"] = " ".join(hashes)
    output.write_text(render(template.read_text(encoding="utf-8"), values), encoding="utf-8")
    return output


def main(argv: list[str] | None = None) -> int:
    """Command line entry point; returns the process exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--template", type=Path, default=TEMPLATE)
    parser.add_argument(
        "--hash-root",
        type=Path,
        help="folder of exported pages to hash (default: STATIC_ROOT; differs in image builds)",
    )
    parser.add_argument("values", nargs="*", metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    values = dict(item.split("=", 1) for item in args.values)
    try:
        render_file(args.output, values, args.template, args.hash_root)
    except RenderError as error:
        print(f"render.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
