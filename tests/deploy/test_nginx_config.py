"""The nginx template: renders, passes `nginx -t`, proxies every backend route, and
carries the limits and headers of PRODUCT.md §5.5 (behaviour is in test_prod_loopback)."""

from __future__ import annotations

import base64
import hashlib
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from starlette.routing import Mount, Route

from citypulse.api.routes import build_api
from tests.deploy.support import (
    DEPLOY_DIR,
    NGINX_DIR,
    free_port,
    load_renderer,
    render_loopback_site,
)

TEMPLATE = (NGINX_DIR / "nginx.conf.template").read_text()
INLINE_SCRIPT = "window.__bootstrap = 1;"
PAGE = f'<html><head><script>{INLINE_SCRIPT}</script><script src="/assets/a.js"></script>'


def blocks(text: str, keyword: str) -> list[tuple[str, str]]:
    """(arguments, body) of each `keyword args { body }` at any depth, braces balanced."""
    found = []
    for match in re.finditer(rf"(?m)^\s*{keyword}\b([^{{;]*)\{{", text):
        depth, start = 1, match.end()
        index = start
        while depth:
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            index += 1
        found.append((match.group(1).strip(), text[start : index - 1]))
    return found


def https_locations(config: str = TEMPLATE) -> list[tuple[str, str, str]]:
    """(modifier, pattern, body) of the HTTPS server's locations."""
    server = next(body for _, body in blocks(config, "server") if "ssl_certificate" in body)
    result = []
    for args, body in blocks(server, "location"):
        parts = args.split()
        modifier, pattern = (parts[0], parts[1]) if len(parts) == 2 else ("", parts[0])
        result.append((modifier, pattern, body))
    return result


def select_location(path: str) -> tuple[str, str, str]:
    """nginx's choice: exact, else longest prefix (^~ wins), else first regex, else prefix."""
    locations = https_locations()
    for location in locations:
        if location[0] == "=" and location[1] == path:
            return location
    prefixes = [loc for loc in locations if loc[0] in ("", "^~") and path.startswith(loc[1])]
    longest = max(prefixes, key=lambda loc: len(loc[1]), default=None)
    if longest and longest[0] == "^~":
        return longest
    for location in locations:
        if location[0] in ("~", "~*") and re.search(location[1], path):
            return location
    assert longest, f"no location matches {path}"
    return longest


def proxied(path: str) -> bool:
    return "proxy_pass http://citypulse_backend" in select_location(path)[2]


def starlette_paths() -> list[str]:
    """A concrete path for every CityPulse HTTP route (parameters filled in)."""
    paths = []
    for route in build_api().routes:
        if isinstance(route, Route | Mount):
            path = re.sub(r"\{[^}]+\}", "x", route.path)
            paths.append(path + "/x" if isinstance(route, Mount) else path)
    return paths


def test_template_renders_and_nginx_accepts_it(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text(PAGE)
    site = render_loopback_site(tmp_path, static_root=static, backend_port=free_port())
    checked = subprocess.run(site.command("-t"), capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    rendered = site.config.read_text()
    assert load_renderer().inline_script_hashes(static) == [
        "'sha256-" + _sha256_b64(INLINE_SCRIPT) + "'"
    ]
    assert _sha256_b64(INLINE_SCRIPT) in rendered
    assert "${" not in rendered


def _sha256_b64(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def test_render_refuses_missing_and_unsafe_values() -> None:
    renderer = load_renderer()
    with pytest.raises(renderer.RenderError, match="no value"):
        renderer.render("listen ${HTTP_PORT};", {})
    with pytest.raises(renderer.RenderError, match="unsafe"):
        renderer.render("server_name ${SERVER_NAME};", {"SERVER_NAME": "a; include /etc/x"})


def test_production_render_from_dockerfile(tmp_path: Path) -> None:
    """Every placeholder gets a value from deploy/Dockerfile.nginx's render step."""
    dockerfile = (DEPLOY_DIR / "Dockerfile.nginx").read_text().replace("\\\n", " ")
    step = next(
        line for line in dockerfile.splitlines() if line.startswith("RUN") and "render.py" in line
    )
    values = dict(
        arg.split("=", 1) for arg in shlex.split(step.split("render.py", 1)[1]) if "=" in arg
    )
    build = {"${host}": "city-pulse.app", "${origin}": "https://city-pulse.app"}
    for name, value in values.items():
        for variable, sample in build.items():
            value = value.replace(variable, sample)
        values[name] = value
    (tmp_path / "index.html").write_text(PAGE)
    output = load_renderer().render_file(tmp_path / "nginx.conf", values, hash_root=tmp_path)
    rendered = output.read_text()
    assert "listen 443 ssl" in rendered and "listen 80 default_server" in rendered
    assert "server backend:8000;" in rendered
    assert "/etc/letsencrypt/live/city-pulse.app/fullchain.pem" in rendered
    assert "return 301 https://city-pulse.app$request_uri;" in rendered
    assert "connect-src 'self' wss://city-pulse.app;" in rendered


@pytest.mark.parametrize(
    "path", ["/_event/", "/_upload", "/_upload/a1b2.webp", "/ping", "/_health", "/health"]
)
def test_reflex_endpoints_are_proxied(path: str) -> None:
    assert proxied(path)


def test_every_citypulse_route_is_proxied() -> None:
    """A route added to citypulse/api/routes.py must be routed to the backend by nginx."""
    missing = [path for path in starlette_paths() if not proxied(path)]
    assert not missing, f"add these to deploy/nginx/nginx.conf.template: {missing}"


@pytest.mark.parametrize("path", ["/", "/about", "/trips/5", "/assets/index-abc.js"])
def test_pages_and_assets_are_static(path: str) -> None:
    assert not proxied(path)


@pytest.mark.parametrize(
    ("path", "to_backend"),
    [
        ("/recommendations/12", True),
        ("/profile/alice", True),
        ("/city/New York", True),
        ("/recommendations/create", False),
        ("/recommendations/12/edit", False),
        ("/profile/edit", False),
    ],
)
def test_shared_pages_get_their_preview_from_the_backend(path: str, to_backend: bool) -> None:
    """citypulse/api/page_meta.py names these pages for bots that run no JavaScript."""
    assert proxied(path) is to_backend


def test_limits_and_timeouts() -> None:
    assert re.search(r"limit_req_zone \S+ zone=app:\S+ rate=10r/s;", TEMPLATE)
    auth_rate = re.search(r"limit_req_zone \S+ zone=auth:\S+ rate=(\d+)r/s;", TEMPLATE)
    assert auth_rate and int(auth_rate.group(1)) < 10
    assert "limit_req_status 429;" in TEMPLATE
    assert "client_max_body_size 12m;" in TEMPLATE
    assert "limit_req zone=auth" in select_location("/auth/google/callback")[2]
    for path in ("/_event/", "/_upload", "/health", "/ping"):
        assert re.search(r"limit_req zone=app burst=\d+ nodelay;", select_location(path)[2])
    # Photos come many per page: their location needs a deeper burst than the API.
    photos = re.search(r"burst=(\d+)", select_location("/_upload/a1b2.webp")[2])
    assert photos and int(photos.group(1)) >= 50
    event = select_location("/_event/")[2]
    assert "access_log off;" in event
    assert "proxy_set_header Upgrade $http_upgrade;" in event
    assert "proxy_read_timeout 1h;" in event


def test_every_proxied_location_forwards_the_client_address() -> None:
    """nginx drops inherited proxy_set_header in a location that sets its own."""
    for _, pattern, body in https_locations():
        if "proxy_set_header" in body:
            assert "proxy_set_header X-Real-IP $remote_addr;" in body, pattern
            assert "proxy_set_header X-Forwarded-Proto $scheme;" in body, pattern


def test_tls_headers_and_static_serving(tmp_path: Path) -> None:
    assert "server_tokens off;" in TEMPLATE
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in TEMPLATE
    assert "gzip on;" in TEMPLATE
    assert "location ^~ /.well-known/acme-challenge/" in TEMPLATE
    # The headers come from citypulse/api/security_headers.py (shared with the app).
    static = tmp_path / "static"
    static.mkdir()
    (static / "index.html").write_text(PAGE)
    site = render_loopback_site(tmp_path, static_root=static, backend_port=free_port())
    rendered = site.config.read_text()
    headers = re.findall(r"add_header\s+(\S+)\s+(.*);", rendered)
    names = {name for name, _ in headers}
    assert names >= {
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
    }
    definition = load_renderer().headers_module()
    shared = definition.security_headers(script_hashes=[], connect_sources=[], https=True)
    assert names == set(shared), "nginx must set exactly the headers the app sets"
    assert all(value.endswith("always") for _, value in headers), "add_header without always"
    # A location with its own add_header would silently drop the security headers.
    assert all("add_header" not in body for _, _, body in https_locations())
    assert all("add_header" not in body for _, _, body in https_locations(rendered))
    server = next(body for _, body in blocks(rendered, "server") if "ssl_certificate" in body)
    assert "add_header X-Frame-Options" in server
    static_location = select_location("/about")[2]
    assert "try_files $uri $uri/index.html $uri.html /404.html;" in static_location
    assert "expires 1y;" in select_location("/assets/x.js")[2]
    assert "expires 1y;" in select_location("/citypulse.js")[2]  # named ?v=<hash> by pages
