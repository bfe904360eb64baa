"""The metadata sidecar (``metadata.csv`` / ``metadata.jsonl``) and ``published`` dates.

Expected values were read by hand from ``tests/fixtures/kursk60/metadata.csv`` and
``tests/fixtures/portstrike/`` (synthetic corpora written for this project, see
``tests/fixtures/CORPORA.md``).
"""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kursk_utils import engine, parameters
from kursk_utils.corpus import DOCUMENT_COLUMNS, CorpusError, ingest, published_date, write_ingested

from conftest import PROJECT_ROOT, SEEDS

KURSK60 = PROJECT_ROOT / "tests" / "fixtures" / "kursk60"
PORTSTRIKE = PROJECT_ROOT / "tests" / "fixtures" / "portstrike"


@pytest.fixture(scope="module")
def kursk60():
    return ingest(KURSK60)


def sidecar_rows(ingested, name="metadata.csv"):
    manifest = ingested.manifest
    return manifest[manifest["path"] == name].set_index("line", drop=False)


def test_sidecar_keyed_by_file_adds_its_columns(kursk60):
    docs = kursk60.documents.set_index("doc_id")
    assert docs.loc["afp_2025-03-12_putin-kursk", ["outlet", "published", "perspective", "country"]].tolist() == [
        "Agence France-Presse", "2025-03-12", "western", "France"]
    assert docs.loc["afp_2025-03-12_putin-kursk", "url"].startswith("https://www.afp.com/en/news/2025/03/12/")
    # Extra columns come after the fixed ones, sorted.
    assert kursk60.documents.columns.tolist() == DOCUMENT_COLUMNS + ["country", "perspective"]
    assert docs["perspective"].value_counts().to_dict() == {
        "western": 26, "ukrainian": 10, "russian_state": 10, "other": 9, "independent_russian": 4}


def test_sidecar_is_metadata_never_an_article(kursk60):
    assert len(kursk60.documents) == 60
    assert "metadata" not in set(kursk60.documents["doc_id"])
    rows = sidecar_rows(kursk60)
    own = rows[rows["line"].isna()].iloc[0]
    assert own["status"] == "metadata"
    assert own["n_documents"] == 59


def test_missing_rows_and_files_are_reported(kursk60):
    rows = sidecar_rows(kursk60)
    assert rows.loc[31, "status"] == "skipped_record"
    assert "missing_article.txt" in rows.loc[31, "reason"]
    manifest = kursk60.manifest.set_index("path")
    assert manifest.loc["mediazona_2025-03-27_losses.txt", "warning"] == "no row in metadata.csv"
    assert manifest["warning"].str.contains("no row in").sum() == 1
    summary = rows[rows["line"].isna()].iloc[0]["warning"]
    assert summary == ("59 of 60 rows matched; 1 row(s) matched no article or could not be read; "
                       "1 text file(s) without a row")
    mediazona = kursk60.documents.set_index("doc_id").loc["mediazona_2025-03-27_losses"]
    assert mediazona[["outlet", "perspective"]].isna().all()


def test_published_dates_are_normalised(kursk60):
    published = kursk60.documents.set_index("doc_id")["published"]
    assert published["bbc_2025-03-14_encirclement"] == "2025-03-14"  # "14 March 2025"
    assert published["nyt_2025-03-09_intelligence-pause"] == "2025-03-09"  # "March 9, 2025"
    assert published["guardian_2025-03-13_liveblog"] == "2025-03-13"  # "2025-03-13T09:30:00Z"
    assert published[["telegraph_undated_opinion", "rt_undated_buffer-zone"]].isna().all()
    assert published.dropna().str.fullmatch(r"2025-0[23]-\d\d").all()
    assert published.notna().sum() == 57  # 60 less the two undated and Mediazona (no row)
    # Blank dates are missing values, not unreadable ones: no warning.
    assert sidecar_rows(kursk60)["status"].tolist().count("ingested_record") == 0


@pytest.mark.parametrize(("value", "expected"), [
    ("2025-03-14", "2025-03-14"), ("2025/03/14", "2025-03-14"),
    ("2025-03-13T09:30:00Z", "2025-03-13"), ("2025-03-13T23:30:00-05:00", "2025-03-13"),
    ("12 March 2025", "2025-03-12"), ("March 9, 2025", "2025-03-09"), ("Sept. 3, 2025", "2025-09-03"),
    ("Friday, 14 March 2025", "2025-03-14"), ("1st Feb 2025", "2025-02-01"),
    ("03/04/2025", None), ("2025-02-30", None), ("14 Mars 2025", None), ("soon", None),
])
def test_published_date(value, expected):
    normalised, warning = published_date(value)
    assert normalised == expected
    assert (warning is None) == (expected is not None)
    assert published_date("  ") == (None, None)


def test_unreadable_sidecar_date_is_null_with_a_warning(tmp_path):
    shutil.copy(SEEDS / "000_a4d19107e3aefedf.txt", tmp_path / "a.txt")
    (tmp_path / "metadata.csv").write_text("file,published\na.txt,next Tuesday\n")
    ingested = ingest(tmp_path)
    assert ingested.documents["published"].isna().all()
    row = sidecar_rows(ingested).loc[2]
    assert row["status"] == "ingested_record"
    assert row["warning"] == "published 'next Tuesday' is not a date that can be read (left null)"


def test_tabular_published_values_are_normalised_too(tmp_path):
    (tmp_path / "rows.jsonl").write_text(
        '{"id": "r1", "text": "Moscow said the town was taken.", "published": "12 March 2025"}\n'
        '{"id": "r2", "text": "Kyiv denied it.", "published": "03/04/2025"}\n')
    ingested = ingest(tmp_path)
    published = ingested.documents.set_index("doc_id")["published"]
    assert published["r1"] == "2025-03-12"
    assert pd.isna(published["r2"])
    row = ingested.manifest[ingested.manifest["line"] == 2].iloc[0]
    assert "published '03/04/2025' is not a date" in row["warning"]


def test_sidecar_keyed_by_doc_id_in_jsonl(tmp_path):
    shutil.copy(SEEDS / "000_a4d19107e3aefedf.txt", tmp_path / "a.txt")
    shutil.copytree(PORTSTRIKE, tmp_path / "port", ignore=shutil.ignore_patterns("metadata.csv"))
    rows = [{"doc_id": "a", "outlet": "Seed Wire", "published": "March 12, 2025", "rank": 3},
            {"doc_id": "ps-08", "Country": "Alderland"},
            {"doc_id": "nowhere", "outlet": "Ghost"}]
    (tmp_path / "metadata.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    ingested = ingest(tmp_path)
    docs = ingested.documents.set_index("doc_id")
    assert docs.loc["a", ["outlet", "published", "rank"]].tolist() == ["Seed Wire", "2025-03-12", "3"]
    # A JSONL record's own outlet stays where the sidecar gives none.
    assert docs.loc["ps-08", ["outlet", "Country"]].tolist() == ["Harbour & Freight Journal", "Alderland"]
    assert docs.loc["ps-09", ["Country", "rank"]].isna().all()
    assert ingested.documents.columns.tolist()[-2:] == ["Country", "rank"]
    unmatched = sidecar_rows(ingested, "metadata.jsonl").loc[3]
    assert unmatched["status"] == "skipped_record"
    assert unmatched["reason"] == "matches no ingested article (doc_id 'nowhere')"
    # The portstrike text files have no row: each one is reported; the JSONL and CSV files are not.
    warned = ingested.manifest.loc[ingested.manifest["warning"] == "no row in metadata.jsonl", "path"]
    assert sorted(warned) == sorted(f"port/{p.name}" for p in PORTSTRIKE.iterdir()
                                    if p.suffix in (".txt", ".md"))


def test_portstrike_rows_cover_the_text_files_and_not_the_records():
    ingested = ingest(PORTSTRIKE)
    docs = ingested.documents.set_index("doc_id")
    assert len(docs) == 10
    assert docs.loc["dockside-voice_2025-10-14_strike-begins", ["outlet", "perspective"]].tolist() == [
        "Dockside Voice", "labour"]
    assert docs.loc["ps-10", ["outlet", "published"]].tolist() == ["Alder Business Daily", "2025-10-24"]
    assert docs.loc[["ps-08", "ps-09", "ps-10"], "perspective"].isna().all()
    assert ingested.manifest["warning"].fillna("").str.contains("no row in").sum() == 0


def test_row_keyed_by_a_tabular_file_applies_to_all_its_records(tmp_path):
    shutil.copytree(PORTSTRIKE, tmp_path, dirs_exist_ok=True)
    with (tmp_path / "metadata.csv").open("a") as handle:
        handle.write("port_news_feed.jsonl,,Port News Feed,,,aggregator\n")
    ingested = ingest(tmp_path)
    docs = ingested.documents.set_index("doc_id")
    assert docs.loc[["ps-08", "ps-09"], "perspective"].tolist() == ["aggregator", "aggregator"]
    assert docs.loc[["ps-08", "ps-09"], "outlet"].tolist() == ["Port News Feed", "Port News Feed"]
    # The records' own titles stay (blank cells fill nothing); the outlets they gave are reported.
    assert docs.loc["ps-08", "title"] == "Alder port talks resume at City Hall as ships stack up offshore"
    warning = sidecar_rows(ingested).loc[9, "warning"]
    assert warning == ("outlet of ps-08: 'Harbour & Freight Journal' replaced; "
                       "outlet of ps-09: 'Wren County Bulletin' replaced")


def test_metadata_columns_in_documents_csv(tmp_path, kursk60):
    write_ingested(kursk60, tmp_path)
    csv = pd.read_csv(tmp_path / "data" / "documents.csv").set_index("doc_id")
    assert csv.columns[-2:].tolist() == ["country", "perspective"]
    assert csv.loc["tass_2025-03-13_sudzha", ["outlet", "perspective", "country"]].tolist() == [
        "TASS", "russian_state", "Russia"]


@pytest.mark.parametrize(("files", "message"), [
    ({"metadata.csv": "title,outlet\nA,B\n"}, "needs exactly one key column, file or doc_id; found neither"),
    ({"metadata.csv": "file,doc_id\na.txt,a\n"}, "found file, doc_id"),
    ({"metadata.csv": "file,outlet\na.txt,X\n./a.txt,Y\n"}, "file 'a.txt' has two rows (lines 2 and 3)"),
    ({"metadata.csv": "file,n_words\na.txt,3\n"}, "column(s) 'n_words' cannot be set by a sidecar"),
    ({"metadata.csv": "", "metadata.jsonl": "{}"}, "has both metadata.csv and metadata.jsonl"),
    ({"metadata.jsonl": "not json\n"}, "no rows could be read (malformed JSON"),
    ({"metadata.csv": b"\x00\x01binary"}, "binary file"),
])
def test_bad_sidecar_is_refused_before_any_work(tmp_path, files, message):
    shutil.copy(SEEDS / "000_a4d19107e3aefedf.txt", tmp_path / "a.txt")
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    with pytest.raises(CorpusError, match="metadata sidecar|has both") as err:
        ingest(tmp_path)
    assert message in str(err.value)
    with pytest.raises(ValueError, match="metadata"):
        parameters.check_parameters(parameters.build_specs({"01": {"corpus_path": "x"}}),
                                    {"corpus_path": str(tmp_path)})


def test_sidecar_linked_from_outside_the_corpus_is_refused(tmp_path):
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    shutil.copy(SEEDS / "000_a4d19107e3aefedf.txt", corpus_dir / "a.txt")
    (tmp_path / "elsewhere.csv").write_text("file,outlet\na.txt,X\n")
    (corpus_dir / "metadata.csv").symlink_to(tmp_path / "elsewhere.csv")
    with pytest.raises(CorpusError, match="symbolic link to a file outside the corpus folder"):
        ingest(corpus_dir)


def test_changed_sidecar_is_applied_with_the_files_from_the_cache(tmp_path):
    corpus_dir = tmp_path / "corpus"
    shutil.copytree(KURSK60, corpus_dir)
    out = tmp_path / "out"
    engine.run_ingest(corpus_dir, out)
    path = corpus_dir / "metadata.csv"
    path.write_text(path.read_text().replace(",western,UK", ",western,United Kingdom"))
    again = engine.run_ingest(corpus_dir, out)
    assert again.n_analysed == 0  # every article from the cache
    docs = again["documents"].set_index("doc_id")
    assert docs.loc["reuters_2025-03-08_pipeline", "country"] == "United Kingdom"
    in_memory = ingest(corpus_dir)
    pd.testing.assert_frame_equal(again["documents"], in_memory.documents, check_exact=True)
    pd.testing.assert_frame_equal(again["ingest_manifest"], in_memory.manifest, check_exact=True)
