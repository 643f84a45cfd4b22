"""The semantic tier's check latency with and without the word alignment (semantic_align), one run.

    python benchmarks/align_latency.py --checkthat PATH/TO/checkthat2022-2a-en [--rounds 2]

All 14,231 CheckThat! claims in the store; the dev+test tweets are checked ``--rounds`` times by
each way in turn, as ``/check`` checks a message: the claims' vectors come from the benchmark cache
(.cache/claimbot-bench, as a store's come from its rows), a message is encoded live (its vector
and word vectors are forgotten before each pass). Three ways: the alignment model with one model
run per message for its vector and its words (``encode_with_words``, what the bot does), the same
with two runs (vector, then words: what stop 26 did), and the sentence-only model. Prints median
and p99 per way.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from checkthat import load_split, load_vclaims, to_claims  # noqa: E402
from semantic_cache import semantic_index  # noqa: E402

from claims_db.matching import Matcher  # noqa: E402
from claims_db.matching.calibrate import SENTENCE_MODEL, load_model  # noqa: E402
from claims_db.semantic import SemanticIndex, load_encoder  # noqa: E402


class TwoRuns:
    """The packaged encoder without ``encode_with_words``: a message's words cost a second run."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name, self.dim, self.info = inner.name, inner.dim, inner.info
        self.encode, self.word_vectors = inner.encode, inner.word_vectors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkthat", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    claims = to_claims(load_vclaims(args.checkthat))
    cached = semantic_index(claims)
    vectors = {c.id: cached.vectors_of(c.id) for c in claims}
    encoder = load_encoder()
    one_run = SemanticIndex(encoder, claims, vectors=vectors)  # type: ignore[arg-type]
    two_runs = SemanticIndex(TwoRuns(encoder), claims, vectors=vectors)  # type: ignore[arg-type]
    texts = [t for split in ("dev", "test") for t in load_split(args.checkthat, split)[1]]
    matchers = {
        "alignment, one run per message": Matcher(claims, semantic=one_run),
        "alignment, two runs per message": Matcher(claims, semantic=two_runs),
        "sentence model": Matcher(claims, semantic=two_runs, model=load_model(SENTENCE_MODEL)),
    }
    times: dict[str, list[float]] = {name: [] for name in matchers}
    for _ in range(args.rounds):
        for name, matcher in matchers.items():
            getattr(encoder, "_words").clear()  # noqa: B009 (the per-text cache of word vectors)
            one_run.forget_queries()
            two_runs.forget_queries()
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
