"""Benchmark the analysis end to end (ingest -> all tables) on generated corpora.

Run with ``make bench`` or ``python -m benchmarks.run [--sizes 100 1000 10000]``. For each corpus
size N it generates N articles (:mod:`benchmarks.generate`), then measures, each in a fresh
process with a fresh output folder and no cache:

- ``pandas``: the in-process engine;
- ``pandas-vader``: the same with VADER instead of the target-sentiment model toward actor
  mentions (``SentimentSettings(target_method="vader")``), to show what the model costs;
- ``dask-1``, ``dask-2``: the Dask engine on a ``LocalCluster`` of 1 and 2 worker processes, with
  the partitions a user gets by default (:func:`kursk_utils.engine.partitions.partition_size`);
- ``vader``: bare VADER scoring of the same sentences in one process (the lower bound of the
  sentiment work), to which the full analysis is compared;
- ``incremental``: after a ``dask-2`` run, ten new articles are added and the analysis is run
  again with the cache: the number of documents analysed again is reported.

Each configuration is run ``--repeat`` times (default 3), in rounds that take every
configuration in turn, so that a slow spell of a shared machine hits all of them alike; the best
time is reported, as :mod:`timeit` does (slower runs measure other processes, not the code), with
``spread``, the slowest over the fastest. Peak memory is the largest, over the runs, sum of the
resident memory of the measured process and all its descendants (Dask workers included), sampled
every 0.1 s. The table is printed and written to ``outputs/benchmarks/benchmark.csv`` and
``benchmark.txt``.

Then the path a user runs, ``kursk run`` (every notebook and the report), once on the seeds and once
per corpus size, with ``-p engine dask`` from :data:`DASK_FROM_ARTICLES` articles on. Its corpora
are generated with a metadata sidecar (outlet, perspective, date, url), as a user's would have,
so that the figures and tables compare real groups and periods. Reported: the time of each
notebook (from ``run.json``), ``report_s`` (the rest of the command: start-up, parameter checks
and rendering the report), the whole command, the size of ``html/``, the ratios to the seeds'
run and to the engine-only time of the same engine (``pandas`` or ``dask-2`` above, on the same
articles without the sidecar), and the issue's target: at most :data:`MAX_RATIO_TO_SEEDS` times
the seeds' run below :data:`DASK_FROM_ARTICLES` articles; from there, at most
:data:`MAX_RATIO_TO_ENGINE` times the engine-only time plus the seeds' run (the fixed cost of the
notebooks), with ``html/`` under :data:`MAX_HTML_MB` MB. Written to ``user_path.csv`` and
``user_path.txt`` (``--no-user-path`` skips it, ``--user-path-only`` runs only it, without
engine-only times unless ``--engine-table`` names an earlier ``benchmark.csv``;
``--user-path-repeat N`` takes the fastest of N rounds, with ``spread`` as above).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import psutil

from benchmarks.generate import SIDECAR, generate_corpus

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = PROJECT_ROOT / "outputs" / "benchmarks"
DEFAULT_SIZES = (100, 1000, 10000)
DEFAULT_REPEAT = 3
CONFIGS = ("vader", "pandas", "pandas-vader", "dask-1", "dask-2")
ADDED_ARTICLES = 10
SAMPLE_SECONDS = 0.1
SEEDS = PROJECT_ROOT / "seeds"
DASK_FROM_ARTICLES = 10000  # the target: 10,000 articles with `-p engine dask`
# The targets for the user's path (see the module notes).
MAX_RATIO_TO_SEEDS = 3.0
MAX_RATIO_TO_ENGINE = 2.0
MAX_HTML_MB = 25.0


def measure_once(config: str, corpus: Path, output: Path) -> dict:
    """Run one configuration in this process and return its timings (called in a subprocess).

    The analysis runs as by default, filling the per-document cache of ``output``: cold in a
    fresh ``output``, incremental when ``output`` holds an earlier run.
    """
    from kursk_utils import corpus as corpus_module
    from kursk_utils import engine, sentiment, tables

    if config == "vader":
        sentences = corpus_module.ingest(corpus).sentences["text"].tolist()
        sentiment.get_analyzer()
        began = time.perf_counter()
        sentiment.score_texts(sentences)
        return {"seconds": time.perf_counter() - began, "n_sentences": len(sentences)}
    name, _, variant = config.partition("-")
    n_workers = int(variant) if variant.isdigit() else None
    sentiment_settings = engine.SentimentSettings(target_method="vader" if variant == "vader" else "model")
    began = time.perf_counter()
    stages = engine.analyze_corpus(
        corpus, output, sentiment_settings, engine="dask" if name == "dask" else "pandas", n_workers=n_workers,
    )
    seconds = time.perf_counter() - began
    n_sentences = len(tables.read_table(output, "sentences", columns=["doc_id"]))
    return {"seconds": seconds, "n_sentences": n_sentences,
            "n_analysed": stages["framing"].n_analysed, "n_documents": stages["framing"].n_documents}


def _tree_rss(process: psutil.Process) -> int:
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total


def measure(config: str, corpus: Path, output: Path) -> dict:
    """Run ``config`` in a fresh Python process; add its peak memory (process tree, MB)."""
    command = [sys.executable, "-m", "benchmarks.run", "--one", config, "--corpus", str(corpus),
               "--work", str(output)]
    child = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True)
    tree = psutil.Process(child.pid)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, _tree_rss(tree))
            except psutil.NoSuchProcess:
                return
            time.sleep(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, _ = child.communicate()
    done.set()
    sampler.join()
    if child.returncode != 0:
        raise RuntimeError(f"benchmark {config} on {corpus} failed (exit {child.returncode})")
    return json.loads(stdout.strip().splitlines()[-1]) | {"peak_rss_mb": peak / 2**20}


def _best(runs: list[dict]) -> dict:
    """The fastest of several runs of one configuration, with their spread and largest peak."""
    fastest = min(runs, key=lambda result: result["seconds"])
    return fastest | {
        "spread": max(result["seconds"] for result in runs) / fastest["seconds"],
        "peak_rss_mb": max(result["peak_rss_mb"] for result in runs),
    }


def run(sizes: list[int], configs: list[str], output_dir: Path, repeat: int = DEFAULT_REPEAT,
        log=print) -> pd.DataFrame:
    """Measure every configuration on every corpus size; return one row per (N, config)."""
    rows = []
    for n in sizes:
        corpus = output_dir / "corpora" / f"n{n}"
        shutil.rmtree(corpus, ignore_errors=True)
        generate_corpus(corpus, n)
        chars = sum(len(p.read_text("utf-8")) for p in corpus.glob("*.txt")) / n
        runs: dict[str, list[dict]] = {config: [] for config in configs}
        for round_number in range(1, repeat + 1):
            for config in configs:
                work = output_dir / "work" / f"n{n}-{config}"
                shutil.rmtree(work, ignore_errors=True)
                log(f"N={n} {config} (run {round_number} of {repeat}) ...")
                runs[config].append(measure(config, corpus, work))
                log(f"N={n} {config}: {runs[config][-1]['seconds']:.1f} s, "
                    f"{runs[config][-1]['peak_rss_mb']:.0f} MB")
        results = {config: _best(config_runs) for config, config_runs in runs.items()}
        if "dask-2" in configs:
            # Incremental, once: the last dask-2 output and cache are kept; add ten articles and
            # run again.
            generate_corpus(corpus, ADDED_ARTICLES, start=n)
            log(f"N={n} incremental ...")
            results["incremental"] = _best(
                [measure("dask-2", corpus, output_dir / "work" / f"n{n}-dask-2")]
            )
        vader = results.get("vader", {}).get("seconds")
        for config, result in results.items():
            if config == "vader":
                continue
            seconds = result["seconds"]
            rows.append({
                "n_articles": n,
                "config": config,
                "mean_chars": round(chars),
                "n_sentences": result["n_sentences"],
                "seconds": round(seconds, 2),
                "spread": round(result["spread"], 2),
                "articles_per_s": round(result["n_documents"] / seconds, 1),
                "sentences_per_s": round(result["n_sentences"] / seconds),
                "seconds_per_1000": round(seconds / result["n_documents"] * 1000, 2),
                "peak_rss_mb": round(result["peak_rss_mb"]),
                "vader_seconds": None if vader is None else round(vader, 2),
                "ratio_to_vader": None if vader is None else round(seconds / vader, 2),
                "n_analysed": result["n_analysed"],
            })
    table = pd.DataFrame(rows)
    if {"dask-1", "dask-2"} <= set(configs):
        one = table[table["config"] == "dask-1"].set_index("n_articles")["seconds"]
        two = table[table["config"] == "dask-2"].set_index("n_articles")["seconds"]
        table["dask_speedup_2_over_1"] = table["n_articles"].map((one / two).round(2)).where(
            table["config"] == "dask-2"
        )
    return table


def _folder_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def measure_user_path(corpus: Path, output: Path, engine: str) -> dict:
    """Time ``kursk run`` on ``corpus`` in a fresh process and fresh ``output``; sizes of its report."""
    shutil.rmtree(output, ignore_errors=True)
    command = [sys.executable, "-m", "kursk_utils", "run", "--corpus", str(corpus), "--output", str(output),
               "-p", "engine", engine]
    began = time.perf_counter()
    finished = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if finished.returncode != 0:
        raise RuntimeError(f"kursk run on {corpus} failed (exit {finished.returncode}): {finished.stderr[-2000:]}")
    manifest = json.loads((output / "run.json").read_text(encoding="utf-8"))
    notebooks = {nb["name"].split("_")[0]: nb["seconds"] for nb in manifest["notebooks"]}
    return {"engine": engine, "seconds": round(seconds, 1),
            **{f"nb{number}_s": value for number, value in sorted(notebooks.items())},
            "report_s": round(seconds - sum(notebooks.values()), 1),
            "html_mb": round(_folder_mb(output / "html"), 1),
            "largest_page_mb": round(max(p.stat().st_size for p in (output / "html").glob("*.html")) / 2**20, 1)}


def run_user_path(sizes: list[int], output_dir: Path, engine_table: pd.DataFrame | None = None,
                  repeat: int = 1, log=print) -> pd.DataFrame:
    """``kursk run`` on the seeds and on each generated corpus size, with ratios (see the module notes).

    With ``repeat`` > 1, rounds of every corpus in turn, the fastest run of each reported (as for
    the engine), so that a slow spell of a shared machine does not bend the ratios.
    """
    corpora = {"seeds": (SEEDS, "pandas", sum(1 for _ in SEEDS.glob("*.txt")))}
    for n in sizes:
        corpus = output_dir / "corpora" / f"n{n}-metadata"
        if not (corpus / SIDECAR).is_file() or sum(1 for _ in corpus.glob("*.txt")) != n:
            shutil.rmtree(corpus, ignore_errors=True)
            generate_corpus(corpus, n, metadata=True)
        corpora[f"n{n}"] = (corpus, "dask" if n >= DASK_FROM_ARTICLES else "pandas", n)
    runs: dict[str, list[dict]] = {name: [] for name in corpora}
    for round_number in range(1, repeat + 1):
        for name, (corpus, engine, n) in corpora.items():
            log(f"kursk run on {name} ({n} articles, engine {engine}; run {round_number} of {repeat}) ...")
            runs[name].append(measure_user_path(corpus, output_dir / "work" / f"run-{name}", engine))
            log(f"{name}: {runs[name][-1]['seconds']} s, html {runs[name][-1]['html_mb']} MB")
    best = {name: min(name_runs, key=lambda result: result["seconds"]) for name, name_runs in runs.items()}
    seeds = best["seeds"]
    rows = [{"n_articles": n, "corpus": "seeds" if name == "seeds" else "generated+metadata"} | best[name]
            | {"spread": round(max(r["seconds"] for r in runs[name]) / best[name]["seconds"], 2)}
            for name, (_, _, n) in corpora.items()]
    table = pd.DataFrame(rows)
    table["ratio_to_seeds"] = (table["seconds"] / seeds["seconds"]).round(2)
    config = table["engine"].map({"pandas": "pandas", "dask": "dask-2"})
    engine_seconds = (engine_table.set_index(["n_articles", "config"])["seconds"]
                      if engine_table is not None and not engine_table.empty else pd.Series(dtype=float))
    table["engine_only_s"] = pd.Series([engine_seconds.get((n, c)) for n, c in zip(table["n_articles"], config,
                                                                                  strict=True)], dtype=float)
    table["ratio_to_engine_only"] = (table["seconds"] / table["engine_only_s"]).round(2)
    table["overhead_over_engine_s"] = (table["seconds"] - table["engine_only_s"]).round(1)
    dask_sized = table["n_articles"] >= DASK_FROM_ARTICLES
    table["target_s"] = (MAX_RATIO_TO_ENGINE * table["engine_only_s"] + seeds["seconds"]).where(
        dask_sized, MAX_RATIO_TO_SEEDS * seeds["seconds"]).round(1)
    met = (table["seconds"] <= table["target_s"]) & ~(dask_sized & (table["html_mb"] >= MAX_HTML_MB))
    # not judged: the seeds themselves, and a dask-sized run without its engine-only time
    table["within_target"] = met.where((table["corpus"] != "seeds") & table["target_s"].notna())
    return table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--configs", nargs="+", choices=CONFIGS, default=list(CONFIGS))
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT,
                        help="runs of each configuration; the fastest is reported")
    parser.add_argument("--no-user-path", action="store_true", help="skip the `kursk run` measurements")
    parser.add_argument("--user-path-only", action="store_true",
                        help="only the `kursk run` measurements (no engine-only runs: see --engine-table)")
    parser.add_argument("--user-path-repeat", type=int, default=1,
                        help="runs of `kursk run` on each corpus; the fastest is reported")
    parser.add_argument("--engine-table", type=Path,
                        help="with --user-path-only: an earlier benchmark.csv for the ratios to the engine-only time")
    parser.add_argument("--one", choices=CONFIGS, help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_once(args.one, args.corpus, args.work)))
        return 0
    args.output.mkdir(parents=True, exist_ok=True)
    if args.repeat < 1 or args.user_path_repeat < 1:
        parser.error("--repeat and --user-path-repeat must be at least 1")
    results = {}
    if not args.user_path_only:
        results["benchmark"] = run(args.sizes, args.configs, args.output, args.repeat)
    if not args.no_user_path:
        engine_table = pd.read_csv(args.engine_table) if args.engine_table else results.get("benchmark")
        results["user_path"] = run_user_path(args.sizes, args.output, engine_table, args.user_path_repeat)
    for name, table in results.items():
        with pd.option_context("display.width", 200, "display.max_columns", 30):
            print(table.to_string(index=False))
        table.to_csv(args.output / f"{name}.csv", index=False, lineterminator="\n")
        (args.output / f"{name}.txt").write_text(table.to_string(index=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
