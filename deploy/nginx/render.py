#!/usr/bin/env python3
"""Render deploy/nginx/nginx.conf.template into a runnable nginx.conf.

Used by the nginx image build (deploy/Dockerfile.nginx) and by the loopback tests, so
production and the test run the same configuration with different ports and paths.
Standard library only: the image build stage has Python but no project dependencies.

    python3 deploy/nginx/render.py --static-root .web/build/client \
        --output /tmp/nginx.conf HTTP_PORT=80 HTTPS_PORT=443 ...

SECURITY_HEADERS are the `add_header` lines of citypulse/api/security_headers.py, the
one definition the app also serves them from when it runs without this nginx. Their CSP
allows the inline scripts of the exported pages under STATIC_ROOT (Reflex's prerendered
HTML carries theme bootstrap and React Router context) by SHA-256 hash instead of
'unsafe-inline'. The image build copies that module next to this script; in the
repository it is found under citypulse/api/.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
HEADERS_MODULE_PATHS = (
    Path(__file__).with_name("security_headers.py"),  # copied here by the image build
    Path(__file__).resolve().parents[2] / "citypulse" / "api" / "security_headers.py",
)
GENERATED = ("SECURITY_HEADERS",)
# Where "Continue with Google" redirects the sign-in form (the CSP's form-action allows it).
GOOGLE_SIGN_IN_ORIGIN = (
    "https://accounts.google.com"  # built here, not passed in: exempt from the value check
)


class RenderError(ValueError):
    """A placeholder has no value, or a value would break the config."""


def headers_module() -> ModuleType:
    """citypulse/api/security_headers.py, loaded by path (no project dependencies)."""
    path = next((candidate for candidate in HEADERS_MODULE_PATHS if candidate.is_file()), None)
    if path is None:
        raise RenderError("security_headers.py not found next to render.py or in citypulse/api")
    spec = importlib.util.spec_from_file_location("citypulse_security_headers", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def inline_script_hashes(static_root: Path) -> list[str]:
    """CSP source expressions for every distinct inline script of the exported pages."""
    return headers_module().inline_script_hashes(static_root)


def render(template: str, values: dict[str, str]) -> str:
    """Substitute `${NAME}` placeholders; every placeholder must have a value."""
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise RenderError("no value for " + ", ".join(missing))
    for name, value in values.items():
        # A quote, semicolon or newline in a value could inject directives.
        if re.search(r"[\"';\n{}]", value) and name not in GENERATED:
            raise RenderError(f"unsafe characters in {name}")
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def render_file(
    output: Path, values: dict[str, str], template: Path = TEMPLATE, hash_root: Path | None = None
) -> Path:
    """Render `template` to `output`, adding CSP hashes from `hash_root` (or STATIC_ROOT)."""
    values = dict(values)
    root = hash_root or Path(values["STATIC_ROOT"])
    definition = headers_module()
    hashes = definition.inline_script_hashes(root)
    if not hashes:
        raise RenderError(f"no exported pages under {root}; run reflex export first")
    if not values.get("PUBLIC_HOST"):
        raise RenderError("no value for PUBLIC_HOST (the site's host[:port], for the CSP)")
    headers = definition.security_headers(
        script_hashes=hashes,
        connect_sources=[f"wss://{values['PUBLIC_HOST']}"],
        https=True,
        form_targets=[values.get("GOOGLE_SIGN_IN_ORIGIN", GOOGLE_SIGN_IN_ORIGIN)],
    )
    values["SECURITY_HEADERS"] = definition.nginx_directives(headers)
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
