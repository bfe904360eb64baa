"""The analysis engines: same tables in process and on Dask, per-file and per-document caches,\npartitioned tables."""

from __future__ import annotations

import gc
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import PROJECT_ROOT, SEEDS

from benchmarks.generate import article, generate_corpus
from kursk_utils import actors, corpus, engine, tables
from kursk_utils.corpus import ingest

ALL_TABLES = [
    "documents", "paragraphs", "sentences", "ingest_manifest", *engine.SENTIMENT_TABLES,
    "actor_sentiment", *engine.FRAMING_TABLES,
]


@pytest.fixture(scope="module")
def cluster():
    """Two in-process Dask workers: real scheduling and serialisation, fast to start."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local:
        yield local


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory) -> Path:
    """24 generated articles, plus an exact copy, a near copy and a same-stem file in a subfolder,
    so that duplicates and id clashes span partitions."""
    folder = tmp_path_factory.mktemp("generated")
    generate_corpus(folder, 24)
    shutil.copy(folder / "article-0000003.txt", folder / "zz-copy.txt")
    near = (folder / "article-0000010.txt").read_text("utf-8").replace(" the ", " a ", 3)
    (folder / "zz-near.txt").write_text(near, encoding="utf-8")
    (folder / "sub").mkdir()
    shutil.copy(folder / "article-0000005.txt", folder / "sub" / "article-0000005.txt")
    return folder


def assert_same_tables(left: Path, right: Path) -> None:
    for name in ALL_TABLES:
        a, b = tables.read_table(left, name), tables.read_table(right, name)
        pd.testing.assert_frame_equal(a, b, check_exact=True, obj=name)
    for name in ("documents.csv", "frames_by_document.csv"):
        assert (left / "data" / name).read_bytes() == (right / "data" / name).read_bytes(), name


HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


@pytest.mark.parametrize("corpus_path", [SEEDS, HOSTILE], ids=["seeds", "hostile"])
def test_dask_engine_gives_the_same_tables_as_the_pandas_engine(tmp_path, cluster, corpus_path):
    engine.analyze_corpus(corpus_path, tmp_path / "pandas")
    stages = engine.analyze_corpus(corpus_path, tmp_path / "dask", engine="dask",
                                   scheduler_address=cluster.scheduler_address, partition_documents=3)
    n_documents = len(tables.read_table(tmp_path / "pandas", "documents"))
    assert stages["sentiment"].n_documents == n_documents
    # Partitions of three documents: one part per started run of three.
    assert len(tables.table_parts(tmp_path / "dask", "sentences")) == -(-n_documents // 3)
    assert_same_tables(tmp_path / "pandas", tmp_path / "dask")


@pytest.mark.parametrize("n_documents, n_workers, size", [
    (1, 2, 1), (3, 2, 2), (100, 2, 50), (300, 2, 150), (1000, 2, 250), (2000, 2, 250),
    (4000, 2, 500), (10000, 2, 1000), (100000, 2, 1000), (1000, 8, 125), (10000, 8, 313),
    (100, 1, 100), (1000, 1, 250),
])
def test_default_partitions_are_four_per_worker_within_bounds(n_documents, n_workers, size):
    assert engine.partition_size(n_documents, n_workers) == size
    n_partitions = len(engine.partition([f"d{i:06d}" for i in range(n_documents)], size))
    assert n_partitions >= min(n_workers, n_documents)  # no worker left idle by the cut


def test_a_requested_partition_size_is_kept_and_checked():
    assert engine.partition_size(10000, 2, requested=7) == 7
    for bad in (0, -3, 2.5, True, "250"):
        with pytest.raises(engine.EngineError, match="partition size must be a positive integer"):
            engine.partition_size(10, 2, requested=bad)


def test_dask_engine_partitions_by_default_for_the_workers_it_has(tmp_path, cluster):
    # The seeds' four documents on the two workers of `cluster`: one partition each.
    engine.analyze_corpus(SEEDS, tmp_path / "dask", engine="dask", scheduler_address=cluster.scheduler_address)
    for name in ("sentences", "sentence_sentiment", "quotes"):
        assert len(tables.table_parts(tmp_path / "dask", name)) == 2, name
    engine.analyze_corpus(SEEDS, tmp_path / "pandas")
    assert_same_tables(tmp_path / "pandas", tmp_path / "dask")


def test_cached_ingestion_gives_the_in_memory_tables(tmp_path, seed_ingested):
    out = tmp_path / "out"
    engine.run_ingest(SEEDS, out)
    again = engine.run_ingest(SEEDS, out)
    assert again.n_analysed == 0  # every file from the cache
    for name in ("documents", "paragraphs", "sentences"):
        pd.testing.assert_frame_equal(again[name], getattr(seed_ingested, name), check_exact=True)
    pd.testing.assert_frame_equal(again["ingest_manifest"], seed_ingested.manifest, check_exact=True)


def test_in_process_ingestion_assembles_new_files_without_reading_them_back(tmp_path, monkeypatch):
    from kursk_utils.engine import ingestion

    read_back = []
    original = ingestion.FileCache.articles
    monkeypatch.setattr(ingestion.FileCache, "articles",
                        lambda cache, entry, keys: read_back.append(keys) or original(cache, entry, keys))
    first = engine.run_ingest(SEEDS, tmp_path / "out")
    assert read_back == []  # the rows of the files just ingested were at hand
    again = engine.run_ingest(SEEDS, tmp_path / "out")
    assert again.n_analysed == 0 and len(read_back) == 1  # the cached files are read back
    for name in ("documents", "paragraphs", "sentences"):
        pd.testing.assert_frame_equal(first[name], again[name], check_exact=True)


def test_dask_ingestion_with_a_sidecar_gives_the_in_memory_tables(tmp_path, cluster):
    # Partitions of 7: the extra sidecar columns, the flags and the replaced values span parts.
    corpus_path = PROJECT_ROOT / "tests" / "fixtures" / "kursk60"
    written = engine.run_ingest(corpus_path, tmp_path / "dask", engine="dask",
                                scheduler_address=cluster.scheduler_address, partition_documents=7)
    engine.run_ingest(corpus_path, tmp_path / "pandas")
    for name in ("documents", "ingest_manifest"):
        pd.testing.assert_frame_equal(tables.read_table(tmp_path / "dask", name),
                                      tables.read_table(tmp_path / "pandas", name), check_exact=True)
    pd.testing.assert_frame_equal(written["ingest_manifest"], ingest(corpus_path).manifest,
                                  check_exact=True)
    csv = [tmp_path / engine_name / "data" / "documents.csv" for engine_name in ("dask", "pandas")]
    assert csv[0].read_bytes() == csv[1].read_bytes()
    assert csv[0].read_text("utf-8").splitlines()[0].endswith("duplicate_similarity,country,perspective")


def test_dask_engine_gives_the_same_tables_on_a_generated_corpus(tmp_path, cluster, generated_corpus):
    engine.analyze_corpus(generated_corpus, tmp_path / "pandas")
    engine.analyze_corpus(generated_corpus, tmp_path / "dask", engine="dask",
                          scheduler_address=cluster.scheduler_address, partition_documents=5)
    assert len(tables.table_parts(tmp_path / "dask", "quotes")) == 6  # 27 documents
    assert_same_tables(tmp_path / "pandas", tmp_path / "dask")
    documents = tables.read_table(tmp_path / "dask", "documents").set_index("doc_id")
    # Flags found across partitions; the copy in sub/ keeps its path as id, the stem being taken.
    assert documents.loc["zz-copy", ["duplicate_of", "duplicate_kind"]].tolist() == [
        "article-0000003", "exact"]
    assert documents.loc["zz-near", ["duplicate_of", "duplicate_kind"]].tolist() == [
        "article-0000010", "near"]
    assert documents.loc["sub/article-0000005", "duplicate_of"] == "article-0000005"
    assert tables.read_table(tmp_path / "dask", "quotes")["speaker"].notna().sum() > 20


def data_files(output_dir: Path) -> dict[str, bytes]:
    """Every file of a run's ``data/`` folder (partitioned tables: every part), by relative path."""
    folder = output_dir / "data"
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize(("corpus_path", "size"), [
    (SEEDS, 1), (HOSTILE, 3), (PROJECT_ROOT / "tests" / "fixtures" / "kursk60", 7),
], ids=["seeds-one-document-parts", "hostile", "kursk60"])
def test_parts_written_with_the_cache_are_the_bytes_written_without_it(tmp_path, cluster, corpus_path,
                                                                       size):
    # With the cache on, a partition converts its new rows to Arrow once, for the cache file and
    # for its part; without the cache, each part is converted on its own.
    runs = {}
    for incremental in (False, True):
        out = tmp_path / str(incremental)
        engine.analyze_corpus(corpus_path, out, engine="dask", partition_documents=size,
                              scheduler_address=cluster.scheduler_address, incremental=incremental)
        runs[incremental] = data_files(out)
    assert runs[True] == runs[False]
    assert any(name.startswith("quotes.parquet/part-") for name in runs[True])


def test_adding_documents_analyses_only_the_new_ones(tmp_path, generated_corpus, cluster):
    folder = tmp_path / "corpus"
    shutil.copytree(generated_corpus, folder)
    out = tmp_path / "out"
    first = engine.analyze_corpus(folder, out)
    assert [first[stage].n_analysed for stage in ("ingest", "sentiment", "framing")] == [27, 27, 27]

    generate_corpus(folder, 3, start=100)
    (folder / "article-0000007.txt").write_text(article(7) + "\nOne more sentence.\n", "utf-8")
    second = engine.analyze_corpus(folder, out, engine="dask",
                                   scheduler_address=cluster.scheduler_address, partition_documents=4)
    # Three new documents and one edited; the cache is shared by both engines.
    assert second["sentiment"].n_documents == 30
    assert second["ingest"].n_analysed == 4
    assert (second["sentiment"].n_analysed, second["framing"].n_analysed) == (4, 4)

    engine.analyze_corpus(folder, tmp_path / "fresh", incremental=False)
    assert_same_tables(tmp_path / "fresh", out)


def test_changed_parameters_invalidate_the_cache(tmp_path):
    out = tmp_path / "out"
    engine.run_ingest(SEEDS, out)
    assert engine.run_sentiment(out).n_analysed == 4
    assert engine.run_sentiment(out).n_analysed == 0
    stricter = engine.run_sentiment(out, engine.SentimentSettings(threshold=0.3))
    assert stricter.n_analysed == 4
    labels = stricter["sentence_sentiment"]
    assert ((labels["label"] == "neutral") == (labels["compound"].abs() < 0.3)).all()
    # The framing cache follows its inputs: new sentence sentiment means new framing keys.
    assert engine.run_framing(out).n_analysed == 4
    assert engine.run_framing(out).n_analysed == 0
    engine.run_sentiment(out)
    assert engine.run_framing(out).n_analysed == 4


def test_actor_method_invalidates_the_cache_and_corpus_rows_use_the_runs_threshold(tmp_path):
    out = tmp_path / "out"
    engine.run_ingest(SEEDS, out)
    by_model = engine.run_sentiment(out, engine.SentimentSettings(threshold=0.3))
    assert by_model["actor_mentions"][actors.PROBABILITY_COLUMNS].notna().all().all()
    by_vader = engine.run_sentiment(out, engine.SentimentSettings(threshold=0.3, target_method="vader"))
    assert by_vader.n_analysed == 4
    mentions = by_vader["actor_mentions"]
    assert mentions[actors.PROBABILITY_COLUMNS].isna().all().all()
    assert not np.allclose(mentions["compound"], by_model["actor_mentions"]["compound"])

    def corpus_shares(table: pd.DataFrame) -> dict:
        rows = table[table["doc_id"] == "*"]
        return {(actor_id, column): value for column in ("share_negative", "share_positive")
                for actor_id, value in zip(rows["actor_id"], rows[column])}

    # The corpus rows (reduced over partitions) count a sentence as negative with the run's
    # threshold, as actors.actor_sentiment does; at 0.05 some shares differ.
    assert corpus_shares(by_vader["actor_sentiment"]) == pytest.approx(
        corpus_shares(actors.actor_sentiment(mentions, 0.3)))
    assert corpus_shares(by_vader["actor_sentiment"]) != pytest.approx(
        corpus_shares(actors.actor_sentiment(mentions, 0.05)))


def test_document_keys_change_with_any_input_row():
    sentences = pd.DataFrame({"doc_id": ["a", "a", "b"], "sentence_id": [0, 1, 0],
                              "text": ["One.", "Two.", "Three."]})
    keys = engine.document_keys(["a", "b"], [sentences])
    edited = sentences.assign(text=["One.", "Two!", "Three."])
    changed = engine.document_keys(["a", "b"], [edited])
    assert keys["a"] != changed["a"] and keys["b"] == changed["b"]
    renamed = engine.document_keys(["a", "c"], [sentences.replace({"doc_id": {"b": "c"}})])
    assert renamed["c"] != keys["b"]  # the id is part of the rows it produces


def select_with_isin(inputs: dict[str, pd.DataFrame], doc_ids: list[str]) -> dict[str, pd.DataFrame]:
    """The definition partitions._select replaced (pandas' isin)."""
    wanted = set(doc_ids)
    return {name: frame[frame["doc_id"].isin(wanted)].reset_index(drop=True)
            for name, frame in inputs.items()}


@pytest.mark.parametrize("corpus_path", [SEEDS, HOSTILE, PROJECT_ROOT / "tests" / "fixtures" / "kursk60"],
                         ids=["seeds", "hostile", "kursk60"])
def test_select_keeps_the_rows_isin_keeps(tmp_path, corpus_path):
    from kursk_utils.engine.partitions import _select

    engine.run_ingest(corpus_path, tmp_path)
    inputs = {name: tables.read_table(tmp_path, name) for name in ("documents", "paragraphs", "sentences")}
    odd = {"empty": pd.DataFrame({"doc_id": pd.Series([], dtype=object), "n": pd.Series([], dtype=int)}),
           "object_ids": pd.DataFrame({"doc_id": [None, "a", float("nan")], "n": [1, 2, 3]}, index=[4, 5, 6])}
    ids = sorted(inputs["documents"]["doc_id"])
    for chosen in (ids, ids[::2], ids[-1:], [], ["not-a-document", "a"]):
        for frames in (inputs, {name: frame.iloc[0:0] for name, frame in inputs.items()}, odd):
            expected, selected = select_with_isin(frames, chosen), _select(frames, chosen)
            for name in frames:
                pd.testing.assert_frame_equal(selected[name], expected[name], check_exact=True)
    assert len(_select(inputs, ids[-1:])["documents"]) == 1


def test_partitions_are_runs_of_consecutive_documents():
    assert engine.partition(["a", "b", "c", "d", "e"], 2) == [["a", "b"], ["c", "d"], ["e"]]
    with pytest.raises(engine.EngineError, match="positive integer"):
        engine.partition(["a"], 0)


def test_unknown_engine_is_a_clear_error(tmp_path):
    with pytest.raises(engine.EngineError, match="unknown engine 'spark'"):
        engine.analyze_corpus(SEEDS, tmp_path, engine="spark")


def test_missing_input_table_names_the_notebook_to_run(tmp_path):
    with pytest.raises(FileNotFoundError, match="table 'sentences' not found"):
        engine.run_sentiment(tmp_path)


def test_empty_corpus_is_a_clear_error_with_dask(tmp_path, cluster):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "empty.txt").write_text("  \n")
    with pytest.raises(corpus.CorpusError, match="1 x empty file"):
        engine.run_ingest(tmp_path / "corpus", tmp_path / "out", engine="dask",
                          scheduler_address=cluster.scheduler_address)


def test_partitioned_tables_read_like_one_file(tmp_path):
    frame = pd.DataFrame({
        "doc_id": ["a", "b", "c"],
        "speaker_start": pd.array([3, None, 5], dtype="Int64"),
        "title": [None, None, "T"],
    })
    tables.write_table(frame, tmp_path / "single", "t")
    tables.write_partition(frame.iloc[:2], tmp_path / "parts", "t", 0)
    tables.write_partition(frame.iloc[2:], tmp_path / "parts", "t", 1)
    single = tables.read_table(tmp_path / "single", "t")
    pd.testing.assert_frame_equal(tables.read_table(tmp_path / "parts", "t"), single)
    sliced = tables.read_table(tmp_path / "parts", "t", doc_id_range=("b", "c"))
    assert sliced["doc_id"].tolist() == ["b", "c"]
    # A one-file table replaces a partitioned one of the same name.
    tables.write_table(frame, tmp_path / "parts", "t")
    assert tables.table_parts(tmp_path / "parts", "t") == [tables.table_path(tmp_path / "parts", "t")]


def test_generated_articles_are_deterministic_and_about_3500_characters():
    texts = [article(i) for i in range(40)]
    assert texts == [article(i) for i in range(40)]
    assert article(0, seed=1) != texts[0]
    lengths = pd.Series([len(t) for t in texts])
    assert 3200 < lengths.mean() < 3800
    headline, _, body = texts[0].partition("\n\n")
    assert headline and not headline.endswith(".") and "\n\n" in body
    assert sum('," said ' in t for t in texts) > 30


def test_duplicates_from_signatures_match_a_hand_count():
    words = [f"w{i}" for i in range(1, 11)]
    texts = {
        "a": " ".join(words),  # 6 shingles: w1..w5 up to w6..w10
        "b": " ".join(words[:9] + ["x"]),  # shares 5 of its 6 shingles with a: 5 / 7 = 0.7143
        "c": " ".join(words[:8] + ["x", "y"]),  # shares 4 with a (4 / 8) and with b (4 / 8)
        "d": " ".join(words),  # exact copy of a
    }
    signatures = [corpus.duplicate_signature(texts[d]) for d in sorted(texts)]
    assert [len(shingles) for _, shingles in signatures] == [6, 6, 6, 6]
    flags = corpus.flag_duplicates_from_signatures(
        sorted(texts), [d for d, _ in signatures], [s for _, s in signatures], threshold=0.7
    )
    assert flags["duplicate_of"].fillna("-").tolist() == ["-", "a", "-", "a"]
    assert flags["duplicate_kind"].fillna("-").tolist() == ["-", "near", "-", "exact"]
    assert flags["duplicate_similarity"].tolist()[1] == 0.7143
    lower = corpus.flag_duplicates_from_signatures(
        sorted(texts), [d for d, _ in signatures], [s for _, s in signatures], threshold=0.5
    )
    assert lower.loc[2, ["duplicate_of", "duplicate_similarity"]].tolist() == ["a", 0.5]


def test_gc_paused_restores_the_collector_after_the_last_pause():
    assert gc.isenabled()
    with engine.gc_paused():
        assert not gc.isenabled()
        with engine.gc_paused():  # nested, as concurrent tasks of one worker would
            pass
        assert not gc.isenabled()
    assert gc.isenabled()
    # Two tasks in threads: the first to finish must not switch the collector on under the other.
    first, second = engine.gc_paused(), engine.gc_paused()
    first.__enter__(), second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()
    with pytest.raises(RuntimeError), engine.gc_paused():
        raise RuntimeError("analysis failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with engine.gc_paused():
            pass
        assert not gc.isenabled()  # a collector the caller had switched off stays off
    finally:
        gc.enable()


def _note_worker(folder: Path) -> None:
    import distributed

    address = distributed.get_worker().address
    (folder / address.replace("/", "_").replace(":", "_")).write_text(address, encoding="utf-8")


def test_start_on_workers_runs_the_function_on_every_worker(tmp_path, cluster):
    import time
    from functools import partial

    from kursk_utils.engine.cluster import start_on_workers

    start_on_workers(partial(_note_worker, tmp_path), cluster.scheduler_address)
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = sorted(cluster.scheduler_info["workers"])
    assert sorted(p.read_text(encoding="utf-8") for p in tmp_path.iterdir()) == workers


def test_warm_up_loads_the_codebook_of_the_framing_settings():
    from kursk_utils import framing, stages

    framing._parse_codebook.cache_clear()
    stages.warm_up(engine.SentimentSettings(target_method="vader"), engine.FramingSettings(frame_scorer="rules"))
    assert framing._parse_codebook.cache_info().currsize == 1


def test_warm_up_worker_freezes_what_it_loaded_only_when_asked():
    from kursk_utils.engine.partitions import warm_up_worker

    settings = engine.SentimentSettings(target_method="vader"), engine.FramingSettings(frame_scorer="rules")
    assert gc.get_freeze_count() == 0
    try:
        warm_up_worker(*settings, freeze=False)  # a cluster the run did not start
        assert gc.get_freeze_count() == 0
        warm_up_worker(*settings)
        assert gc.get_freeze_count() > 0
        assert gc.isenabled()  # frozen objects are left alone; the collector still runs
    finally:
        gc.unfreeze()


def _slow_square(x: int) -> int:
    import time

    time.sleep(0.01 * (5 - x))  # later items end first: results must still come in item order
    return x * x


def test_map_items_keeps_item_order_and_runs_meanwhile_once(cluster):
    from kursk_utils.engine.cluster import map_items

    for engine_name, address in (("pandas", None), ("dask", cluster.scheduler_address)):
        calls = []
        results = map_items(_slow_square, [1, 2, 3, 4], engine_name, address, None,
                            meanwhile=lambda: calls.append(engine_name))
        assert results == [1, 4, 9, 16]
        assert calls == [engine_name]
