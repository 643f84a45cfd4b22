"""A ``sources check`` of the whole seed store against a local server: time and requests per host.

    python benchmarks/linkcheck_bench.py [--latency 0.05] [--interval 0.5] [--per-host 2]

Every source URL of the bundled claims is fetched through the real ``LinkChecker`` and SSRF guard,
but each host name resolves to 127.0.0.1 and every URL goes to one local server (plain HTTP on its
port, the original host kept in the Host header), which answers after ``--latency`` seconds with a
small page. Nothing leaves 127.0.0.0/8. It measures how long the per-host pacing and concurrency
limits make a full check take, and how the requests spread over hosts.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import ipaddress
import json
import sys
import time
from pathlib import Path

import httpx
from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims_db.sources import CheckPolicy, FetchPolicy, LinkChecker, client_options  # noqa: E402
from claims_db.transfer import parse_claims  # noqa: E402
from claims_db.wording import all_sources  # noqa: E402

SEED = ROOT / "claims_db" / "data" / "seed_claims.json"


async def main(args: argparse.Namespace) -> None:
    claims = parse_claims(SEED.read_bytes(), filename=SEED.name)
    urls = [s.url for c in claims for s in all_sources(c) if s.url]
    distinct = list(dict.fromkeys(urls))
    seen: collections.Counter[str] = collections.Counter()

    async def answer(request: web.Request) -> web.Response:
        seen[request.headers.get("Host", "").split(":")[0]] += 1
        await asyncio.sleep(args.latency)
        return web.Response(text=f"<title>{request.path}</title>", content_type="text/html")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    local = [str(httpx.URL(u).copy_with(scheme="http", port=port)) for u in distinct]

    async def resolve(host: str, port_: int) -> list[ipaddress.IPv4Address]:
        return [ipaddress.IPv4Address("127.0.0.1")]

    policy = CheckPolicy(per_host=args.per_host, interval=args.interval)
    async with httpx.AsyncClient(**client_options()) as client:  # type: ignore[arg-type]
        checker = LinkChecker(
            client, fetch_policy=FetchPolicy(allow=(ipaddress.ip_network("127.0.0.1"),)), policy=policy,
            resolver=resolve,
        )  # fmt: skip
        start = time.perf_counter()
        results = await checker.check_all(local)
        elapsed = time.perf_counter() - start
    await runner.cleanup()
    per_host = sorted(seen.values(), reverse=True)
    print(json.dumps({
        "source_citations": len(urls), "distinct_urls": len(distinct), "hosts": len(seen),
        "reachable": sum(r.reachable for r in results.values()), "seconds": round(elapsed, 2),
        "requests": sum(per_host), "requests_per_host_max": per_host[0],
        "requests_per_host_median": per_host[len(per_host) // 2],
        "busiest_hosts": seen.most_common(5),
        "policy": {"per_host": args.per_host, "interval": args.interval, "latency": args.latency},
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--latency", type=float, default=0.05, help="seconds the server takes per answer")
    p.add_argument("--interval", type=float, default=CheckPolicy().interval)
    p.add_argument("--per-host", type=int, default=CheckPolicy().per_host)
    asyncio.run(main(p.parse_args()))
