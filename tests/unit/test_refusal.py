"""Which addresses the fetcher refuses: every private kind, in every IPv4 and IPv6 spelling."""

from __future__ import annotations

import ipaddress

import pytest

from claims_db.errors import InvalidInput
from claims_db.sources import parse_allow, refusal

ALLOW = parse_allow("127.0.0.1")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.2", "loopback"),
        ("127.255.255.254", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd12:3456::1", "private"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("198.18.0.1", "private"),
        ("169.254.169.254", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("168.63.129.16", "cloud metadata"),
        # IPv4-mapped: judged as the IPv4 address it is
        ("::ffff:127.0.0.2", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        # IPv4 embedded in IPv6 by 6to4, NAT64, Teredo and the deprecated compatible form
        ("2002:7f00:2::1", "loopback (embedded in an IPv6 address)"),
        ("2002:a9fe:a9fe::1", "cloud metadata (embedded in an IPv6 address)"),
        ("64:ff9b::a9fe:a9fe", "cloud metadata (embedded in an IPv6 address)"),
        ("2001:0:4136:e378:8000:63bf:f5ff:fffd", "private (embedded in an IPv6 address)"),
    ],
)
def test_refused_addresses_name_their_kind(address: str, kind: str) -> None:
    assert refusal(ipaddress.ip_address(address), ALLOW) == kind


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e"])
def test_public_addresses_are_fetched(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


def test_the_allow_list_lets_exactly_the_named_address_through() -> None:
    assert refusal(ipaddress.ip_address("127.0.0.1"), ALLOW) is None
    assert refusal(ipaddress.ip_address("::ffff:127.0.0.1"), ALLOW) is None
    assert refusal(ipaddress.ip_address("127.0.0.1")) == "loopback"
    assert refusal(ipaddress.ip_address("127.0.0.2"), ALLOW) == "loopback"
    assert refusal(ipaddress.ip_address("::1"), ALLOW) == "loopback"


def test_the_allow_list_takes_networks_and_rejects_nonsense() -> None:
    nets = parse_allow(" 10.0.0.0/8 , fd00::/8,,192.168.1.7")
    assert [str(n) for n in nets] == ["10.0.0.0/8", "fd00::/8", "192.168.1.7/32"]
    assert refusal(ipaddress.ip_address("10.9.9.9"), nets) is None
    assert parse_allow("") == ()
    with pytest.raises(InvalidInput, match=r"CLAIMBOT_FETCH_ALLOW lists 'localhost'"):
        parse_allow("127.0.0.1,localhost")
