"""Build claims_db/data/common_words.txt: English words that are usually written in lower case.

The party reader needs to know whether a capitalised word that opens a sentence ("Rifles were
sold ...", "Vaccines cause ...") is a name or an ordinary word. This script reads a corpus of
English sentences (e.g. the CheckThat! 2022 claim texts, `vclaims.jsonl`; only the claim texts,
never queries or labels) and keeps every word seen in lower case in the middle of a sentence at
least ``--min`` times and more often in lower case than capitalised there.

    python tools/build_common_words.py PATH/TO/vclaims.jsonl > claims_db/data/common_words.txt
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

_WORD = re.compile(r"[A-Za-z][a-z']*|[.!?]")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a JSON-lines file with 'vclaim' and 'title' fields")
    parser.add_argument("--min", type=int, default=3, help="lower-case mid-sentence uses needed")
    args = parser.parse_args()
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    with args.corpus.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            for text in (row.get("vclaim") or "", row.get("title") or ""):
                start = True
                for tok in _WORD.findall(text):
                    if tok in ".!?":
                        start = True
                        continue
                    if not start:
                        (upper if tok[0].isupper() else lower)[tok.lower()] += 1
                    start = False
    words = sorted(w for w, n in lower.items() if n >= args.min and n > upper[w] and len(w) > 1)
    sys.stdout.write("# English words usually written in lower case; built by tools/build_common_words.py\n")
    sys.stdout.write("\n".join(words) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
