"""Client addresses are reduced to their network before they are stored (§5.4, §5.6)."""

import pytest

from citypulse.auth.client_info import client_ip, truncate_ip
from citypulse.settings import get_settings


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.77", "203.0.113.0"),
        ("203.0.113.0", "203.0.113.0"),
        ("10.1.2.255", "10.1.2.0"),
        (" 198.51.100.9 ", "198.51.100.0"),
        ("2001:db8:abcd:12:3456::1", "2001:db8:abcd::"),
        ("2001:DB8:ABCD:FFFF::", "2001:db8:abcd::"),
        ("::1", "::"),
    ],
)
def test_addresses_are_truncated_to_their_network(address: str, network: str) -> None:
    assert truncate_ip(address) == network


def test_the_full_address_never_survives() -> None:
    assert "77" not in truncate_ip("203.0.113.77")
    assert "3456" not in truncate_ip("2001:db8:abcd:12:3456::1")


@pytest.mark.parametrize(
    "address", [None, "", "   ", "unknown", "203.0.113", "203.0.113.300", "1.2.3.4:8080"]
)
def test_missing_or_invalid_addresses_give_none(address: str | None) -> None:
    assert truncate_ip(address) is None


@pytest.fixture
def behind_our_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "trust_proxy_headers", True)


def test_proxy_headers_are_ignored_unless_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "trust_proxy_headers", False)
    assert client_ip("198.51.100.9", {"x-real-ip": "203.0.113.1"}) == "198.51.100.9"
    assert client_ip(None, {"x-real-ip": "203.0.113.1"}) is None


@pytest.mark.usefixtures("behind_our_proxy")
def test_behind_our_proxy_x_real_ip_is_the_client() -> None:
    assert client_ip("127.0.0.1", {"x-real-ip": " 203.0.113.1 "}) == "203.0.113.1"
    assert client_ip("127.0.0.1", {}) == "127.0.0.1"
    assert client_ip("127.0.0.1", {"x-real-ip": ""}) == "127.0.0.1"
