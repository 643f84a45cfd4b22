"""Run the generated behavioural suite (benchmarks/checklist.py) against the matcher over any store.

    python benchmarks/behaviour.py --seed-store [--json] [--out FILE]
    python benchmarks/behaviour.py --claims FILE [--json] [--out FILE]
    python benchmarks/behaviour.py --checkthat DIR [--n 2000] [--rng 0] [--full-store] [--json] [--out FILE]
    python benchmarks/behaviour.py ... --cases FILE [--no-match]     # the generated cases as JSON lines
    python benchmarks/behaviour.py ... --kinds direction_swap,replaced_person  # only these kinds

For every claim of the store the generator writes messages from its statement; each goes through
``Matcher.check``. Per kind of message the report counts: ``n`` (messages), ``skipped`` (claims for
which the kind could not be derived), ``top1`` (the claim ranked first), ``match_right`` (verdict
``match`` and the claim first), ``match_original`` (the claim among the matches with verdict
``match``: for swaps and replacements this must stay at or below 2%), ``match_any`` (any confident
match at all), and ``framing`` (where the kind fixes one). Swaps and replacements are also broken
down by the kind of entity touched. With ``--checkthat`` the store is ``--n`` CheckThat! 2022 2A
vclaims sampled with ``--rng`` (their ``vclaim`` text as the statement; ``--full-store`` keeps all
14,231 claims in the store and still derives messages from the sample only).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from checklist import FIND_KINDS, KINDS, SWAP_KINDS, Case, cases, context  # noqa: E402

from claims_db.models import Claim, MatchResult, Verdict  # noqa: E402

SEED_STORE = ROOT / "claims_db/data/seed_claims.json"
SWAP_LIMIT = 0.02  # issue 6: swaps and replacements `match` at most 2% for every kind of entity


class Checker(Protocol):
    def check(self, message: str, *, limit: int = 3) -> MatchResult: ...


@dataclass
class Tally:
    n: int = 0
    top1: int = 0
    match_right: int = 0
    match_original: int = 0
    match_any: int = 0
    framing_n: int = 0
    framing_ok: int = 0

    def add(self, case: Case, claim_id: str, result: MatchResult) -> bool:
        """Count one message; True when it failed its expectation."""
        best = result.best
        first = best is not None and best.claim_id == claim_id
        confident = result.verdict is Verdict.MATCH
        original = any(m.claim_id == claim_id and m.verdict is Verdict.MATCH for m in result.matches)
        self.n += 1
        self.top1 += first
        self.match_right += confident and first
        self.match_original += original
        self.match_any += confident
        if case.framing is not None:
            self.framing_n += 1
            self.framing_ok += result.framing.value == case.framing
        return original if case.expect == "not_match" else not first

    def rates(self) -> dict[str, Any]:
        d: dict[str, Any] = asdict(self)
        n = max(self.n, 1)
        for key in ("top1", "match_right", "match_original", "match_any"):
            d[f"{key}_rate"] = getattr(self, key) / n
        d["framing_rate"] = self.framing_ok / self.framing_n if self.framing_n else None
        return d


@dataclass
class Report:
    claims: int = 0
    messages: int = 0
    kinds: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    by_entity: dict[str, dict[str, Tally]] = field(default_factory=dict)
    failures: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "claims": self.claims,
            "messages": self.messages,
            "kinds": {k: {**t.rates(), "skipped": self.skipped[k]} for k, t in self.kinds.items()},
            "by_entity": {
                k: {e: t.rates() for e, t in sorted(d.items())} for k, d in sorted(self.by_entity.items())
            },
            "failures": self.failures,
        }


def run(
    claims: Sequence[Claim],
    matcher: Checker,
    *,
    tested: Sequence[Claim] | None = None,
    seed: int = 0,
    limit: int = 3,
    keep_failures: int = 5,
    kinds: frozenset[str] | None = None,
) -> Report:
    """Generate the cases of every claim in ``tested`` (default: the whole store) and count the results.

    Parameters
    ----------
    claims
        The store: its statements give the generator its context (lower-case words, parties by kind).
    matcher
        Anything with ``check(message, limit=...) -> MatchResult`` over that store.
    tested
        The claims whose statements messages are derived from.
    seed
        Seeds the generator (typos, replacements, templates); the same seed gives the same messages.
    keep_failures
        How many failing messages to keep per kind, for reading.
    kinds
        Only these kinds of message are checked (default: all); the others count as skipped.
    """
    ctx = context(c.statement for c in claims)
    report = Report()
    for claim in tested if tested is not None else claims:
        report.claims += 1
        generated = cases(claim.statement, ctx, seed=seed)
        if kinds is not None:
            generated = [c for c in generated if c.kind in kinds]
        present = {c.kind for c in generated}
        for kind in KINDS:
            report.skipped[kind] += kind not in present
        for case in generated:
            result = matcher.check(case.message, limit=limit)
            report.messages += 1
            failed = report.kinds[case.kind].add(case, claim.id, result)
            if case.entity is not None:
                report.by_entity.setdefault(case.kind, {}).setdefault(case.entity, Tally()).add(
                    case, claim.id, result
                )
            kept = report.failures.setdefault(case.kind, [])
            if failed and len(kept) < keep_failures:
                best = result.best
                kept.append(
                    {
                        "claim_id": claim.id,
                        "message": case.message,
                        "detail": case.detail,
                        "verdict": result.verdict.value,
                        "top": best.claim_id if best else None,
                        "score": best.score if best else None,
                        "why": best.why if best else None,
                    }
                )
    return report


def case_rows(claims: Sequence[Claim], tested: Sequence[Claim], *, seed: int = 0) -> list[dict[str, Any]]:
    """Every generated case as a plain row (claim id, kind, message, expect, framing, entity, detail),
    for reading or as labelled examples for fitting a decision (issue 6 part 3)."""
    ctx = context(c.statement for c in claims)
    return [
        {"claim_id": claim.id, **asdict(case)}
        for claim in tested
        for case in cases(claim.statement, ctx, seed=seed)
    ]


# --- stores ---------------------------------------------------------------------------------------


def load_claim_file(path: Path) -> list[Claim]:
    from claims_db.transfer import parse_claims

    return parse_claims(path.read_bytes(), filename=path.name)


def checkthat_claims(root: Path, n: int, rng: int) -> tuple[list[Claim], list[Claim]]:
    """(all CheckThat claims, ``n`` of them sampled with seed ``rng``), statements from ``vclaim``."""
    from checkthat import load_vclaims, to_claims

    vclaims = [v for v in load_vclaims(root) if v.vclaim.strip()]
    everything = to_claims(vclaims, title=False)
    sample = random.Random(rng).sample(everything, min(n, len(everything)))
    return everything, sample


def development_claims(root: Path, n: int, rng: int) -> tuple[list[Claim], list[Claim]]:
    """(all CheckThat claims, ``n`` sampled with seed ``rng`` from those that neither the reported
    sample (``--n 2000 --rng 0``) nor the decision's fit (600 more, ``fit_decision.rows_suite``) uses)."""
    everything, reported = checkthat_claims(root, REPORTED[0], REPORTED[1])
    taken = {c.id for c in reported}
    pool = [c for c in everything if c.id not in taken]
    taken |= {c.id for c in random.Random(FITTED[1]).sample(pool, min(FITTED[0], len(pool)))}
    rest = [c for c in everything if c.id not in taken]
    return everything, random.Random(rng).sample(rest, min(n, len(rest)))


REPORTED = (2000, 0)  # the sample behaviour.py --checkthat reports on: (n, rng)
FITTED = (600, 7)  # fit_decision.py --suite 600 derives its training cases from these: (n, rng)


# --- report ---------------------------------------------------------------------------------------


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def table(result: dict[str, Any]) -> str:
    kinds = result["kinds"]
    out = [
        "| kind | must | n | claims skipped | top-1 right | `match` and right | `match` for the original "
        "claim | any `match` | framing right |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind in KINDS:
        t = kinds[kind]
        must = "not `match`" if kind in SWAP_KINDS else "find"
        flag = " **over 2%**" if kind in SWAP_KINDS and t["match_original_rate"] > SWAP_LIMIT else ""
        out.append(
            f"| {kind} | {must} | {t['n']} | {t['skipped']} | {_pct(t['top1_rate'])} | "
            f"{_pct(t['match_right_rate'])} | {_pct(t['match_original_rate'])}{flag} | "
            f"{_pct(t['match_any_rate'])} | {_pct(t['framing_rate'])} |"
        )
    out += [
        "",
        "| kind | entity | n | `match` for the original claim | any `match` |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, ents in result["by_entity"].items():
        for entity, t in ents.items():
            rates = f"{_pct(t['match_original_rate'])} | {_pct(t['match_any_rate'])}"
            out.append(f"| {kind} | {entity} | {t['n']} | {rates} |")
    find = [kinds[k] for k in FIND_KINDS if k != "original" and kinds[k]["n"]]
    swaps = [kinds[k] for k in SWAP_KINDS if kinds[k]["n"]]
    out.append("")
    if swaps:
        worst = max(t["match_original_rate"] for t in swaps)
        out.append(
            f"Worst swap/replacement kind: {_pct(worst)} `match` for the original claim (target ≤ 2%)."
        )
    if find:
        low = min(t["top1_rate"] for t in find)
        out.append(f"Lowest paraphrase kind: {_pct(low)} right claim first (target ≥ 90%).")
    return "\n".join(out)


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("-dirty" if dirty else "")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    store = p.add_mutually_exclusive_group(required=True)
    store.add_argument(
        "--seed-store", action="store_true", help="the bundled claims_db/data/seed_claims.json"
    )
    store.add_argument("--claims", type=Path, help="any claim file (JSON or YAML, the claim file format)")
    store.add_argument("--checkthat", type=Path, help="folder of the CheckThat! 2022 2A English data")
    p.add_argument("--n", type=int, default=2000, help="--checkthat: how many vclaims to sample")
    p.add_argument("--rng", type=int, default=0, help="--checkthat: the sampling seed")
    p.add_argument(
        "--development",
        action="store_true",
        help="--checkthat: sample from the claims outside the reported sample (--n 2000 --rng 0) and "
        "the 600 the decision is fitted on, to judge a matcher change before the reported figures",
    )
    p.add_argument(
        "--full-store",
        action="store_true",
        help="--checkthat: all claims in the store, messages from the sample",
    )
    p.add_argument(
        "--seed", type=int, default=0, help="the generator's seed (typos, replacements, templates)"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON instead of tables")
    p.add_argument("--out", type=Path, help="also write the result as JSON to this file")
    p.add_argument("--failures", type=int, default=5, help="failing messages kept per kind")
    p.add_argument("--cases", type=Path, help="write every generated case to this file as JSON lines")
    p.add_argument("--no-match", action="store_true", help="with --cases: write the cases, run no matcher")
    p.add_argument("--semantic", action="store_true", help="with the semantic tier (vectors cached)")
    p.add_argument(
        "--kinds", help="comma-separated kinds of message to check (default: all), e.g. direction_swap"
    )
    args = p.parse_args(argv)
    if args.no_match and not args.cases:
        p.error("--no-match needs --cases FILE")

    from claims_db.matching import Matcher

    if args.checkthat:
        if args.development:
            everything, tested = development_claims(args.checkthat, args.n, args.rng)
        else:
            everything, tested = checkthat_claims(args.checkthat, args.n, args.rng)
        claims = everything if args.full_store else tested
        label = f"checkthat n={len(tested)} rng={args.rng}" + (" development" if args.development else "")
        label += " full store" if args.full_store else ""
    else:
        path = SEED_STORE if args.seed_store else args.claims
        claims = tested = load_claim_file(path)
        label = str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    if args.cases:
        rows = case_rows(claims, tested, seed=args.seed)
        args.cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} cases written to {args.cases}", file=sys.stderr)
        if args.no_match:
            return 0
    started = time.perf_counter()
    if args.semantic:
        from semantic_cache import semantic_index

        matcher = Matcher(claims, semantic=semantic_index(claims))
    else:
        matcher = Matcher(claims)
    kinds = frozenset(args.kinds.split(",")) if args.kinds else None
    if kinds is not None and (unknown := kinds - set(KINDS)):
        p.error(f"--kinds: unknown kind(s) {', '.join(sorted(unknown))}; the kinds are {', '.join(KINDS)}")
    report = run(claims, matcher, tested=tested, seed=args.seed, keep_failures=args.failures, kinds=kinds)
    result = {
        "store": label,
        "tier": "semantic" if args.semantic else "lexical",
        "store_claims": len(claims),
        "commit": _commit(),
        "seed": args.seed,
        **report.as_dict(),
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(
            f"Behavioural suite on {label}: {result['claims']} claims tested, {len(claims)} in the store, "
            f"{result['messages']} messages, commit {result['commit']}, {result['elapsed_s']} s\n"
        )
        print(table(result))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
