"""Time duplicate flagging alone on the signatures of generated articles.

``python -m benchmarks.duplicates --sizes 10000 100000`` builds the :func:`duplicate_signature`
of generated articles (:mod:`benchmarks.generate`, no files written), then times
:func:`kursk_utils.corpus.flag_duplicates_from_signatures` over them and counts the documents it
flags: generated articles are random draws of sentences, so every flag would be a false one.
"""

from __future__ import annotations

import argparse
import time

from benchmarks.generate import article
from kursk_utils.corpus import duplicate_signature, flag_duplicates_from_signatures


def measure(n: int) -> dict:
    """Seconds to flag duplicates among ``n`` generated articles, and the number flagged."""
    signatures = [duplicate_signature(article(index)) for index in range(n)]
    doc_ids = [f"article-{index:07d}" for index in range(n)]
    start = time.perf_counter()
    flags = flag_duplicates_from_signatures(
        doc_ids, [digest for digest, _ in signatures], [shingles for _, shingles in signatures]
    )
    seconds = time.perf_counter() - start
    return {"n": n, "seconds": round(seconds, 2), "flagged": int(flags["duplicate_kind"].notna().sum())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    for n in parser.parse_args(argv).sizes:
        print(measure(n), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
