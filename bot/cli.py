"""The ``claimbot`` command: operators' adapter over ClaimService.

``run`` imports the Discord app lazily, so every other command works without loading discord.
Exit codes: 0 success (``check`` also when nothing matches), 2 usage or input error with a one-line
message on stderr, 1 any other failure (the store unreachable or busy), 130 interrupted (Ctrl-C).

Only ``init`` creates a store at a path given with ``--db`` or ``CLAIMBOT_DB`` (a mistyped path is
an error, not a new store); the default store in the user's data directory is created on first use.
"""

from __future__ import annotations

import asyncio
import contextlib
import getpass
import json
import os
import signal
import sys
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from claims_db.errors import ClaimsError, InvalidClaimFile, InvalidInput, StoreUnavailable
from claims_db.semantic.encoder import MULTILINGUAL_NAME
from claims_db.semantic.multilingual import LANGUAGES as MULTILINGUAL_LANGUAGES
from claims_db.service import ClaimService
from claims_db.store import ENV_DB, default_url, open_store
from claims_db.store.cache import cache_dir
from claims_db.transfer import record_to_dict
from claims_db.wording import counted

T = TypeVar("T")


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _busy_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("CLAIMBOT_BUSY_TIMEOUT", "10")))
    except ValueError:
        raise InvalidInput("CLAIMBOT_BUSY_TIMEOUT must be a number of seconds") from None


class Context:
    def __init__(self, db: str, *, explicit: bool) -> None:
        self.db = db
        self.explicit = explicit  # named by --db or CLAIMBOT_DB: only `init` may create it

    def run(
        self, work: Callable[[ClaimService], Awaitable[T]], *, seed: bool = True, create: bool = False
    ) -> T:
        """Open the store (the default one is created and seeded on first use) and run ``work``.

        The match index is not built here: ``check`` builds it, nothing else needs it.
        """

        async def main() -> T:
            may_create = create or not self.explicit
            async with open_store(self.db, create=may_create, busy_timeout=_busy_timeout()) as store:
                service = ClaimService(store, cache_dir=cache_dir())
                await service.load(seed_if_empty=seed and may_create, index=False)
                return await work(service)

        with _exit_on_interrupt():
            return asyncio.run(main())


@contextlib.contextmanager
def _exit_on_interrupt() -> Iterator[None]:
    """Ctrl-C while the store is open: leave at once with 130. An open transaction is never
    committed, so the store stays as it was (the database rolls it back, as after a crash);
    unwinding SQLAlchemy's async machinery from a signal instead ends in MissingGreenlet."""

    def interrupted(_signum: int, _frame: Any) -> None:
        os.write(2, b"claimbot: interrupted\n")
        os._exit(130)

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class _PipeClosed(Exception):
    """The reader of standard output went away; click would make that exit code 1."""


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as exc:
            raise _PipeClosed() from exc


pass_ctx = click.make_pass_decorator(Context)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    metavar="URL",
    help=f"Claim store: a SQLite path or URL (sqlite:///path.db) or postgresql://... [env: {ENV_DB}]",
)
@click.version_option(package_name="claimbot")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """claimbot: match messages against curated claims and say who asserts them and who denies them."""
    explicit = bool(db) or bool(os.environ.get(ENV_DB, "").strip())
    ctx.obj = Context(db or default_url(), explicit=explicit)


@cli.command()
@click.option("--empty", is_flag=True, help="Create the store without the bundled seed claims.")
@pass_ctx
def init(ctx: Context, empty: bool) -> None:
    """Create the claim store (with the bundled seed claims unless --empty)."""

    async def work(service: ClaimService) -> str:
        store = service.store
        if await store.last_seq() > 0:
            count = len(await store.list_all())
            return f"The claim store at {ctx.db} already exists ({counted(count, 'claim')}); nothing changed."
        if empty:
            await store.mark("init", actor=_actor(), note="created empty")
            return f"Created an empty claim store at {ctx.db}."
        count = await service.load(seed_if_empty=True, index=False)
        return f"Created the claim store at {ctx.db} with {count} seed claims."

    click.echo(ctx.run(work, seed=False, create=True))


FORMATS = click.Choice(["claims", "claimreview"])


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "claims", "claimreview"]),
    default="auto",
    show_default=True,
    help="claims: the claim file format (JSON or YAML); claimreview: schema.org ClaimReview JSON-LD.",
)
@click.option("--update", is_flag=True, help="Replace stored claims whose content differs from the file's.")
@click.option("--restore", is_flag=True, help="Make retracted claims the file holds as active active again.")
@click.option(
    "--dry-run", is_flag=True, help="Change nothing; show what would be added, changed, left alone."
)
@click.option(
    "--no-vectors",
    is_flag=True,
    help="Store the claims without the semantic tier's vectors (a big file in seconds); "
    "run `claimbot reindex` afterwards.",
)
@pass_ctx
def import_(
    ctx: Context, file: str, fmt: str, update: bool, restore: bool, dry_run: bool, no_vectors: bool
) -> None:
    """Import a claim file (JSON or YAML): all claims or, on any problem, none.

    New claims are added; a claim the store holds with other content is an error unless --update;
    a retracted claim stays retracted unless --restore. The semantic tier's vectors of the new and
    changed claims are computed and stored with them, unless --no-vectors.
    """
    data = _read(file)
    encoding, importing = _ProgressBar("Encoding"), _ProgressBar("Importing")
    tty = sys.stderr.isatty()

    async def work(service: ClaimService) -> str:
        report = await service.import_claims(
            data,
            actor=_actor(),
            filename=Path(file).name,
            fmt=fmt,
            update=update,
            restore=restore,
            dry_run=dry_run,
            progress=importing if tty else None,
            encoding=encoding if tty else None,
            encode=not no_vectors,
        )
        return str(report)

    try:
        text = ctx.run(work)
    finally:
        encoding.close()
        importing.close()
    click.echo(text)
    if no_vectors and not dry_run:
        click.echo(
            "claimbot: the claims were stored without vectors; run `claimbot reindex` "
            "(until then every start encodes them)",
            err=True,
        )


class _ProgressBar:
    """A progress bar on standard error, shown from the first (done, total) it hears."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None


@cli.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--all", "include_retracted", is_flag=True, help="Include retracted claims.")
@click.option("--format", "fmt", type=FORMATS, default="claims", show_default=True, help="Output format.")
@pass_ctx
def export(ctx: Context, file: str | None, include_retracted: bool, fmt: str) -> None:
    """Write every claim as a claim file (to FILE, or standard output)."""

    async def work(service: ClaimService) -> tuple[str, int]:
        text = await service.export_claims(include_retracted=include_retracted, fmt=fmt)
        return text, len(json.loads(text))

    text, count = ctx.run(work)
    if file is None or file == "-":
        click.echo(text, nl=False)
        return
    target = Path(file)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)  # never leave a half-written export behind
    except OSError as exc:
        raise InvalidInput(f"Cannot write {file}: {exc.strerror}") from exc
    click.echo(f"Exported {count} claim{'' if count == 1 else 's'} to {file}.", err=True)


@cli.command(name="list")
@click.option("--all", "include_retracted", is_flag=True, help="Include retracted claims.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_ctx
def list_(ctx: Context, include_retracted: bool, as_json: bool) -> None:
    """List the claims: id, status and statement."""
    stored = ctx.run(lambda s: s.list_claims(include_retracted=include_retracted))
    for s in stored:
        c = s.claim
        if as_json:
            click.echo(json.dumps({"id": c.id, "status": str(c.status), "statement": c.statement,
                                   "retracted": s.retracted}, ensure_ascii=False))  # fmt: skip
        else:
            mark = " [retracted]" if s.retracted else ""
            click.echo(f"{c.id}\t{c.status}{mark}\t{c.statement}")


@cli.command()
@click.argument("claim_id")
@click.option("--json", "as_json", is_flag=True, help="The claim in the file format.")
@pass_ctx
def show(ctx: Context, claim_id: str, as_json: bool) -> None:
    """Show one claim as the bot would, attribution first."""
    from claims_db import wording

    async def work(service: ClaimService) -> tuple[Any, Any]:
        return await service.get(claim_id), await service.source_checks(claim_id)

    stored, checks = ctx.run(work)
    if as_json:  # the claim file format: `claimbot import` takes it back as it is
        data = record_to_dict(stored.claim, stored.retracted, stored.retracted_reason)
        data.setdefault("retracted", False)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if stored.retracted:
        click.echo(f"[retracted: {stored.retracted_reason}]")
    gone = {c.url: f"{c.failing_since:%Y-%m-%d}" for c in checks if c.failing_since and not c.reachable}
    click.echo(wording.card_text(wording.card(stored.claim, unavailable=gone)))


@cli.command()
@click.argument("claim_id")
@click.option("--reason", required=True, help="Why the claim is withdrawn (kept in its history).")
@pass_ctx
def retract(ctx: Context, claim_id: str, reason: str) -> None:
    """Hide a claim from matching; it and its history stay in the store."""
    ctx.run(lambda s: s.retract(claim_id, reason, actor=_actor()))
    click.echo(
        f"Retracted {claim_id}: it no longer matches messages. `claimbot history {claim_id}` shows why."
    )


@cli.command()
@click.argument("claim_id")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per change.")
@pass_ctx
def history(ctx: Context, claim_id: str, as_json: bool) -> None:
    """Every change to a claim: when, who, what."""
    entries = ctx.run(lambda s: s.history(claim_id))
    for e in entries:
        if as_json:
            entry = {
                "seq": e.seq,
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "note": e.note,
            }
            click.echo(json.dumps({**entry, "before": e.before, "after": e.after}, ensure_ascii=False))
        else:
            note = f" ({e.note})" if e.note else ""
            changed = ", ".join(_changed(e.before, e.after)) or "-"
            click.echo(f"{e.at:%Y-%m-%d %H:%M:%S} UTC\t{e.actor}\t{e.action}{note}\t{changed}")


def _changed(before: Any, after: Any) -> list[str]:
    if before is None:
        return ["created"]
    keys = sorted(set(before) | set(after or {}))
    return [k for k in keys if before.get(k) != (after or {}).get(k)]


@cli.command()
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object (with --batch: one per line).")
@click.option("--limit", default=3, show_default=True, type=click.IntRange(1, 50), help="Candidates to list.")
@click.option(
    "--batch",
    type=click.Path(dir_okay=False, allow_dash=True),
    help='Read JSON lines {"text": ...} from this file ("-" for standard input); one result per line.',
)
@pass_ctx
def check(ctx: Context, text: str | None, as_json: bool, limit: int, batch: str | None) -> None:
    """Check a message against the claim store and print the reply the bot would post."""
    if batch is not None:
        if text is not None:
            raise click.UsageError("give either TEXT or --batch FILE, not both")
        if not as_json:
            raise click.UsageError("--batch writes JSON lines: add --json")
        if batch == "-":
            ctx.run(lambda service: _stream(service, limit=limit))
            return
        texts = list(_batch_texts(batch))

        async def work_many(service: ClaimService) -> None:
            await service.ensure_index()
            out = sys.stdout
            for outcome in service.check_many(texts, limit=limit):
                out.write(json.dumps(outcome.to_json(), ensure_ascii=False) + "\n")
            out.flush()

        ctx.run(work_many)
        return
    if text is None or not text.strip():
        raise click.UsageError(
            'give the message to check, e.g. claimbot check "Iran sent missiles to Russia"'
        )

    async def work(service: ClaimService) -> None:
        outcome = await service.check(text, limit=limit)
        if as_json:
            click.echo(json.dumps(outcome.to_json(), ensure_ascii=False))
        else:
            click.echo(outcome.reply.text)
            if outcome.across is not None:
                click.echo(f"({outcome.across.note})")
            if outcome.result.matches and outcome.result.verdict.value == "none":
                best = outcome.result.matches[0]
                click.echo(f"(closest, not a match: {best.claim_id} at {best.score:.2f})")

    ctx.run(work)


async def _stream(service: ClaimService, *, limit: int) -> None:
    """``check --json --batch -``: answer each line of standard input as it arrives, against the store
    as it is then (a live feed can be piped through). On PostgreSQL changes arrive by notification;
    elsewhere the change feed is read before each line."""
    await service.ensure_index()
    out = sys.stdout
    async with service.following():
        n = 0
        while True:
            raw = await asyncio.to_thread(sys.stdin.buffer.readline)
            if not raw:
                return
            n += 1
            text = _batch_text(raw.decode("utf-8", errors="replace"), "-", n)
            if text is None:
                continue
            if not service.live:
                await service.refresh()
            out.write(json.dumps(service.check_now(text, limit=limit).to_json(), ensure_ascii=False) + "\n")
            out.flush()


def _batch_texts(path: str) -> Iterator[str]:
    data = _read(path).decode("utf-8", errors="replace")
    for n, line in enumerate(data.splitlines(), 1):
        text = _batch_text(line, path, n)
        if text is not None:
            yield text


def _batch_text(line: str, path: str, n: int) -> str | None:
    """The text of one ``{"text": ...}`` line (None for a blank line); InvalidInput naming the line."""
    if not line.strip():
        return None
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f'{path} line {n}: not JSON ({exc.msg}); each line must be {{"text": ...}}'
        ) from exc
    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise InvalidInput(f'{path} line {n}: each line must be an object with a "text" string')
    text: str = item["text"]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        char = f"U+{ord(text[exc.start]):04X}"
        raise InvalidInput(
            f"{path} line {n}: the text holds a lone surrogate ({char}), not Unicode text"
        ) from None
    return text


@cli.command("migrate-store")
@click.argument("source", metavar="FROM")
@click.argument("target", metavar="TO")
@click.option("--force", is_flag=True, help="Replace everything the target store holds.")
def migrate_store(source: str, target: str, force: bool) -> None:
    """Copy a whole store (claims, retractions, audit log, guild settings, review queue) to another.

    FROM and TO are store URLs or SQLite paths, e.g. claims.db postgresql://user@host/db. The target
    is created if missing and must be empty unless --force. Counts and a checksum of every row are
    compared at the end; exit 1 if they differ.
    """
    from claims_db.store.copy import copy_store

    async def main() -> tuple[bool, str]:
        timeout = _busy_timeout()
        async with (
            open_store(source, create=False, busy_timeout=timeout) as src,
            open_store(target, busy_timeout=timeout) as dst,
        ):
            report = await copy_store(src, dst, force=force)
        return report.verified, str(report)

    with _exit_on_interrupt():
        ok, text = asyncio.run(main())
    if not ok:
        raise click.ClickException(text)
    click.echo(text)


@cli.group()
def sources() -> None:
    """Link health of the claims' sources."""


@sources.command(name="check")
@click.argument("claim_id", required=False)
@click.option("--all", "check_all", is_flag=True, help="Check the sources of every claim.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source.")
@click.option("--timeout", default=15.0, show_default=True, type=click.FloatRange(0.1, 120), help="Seconds.")
@pass_ctx
def sources_check(ctx: Context, claim_id: str | None, check_all: bool, as_json: bool, timeout: float) -> None:
    """Fetch every source URL of a claim (or --all) and store status, final URL and title.

    Exits 0 when every source answered, 1 when some did not. Addresses inside private networks
    are refused unless CLAIMBOT_FETCH_ALLOW names them.
    """
    import httpx

    from claims_db.sources import FetchPolicy, LinkChecker, client_options

    if (claim_id is None) == (not check_all):
        raise click.UsageError("give a claim ID or --all (not both)")
    fetch_policy = FetchPolicy.from_env(os.environ)

    async def work(service: ClaimService) -> list[Any]:
        async with httpx.AsyncClient(**client_options(timeout=timeout)) as client:  # type: ignore[arg-type]
            checker = LinkChecker(client, fetch_policy=fetch_policy)
            return await service.check_sources(checker, claim_id=claim_id)

    checks = ctx.run(work)
    for c in checks:
        if as_json:
            click.echo(json.dumps(c.to_json(), ensure_ascii=False))
            continue
        moved = f" -> {c.final_url}" if c.final_url and c.final_url != c.url else ""
        detail = (c.title or "") if c.reachable else c.error
        word = "ok" if c.reachable else "unreachable"
        click.echo(f"{word}\t{c.status or '-'}\t{c.claim_id}\t{c.url}{moved}\t{detail}")
    dead = sum(not c.reachable for c in checks)
    claims = len({c.claim_id for c in checks})
    checked = f"{counted(len(checks), 'source')} of {counted(claims, 'claim')}"
    click.echo(f"Checked {checked}: {dead} unreachable.", err=True)
    if dead:
        raise click.exceptions.Exit(1)


@cli.command()
@click.option("--guild", "guild_id", type=click.IntRange(min=1), help="Only this guild (its id).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per group.")
@pass_ctx
def unanswered(ctx: Context, guild_id: int | None, as_json: bool) -> None:
    """What members asked that no claim answers, grouped by similarity, newest first.

    Texts are kept normalised and without their authors, for the guild's retention (90 days unless
    /curate settings says otherwise).
    """
    groups = ctx.run(lambda s: s.unanswered(guild_id))
    for g in groups:
        if as_json:
            click.echo(json.dumps(g.to_json(), ensure_ascii=False))
        else:
            click.echo(f"{g.count}\t{g.last_seen:%Y-%m-%d}\tguild {g.guild_id}\t{g.text}")
    if not as_json:
        texts = sum(g.count for g in groups)
        click.echo(f"{len(groups)} groups of {texts} unanswered texts.", err=True)


@cli.group()
def reports() -> None:
    """The "Wrong match?" review queue."""


@reports.command(name="export")
@click.argument("file", required=False)
@click.option("--guild", "guild_id", type=click.IntRange(min=1), help="Only this guild (its id).")
@pass_ctx
def reports_export(ctx: Context, file: str | None, guild_id: int | None) -> None:
    """Accepted wrong-match reports as labelled negatives (JSON lines) for the decision model.

    Each line is a matchset line (text, kind "wrong_match", expect, framing) whose "other" is the
    claim the text was wrongly matched to; `python benchmarks/fit_decision.py --negatives FILE`
    trains on them.
    """
    rows = ctx.run(lambda s: s.wrong_match_negatives(guild_id))
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if file is None or file == "-":
        click.echo(text, nl=False)
    else:
        try:
            Path(file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot write {file}: {exc.strerror}") from exc
    click.echo(f"Exported {len(rows)} labelled negative{'' if len(rows) == 1 else 's'}.", err=True)


@cli.command()
@click.option("--all", "everything", is_flag=True, help="Recompute every vector, current ones too.")
@pass_ctx
def reindex(ctx: Context, everything: bool) -> None:
    """Compute and store the semantic tier's vectors of every claim that lacks current ones.

    Run it after upgrading from a version without the tier, or after changing the model
    (CLAIMBOT_EMBED_MODEL, or a new model package). A progress bar shows on a terminal. Exits 1
    when the semantic tier cannot run here (the reason is on standard error).
    """
    bar = _ProgressBar("Encoding")

    async def work(service: ClaimService) -> str:
        tier = await service.semantic_tier()
        if tier.encoder is None:
            raise _TierOff(str(tier.reason))
        claims, texts, current = await service.reindex(
            everything=everything, progress=bar if sys.stderr.isatty() else None
        )
        model = tier.encoder.info
        return (
            f"Stored vectors for {claims} claim{'' if claims == 1 else 's'} ({texts} texts) with "
            f"{model.name}; {current} already had current vectors."
        )

    try:
        text = ctx.run(work)
    except _TierOff as exc:
        click.echo(f"claimbot: the semantic tier is off: {exc}", err=True)
        raise click.exceptions.Exit(1) from None
    finally:
        bar.close()
    click.echo(text)


class _TierOff(Exception):
    pass


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@pass_ctx
def doctor(ctx: Context, as_json: bool) -> None:
    """Say which matching tier and model are active, and what needs fixing.

    Exits 0 when all is well: the semantic tier runs and every claim has current vectors, or the
    tier was turned off with CLAIMBOT_SEMANTIC=0. Exits 1 when the tier should run and cannot
    (onnxruntime or the model missing, CLAIMBOT_EMBED_MODEL wrong, a checksum mismatch), or when
    claims lack current vectors (`claimbot reindex` fixes that); each problem is a line on stderr.
    """
    status = ctx.run(lambda s: s.semantic_status())
    problems = status.problems
    if as_json:
        model = status.model
        click.echo(json.dumps({
            "tier": "semantic" if status.active else "lexical",
            "model": None if model is None else
            {"name": model.name, "dim": model.dim, "checksum": model.checksum, "path": model.path},
            "reason": status.reason,
            "claims": status.claims,
            "current_vectors": status.current,
            "missing_vectors": status.missing,
            "stale_vectors": sum(status.stale_models.values()),
            "problems": problems,
            "multilingual": model is not None and model.name == MULTILINGUAL_NAME,
            "decision_model": status.decision,
            "approximate_index": None if status.ann is None else
            {"kind": status.ann.kind, "min_claims": status.ann.min_claims, "used": status.ann_used},
        }, ensure_ascii=False))  # fmt: skip
    else:
        click.echo(f"Claim store: {ctx.db} ({status.claims} claims)")
        if status.model is not None:
            m = status.model
            click.echo("Matching: semantic tier on (words and meaning)")
            click.echo(f"Model: {m.name}, dim {m.dim}, sha256 {m.checksum}")
            click.echo(f"Model file: {m.path}")
            if m.name == MULTILINGUAL_NAME:
                click.echo(f"Languages: {MULTILINGUAL_LANGUAGES} (messages find claims across them)")
            click.echo(f"Vectors: {status.current} of {status.claims} claims current")
            click.echo(f"Decision: {status.decision}")
            click.echo(f"Approximate index: {status.ann_line}")
        else:
            click.echo(f"Matching: words alone; the semantic tier is off: {status.reason}")
            click.echo(f"Decision: {status.decision}")
    for problem in problems:
        click.echo(f"claimbot doctor: {problem}", err=True)
    if problems:
        raise click.exceptions.Exit(1)


@cli.command()
def run() -> None:
    """Run the Discord bot (reads DISCORD_TOKEN, CLAIMBOT_DB, CLAIMBOT_GUILD_IDS, ...)."""
    from bot.__main__ import main as bot_main

    raise SystemExit(bot_main())


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"No such file: {path}") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}") from None


def _fail(message: str, code: int) -> int:
    click.echo(f"claimbot: {message}", err=True)
    return code


def _tolerant_streams() -> None:
    # a terminal that is not UTF-8 gets replacement characters, never a UnicodeEncodeError
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _silence_stdout() -> None:
    # the reader went away (`claimbot list | head -1`): drop what is still buffered, quietly
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``claimbot`` console script."""
    _tolerant_streams()
    try:
        code = _main(argv)
        sys.stdout.flush()
    except (BrokenPipeError, _PipeClosed):
        _silence_stdout()
        return 0
    return code


def _main(argv: list[str] | None) -> int:
    try:
        code = cli.main(args=argv, prog_name="claimbot", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else "", err=True)
        return 2
    except click.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        return _fail(f"{exc.format_message()}{hint}", 2)
    except click.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):  # click turns Ctrl-C into Abort
            return _fail("interrupted", 130)
        return _fail("aborted", 1)
    except click.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code)
    except InvalidClaimFile as exc:
        click.echo(f"claimbot: {exc}", err=True)
        return 2
    except StoreUnavailable as exc:
        return _fail(str(exc), 1)
    except ClaimsError as exc:
        return _fail(str(exc), 2)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except (BrokenPipeError, _PipeClosed):
        raise
    except Exception as exc:
        if os.environ.get("CLAIMBOT_DEBUG"):
            raise
        return _fail(f"unexpected error: {type(exc).__name__}: {exc} (set CLAIMBOT_DEBUG=1 for details)", 1)
    return code if isinstance(code, int) else 0  # a command's click.exceptions.Exit(code)


if __name__ == "__main__":
    raise SystemExit(main())
