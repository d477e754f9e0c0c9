"""What a request tells about its client, reduced to what we may keep (§5.4)."""

from __future__ import annotations

import ipaddress


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
