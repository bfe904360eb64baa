"""Hostile input: one bad entry never stops a corpus, the manifest tells the truth, cost is bounded.

The cases are those of issue 16. Large inputs are generated here, sized to run in seconds; the
5 MB versions are in ``benchmarks/hostile.py``.
"""

import csv
import json
import math
import os
import shutil
import socket
import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from kursk_utils import actors, corpus, framing, stages, tables
from kursk_utils.corpus import check_near_duplicate_threshold, ingest, write_ingested
from kursk_utils.engine import analyze_corpus
from kursk_utils.sentiment import score_texts
from kursk_utils.text import MAX_SENTENCE_CHARS, split_sentences

HOSTILE_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "hostile" / "hostile_article.txt"
BODY = (
    "Russian forces said on Wednesday they had recaptured the town of Sudzha in the Kursk region. "
    "Ukrainian commanders described the withdrawal as orderly, although soldiers said the last "
    "supply road had been under drone fire for weeks."
)


def good_article(folder: Path, name: str = "good.txt") -> None:
    (folder / name).write_text(f"A good headline\n\n{BODY}\n", encoding="utf-8")


def file_row(ingested, path: str) -> pd.Series:
    rows = ingested.manifest[(ingested.manifest["path"] == path) & ingested.manifest["line"].isna()]
    assert len(rows) == 1, ingested.manifest
    return rows.iloc[0]


def record_row(ingested, path: str, line: int) -> pd.Series:
    rows = ingested.manifest[(ingested.manifest["path"] == path) & (ingested.manifest["line"] == line)]
    assert len(rows) == 1, ingested.manifest
    return rows.iloc[0]


def jsonl(folder: Path, name: str, lines: list[str]) -> None:
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


# --- 1. one bad entry never stops a corpus ---------------------------------------------------


def test_file_name_that_is_not_utf8_is_ingested_under_an_escaped_path(tmp_path):
    good_article(tmp_path)
    with open(os.path.join(os.fsencode(tmp_path), b"bad\xffname.txt"), "w", encoding="utf-8") as f:
        f.write(f"Odd name headline\n\n{BODY}\n")
    ingested = ingest(tmp_path)
    row = file_row(ingested, "bad\\xffname.txt")
    assert row["status"] == "ingested"
    assert "not valid UTF-8" in row["warning"]
    assert "bad\\xffname" in set(ingested.documents["doc_id"])
    assert "bad\\xffname.txt" in set(ingested.documents["source_path"])
    write_ingested(ingested, tmp_path / "out")  # Parquet and CSV store the escaped text
    assert "bad\\xffname" in (tmp_path / "out" / "data" / "documents.csv").read_text(encoding="utf-8")


def test_jsonl_record_with_a_lone_surrogate_is_skipped_with_its_reason(tmp_path):
    jsonl(tmp_path, "feed.jsonl", [
        json.dumps({"id": "first", "text": BODY}),
        '{"id": "broken", "text": "Before \\ud800 after. ' + BODY + '"}',
        json.dumps({"id": "third", "title": "x \ud83d\ude00", "text": BODY + " Third."}),
    ])
    ingested = ingest(tmp_path)
    skipped = record_row(ingested, "feed.jsonl", 2)
    assert skipped["status"] == "skipped_record"
    assert "lone surrogate" in skipped["reason"] and "\\ud800" in skipped["reason"]
    assert sorted(ingested.documents["doc_id"]) == ["first", "third"]
    write_ingested(ingested, tmp_path / "out")


def test_unreadable_entries_are_skipped_with_their_reason(tmp_path, monkeypatch):
    good_article(tmp_path)
    (tmp_path / "mem.txt").symlink_to("/proc/self/mem")
    (tmp_path / "locked.txt").write_text(f"Locked\n\n{BODY}\n", encoding="utf-8")
    real_open = os.open

    def refusing_open(path, flags, *args, **kwargs):  # tests run as root: simulate chmod 000
        if os.fspath(path).endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(corpus.os, "open", refusing_open)
    ingested = ingest(tmp_path, follow_external_symlinks=True)
    assert file_row(ingested, "locked.txt")["reason"] == "cannot be read (Permission denied)"
    mem = file_row(ingested, "mem.txt")
    assert mem["status"] == "skipped" and mem["reason"].startswith("cannot be read")
    assert list(ingested.documents["doc_id"]) == ["good"]


# --- 2. the manifest lists every entry, truthfully -------------------------------------------


def test_jsonl_is_split_at_newlines_only(tmp_path):
    separators = ["\u2028", "\u2029", "\u0085"]
    lines = [json.dumps({"id": f"r{i}", "text": f"{BODY}{sep}Second paragraph {i}."},
                        ensure_ascii=False) for i, sep in enumerate(separators)]
    jsonl(tmp_path, "feed.jsonl", lines + ["{not json", json.dumps({"id": "last", "text": BODY})])
    ingested = ingest(tmp_path)
    documents = ingested.documents.set_index("doc_id")
    assert documents.loc[["r0", "r1", "r2", "last"], "source_row"].tolist() == [1, 2, 3, 5]
    assert record_row(ingested, "feed.jsonl", 4)["reason"].startswith("malformed JSON")
    assert documents.loc["r1", "text"].endswith("Second paragraph 1.")


def test_special_entries_and_links_are_listed_as_skipped_and_never_opened(tmp_path):
    root = tmp_path / "corpus"
    root.mkdir()
    good_article(root)
    outside = tmp_path / "secret.txt"
    outside.write_text("Private headline\n\nThe password is swordfish, said the secret note.\n")
    os.mkfifo(root / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "socket.txt"))
    (root / "dangling.txt").symlink_to(root / "missing.txt")
    (root / "loop_a.txt").symlink_to(root / "loop_b.txt")
    (root / "loop_b.txt").symlink_to(root / "loop_a.txt")
    (root / "outside.txt").symlink_to(outside)
    (root / "folder_link").symlink_to(tmp_path)
    try:
        with ThreadPoolExecutor(1) as pool:  # a FIFO opened for reading would block forever
            ingested = pool.submit(ingest, root).result(timeout=60)
    finally:
        server.close()
    reasons = ingested.manifest.set_index("path")["reason"].fillna("").to_dict()
    assert reasons == {
        "dangling.txt": "dangling symbolic link (its target does not exist)",
        "folder_link": "symbolic link to a folder (not followed)",
        "good.txt": "",
        "loop_a.txt": "symbolic link loop",
        "loop_b.txt": "symbolic link loop",
        "outside.txt": "symbolic link to a file outside the corpus folder (not followed; "
                       "ingest with follow_external_symlinks=True to include it)",
        "pipe.txt": "not a regular file: a FIFO (not opened)",
        "socket.txt": "not a regular file: a socket (not opened)",
    }
    assert not ingested.documents["text"].str.contains("swordfish").any()
    # A link given as the corpus is a link out of its folder too: refused with the way to opt in.
    with pytest.raises(corpus.CorpusError, match="follow_external_symlinks=True"):
        ingest(root / "outside.txt")
    opted_in = ingest(root, follow_external_symlinks=True)
    assert file_row(opted_in, "outside.txt")["status"] == "ingested"


def test_id_star_is_reserved_for_corpus_rows(tmp_path):
    text = "Zelensky praised the brave soldiers. Putin condemned the terrible attack."
    jsonl(tmp_path, "feed.jsonl", [json.dumps({"id": "*", "text": text})])
    (tmp_path / "*.txt").write_text(f"Star headline\n\n{text}\n", encoding="utf-8")
    ingested = ingest(tmp_path)
    assert sorted(ingested.documents["doc_id"]) == ["*~2", "feed-1"]
    assert "marks corpus-wide rows" in record_row(ingested, "feed.jsonl", 1)["warning"]
    assert "marks corpus-wide rows" in file_row(ingested, "*.txt")["warning"]
    mentions = actors.score_mentions(actors.find_mentions(ingested.sentences, actors.load_gazetteer()),
                                     ingested.sentences)
    by_actor = actors.actor_sentiment(mentions)
    per_document = by_actor[by_actor["doc_id"] != "*"]
    assert set(per_document["doc_id"]) == {"*~2", "feed-1"}
    # Each document names both actors once; the corpus row of each actor counts both documents.
    assert (by_actor[by_actor["doc_id"] == "*"]["n_sentences"] == 2).all()


@pytest.mark.parametrize(
    ("value", "kind"),
    [('{"a": 1}', "an object"), ("[1, 2]", "an array"), ("5", "a number"), ("NaN", "the number nan"),
     ("Infinity", "the number inf"), ("true", "a boolean")],
)
def test_text_that_is_not_a_string_is_skipped_not_stringified(tmp_path, value, kind):
    jsonl(tmp_path, "feed.jsonl", [json.dumps({"id": "ok", "text": BODY}),
                                   '{"id": "odd", "text": ' + value + "}"])
    ingested = ingest(tmp_path)
    assert record_row(ingested, "feed.jsonl", 2)["reason"] == f"field 'text' holds {kind}, not text"
    assert list(ingested.documents["doc_id"]) == ["ok"]


def test_duplicate_json_keys_and_csv_headers_are_warned_with_the_value_used(tmp_path):
    jsonl(tmp_path, "feed.jsonl", ['{"id": "dup", "text": "First text, dropped.", "text": "' + BODY + '"}'])
    with open(tmp_path / "table.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([["id", "Text", "text"], ["row", "Dropped column.", BODY]])
    ingested = ingest(tmp_path)
    texts = ingested.documents.set_index("doc_id")["text"]
    assert texts["dup"] == BODY and texts["row"] == BODY
    warning = record_row(ingested, "feed.jsonl", 1)
    assert warning["status"] == "ingested_record"
    assert warning["warning"] == "duplicate JSON key 'text' (the last value was used)"
    assert file_row(ingested, "table.csv")["warning"] == (
        "CSV headers 'Text', 'text' name the same column (the last was used)")


@pytest.mark.parametrize("value", [5, 0, -1, 1.0000001, "abc", None, True, math.nan, "0.7"])
def test_near_duplicate_threshold_outside_0_1_is_refused_before_any_work(tmp_path, value):
    with pytest.raises(ValueError, match="near_duplicate_threshold must be"):
        check_near_duplicate_threshold(value)
    with pytest.raises(ValueError, match="near_duplicate_threshold"):  # before the path is read
        ingest(tmp_path / "does-not-exist", near_duplicate_threshold=value)


@pytest.mark.parametrize("value", [1, 0.7, 1e-9])
def test_near_duplicate_threshold_inside_0_1_is_accepted(value):
    assert check_near_duplicate_threshold(value) == float(value)


# --- 3. bounded time and memory ------------------------------------------------------------


def test_sentence_split_at_the_cap_keeps_every_character_and_is_recorded(tmp_path):
    run_on = " ".join(f"word{i}" for i in range(2500))  # about 17,000 characters, no full stop
    (tmp_path / "long.txt").write_text(f"Long headline\n\n{BODY}\n\n{run_on}.\n", encoding="utf-8")
    ingested = ingest(tmp_path)
    sentences = ingested.sentences
    assert sentences["text"].str.len().max() <= MAX_SENTENCE_CHARS
    corpus.check_offsets(ingested)
    body = sentences[sentences["paragraph_id"] == 2]
    assert " ".join(body["text"]) == f"{run_on}."  # cut at spaces only: no word lost or split
    assert len(body) == math.ceil((len(run_on) + 1) / MAX_SENTENCE_CHARS)
    assert file_row(ingested, "long.txt")["warning"] == (
        f"1 sentence(s) longer than {MAX_SENTENCE_CHARS} characters were split into pieces of "
        "at most that length")


def test_a_word_longer_than_the_cap_is_cut_mid_word():
    text = "x" * 4500
    assert split_sentences(text) == [(0, 2000), (2000, 4000), (4000, 4500)]


def test_mentions_in_more_quotes_than_the_cap_share_one_context():
    quote = '"Zelensky says we hold the line," '
    n_quotes = actors.MAX_QUOTE_CONTEXTS + 5
    text = "They said " + quote * n_quotes + "and then left."
    sentences = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "start": [0], "text": [text]})
    mentions = actors.find_mentions(sentences, actors.load_gazetteer())
    assert len(mentions) == n_quotes
    with pytest.warns(actors.MentionCapWarning, match="^5 actor mention"):
        scored = actors.score_mentions(mentions, sentences, method="vader")
    first = mentions.iloc[0]
    assert scored["compound"].iloc[0] == score_texts(
        [actors.target_context(text, first["start"], first["end"])])["compound"].iloc[0]
    without_quotes = "They said " + " " * n_quotes + "and then left."
    assert (scored["compound"].iloc[actors.MAX_QUOTE_CONTEXTS:]
            == score_texts([without_quotes])["compound"].iloc[0]).all()


# --- 4. a catastrophic codebook pattern does not hang ----------------------------------------


def shipped_codebook_with(tmp_path: Path, anchor: str, replacement: str) -> Path:
    """``tmp_path/codebook.toml``: the shipped codebook with its one ``anchor`` replaced."""
    shipped = framing.DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8")
    assert shipped.count(anchor) == 1
    path = tmp_path / "codebook.toml"
    path.write_text(shipped.replace(anchor, replacement), encoding="utf-8")
    return path


def codebook_with_cue(tmp_path: Path, pattern: str) -> framing.Codebook:
    anchor = "  { pattern = '''frustrat"
    return framing.load_codebook(shipped_codebook_with(
        tmp_path, anchor, f"  {{ pattern = '''{pattern}''', weight = 1.0 }},\n{anchor}"))


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(\w|\w\w)+$"])  # a literal prefix, and none
def test_a_cue_that_backtracks_is_skipped_for_that_sentence_with_a_warning(tmp_path, monkeypatch, pattern):
    codebook = codebook_with_cue(tmp_path, pattern)
    monkeypatch.setattr(framing, "CUE_MATCH_TIMEOUT", 0.05)
    sentences = pd.DataFrame({
        "doc_id": ["d", "d"], "sentence_id": [0, 1],
        "text": ["The soldiers were frustrated and exhausted " + "a" * 40 + "!",
                 "The soldiers were frustrated and exhausted."],
    })
    expected = framing.detect_frames(sentences, framing.load_codebook())
    with pytest.warns(framing.CueTimeoutWarning, match="took longer than 0.05 s"):
        found = framing.detect_frames(sentences, codebook)
    assert_frame_equal(found, expected)


def test_what_was_skipped_and_why_are_rows_of_the_warning_tables(tmp_path, monkeypatch):
    """The hostile fixture, a run-on sentence of quoted actors and a sentence on which a
    backtracking cue times out, through the engine: each skip is a row of data/, also when the
    documents come from the cache."""
    corpus_dir = tmp_path / "corpus"
    corpus_dir.mkdir()
    shutil.copy(HOSTILE_FIXTURE, corpus_dir)
    quote = '"Zelensky says we hold the line," '
    (corpus_dir / "quotes.txt").write_text(
        "Run-on quotes\n\nThey said " + quote * (actors.MAX_QUOTE_CONTEXTS + 3) + "and then left.\n",
        encoding="utf-8")
    (corpus_dir / "slow.txt").write_text(
        "Slow cue\n\nThe soldiers were frustrated and exhausted " + "a" * 40 + "!\n", encoding="utf-8")
    codebook_with_cue(tmp_path, r"(a|aa)+$")
    monkeypatch.setattr(framing, "CUE_MATCH_TIMEOUT", 0.05)
    settings = (stages.SentimentSettings(target_method="vader"),
                stages.FramingSettings(codebook_path=str(tmp_path / "codebook.toml")))
    out = tmp_path / "out"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        analyze_corpus(corpus_dir, out, *settings)
    assert {actors.MentionCapWarning, framing.CueTimeoutWarning} <= {w.category for w in caught}
    # by hand: 23 quotes naming Zelensky in sentence 1 (after the title) of quotes.txt, 3 past the
    # cap of 20; the cue (inserted before soldier_frustration's "frustrat") in sentence 1 of slow.txt
    expected = {
        "sentiment_warnings": [["quotes", 1, "mention_cap",
                                "3 actor mention(s) in quotes past the first 20 quotes naming an actor "
                                "were scored on the sentence without its quotes"]],
        "framing_warnings": [["slow", 1, "cue_timeout",
                              "codebook cue '(a|aa)+$' of frame soldier_frustration took longer than "
                              "0.05 s and was skipped for this sentence"]],
    }
    for name, rows in expected.items():
        assert tables.read_table(out, name).values.tolist() == rows, name
    again = analyze_corpus(corpus_dir, out, *settings)  # every document from the cache
    assert again["framing"].n_analysed == again["sentiment"].n_analysed == 0
    for name, rows in expected.items():
        assert tables.read_table(out, name).values.tolist() == rows, name


def test_an_excluded_voices_pattern_that_backtracks_is_skipped_for_that_sentence(tmp_path, monkeypatch):
    path = shipped_codebook_with(tmp_path, "excluded_voices = '''MPs?|", "excluded_voices = '''(a|aa)+$|MPs?|")
    monkeypatch.setattr(framing, "CUE_MATCH_TIMEOUT", 0.05)
    # the pattern is searched in the subject the sentence opens with: 40 a's and a space
    text = "a" * 40 + " said the soldiers were fed up with their commanders."
    sentences = pd.DataFrame({"doc_id": ["d", "d"], "sentence_id": [0, 1],
                              "text": [text, "Aides said the soldiers were fed up with their commanders."]})
    assert "soldier_frustration" in set(framing.detect_frames(sentences, framing.load_codebook())["frame"])
    skipped: list[dict] = []
    with pytest.warns(framing.CueTimeoutWarning, match="on sentence 0 of d"):
        found = framing.detect_frames(sentences, framing.load_codebook(path), skipped=skipped)
    assert found["sentence_id"].unique().tolist() == [1]  # sentence 0 skipped, not a traceback
    assert [(row["sentence_id"], row["kind"]) for row in skipped] == [(0, "cue_timeout")]


def test_a_topic_pattern_that_backtracks_is_skipped_for_that_sentence_with_a_row(tmp_path, monkeypatch):
    path = shipped_codebook_with(tmp_path, "patterns = [\n  '''Ukrain", "patterns = [\n  '''(a|aa)+$''',\n  '''Ukrain")
    monkeypatch.setattr(framing, "CUE_MATCH_TIMEOUT", 0.05)
    sentences = pd.DataFrame({"doc_id": ["d", "d"], "sentence_id": [0, 1],
                              "text": ["Kyiv said so " + "a" * 40 + "!", "Kyiv said so."]})
    documents = pd.DataFrame({"doc_id": ["d"], "n_sentences": [2]})
    skipped: list[dict] = []
    with pytest.warns(framing.CueTimeoutWarning, match="on sentence 0 of d"):
        checked = framing.topic_check(documents, sentences, framing.load_codebook(path), skipped)
    assert checked[["topic_sentences", "topic_terms"]].values.tolist() == [[1, "kyiv"]]  # sentence 1 only
    assert skipped == [{"doc_id": "d", "sentence_id": 0, "kind": "cue_timeout",
                        "detail": "codebook topic pattern took longer than 0.05 s and was skipped for "
                                  "this sentence"}]


def test_nested_quantifier_of_the_issue_runs_at_once_on_the_regex_engine(tmp_path):
    codebook = codebook_with_cue(tmp_path, r"(a+)+$")
    sentences = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "text": ["a" * 40 + "!"]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", framing.CueTimeoutWarning)
        assert framing.detect_frames(sentences, codebook).empty


# --- 5. CSV formula injection ----------------------------------------------------------------


CELLS = ["=HYPERLINK(\"http://x\",\"y\")", "@SUM(1+1)", "+1", "-2", "\tTab", "Plain", None]


def read_csv_cells(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_csv_cells_that_would_run_as_formulas_are_escaped_and_parquet_is_not(tmp_path):
    frame = pd.DataFrame({"title": CELLS, "score": [-0.5] * len(CELLS), "text": CELLS})
    tables.write_table(frame, tmp_path, "documents", csv=True, csv_exclude=("text",))
    rows = read_csv_cells(tables.table_path(tmp_path, "documents", ".csv"))
    assert rows[0] == ["title", "score"]
    assert [row[0] for row in rows[1:]] == [
        "'=HYPERLINK(\"http://x\",\"y\")", "'@SUM(1+1)", "'+1", "'-2", "'\tTab", "Plain", ""]
    assert {row[1] for row in rows[1:]} == {"-0.5"}  # numbers are not text: unchanged
    assert_frame_equal(tables.read_table(tmp_path, "documents"), frame, check_exact=True)


def test_a_leading_carriage_return_is_escaped(tmp_path):
    tables.write_table(pd.DataFrame({"title": ["\rReturn"]}), tmp_path, "t", csv=True)
    # Read as bytes: a carriage return inside a cell is not quoted by the csv module (see report).
    assert tables.table_path(tmp_path, "t", ".csv").read_bytes() == b"title\n'\rReturn\n"


def test_partitioned_csv_is_escaped_too(tmp_path):
    frame = pd.DataFrame({"doc_id": ["a", "b"], "title": ["=1+1", "fine"]})
    tables.clear_table(tmp_path, "documents")
    tables.write_partition(frame.iloc[:1], tmp_path, "documents", 0, csv=True)
    tables.write_partition(frame.iloc[1:], tmp_path, "documents", 1, csv=True)
    tables.combine_csv_parts(tmp_path, "documents")
    assert read_csv_cells(tables.table_path(tmp_path, "documents", ".csv")) == [
        ["doc_id", "title"], ["a", "'=1+1"], ["b", "fine"]]


# --- a corpus mixing the bad entries with good articles runs to the end ----------------------


def test_mixed_hostile_corpus_runs_to_the_end(tmp_path):
    from kursk_utils import engine

    root = tmp_path / "corpus"
    root.mkdir()
    good_article(root, "a_good.txt")
    (root / "b_formula.txt").write_text(f"=HYPERLINK(\"http://evil\")\n\n{BODY}\n", encoding="utf-8")
    with open(os.path.join(os.fsencode(root), b"bad\xffname.txt"), "w", encoding="utf-8") as f:
        f.write(f"Odd name\n\n{BODY} Odd.\n")
    jsonl(root, "feed.jsonl", ['{"id": "*", "text": "Zelensky spoke. ' + BODY + '"}',
                               '{"id": "s", "text": "\\ud800"}', '{"id": "n", "text": 5}'])
    (tmp_path / "secret.txt").write_text("Secret\n\nswordfish swordfish.\n")
    (root / "outside.txt").symlink_to(tmp_path / "secret.txt")
    os.mkfifo(root / "pipe.txt")
    (root / "run_on.txt").write_text("Run on\n\n" + '"We hold," said Zelensky, ' * 400 + "end.\n")
    with ThreadPoolExecutor(1) as pool:
        pool.submit(engine.analyze_corpus, root, tmp_path / "out", incremental=False).result(timeout=300)
    manifest = tables.read_table(tmp_path / "out", "ingest_manifest")
    assert len(manifest[manifest["line"].isna()]) == 7
    documents = tables.read_table(tmp_path / "out", "documents")
    assert sorted(documents["doc_id"]) == ["a_good", "b_formula", "bad\\xffname", "feed-1", "run_on"]
    data = tmp_path / "out" / "data"
    for path in data.iterdir():
        if path.suffix == ".csv":
            assert "swordfish" not in path.read_text(encoding="utf-8")
    assert not any(tables.read_table(tmp_path / "out", name).astype(str).apply(
        lambda column: column.str.contains("swordfish")).any().any()
        for name in ("documents", "sentences", "paragraphs"))
    assert "'=HYPERLINK" in (data / "documents.csv").read_text(encoding="utf-8")


def test_a_commentary_pattern_that_backtracks_is_skipped_for_that_sentence_with_a_row(tmp_path, monkeypatch):
    path = shipped_codebook_with(tmp_path, "commentary = '''^", "commentary = '''(a|aa)+$|^")
    monkeypatch.setattr(framing, "CUE_MATCH_TIMEOUT", 0.05)
    sentences = pd.DataFrame({"doc_id": ["d", "d"], "sentence_id": [0, 1],
                              "text": ["a" * 40 + "!", "Kyiv must explain why the brigades were left without ammunition."]})
    skipped: list[dict] = []
    with pytest.warns(framing.CueTimeoutWarning, match="commentary pattern .* on sentence 0 of d"):
        found = framing.detect_frames(sentences, framing.load_codebook(path), skipped=skipped)
    assert "soldier_frustration" in set(found["frame"])  # no commentary found: the sentence counts
    assert [(row["sentence_id"], row["kind"]) for row in skipped] == [(0, "cue_timeout")]
