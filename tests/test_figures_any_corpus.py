"""Every figure and study table on small random corpora run through the real stages.

Hypothesis writes 0-5 articles (with or without outlet and date metadata, frames present or
absent, quotes or none), the stages analyse them (in memory, as the engine calls them), and the
study stage and every figure builder must give tables consistent with ``frames_by_document`` and
figures that draw something or say why they cannot: never a crash, never a blank figure.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kursk_utils import actors, findings, stages, study, viz

DISTRUST = "us_support_distrust"
# Sentences that fire frames (frustration in a soldier's quote, reassurance by an official,
# distrust, chaotic retreat) and sentences that fire none.
SENTENCES = (
    "“We were abandoned and nobody told us anything,” said Taras, a Ukrainian soldier.",
    "The commander said the situation was under control and the troops were safe.",
    "Officials in Kyiv said they could no longer rely on US support.",
    "The retreat was chaotic as columns fled under drone fire.",
    "The weather was mild on Tuesday.",
    "Markets opened higher in London.",
)
NEUTRAL = (4, 5)
OUTLETS = ("Kyiv Independent", "TASS", "=HYPERLINK(\"x\")", None)
DATES = ("2025-03-03", "2025-03-12", "2025-04-01T08:00:00Z", "not a date", None)

article_strategy = st.fixed_dictionaries({
    "sentences": st.lists(st.integers(0, len(SENTENCES) - 1), min_size=1, max_size=5),
    "outlet": st.sampled_from(OUTLETS),
    "published": st.sampled_from(DATES),
})


def run_stages(articles: list[dict], with_metadata: bool, frames: bool, folder: Path) -> dict[str, pd.DataFrame]:
    """The tables a run writes for ``articles`` (all tables emptied when there is none)."""
    corpus = folder / "corpus"
    corpus.mkdir()
    # A corpus without any article cannot be ingested: analyse one and keep no row of it.
    written = articles or [{"sentences": [4], "outlet": None, "published": None}]
    records = []
    for index, article in enumerate(written):
        chosen = [i if frames else NEUTRAL[i % 2] for i in article["sentences"]]
        # a serial number keeps random articles from being near-duplicates of each other
        body = " ".join(SENTENCES[i] for i in chosen) + f" Report number {index} of the day."
        records.append({"title": f"Article {index}", "text": body, "outlet": article["outlet"],
                        "published": article["published"]})
    if with_metadata:
        (corpus / "articles.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    else:
        for index, record in enumerate(records):
            (corpus / f"{index:02d}.txt").write_text(f"{record['title']}\n\n{record['text']}\n", encoding="utf-8")
    ingested = stages.ingest_corpus(corpus)
    sentiment = stages.analyze_sentiment(ingested.sentences, stages.SentimentSettings())
    framing = stages.analyze_framing(ingested.documents, ingested.sentences, sentiment["actor_mentions"],
                                     sentiment["sentence_sentiment"], stages.FramingSettings())
    tables = {"documents": ingested.documents, "sentences": ingested.sentences,
              "ingest_manifest": ingested.manifest, **sentiment, **framing,
              # the corpus rows too, as the engine writes the table
              "actor_sentiment": actors.actor_sentiment(sentiment["actor_mentions"])}
    if not articles:
        tables = {name: t if name == "ingest_manifest" else t.iloc[0:0] for name, t in tables.items()}
    return tables


def check_prevalence(prevalence: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> None:
    """The all-articles rows count the non-duplicate articles of frames_by_document."""
    documents = tables["documents"]
    counted = documents.loc[documents["duplicate_of"].isna(), "doc_id"]
    by_document = tables["frames_by_document"].set_index("doc_id").loc[counted]
    overall = prevalence[prevalence["group"] == study.ALL_ARTICLES].set_index("frame")
    if counted.empty:
        assert prevalence.empty
        return
    for frame in findings.frame_ids(tables["frames_by_document"]):
        assert overall.at[frame, "n_articles"] == len(counted)
        assert overall.at[frame, "n_with_frame"] == int((by_document[frame] > 0).sum())
        assert overall.at[frame, "ci_low"] <= overall.at[frame, "share"] <= overall.at[frame, "ci_high"]
    groups = prevalence[prevalence["group"] != study.ALL_ARTICLES]
    if not groups.empty:  # the groups split the counted articles
        assert groups.groupby("frame")["n_articles"].sum().eq(len(counted)).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(articles=st.lists(article_strategy, max_size=5), with_metadata=st.booleans(), frames=st.booleans(),
       group_by=st.sampled_from([None, "outlet"]), period=st.sampled_from(study.PERIODS))
def test_any_small_corpus_gives_consistent_tables_and_figures(articles, with_metadata, frames, group_by, period):
    with tempfile.TemporaryDirectory() as folder:
        tables = run_stages(articles, with_metadata, frames, Path(folder))
    study_settings = stages.StudySettings(frame_ids=findings.frame_ids(tables["frames_by_document"]),
                                          group_by=group_by, period=period)
    study_tables = stages.compare(tables, study_settings)
    check_prevalence(study_tables["frame_prevalence"], tables)
    figures = viz.build_figures(tables, study_tables, DISTRUST)
    for name, fig in figures.items():
        # something drawn, or a note saying why not; a bounded height whatever the corpus
        assert fig.data or fig.layout.annotations, name
        assert fig.layout.height <= 1400, name
    assert len(figures["article_view"].layout.updatemenus[0].buttons if figures["article_view"].data
               else []) <= viz.MAX_SELECTABLE_ARTICLES
    summary = findings.study_summary(study_tables)
    assert summary and all(isinstance(line, str) and line for line in summary)
