"""What the curators' loop costs: grouping unanswered questions, the bookkeeping beside a /check,
and one follow-up round.

- ``group``: N unanswered texts (variations of N/5 questions) grouped by similarity, as
  ``/curate unanswered`` and ``claimbot unanswered`` do (the store hands them at most 2,000);
- bookkeeping per check on SQLite: ``record_unanswered`` (a none verdict) and ``count_use`` (a
  match), each one write transaction, measured over 200 calls;
- a follow-up round reading the change feed when nothing changed, and the first round at start
  (every recorded card compared with its claim), with C recorded cards.

    python benchmarks/curators_bench.py [--texts 2000] [--cards 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import discord

from bot.followups import FollowUps
from bot.settings_cache import GuildSettingsCache
from claims_db.followups import shown_state
from claims_db.models import AskedVia, CardKind, Unanswered, Verdict
from claims_db.service import ClaimService
from claims_db.store import open_store
from claims_db.unanswered import group

SUBJECTS = ["Chile", "Kenya", "Norway", "Peru", "Japan", "Ghana", "Chad", "Laos", "Iraq", "Oman"]
VERBS = ["banned", "taxed", "subsidised", "imported", "restricted"]
THINGS = ["plastic bags", "cars", "coal", "rice", "drones", "solar panels", "wheat", "vaccines"]
FRAMES = ["{}", "is it true that {}?", "apparently {}", "{} lol", "I read that {}", "{}!!"]


def texts(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` texts, each one of about ``n / 5`` questions in a chat frame; and the question of each."""
    rng = random.Random(seed)
    questions = [
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(THINGS)} in {2000 + i % 25}"
        for i in range(max(1, n // 5))
    ]
    picked = [rng.choice(questions) for _ in range(n)]
    return [rng.choice(FRAMES).format(q) for q in picked], picked


def bench_group(n: int) -> tuple[float, int, int, int]:
    """Seconds to group ``n`` texts; the groups, the questions asked, and groups mixing questions."""
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    made, asked = texts(n)
    entries = [
        Unanswered(i, 2001, t, Verdict.NONE, AskedVia.SLASH, now - dt.timedelta(minutes=i))
        for i, t in enumerate(made)
    ]
    t0 = time.perf_counter()
    groups = group(entries)
    seconds = time.perf_counter() - t0
    mixed = sum(len({asked[e.id] for e in g.entries}) > 1 for g in groups)
    return seconds, len(groups), len(set(asked)), mixed


async def bench_store(cards: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        async with open_store(f"sqlite:///{tmp}/claims.db") as store:
            service = ClaimService(store)
            await service.load(seed_if_empty=True)
            none = await service.check("I like pancakes with syrup")
            t0 = time.perf_counter()
            for i in range(200):
                await service.record_unanswered(
                    2001, f"question number {i} about pancakes", none, via=AskedVia.SLASH
                )
            record = (time.perf_counter() - t0) / 200
            claim_id = (await service.list_claims())[0].claim.id
            t0 = time.perf_counter()
            for _ in range(200):
                await service.count_use(2001, claim_id, AskedVia.SLASH)
            count = (time.perf_counter() - t0) / 200
            claims = [s.claim for s in await service.list_claims()]
            for i in range(cards):
                c = claims[i % len(claims)]
                await store.add_card(_card(i, c.id, shown_state(c)))
            followups = FollowUps(
                service,
                client=discord.Client(intents=discord.Intents.none()),
                guild_settings=GuildSettingsCache(service),
            )
            t0 = time.perf_counter()
            assert await followups.round() == 0  # the first round: every card against its claim
            first = time.perf_counter() - t0
            t0 = time.perf_counter()
            for _ in range(20):
                await followups.round()
            idle = (time.perf_counter() - t0) / 20
    return {
        "record_ms": record * 1000,
        "count_ms": count * 1000,
        "first_round_s": first,
        "idle_round_ms": idle * 1000,
    }


def _card(i: int, claim_id: str, shown: dict[str, object]):  # type: ignore[no-untyped-def]
    from claims_db.models import PostedCard

    return PostedCard(0, 2001, 3001, 10_000 + i, claim_id, CardKind.CARD, shown, dt.datetime.now(dt.UTC))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--cards", type=int, default=5000)
    args = parser.parse_args()
    seconds, groups, asked, mixed = bench_group(args.texts)
    print(
        f"group: {args.texts} texts ({asked} questions) into {groups} groups, {mixed} mixing "
        f"questions, in {seconds * 1000:.0f} ms"
    )
    found = asyncio.run(bench_store(args.cards))
    record, count = found["record_ms"], found["count_ms"]
    print(f"record_unanswered: {record:.2f} ms per call; count_use: {count:.2f} ms per call")
    print(
        f"follow-ups with {args.cards} cards: first round {found['first_round_s'] * 1000:.0f} ms, "
        f"a round with no change {found['idle_round_ms']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
