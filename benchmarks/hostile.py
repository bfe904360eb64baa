"""Time and peak memory of one hostile article as it grows: cost must stay linear in its length.

Run with ``python -m benchmarks.hostile [--sizes-kb 50 100 200 5120]`` (``make bench`` runs the
5 MB size). Each case is one generated article, analysed end to end (ingest, sentiment, actors,
quotes, framing) by ``engine.analyze_corpus`` in a fresh process, into a fresh output folder:

- ``us``: one line of ``"U.S. "`` repeated (an abbreviation: no sentence ever ends);
- ``no_stop``: a text without a full stop (one sentence, were it not for the sentence cap);
- ``quotes``: short attributed quotes in one run-on sentence (3,000 in 75 KB), each naming an actor.

Columns: ``case``, ``kb``, ``seconds``, ``peak_rss_mb`` (the process, imports included),
``seconds_per_mb`` (constant when the cost is linear). Written to
``outputs/benchmarks/hostile.csv``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = PROJECT_ROOT / "outputs" / "benchmarks"
DEFAULT_SIZES_KB = (50, 100, 200, 5120)
UNITS = {
    "us": "U.S. ",
    "no_stop": "the brave soldiers lost ground and the town was shelled again and ",
    "quotes": '"We hold," said Zelensky, ',
}


def hostile_text(case: str, kb: int) -> str:
    """The article of ``case`` with about ``kb`` kilobytes (a title line, then the text)."""
    unit = UNITS[case]
    return "Hostile input\n\n" + unit * (kb * 1024 // len(unit)) + "end.\n"


def measure_once(case: str, kb: int) -> dict:
    """Analyse one article of ``case`` and ``kb`` in this process (called in a subprocess)."""
    from kursk_utils import engine

    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder, "corpus")
        corpus.mkdir()
        (corpus / f"{case}.txt").write_text(hostile_text(case, kb), encoding="utf-8")
        started = time.perf_counter()
        engine.analyze_corpus(corpus, Path(folder, "out"), incremental=False)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"case": case, "kb": kb, "seconds": round(seconds, 2), "peak_rss_mb": round(peak_mb)}


def main(argv: list[str] | None = None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-kb", type=int, nargs="+", default=list(DEFAULT_SIZES_KB))
    parser.add_argument("--cases", nargs="+", default=list(UNITS), choices=list(UNITS))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--measure", nargs=2, help=argparse.SUPPRESS)  # internal: case kb
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_once(args.measure[0], int(args.measure[1]))))
        return pd.DataFrame()
    rows = []
    for case in args.cases:
        for kb in args.sizes_kb:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.hostile", "--measure", case, str(kb)],
                cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            row["seconds_per_mb"] = round(row["seconds"] / (kb / 1024), 2)
            print(row, flush=True)
            rows.append(row)
    table = pd.DataFrame(rows)
    args.output.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.output / "hostile.csv", index=False, lineterminator="\n")
    print(table.to_string(index=False))
    return table


if __name__ == "__main__":
    main()
