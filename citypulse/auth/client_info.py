"""What a request tells about its client, reduced to what we may keep (§5.4)."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from citypulse.settings import get_settings


def truncate_ip(address: str | None) -> str | None:
    """The client's network (IPv4 /24, IPv6 /48) instead of its full address."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False).network_address)


def client_ip(peer: str | None, headers: Mapping[str, str]) -> str | None:
    """The client's address: the proxy's X-Real-IP when we sit behind our own Nginx."""
    if get_settings().trust_proxy_headers:
        forwarded = headers.get("x-real-ip")
        if forwarded:
            return forwarded.strip()
    return peer
