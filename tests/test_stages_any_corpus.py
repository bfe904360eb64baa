"""No crash in the stages on any corpus: small random corpora (property-based, hypothesis).

Zero to five articles of random text from a small vocabulary with quotes, speech verbs, names,
negators, markup and cue words of both codebooks (so frames are sometimes found, sometimes not),
written as .txt, .md and JSONL, run through ingestion, sentiment and framing, with the shipped codebook or the
two-frame example one. Every documented column must exist and the keys must agree across tables.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kursk_utils import actors, corpus, engine, framing, quotes, stages, tables
from kursk_utils.stages import FramingSettings, SentimentSettings

from conftest import PROJECT_ROOT

EXAMPLE_CODEBOOK = str(PROJECT_ROOT / "docs" / "examples" / "portstrike_codebook.toml")
VOCABULARY = [
    "the", "a", "soldiers", "troops", "said", "told", "frustrated", "angry", "fled", "panic", "chaos",
    "Kursk", "Ukraine", "Russian", "US", "aid", "paused", "no", "not", "never", "strike", "union", "flood",
    "evacuated", "river", "Maria", "Lopez", "Zelensky", "Trump", '"', "“", "”", "'", ",", ".", "!", "?",
    "—", "(", ")", ":", "Mr.", "drones", "talks", "collapsed", "\n\n", "\n", "  ", "é", "1,400", "<b>",
    "=SUM(A1)", "#", "-",
]
# Whole sentences that carry a frame of one codebook or the other (and quotes with speakers).
FRAME_SENTENCES = [
    "Troops fled in panic as the front collapsed.",
    '"We are angry and frustrated," said soldier Ivan.',
    "The US paused intelligence sharing with Ukraine.",
    "Dockers went on strike and picket lines went up.",
    "The flood forced hundreds to evacuate.",
    "There was no panic, the official said.",
]
words = st.lists(st.sampled_from(VOCABULARY + FRAME_SENTENCES), min_size=0, max_size=40).map(" ".join)
corpora = st.lists(st.tuples(words, words), min_size=0, max_size=5)  # (title, body) per article
codebooks = st.sampled_from([None, EXAMPLE_CODEBOOK])


def write_corpus(folder: Path, articles: list[tuple[str, str]]) -> None:
    """Articles in turn as plain text, Markdown and rows of one JSONL file."""
    folder.mkdir(parents=True)
    rows = []
    for index, (title, body) in enumerate(articles):
        if index % 3 == 0:
            (folder / f"article_{index}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        elif index % 3 == 1:
            (folder / f"article_{index}.md").write_text(f"# {title}\n\n{body}\n", encoding="utf-8")
        else:
            rows.append(json.dumps({"id": f"row-{index}", "title": title, "text": body}))
    if rows:
        (folder / "feed.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")


def keys(frame, columns=("doc_id", "sentence_id")) -> set:
    return set(frame[list(columns)].itertuples(index=False, name=None))


def check_tables(documents, sentences, analysed: dict, codebook_path: str | None) -> None:
    """The documented columns exist and every table's keys belong to the ingested ones."""
    assert list(documents.columns) == corpus.DOCUMENT_COLUMNS
    doc_ids = set(documents["doc_id"])
    sentence_keys = keys(sentences)
    assert set(sentences["doc_id"]) <= doc_ids
    sentiment = analysed["sentence_sentiment"]
    assert {"doc_id", "sentence_id", "compound", "label"} <= set(sentiment.columns)
    assert keys(sentiment) == sentence_keys
    assert set(analysed["document_sentiment"]["doc_id"]) <= doc_ids
    assert list(analysed["actor_mentions"].columns)[:len(actors.MENTION_COLUMNS)] == actors.MENTION_COLUMNS
    assert keys(analysed["actor_mentions"]) <= sentence_keys
    assert list(analysed["quotes"].columns) == [*quotes.QUOTE_COLUMNS, "frames"]
    assert set(analysed["quotes"]["doc_id"]) <= doc_ids
    by_sentence = analysed["frames_by_sentence"]
    assert list(by_sentence.columns) == framing.FRAMES_BY_SENTENCE_COLUMNS
    assert keys(by_sentence) <= sentence_keys
    frame_ids = framing.load_codebook(codebook_path).frame_ids
    assert set(by_sentence["frame"]) <= set(frame_ids)
    by_document = analysed["frames_by_document"]
    assert list(by_document.columns) == ["doc_id", *frame_ids, *(
        f"{f}_{kind}" for f in frame_ids for kind in ("score", "sentences"))]
    assert sorted(by_document["doc_id"]) == sorted(doc_ids)
    for frame_id in frame_ids:  # a document has the frame iff one of its sentences has it
        with_frame = set(by_sentence.loc[by_sentence["frame"] == frame_id, "doc_id"])
        assert set(by_document.loc[by_document[frame_id] == 1, "doc_id"]) == with_frame
    topic = analysed["topic_check"]
    assert list(topic.columns) == framing.TOPIC_CHECK_COLUMNS
    assert sorted(topic["doc_id"]) == sorted(doc_ids)
    assert framing.topic_fit(topic)["n_documents"] == len(doc_ids)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(articles=corpora, codebook_path=codebooks)
def test_stage_functions_on_random_corpora(articles, codebook_path):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        write_corpus(folder, articles)
        try:
            ingested = stages.ingest_corpus(folder)
        except corpus.CorpusError as error:  # the documented refusal: no file gave an article
            assert "no articles" in str(error).lower() or "no files" in str(error).lower(), error
            assert all(not body.strip() for _, body in articles), error
            return
    sentiment_tables = stages.analyze_sentiment(ingested.sentences, SentimentSettings())
    framing_tables = stages.analyze_framing(
        ingested.documents, ingested.sentences, sentiment_tables["actor_mentions"],
        sentiment_tables["sentence_sentiment"], FramingSettings(codebook_path=codebook_path))
    check_tables(ingested.documents, ingested.sentences, sentiment_tables | framing_tables, codebook_path)


@settings(max_examples=10, deadline=None)
@given(articles=corpora.filter(lambda a: any(b.strip() for _, b in a)), codebook_path=codebooks)
def test_the_engine_writes_consistent_tables_for_random_corpora(articles, codebook_path):
    tmp = Path(tempfile.mkdtemp())
    try:
        write_corpus(tmp / "corpus", articles)
        engine.analyze_corpus(tmp / "corpus", tmp / "out", SentimentSettings(),
                              FramingSettings(codebook_path=codebook_path), incremental=False)
        read = {name: tables.read_table(tmp / "out", name) for name in (
            "documents", "sentences", "sentence_sentiment", "document_sentiment", "actor_mentions",
            *stages.FRAMING_TABLES)}
        check_tables(read["documents"], read["sentences"], read, codebook_path)
    finally:
        shutil.rmtree(tmp)
