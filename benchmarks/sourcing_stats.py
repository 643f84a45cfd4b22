"""How well a claim file is sourced: the shares issue 8 asks for.

    python benchmarks/sourcing_stats.py [FILE] [--json]

FILE defaults to the bundled seed claims. To compare with an older version of the file:

    git show REV:claims_db/data/seed_claims.json > /tmp/old.json
    python benchmarks/sourcing_stats.py /tmp/old.json

A claim counts as "with a URL source" when any source it carries (its own ``sources`` or the
source of one of its attributions or denials) has a URL. An attribution or denial counts as
"with a source or quote" when it has a ``quote`` or a ``source`` with a URL; a source without a
URL (an outlet name only) is counted separately, since nobody can click it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "claims_db" / "data" / "seed_claims.json"


def _has_url(source: dict[str, Any] | None) -> bool:
    return bool(source and source.get("url"))


def sourcing_stats(claims: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and shares over a list of claim objects in the claim file format."""
    with_url = 0
    statements: list[dict[str, Any]] = []
    for claim in claims:
        said = [*claim.get("attributions", ()), *claim.get("denials", ())]
        statements.extend(said)
        urls = [_has_url(s) for s in claim.get("sources", ())] + [_has_url(s.get("source")) for s in said]
        with_url += any(urls)
    n_said = len(statements)
    said_url = sum(_has_url(s.get("source")) for s in statements)
    said_quote = sum(bool(s.get("quote")) for s in statements)
    said_either = sum(_has_url(s.get("source")) or bool(s.get("quote")) for s in statements)
    said_any_source = sum(bool(s.get("source")) or bool(s.get("quote")) for s in statements)

    def share(k: int, n: int) -> float:
        return round(k / n, 3) if n else 0.0

    return {
        "claims": len(claims),
        "claims_with_url_source": with_url,
        "claims_with_url_source_share": share(with_url, len(claims)),
        "attributions_and_denials": n_said,
        "with_url_source": said_url,
        "with_quote": said_quote,
        "with_url_source_or_quote": said_either,
        "with_url_source_or_quote_share": share(said_either, n_said),
        "with_any_source_or_quote": said_any_source,
        "with_any_source_or_quote_share": share(said_any_source, n_said),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=SEED)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    stats = sourcing_stats(json.loads(args.file.read_text(encoding="utf-8")))
    if args.json:
        print(json.dumps(stats))
        return 0
    print(f"{args.file}")
    print(
        f"claims with a URL source: {stats['claims_with_url_source']}/{stats['claims']}"
        f" ({stats['claims_with_url_source_share']:.1%})"
    )
    n = stats["attributions_and_denials"]
    print(
        f"attributions and denials with a URL source or a quote: {stats['with_url_source_or_quote']}/{n}"
        f" ({stats['with_url_source_or_quote_share']:.1%});"
        f" URL source {stats['with_url_source']}, quote {stats['with_quote']}"
    )
    print(
        f"  counting URL-less sources (outlet only) too: {stats['with_any_source_or_quote']}/{n}"
        f" ({stats['with_any_source_or_quote_share']:.1%})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
