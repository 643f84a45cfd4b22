"""`claimbot sources check` as an operator runs it, against real local servers."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import shutil
import sys
from pathlib import Path

from aiohttp import web

from tests.conftest import claim_dict
from tests.fakes.web import LocalSite

CLAIMBOT = shutil.which("claimbot", path=str(Path(sys.executable).parent)) or "claimbot"
KEYS = {"claim_id", "url", "status", "final_url", "title", "checked", "error"}


async def claimbot(*args: str, db: Path, allow: str | None = "127.0.0.1") -> tuple[int, str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMBOT_")}
    env["CLAIMBOT_DB"] = str(db)
    if allow is not None:
        env["CLAIMBOT_FETCH_ALLOW"] = allow
    proc = await asyncio.create_subprocess_exec(
        CLAIMBOT, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def store_with(tmp_path: Path, site: LocalSite, private_site: LocalSite) -> Path:
    async def story(r: web.Request) -> web.Response:
        return web.Response(text="<title>The story</title>", content_type="text/html")

    async def moved(r: web.Request) -> web.Response:
        raise web.HTTPFound("/story")

    async def inside(r: web.Request) -> web.Response:
        raise web.HTTPFound(private_site.url("/"))

    site.route("/story")(story)
    site.route("/moved")(moved)
    site.route("/inside")(inside)
    live = claim_dict("live-claim", sources=[{"outlet": "Wire", "url": site.url("/story")}])
    mixed = claim_dict(
        "mixed-claim",
        sources=[
            {"outlet": "Wire", "url": site.url("/moved")},
            {"outlet": "Gone", "url": site.url("/gone")},
            {"outlet": "Inside", "url": site.url("/inside")},
        ],
    )
    for c in (live, mixed):
        c["attributions"][0].pop("source", None)
    file = tmp_path / "claims.json"
    file.write_text(json.dumps([live, mixed]))
    db = tmp_path / "claims.db"
    assert (await claimbot("init", "--empty", db=db))[0] == 0
    assert (await claimbot("import", str(file), db=db))[0] == 0
    return db


async def test_check_all_prints_one_line_per_source_and_exits_1_when_some_are_dead(
    tmp_path: Path, site: LocalSite, private_site: LocalSite
) -> None:
    db = await store_with(tmp_path, site, private_site)
    code, out, err = await claimbot("sources", "check", "--all", db=db)
    assert code == 1, err
    lines = out.splitlines()
    assert lines[0] == f"ok\t200\tlive-claim\t{site.url('/story')}\tThe story"
    assert lines[1] == f"ok\t200\tmixed-claim\t{site.url('/moved')} -> {site.url('/story')}\tThe story"
    assert lines[2] == f"unreachable\t404\tmixed-claim\t{site.url('/gone')}\tHTTP 404 Not Found"
    assert lines[3].startswith(f"unreachable\t-\tmixed-claim\t{site.url('/inside')}\trefused: 127.0.0.2 is")
    assert err.strip() == "Checked 4 sources of 2 claims: 2 unreachable."
    assert private_site.seen == []
    code, card, _ = await claimbot("show", "mixed-claim", db=db)
    assert code == 0
    assert f"Gone, unavailable since {dt.datetime.now(dt.UTC):%Y-%m-%d} <{site.url('/gone')}>" in card
    assert f"Wire <{site.url('/moved')}>" in card


async def test_json_lines_carry_exactly_the_documented_keys(
    tmp_path: Path, site: LocalSite, private_site: LocalSite
) -> None:
    db = await store_with(tmp_path, site, private_site)
    code, out, _ = await claimbot("sources", "check", "mixed-claim", "--json", db=db)
    assert code == 1
    rows = [json.loads(line) for line in out.splitlines()]
    assert [set(r) for r in rows] == [KEYS] * 3
    moved, gone, inside = rows
    assert (moved["status"], moved["final_url"], moved["title"], moved["error"]) == (
        200, site.url("/story"), "The story", None,
    )  # fmt: skip
    assert (gone["status"], gone["error"]) == (404, "HTTP 404 Not Found")
    assert inside["status"] is None and inside["error"].startswith("refused:")
    assert moved["checked"].endswith("+00:00")


async def test_one_claim_all_reachable_exits_0(
    tmp_path: Path, site: LocalSite, private_site: LocalSite
) -> None:
    db = await store_with(tmp_path, site, private_site)
    code, out, err = await claimbot("sources", "check", "live-claim", db=db)
    assert (code, len(out.splitlines())) == (0, 1), err


async def test_without_the_allow_list_loopback_is_refused(
    tmp_path: Path, site: LocalSite, private_site: LocalSite
) -> None:
    db = await store_with(tmp_path, site, private_site)
    code, out, _ = await claimbot("sources", "check", "live-claim", db=db, allow=None)
    assert code == 1
    assert "refused: 127.0.0.1 is 127.0.0.1, a loopback address" in out
    assert site.seen == []


async def test_usage_errors_say_what_to_give(
    tmp_path: Path, site: LocalSite, private_site: LocalSite
) -> None:
    db = await store_with(tmp_path, site, private_site)
    code, _, err = await claimbot("sources", "check", db=db)
    assert code == 2 and "give a claim ID or --all" in err
    code, _, err = await claimbot("sources", "check", "live-claim", db=db, allow="not-an-address")
    assert code == 2
    assert err.strip() == (
        "claimbot: CLAIMBOT_FETCH_ALLOW lists 'not-an-address', which is not an IP address or network "
        "(write e.g. 127.0.0.1 or 10.0.0.0/8, separated by commas)"
    )
    code, _, err = await claimbot("sources", "check", "nope", db=db)
    assert (code, err.strip()) == (2, "claimbot: No claim with id 'nope'.")
