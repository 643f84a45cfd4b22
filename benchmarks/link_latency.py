"""The latency a URL in a checked message adds: ``Checker.check`` with and without a link.

    python benchmarks/link_latency.py [--runs 200] [--server-delay 0.0] [--budget 1.0]

The bundled seed claims are loaded into a temporary SQLite store and checked through the bot's real
``Checker`` and ``LinkReader`` (SSRF guard, one shared httpx client). The link goes to a local
server on 127.0.0.1 (allowed, as ``CLAIMBOT_FETCH_ALLOW=127.0.0.1`` does) that answers after
``--server-delay`` seconds with a page whose ``og:title`` states a seed claim; nothing leaves
127.0.0.0/8, so the figures are the bot's own cost plus the server's delay, not the internet's.
Three cases: the message without its link, the message with its link (a page that matches), and
a page slower than the budget (the check gives up at the budget).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.checker import Checker  # noqa: E402
from bot.links import LinkReader  # noqa: E402
from claims_db.service import ClaimService  # noqa: E402
from claims_db.sources import FetchPolicy, parse_allow  # noqa: E402
from claims_db.store import open_store  # noqa: E402

TITLE = "Tehran sent ballistic missiles to Moscow"


async def _serve(delay: float) -> tuple[web.AppRunner, int]:
    async def story(request: web.Request) -> web.StreamResponse:
        if request.path == "/slow":
            await asyncio.sleep(60)
        elif delay:
            await asyncio.sleep(delay)
        html = f"<html><head><meta property='og:title' content='{TITLE}'><title>Wire</title></head></html>"
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", story)
    runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    assert site._server is not None and site._server.sockets
    return runner, site._server.sockets[0].getsockname()[1]


def _ms(samples: list[float]) -> str:
    q = statistics.quantiles(samples, n=100) if len(samples) > 1 else samples * 99
    return f"median {statistics.median(samples) * 1000:.1f} ms, p95 {q[94] * 1000:.1f} ms"


async def main(args: argparse.Namespace) -> None:
    runner, port = await _serve(args.server_delay)
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(f"sqlite:///{tmp}/claims.db", create=True) as store:
            service = ClaimService(store)
            await service.load(seed_if_empty=True)
            reader = LinkReader(policy=FetchPolicy(allow=parse_allow("127.0.0.1")), budget_s=args.budget)
            checker = Checker(service, links=reader)
            words = "is this true??"
            cases = {
                "no link": words,
                "link to a matching page": f"{words} http://127.0.0.1:{port}/story",
                "link to a page slower than the budget": f"{words} http://127.0.0.1:{port}/slow",
            }
            results: dict[str, list[float]] = {}
            verdicts: dict[str, str] = {}
            try:
                await checker.check(cases["link to a matching page"])  # warm up: index, client, pool
                for name, text in cases.items():
                    runs = args.runs if "slower" not in name else max(3, args.runs // 50)
                    samples = []
                    for i in range(runs):
                        started = time.perf_counter()
                        outcome = await checker.check(f"{text}?n={i}" if "http" in text else text)
                        samples.append(time.perf_counter() - started)
                    results[name] = samples
                    verdicts[name] = str(outcome.result.verdict)
            finally:
                checker.close()
                await reader.close()
    await runner.cleanup()
    base = statistics.median(results["no link"])
    print(f"budget {args.budget:g} s, server delay {args.server_delay * 1000:g} ms")
    for name, samples in results.items():
        added = (statistics.median(samples) - base) * 1000
        print(f"{name:40} {_ms(samples)} (verdict {verdicts[name]}; adds {added:.1f} ms at the median)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--server-delay", type=float, default=0.0, help="seconds the page server waits")
    parser.add_argument("--budget", type=float, default=1.0, help="the link reader's budget, seconds")
    asyncio.run(main(parser.parse_args()))
