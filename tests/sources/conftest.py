"""Local sites to fetch from, the fetch policy the tests run under and a client to fetch with."""

from __future__ import annotations

import ipaddress
from collections.abc import AsyncIterator, Mapping, Sequence

import httpx
import pytest

from claims_db.sources import FetchPolicy, IPAddress, parse_allow
from tests.fakes.web import LocalSite

# what CLAIMBOT_FETCH_ALLOW is set to in the tests: one loopback address, no other
ALLOW = parse_allow("127.0.0.1")
POLICY = FetchPolicy(allow=ALLOW, deadline=5.0)


@pytest.fixture
async def site() -> AsyncIterator[LocalSite]:
    s = await LocalSite().start()
    yield s
    await s.stop()


@pytest.fixture
async def private_site() -> AsyncIterator[LocalSite]:
    """A server on 127.0.0.2: loopback, and not allowed, so it stands in for a private address."""
    s = await LocalSite(host="127.0.0.2").start()
    yield s
    await s.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    timeout = httpx.Timeout(2.0, read=1.0)
    async with httpx.AsyncClient(
        trust_env=False, timeout=timeout, headers={"User-Agent": "claimbot-test"}
    ) as c:
        yield c


def resolver_for(names: Mapping[str, Sequence[str]], calls: list[str] | None = None):  # type: ignore[no-untyped-def]
    """A resolver that answers from ``names`` (and records the names it was asked for)."""

    async def resolve(host: str, port: int) -> list[IPAddress]:
        if calls is not None:
            calls.append(host)
        if host not in names:
            raise OSError(f"no such host {host}")
        return [ipaddress.ip_address(a) for a in names[host]]

    return resolve
