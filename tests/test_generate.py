"""The generated corpora of the benchmarks and the larger browser run: the metadata sidecar."""

import csv

from benchmarks.generate import OUTLETS, SIDECAR, generate_corpus
from kursk_utils.corpus import ingest


def read_sidecar(folder):
    with open(folder / SIDECAR, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_sidecar_gives_every_article_its_outlet_perspective_date_and_url(tmp_path):
    paths = generate_corpus(tmp_path, 40, metadata=True)
    rows = read_sidecar(tmp_path)
    assert [row["file"] for row in rows] == [path.name for path in paths]
    perspective_of = dict(OUTLETS)
    # an outlet keeps one perspective; dates lie in March 2025; several groups and weeks are present
    assert all(row["perspective"] == perspective_of[row["outlet"]] for row in rows)
    assert all("2025-03-01" <= row["published"] <= "2025-03-31" for row in rows)
    assert len({row["perspective"] for row in rows}) == 3 and len({row["outlet"] for row in rows}) > 5
    assert all(row["url"].startswith("https://") and row["url"].endswith(f"/{i}") for i, row in enumerate(rows))

    ingested = ingest(tmp_path)
    documents = ingested.documents.set_index("source_path")
    for row in rows:  # ingestion reads the sidecar as written: every article has its row
        assert documents.loc[row["file"], ["outlet", "perspective", "published", "url"]].tolist() == [
            row["outlet"], row["perspective"], row["published"], row["url"]]
    manifest = ingested.manifest
    assert not manifest["warning"].fillna("").str.contains("no row in").any()
    assert (manifest["status"] == "skipped_record").sum() == 0


def test_same_call_same_bytes_and_added_articles_keep_the_earlier_rows(tmp_path):
    generate_corpus(tmp_path / "a", 12, metadata=True)
    generate_corpus(tmp_path / "b", 12, metadata=True)
    assert (tmp_path / "a" / SIDECAR).read_bytes() == (tmp_path / "b" / SIDECAR).read_bytes()
    before = read_sidecar(tmp_path / "a")
    generate_corpus(tmp_path / "a", 3, start=12, metadata=True)
    after = read_sidecar(tmp_path / "a")
    assert after[:12] == before and len(after) == 15
    assert after[-1]["file"] == "article-0000014.txt"


def test_no_sidecar_unless_asked(tmp_path):
    generate_corpus(tmp_path, 3)
    assert not (tmp_path / SIDECAR).exists()
