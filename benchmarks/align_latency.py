"""The semantic tier's check latency with and without the word alignment (semantic_align), one run.

    python benchmarks/align_latency.py --checkthat PATH/TO/checkthat2022-2a-en [--rounds 2]

All 14,231 CheckThat! claims in the store; the dev+test tweets are checked ``--rounds`` times by
each model in turn. Claim and message sentence vectors come from the benchmark cache
(.cache/claimbot-bench), so a message's own sentence encode is not in these figures; word vectors
are computed (their per-text cache is cleared before each pass). Prints median and p99 per model.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from checkthat import load_split, load_vclaims, to_claims  # noqa: E402
from semantic_cache import semantic_index  # noqa: E402

from claims_db.matching import Matcher  # noqa: E402
from claims_db.matching.calibrate import SENTENCE_MODEL, load_model  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkthat", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    claims = to_claims(load_vclaims(args.checkthat))
    index = semantic_index(claims)
    texts = [t for split in ("dev", "test") for t in load_split(args.checkthat, split)[1]]
    matchers = {
        "with alignment": Matcher(claims, semantic=index),
        "sentence model": Matcher(claims, semantic=index, model=load_model(SENTENCE_MODEL)),
    }
    inner = getattr(index.encoder, "inner", index.encoder)
    times: dict[str, list[float]] = {name: [] for name in matchers}
    for _ in range(args.rounds):
        for name, matcher in matchers.items():
            words = getattr(inner, "_words", None)
            if words is not None:
                words.clear()
            index.forget_queries()
            for text in texts:
                t0 = time.perf_counter()
                matcher.check(text)
                times[name].append((time.perf_counter() - t0) * 1000)
    for name, values in times.items():
        uses = "uses" if "semantic_align" in matchers[name].model.names else "without"
        print(
            f"{name} ({uses} the feature): "
            f"{len(values)} checks, median {statistics.median(values):.1f} ms, "
            f"p99 {float(np.percentile(values, 99)):.1f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
