"""Fetching URLs that curators and users supply, with the ``httpx.AsyncClient`` the caller hands in.

Any such URL may point inside our own network (a metadata service, a database admin page, the
loopback interface), so ``fetch`` is SSRF-safe by construction:

- only ``http`` and ``https``;
- the host is resolved here, every address is checked (``refusal``) and the connection goes to an
  address that passed, by IP, with the ``Host`` header and TLS SNI (and so certificate checking)
  kept on the name: there is no second DNS lookup between the check and the connect to rebind;
- redirects are followed by hand, each hop checked the same way, at most ``max_redirects``;
- at most ``max_bytes`` of a body are read, and the whole fetch has one deadline.

Refused are loopback, private, link-local, multicast, unspecified, reserved and otherwise
non-global addresses and known cloud metadata endpoints, IPv4 and IPv6, including IPv4 addresses
embedded in IPv6 ones (IPv4-mapped, -compatible, 6to4, Teredo, NAT64). ``CLAIMBOT_FETCH_ALLOW``
names exceptions (addresses or networks): ``127.0.0.1`` lets exactly that address through, every
other loopback address stays refused.

Hand ``fetch`` a client made with ``trust_env=False`` (an environment proxy would make the
connection somewhere else than the checked address) and HTTP/1.1 only: an HTTPS connection is
opened for one name and closed after its response, which HTTP/2 multiplexing would undo.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import email.utils
import ipaddress
import re
import socket
import time
import zlib
from collections.abc import Awaitable, Callable, Mapping, Sequence
from html.parser import HTMLParser

import httpx

from claims_db.errors import FetchRefused, InvalidInput, SourceFetchError
from claims_db.factcheck import ExternalReview, parse_search

__all__ = [
    "ENV_FETCH_ALLOW",
    "FACTCHECK_ENDPOINT",
    "USER_AGENT",
    "CheckPolicy",
    "FetchPolicy",
    "Fetched",
    "IPAddress",
    "IPNetwork",
    "LinkChecker",
    "LinkStatus",
    "PagePreview",
    "Resolver",
    "client_options",
    "fetch",
    "find_urls",
    "page_preview",
    "page_title",
    "parse_allow",
    "preview",
    "refusal",
    "search_fact_checks",
    "system_resolver",
]

ENV_FETCH_ALLOW = "CLAIMBOT_FETCH_ALLOW"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]

# Metadata services that sit on addresses the generic checks would let through (Azure's wire
# server is a public address; Alibaba's is in the shared 100.64/10 block) or that are worth
# naming in the refusal.
_METADATA = tuple(
    ipaddress.ip_network(n)
    for n in (
        "169.254.169.254/32",
        "169.254.170.2/32",
        "fd00:ec2::254/128",
        "100.100.100.200/32",
        "168.63.129.16/32",
    )
)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def parse_allow(value: str) -> tuple[IPNetwork, ...]:
    """Parse ``CLAIMBOT_FETCH_ALLOW``: comma-separated addresses or networks, empty for none.

    Raises
    ------
    InvalidInput
        An entry is neither an address nor a network.
    """
    networks: list[IPNetwork] = []
    for raw in value.split(","):
        item = raw.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise InvalidInput(
                f"{ENV_FETCH_ALLOW} lists {item!r}, which is not an IP address or network "
                "(write e.g. 127.0.0.1 or 10.0.0.0/8, separated by commas)"
            ) from None
    return tuple(networks)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64) or (int(ip) >> 32 == 0 and int(ip) > 1):
        # NAT64, or the deprecated IPv4-compatible form ::a.b.c.d
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip: IPAddress) -> str | None:
    if any(ip in net for net in _METADATA):
        return "cloud metadata"
    for attr, name in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_reserved", "reserved"),
        ("is_private", "private"),
    ):
        if getattr(ip, attr):
            return name
    if not ip.is_global:
        return "non-public"
    return None


def refusal(ip: IPAddress, allow: Sequence[IPNetwork] = ()) -> str | None:
    """Why ``fetch`` must not connect to ``ip`` (e.g. ``"loopback"``), or None when it may.

    An IPv4-mapped IPv6 address is judged as the IPv4 address it is. ``allow`` lets exactly the
    addresses in its networks through, whatever their kind.
    """
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip.version == net.version and ip in net for net in allow):
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and (inner_kind := refusal(inner, allow)) is not None:
            return f"{inner_kind} (embedded in an IPv6 address)"
    return _kind(ip)


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for ``host``, in its order."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


@dataclasses.dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What ``fetch`` allows.

    Parameters
    ----------
    allow
        Networks that may be reached although they would be refused (``CLAIMBOT_FETCH_ALLOW``).
    max_redirects
        Redirects followed before giving up.
    max_bytes
        Body bytes read at most; the rest is not downloaded and ``Fetched.truncated`` is set.
    deadline
        Seconds the whole fetch may take, redirects included (the client's own timeouts still
        bound each connect and read).
    """

    allow: tuple[IPNetwork, ...] = ()
    max_redirects: int = 5
    max_bytes: int = 1_000_000
    deadline: float = 30.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> FetchPolicy:
        """The default policy with ``allow`` read from ``CLAIMBOT_FETCH_ALLOW`` in ``environ``."""
        return cls(allow=parse_allow(environ.get(ENV_FETCH_ALLOW, "")))


@dataclasses.dataclass(frozen=True, slots=True)
class Fetched:
    """A response ``fetch`` read (whatever its status)."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    truncated: bool
    redirects: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    policy: FetchPolicy = FetchPolicy(),  # frozen, so sharing the default is safe
    resolver: Resolver = system_resolver,
    method: str = "GET",
) -> Fetched:
    """Fetch ``url`` the SSRF-safe way described in the module docstring.

    Parameters
    ----------
    client
        The shared client; its headers (User-Agent) and timeouts apply. Build it with
        ``trust_env=False`` and without ``follow_redirects``.
    url
        An absolute http or https URL from a curator or a user.
    policy
        Allowed networks and the redirect, size and time caps.
    resolver
        Name resolution (the system resolver by default; tests map names to 127.0.0.1).
    method
        ``GET`` or ``HEAD``.

    Returns
    -------
    Fetched
        The final response of the redirect chain, any status.

    Raises
    ------
    FetchRefused
        Not http(s), or a hop would reach a refused address; nothing was sent to it.
    SourceFetchError
        Anything else: no such host, connection failure, timeout, too many redirects.
    """
    try:
        async with asyncio.timeout(policy.deadline):
            return await _fetch(client, url, policy=policy, resolver=resolver, method=method)
    except TimeoutError:
        raise SourceFetchError(url, f"no complete answer within {policy.deadline:g} s") from None


async def _fetch(
    client: httpx.AsyncClient, url: str, *, policy: FetchPolicy, resolver: Resolver, method: str
) -> Fetched:
    redirects: list[str] = []
    current = _parse(url)
    while True:
        request = await _pinned_request(client, current, method, policy=policy, resolver=resolver)
        try:
            response = await client.send(request, follow_redirects=False, stream=True)
        except httpx.TimeoutException:
            raise SourceFetchError(str(current), "timed out") from None
        except httpx.HTTPError as exc:
            raise SourceFetchError(str(current), _http_reason(exc)) from exc
        try:
            location = response.headers.get("location")
            if response.status_code in _REDIRECTS and location:
                if len(redirects) >= policy.max_redirects:
                    raise SourceFetchError(url, f"more than {policy.max_redirects} redirects")
                try:
                    current = current.join(location)
                except httpx.InvalidURL:
                    raise SourceFetchError(str(current), "redirect to an invalid URL") from None
                redirects.append(str(current))
                if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                    method = "GET"
                continue
            body, truncated = await _read(response, policy.max_bytes)
            return Fetched(
                url=url,
                final_url=str(current),
                status=response.status_code,
                headers=dict(response.headers),
                body=body,
                truncated=truncated,
                redirects=tuple(redirects),
            )
        except httpx.TimeoutException:
            raise SourceFetchError(str(current), "timed out reading the answer") from None
        except httpx.HTTPError as exc:
            raise SourceFetchError(str(current), _http_reason(exc)) from exc
        finally:
            await response.aclose()


def _parse(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except httpx.InvalidURL:
        raise FetchRefused(url, "not a valid URL") from None


async def _pinned_request(
    client: httpx.AsyncClient, url: httpx.URL, method: str, *, policy: FetchPolicy, resolver: Resolver
) -> httpx.Request:
    if url.scheme not in ("http", "https"):
        raise FetchRefused(str(url), f"only http and https URLs are fetched, not {url.scheme or 'this'}")
    host = url.host
    if not host:
        raise FetchRefused(str(url), "the URL has no host")
    port = url.port or (443 if url.scheme == "https" else 80)
    try:
        literal: IPAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: Sequence[IPAddress] = [literal]
    else:
        try:
            addresses = await resolver(host, port)
        except (OSError, UnicodeError):
            raise SourceFetchError(str(url), f"cannot resolve {host}") from None
        if not addresses:
            raise SourceFetchError(str(url), f"cannot resolve {host}")
    chosen = next((a for a in addresses if refusal(a, policy.allow) is None), None)
    if chosen is None:
        first = addresses[0]
        raise FetchRefused(str(url), f"{host} is {first}, a {refusal(first, policy.allow)} address")
    shown = f"[{host}]" if ":" in host else host
    headers = {
        "Host": shown if url.port is None else f"{shown}:{url.port}",
        # ask for the body as is, so max_bytes counts what is stored (gzip and deflate are still read)
        "Accept-Encoding": "identity",
    }
    extensions: dict[str, str] = {}
    if url.scheme == "https" and literal is None:
        extensions["sni_hostname"] = host
        # the pool knows the connection by address only: never hand one verified for this name
        # to a request for another name on the same address
        headers["Connection"] = "close"
    return client.build_request(
        method, url.copy_with(host=str(chosen)), headers=headers, extensions=extensions
    )


async def _read(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    truncated = False
    async for chunk in response.aiter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:
            truncated = True
            break
    body = b"".join(chunks)[:limit]
    encoding = response.headers.get("content-encoding", "").strip().lower()
    wbits = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}.get(
        encoding
    )
    if wbits is None:
        return body, truncated
    # inflate only what was read and never past the limit: a small gzip body can be huge inflated
    try:
        inflater = zlib.decompressobj(wbits)
        decoded = inflater.decompress(body, limit)
    except zlib.error:
        return body, truncated
    return decoded, truncated or bool(inflater.unconsumed_tail)


def _http_reason(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.ConnectError):
        return "connection failed"
    if isinstance(exc, httpx.RemoteProtocolError):
        return "the server broke the connection"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects"
    return type(exc).__name__


# -- page titles -------------------------------------------------------------------------------

_CHARSET = re.compile(rb"""charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class _TitleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title: str | None = None
        self.og_title: str | None = None
        self.og_description: str | None = None
        self.description: str | None = None
        self._in_title = False
        self._parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and self.title is None:
            self._in_title = True
        elif tag == "meta":
            a = dict(attrs)
            name = (a.get("property") or a.get("name") or "").lower()
            content = a.get("content")
            if not content:
                return
            if name == "og:title":
                self.og_title = self.og_title or content
            elif name == "og:description":
                self.og_description = self.og_description or content
            elif name == "description":
                self.description = self.description or content

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = "".join(self._parts)


def _parse_page(body: bytes, content_type: str) -> _TitleParser | None:
    if content_type and not any(t in content_type.lower() for t in ("html", "xml")):
        return None
    found = _CHARSET.search(content_type.encode("latin-1", "replace")) or _CHARSET.search(body[:2048])
    charset = found[1].decode("ascii") if found else "utf-8"
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:
        text = body.decode("utf-8", errors="replace")
    parser = _TitleParser()
    with contextlib.suppress(Exception):  # HTMLParser is lenient; a broken page still has no title
        parser.feed(text)
        parser.close()
    return parser


def _tidy(text: str | None, limit: int = 300) -> str | None:
    if not text:
        return None
    return " ".join(text.split())[:limit] or None


@dataclasses.dataclass(frozen=True, slots=True)
class PagePreview:
    """What a linked page says it is: its ``og:title``, ``<title>`` and description."""

    url: str
    og_title: str | None = None
    title: str | None = None
    description: str | None = None

    def texts(self) -> list[tuple[str, str]]:
        """``(what, text)`` for each distinct text, og:title first: what a checker matches."""
        out: list[tuple[str, str]] = []
        for what, text in (
            ("og:title", self.og_title),
            ("title", self.title),
            ("description", self.description),
        ):
            if text and all(text.lower() != seen.lower() for _, seen in out):
                out.append((what, text))
        return out


def page_preview(url: str, body: bytes, content_type: str = "") -> PagePreview:
    """The ``og:title``, ``<title>`` and description (``og:description``, else ``<meta
    name=description>``) of an HTML page, whitespace collapsed, each at most 300 characters."""
    parser = _parse_page(body, content_type)
    if parser is None:
        return PagePreview(url)
    return PagePreview(
        url,
        og_title=_tidy(parser.og_title),
        title=_tidy(parser.title),
        description=_tidy(parser.og_description or parser.description),
    )


_URL = re.compile(r"https?://[^\s<>\[\]\"'`]+", re.IGNORECASE)


def find_urls(text: str, *, limit: int = 2) -> list[str]:
    """The first ``limit`` distinct http(s) URLs in a message, trailing punctuation dropped
    ("see https://x.example/a)." gives ``https://x.example/a``); Discord's ``<url>`` form included."""
    found: list[str] = []
    for m in _URL.finditer(text):
        url = m[0].rstrip(".,;:!?)>*_~|")
        if url.count("(") > url.count(")") and m[0][len(url) : len(url) + 1] == ")":
            url += ")"
        if url not in found:
            found.append(url)
        if len(found) == limit:
            break
    return found


async def preview(
    client: httpx.AsyncClient,
    url: str,
    *,
    policy: FetchPolicy,
    resolver: Resolver = system_resolver,
) -> PagePreview | None:
    """Fetch ``url`` the SSRF-safe way and read what the page says it is; None when the page did not
    answer with a success (the error is the caller's to log: ``FetchRefused``, ``SourceFetchError``)."""
    got = await fetch(client, url, policy=policy, resolver=resolver)
    if got.status >= 400:
        return None
    found = page_preview(got.final_url, got.body, got.content_type)
    return found if found.texts() else None


def page_title(body: bytes, content_type: str = "") -> str | None:
    """The page's ``<title>`` (else its ``og:title``), whitespace collapsed, at most 300 characters.

    The charset comes from ``content_type``, else from a ``<meta charset>`` in the first bytes,
    else UTF-8; undecodable bytes are replaced. None when the body is not HTML or has no title.
    """
    parser = _parse_page(body, content_type)
    if parser is None:
        return None
    title = parser.title if parser.title and parser.title.strip() else parser.og_title
    if not title:
        return None
    title = " ".join(title.split())
    return title[:300] or None


# -- link health -------------------------------------------------------------------------------

USER_AGENT = "claimbot-linkcheck/0.1 (+https://github.com/claimbot; checks the sources of curated claims)"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclasses.dataclass(frozen=True, slots=True)
class CheckPolicy:
    """How politely ``LinkChecker`` checks links.

    Parameters
    ----------
    per_host
        Requests in flight to one host at a time.
    interval
        Seconds between the starts of two requests to one host.
    retries
        Further attempts after a 429, a 5xx or a failed connection.
    backoff
        Seconds before the first retry; doubled for each further one (a Retry-After header wins).
    max_retry_after
        The longest Retry-After honoured; a host asking for more is reported as it answered.
    max_bytes
        Bytes of a page read (its title is near the top).
    """

    per_host: int = 2
    interval: float = 0.5
    retries: int = 2
    backoff: float = 1.0
    max_retry_after: float = 120.0
    max_bytes: int = 256_000


@dataclasses.dataclass(frozen=True, slots=True)
class LinkStatus:
    """What checking one URL found."""

    url: str
    status: int | None
    final_url: str | None
    title: str | None
    error: str | None
    attempts: int = 1

    @property
    def reachable(self) -> bool:
        return self.error is None and self.status is not None and self.status < 400


def client_options(*, timeout: float = 15.0) -> dict[str, object]:
    """Keyword arguments for the ``httpx.AsyncClient`` that ``fetch`` and ``LinkChecker`` expect."""
    return {
        "headers": {"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*;q=0.5"},
        "timeout": httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        "trust_env": False,
        "follow_redirects": False,
        "limits": httpx.Limits(max_connections=50, max_keepalive_connections=10),
    }


class LinkChecker:
    """Checks URLs through one shared client: per-host concurrency and pacing, retries, caps.

    Parameters
    ----------
    client
        The shared client (see ``client_options``).
    fetch_policy
        The SSRF guard's policy (allowed networks, redirect and deadline caps).
    policy
        Per-host limits and retries.
    resolver, clock, sleep
        Injectable for tests; the system resolver, ``time.monotonic`` and ``asyncio.sleep``.
    """

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        fetch_policy: FetchPolicy = FetchPolicy(),  # frozen, so sharing the default is safe
        policy: CheckPolicy = CheckPolicy(),
        resolver: Resolver = system_resolver,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._client = client
        self._fetch_policy = dataclasses.replace(fetch_policy, max_bytes=policy.max_bytes)
        self.policy = policy
        self._resolver = resolver
        self._clock = clock
        self._sleep = sleep
        self._slots: dict[str, asyncio.Semaphore] = {}
        self._next_start: dict[str, float] = {}
        self._pace_locks: dict[str, asyncio.Lock] = {}
        self.requests: dict[str, int] = {}  # host -> requests sent (for the measurements)

    async def check_all(self, urls: Sequence[str]) -> dict[str, LinkStatus]:
        """Check every distinct URL once, concurrently within the per-host limits."""
        distinct = list(dict.fromkeys(urls))
        results = await asyncio.gather(*(self.check(u) for u in distinct))
        return dict(zip(distinct, results, strict=True))

    async def check(self, url: str) -> LinkStatus:
        """Fetch ``url`` (retrying 429, 5xx and failed connections) and say what came back."""
        host = (httpx.URL(url).host if _parses(url) else "") or url
        slot = self._slots.setdefault(host, asyncio.Semaphore(self.policy.per_host))
        attempt = 0
        while True:
            attempt += 1
            async with slot:
                await self._pace(host)
                self.requests[host] = self.requests.get(host, 0) + 1
                try:
                    got = await fetch(self._client, url, policy=self._fetch_policy, resolver=self._resolver)
                except FetchRefused as exc:
                    return LinkStatus(url, None, None, None, f"refused: {exc.reason}", attempt)
                except SourceFetchError as exc:
                    if attempt > self.policy.retries:
                        return LinkStatus(url, None, None, None, exc.reason, attempt)
                    wait = self.policy.backoff * 2 ** (attempt - 1)
                else:
                    if got.status not in _RETRY_STATUSES or attempt > self.policy.retries:
                        return _status(url, got, attempt)
                    asked = _retry_after(got.headers.get("retry-after"))
                    if asked is not None and asked > self.policy.max_retry_after:
                        return _status(url, got, attempt)
                    wait = asked if asked is not None else self.policy.backoff * 2 ** (attempt - 1)
                    # the host asked everyone to wait, not just this request
                    self._next_start[host] = max(self._next_start.get(host, 0.0), self._clock() + wait)
            await self._sleep(wait)

    async def _pace(self, host: str) -> None:
        lock = self._pace_locks.setdefault(host, asyncio.Lock())
        async with lock:
            now = self._clock()
            start = max(now, self._next_start.get(host, now))
            self._next_start[host] = start + self.policy.interval
            if start > now:
                await self._sleep(start - now)


def _parses(url: str) -> bool:
    try:
        httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return True


def _status(url: str, got: Fetched, attempts: int) -> LinkStatus:
    error = None
    if got.status >= 400:
        phrase = _PHRASES.get(got.status, "")
        error = f"HTTP {got.status} {phrase}".strip()
    title = page_title(got.body, got.content_type) if got.status < 400 else None
    return LinkStatus(url, got.status, got.final_url, title, error, attempts)


_PHRASES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    429: "Too Many Requests",
    451: "Unavailable For Legal Reasons",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


def _retry_after(value: str | None) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date), None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


# -- published fact-checks elsewhere -------------------------------------------------------------

FACTCHECK_ENDPOINT = "https://factchecktools.googleapis.com/v1alpha1/claims:search"


async def search_fact_checks(
    client: httpx.AsyncClient,
    query: str,
    *,
    key: str,
    endpoint: str = FACTCHECK_ENDPOINT,
    language: str = "en",
    limit: int = 3,
    max_bytes: int = 1_000_000,
) -> list[ExternalReview]:
    """Search published fact-checks (Google Fact Check Tools ``claims:search``): up to ``limit``.

    ``endpoint`` is the operator's (``CLAIMBOT_FACTCHECK_URL``), not a user's URL, so it is fetched
    directly. The key travels as the ``key`` parameter and never appears in an error.

    Raises
    ------
    SourceFetchError
        No answer, or an HTTP error status.
    InvalidFactCheckResponse
        An answer that is not the documented shape.
    """
    params = {
        "query": " ".join(query.split())[:500],
        "key": key,
        "languageCode": language,
        "pageSize": str(limit * 3),
    }
    try:
        async with client.stream(
            "GET", endpoint, params=params, headers={"Accept": "application/json"}
        ) as got:
            body, truncated = await _read(got, max_bytes)
            status = got.status_code
    except httpx.TimeoutException:
        raise SourceFetchError(endpoint, "timed out") from None
    except httpx.HTTPError as exc:
        raise SourceFetchError(endpoint, _http_reason(exc)) from None
    if status != 200:
        raise SourceFetchError(endpoint, f"HTTP {status} {_PHRASES.get(status, '')}".strip())
    if truncated:
        raise SourceFetchError(endpoint, f"the answer is larger than {max_bytes} bytes")
    return parse_search(body)[:limit]
