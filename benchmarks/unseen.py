"""Measure the matcher on a claim store it was not tuned for: the unseen-claims set.

    python benchmarks/unseen.py --claims tests/data/unseen/claims.json \\
                                --messages tests/data/unseen/messages.jsonl [--json]

The matcher is built from the claim file alone (parsed with ``claims_db.transfer``, so the file is
validated as ``claimbot import`` would), every message is checked once, and the figures are:

* right claim first: the expected claim is ranked first (matchable messages)
* ``match`` and right / ``match`` and wrong: the verdict is MATCH with the expected claim on top, or
  with another claim on top (matchable messages)
* ``none`` although the claim is there: the verdict is NONE on a matchable message
* confident hits: verdict MATCH on chatter, on swaps and replacements (``actor_swap``,
  ``direction_swap``, ``replaced``) and on near misses
* framing accuracy over every message

and the same per kind of message. This set is a held-out test: measure on it, never tune on it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from matchset import NEAR_MISS, SWAPS, Line, Prediction, evaluate, load_matchset  # noqa: E402

from claims_db.errors import InvalidClaimFile  # noqa: E402
from claims_db.matching import Matcher  # noqa: E402
from claims_db.models import Claim, Verdict  # noqa: E402
from claims_db.transfer import parse_claims  # noqa: E402


@dataclass(frozen=True, slots=True)
class Outcome:
    line: Line
    top: str | None
    verdict: Verdict
    framing: str

    @property
    def right(self) -> bool:
        return self.line.expect is not None and self.top == self.line.expect

    @property
    def confident(self) -> bool:
        return self.verdict is Verdict.MATCH


def load_claims(path: Path) -> list[Claim]:
    return parse_claims(path.read_bytes(), filename=str(path))


def run(matcher: Matcher, lines: Sequence[Line]) -> list[Outcome]:
    outcomes = []
    for line in lines:
        result = matcher.check(line.text)
        top = result.best.claim_id if result.best else None
        outcomes.append(Outcome(line, top, result.verdict, str(result.framing)))
    return outcomes


def _rate(n: int, d: int) -> float:
    return n / d if d else float("nan")


def _figures(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    matchable = [o for o in outcomes if o.line.expect is not None]
    unmatchable = [o for o in outcomes if o.line.expect is None]
    fig: dict[str, Any] = {"n": len(outcomes)}
    if matchable:
        fig |= {
            "n_matchable": len(matchable),
            "top1": _rate(sum(o.right for o in matchable), len(matchable)),
            "match_right": _rate(sum(o.right and o.confident for o in matchable), len(matchable)),
            "match_wrong": _rate(sum(o.confident and not o.right for o in matchable), len(matchable)),
            "none_although_present": _rate(sum(o.verdict is Verdict.NONE for o in matchable), len(matchable)),
        }
    if unmatchable:
        fig |= {
            "n_unmatchable": len(unmatchable),
            "confident": _rate(sum(o.confident for o in unmatchable), len(unmatchable)),
            "confident_count": sum(o.confident for o in unmatchable),
        }
    fig["framing"] = _rate(sum(o.framing == o.line.framing for o in outcomes), len(outcomes))
    return fig


def report(outcomes: Sequence[Outcome]) -> dict[str, Any]:
    """The headline figures, the ``matchset.evaluate`` keys beside them, and a per-kind table."""
    by_text: dict[str, Prediction] = {
        o.line.text: (o.top, o.confident, o.framing) for o in outcomes
    }  # the matcher is deterministic, so a repeated text gets the same prediction
    lines = [o.line for o in outcomes]
    matchable = [o for o in outcomes if o.line.expect is not None]

    def hits(kinds: Sequence[str]) -> dict[str, Any]:
        group = [o for o in outcomes if o.line.expect is None and o.line.kind in kinds]
        n = sum(o.confident for o in group)
        return {"n": len(group), "confident": n, "rate": _rate(n, len(group))}

    kinds = sorted({o.line.kind for o in outcomes}, key=lambda k: (k in (*SWAPS, NEAR_MISS, "chatter"), k))
    return {
        "right_claim_first": _rate(sum(o.right for o in matchable), len(matchable)),
        "match_and_right": _rate(sum(o.right and o.confident for o in matchable), len(matchable)),
        "match_and_wrong": _rate(sum(o.confident and not o.right for o in matchable), len(matchable)),
        "none_although_present": _rate(sum(o.verdict is Verdict.NONE for o in matchable), len(matchable)),
        "chatter_hits": hits(("chatter",)),
        "swap_replaced_hits": hits(SWAPS),
        "near_miss_hits": hits((NEAR_MISS,)),
        "framing_accuracy": _rate(sum(o.framing == o.line.framing for o in outcomes), len(outcomes)),
        "n_matchable": len(matchable),
        "n_messages": len(outcomes),
        "evaluate": evaluate(lines, by_text.__getitem__),
        "per_kind": {k: _figures([o for o in outcomes if o.line.kind == k]) for k in kinds},
    }


def _pct(x: float) -> str:
    return "-" if x != x else f"{100 * x:.1f}%"


def render(rep: dict[str, Any], *, claims: int) -> str:
    def hit(key: str) -> str:
        h = rep[key]
        return f"{h['confident']} of {h['n']} ({_pct(h['rate'])})"

    out = [
        f"{claims} claims, {rep['n_messages']} messages ({rep['n_matchable']} matchable)",
        "",
        f"right claim first (matchable)          {_pct(rep['right_claim_first'])}",
        f"verdict match and right                {_pct(rep['match_and_right'])}",
        f"verdict match and wrong                {_pct(rep['match_and_wrong'])}",
        f"none although the claim is there       {_pct(rep['none_although_present'])}",
        f"chatter confident hits                 {hit('chatter_hits')}",
        f"swap/replaced confident hits           {hit('swap_replaced_hits')}",
        f"near-miss confident hits               {hit('near_miss_hits')}",
        f"framing accuracy                       {_pct(rep['framing_accuracy'])}",
        "",
        "| kind | n | right first | match, right | match, wrong | none | confident (no claim) | framing |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind, f in rep["per_kind"].items():
        confident = f"{f['confident_count']} ({_pct(f['confident'])})" if "confident" in f else "-"
        out.append(
            f"| {kind} | {f['n']} | {_pct(f.get('top1', float('nan')))} "
            f"| {_pct(f.get('match_right', float('nan')))} | {_pct(f.get('match_wrong', float('nan')))} "
            f"| {_pct(f.get('none_although_present', float('nan')))} | {confident} | {_pct(f['framing'])} |"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--claims", type=Path, required=True, help="a claim file (JSON or YAML)")
    ap.add_argument("--messages", type=Path, required=True, help="messages as JSON lines (matchset fields)")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument(
        "--semantic", action="store_true", help="also run with the semantic tier, in the same run"
    )
    args = ap.parse_args(argv)
    try:
        claims = load_claims(args.claims)
        lines = load_matchset(args.messages)
    except InvalidClaimFile as exc:
        print(f"{args.claims}: {'; '.join(exc.problems)}", file=sys.stderr)
        return 2
    except (OSError, ValueError, KeyError) as exc:
        print(f"cannot read the input: {exc!r}", file=sys.stderr)
        return 2
    known = {c.id for c in claims}
    unknown = sorted({x for line in lines for x in (line.expect, line.other) if x and x not in known})
    if unknown:
        print(f"{args.messages}: ids not in {args.claims}: {', '.join(unknown)}", file=sys.stderr)
        return 2
    matchers = {"lexical": lambda: Matcher(claims)}
    if args.semantic:
        from semantic_cache import semantic_index, warm

        def with_tier() -> Matcher:
            index = semantic_index(claims)
            warm(index, [line.text for line in lines])
            return Matcher(claims, semantic=index)

        matchers["semantic"] = with_tier
    reports = {name: report(run(make(), lines)) for name, make in matchers.items()}
    if args.json:
        out = reports["lexical"] if not args.semantic else reports
        print(json.dumps({"claims": len(claims), **out}, indent=2))
    else:
        for name, rep in reports.items():
            if args.semantic:
                print(f"== {'words alone' if name == 'lexical' else 'with the semantic tier'}")
            print(render(rep, claims=len(claims)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
