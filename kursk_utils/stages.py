"""The analysis stages: the only place that says which analysis runs, on what, in which order.

Each stage is a settings dataclass and a pure function from a batch of documents' rows to the
stage's tables; the rows of a document never depend on the other documents of the batch, so any
runner may cut a corpus into batches:

- :func:`ingest_file`: one input file read, parsed, segmented and signed for duplicate
  detection (rows still without their final ``doc_id``); then, over the corpus,
  :func:`doc_id_plan` gives the articles their ``doc_id``, duplicates are flagged,
  :func:`corpus_metadata` matches the metadata sidecar (:mod:`kursk_utils.sidecar`) and
  :func:`ingested_tables` builds the tables (:func:`ingest_corpus` does all of it, in memory);
- :func:`analyze_sentiment` (:class:`SentimentSettings`): sentence sentiment, its paragraph,
  document and arc aggregates, actor mentions and per-document actor sentiment;
- :func:`analyze_framing` (:class:`FramingSettings`): quotes, frames by sentence and by document,
  from the sentences, the actor mentions and the sentence sentiment, and which documents mention
  the codebook's topic;
- :func:`compare` (:class:`StudySettings`): the comparative study tables (frames, actors and
  voices by group and period, :mod:`kursk_utils.study`) over the whole corpus, after the others.

The in-process and Dask engines (:mod:`kursk_utils.engine`), the frame validation
(:mod:`kursk_utils.validation.framing`), the notebooks, tests and benchmarks all call these
functions, so they cannot disagree on the wiring.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kursk_utils import actors, corpus, frame_model, framing, quotes, sentiment, sidecar, study
from kursk_utils.contracts import check_positive_int, check_threshold

# Per-document rows of ``actor_sentiment`` (``doc_id != "*"``); the corpus rows are a reduction
# over all documents that the runner adds (see :func:`kursk_utils.actors.actor_sentiment`).
ACTOR_DOCUMENT_ROWS = "actor_sentiment_by_document"
# actors.sentence_scores of the batch's actor mentions: what the corpus rows are reduced from.
ACTOR_SENTENCE_SCORES = "actor_sentence_scores"
SENTIMENT_TABLES = (
    "sentence_sentiment", "paragraph_sentiment", "document_sentiment", "sentiment_arc",
    "actor_mentions", "sentiment_warnings",
)
FRAMING_TABLES = ("quotes", "frames_by_sentence", "frames_by_document", "topic_check", "framing_warnings")
# What a stage skipped and why, one row per sentence and skip (sentiment_warnings, framing_warnings).
_WARNING_DTYPES = {"doc_id": "str", "sentence_id": "int64", "kind": "str", "detail": "str"}
WARNING_COLUMNS = list(_WARNING_DTYPES)
STUDY_INPUTS = ("documents", "frames_by_document", "quotes", "actor_mentions")


# --- ingestion ---------------------------------------------------------------------------------


@dataclass
class IngestedFile:
    """One input file ingested: what :func:`ingest_file` returns (and the engine caches).

    ``manifest`` holds the file's manifest rows (the file's row first); ``articles`` one dict per
    article with ``candidate_id`` and ``fallback_id`` (the ids it asks for,
    :func:`kursk_utils.corpus.assign_doc_ids`), ``text_sha256`` and ``shingles`` (its
    :func:`kursk_utils.corpus.duplicate_signature`), and its ``document`` row and ``paragraphs`` and
    ``sentences`` rows (as columns, :func:`kursk_utils.corpus.segment_article`) with ``doc_id`` ``""``.
    """

    manifest: list[dict]
    articles: list[dict]

    def requests(self) -> list[tuple[str, str]]:
        """The (candidate, fallback) ids the file's articles ask for, in file order."""
        return [(a["candidate_id"], a["fallback_id"]) for a in self.articles]


def ingest_file(root: Path, path: Path, follow_external_symlinks: bool = False,
                entry_bytes: tuple[bytes | None, str | None] | None = None) -> IngestedFile:
    """Read, parse and segment one input file below ``root``; depends on nothing but the file.

    Never raises for bad content: a file that cannot be ingested has a ``skipped`` manifest row
    with its reason and no articles (:func:`kursk_utils.corpus.read_source`). ``entry_bytes``:
    the entry as :func:`kursk_utils.corpus.read_entry` read it, when the caller has.
    """
    source = corpus.read_source(root, path, follow_external_symlinks, entry_bytes)
    articles = []
    for found in source.articles:
        document, paragraphs, sentences = corpus.segment_article(found, source.path, source.encoding)
        digest, shingles = corpus.duplicate_signature(document["text"])
        articles.append({
            "candidate_id": found.candidate_id, "fallback_id": found.fallback_id,
            "text_sha256": digest, "shingles": shingles,
            "document": document, "paragraphs": paragraphs, "sentences": sentences,
        })
    return IngestedFile(source.manifest, articles)


def doc_id_plan(requests: list[list[tuple[str, str]]]) -> list[tuple[str, int, int]]:
    """(``doc_id``, file position, article position) of every article, sorted by ``doc_id``.

    ``requests`` holds, per input file in corpus order, the ids its articles ask for
    (:meth:`IngestedFile.requests`); ids go first come first served
    (:func:`kursk_utils.corpus.assign_doc_ids`).
    """
    doc_ids = corpus.assign_doc_ids(requests)
    return sorted((doc_id, file_pos, article_pos)
                  for file_pos, file_ids in enumerate(doc_ids)
                  for article_pos, doc_id in enumerate(file_ids))


def ingested_tables(
    articles: list[tuple[str, dict]], flags: pd.DataFrame, metadata: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[tuple[int, str]]]:
    """``documents``, ``paragraphs`` and ``sentences`` of articles sorted by their final ``doc_id``,
    and the values the metadata sidecar replaced.

    Parameters
    ----------
    articles : list of (doc_id, article)
        Articles of :attr:`IngestedFile.articles`, sorted by ``doc_id``.
    flags : pandas.DataFrame
        Their duplicate columns, in the same order
        (:func:`kursk_utils.corpus.flag_duplicates_from_signatures` over the whole corpus).
    metadata : pandas.DataFrame
        Their sidecar values, in the same order (:func:`kursk_utils.sidecar.document_metadata`).

    Returns
    -------
    (documents, paragraphs, sentences, overrides)
        ``overrides`` as in :func:`kursk_utils.sidecar.join_metadata`.
    """
    documents, paragraphs, sentences = corpus.frames_from_rows(
        [(doc_id, a["document"], a["paragraphs"], a["sentences"]) for doc_id, a in articles]
    )
    documents = documents.drop(columns=list(flags.columns)).join(flags.set_axis(documents.index))
    documents, overrides = sidecar.join_metadata(documents[corpus.DOCUMENT_COLUMNS], metadata)
    return documents, paragraphs, sentences, overrides


def corpus_metadata(
    found: sidecar.Sidecar | None, plan: list[tuple[str, int, int]], manifests: list[list[dict]]
) -> tuple[pd.DataFrame, list[str]]:
    """The sidecar values of every article of :func:`doc_id_plan` (same order) and the articles'
    source paths (``manifests``: the manifest rows of each input file, its own row first)."""
    source_paths = [manifests[file_pos][0]["path"] for _, file_pos, _ in plan]
    return sidecar.document_metadata(found, [doc_id for doc_id, _, _ in plan], source_paths), source_paths


def signature(article: dict) -> tuple[str, np.ndarray]:
    """An article's :func:`kursk_utils.corpus.duplicate_signature` (text hash, shingles)."""
    return article["text_sha256"], np.asarray(article["shingles"], dtype=np.uint64)


def ingest_corpus(
    corpus_path: str | Path,
    near_duplicate_threshold: float = corpus.NEAR_DUPLICATE_THRESHOLD,
    follow_external_symlinks: bool = False,
) -> corpus.Ingested:
    """Ingest every file below ``corpus_path`` in memory (see :func:`kursk_utils.corpus.ingest`)."""
    corpus.check_near_duplicate_threshold(near_duplicate_threshold)
    root, paths = corpus.discover(corpus_path)
    found, paths = sidecar.split_sidecar(corpus_path, root, paths)
    files = [ingest_file(root, path, follow_external_symlinks) for path in paths]
    manifest = [row for file in files for row in file.manifest]
    plan = doc_id_plan([file.requests() for file in files])
    if not plan:
        raise corpus.no_articles_error(corpus_path, manifest)
    articles = [(doc_id, files[f].articles[a]) for doc_id, f, a in plan]
    signatures = [signature(article) for _, article in articles]
    flags = corpus.flag_duplicates_from_signatures(
        [doc_id for doc_id, _ in articles], [digest for digest, _ in signatures],
        [shingles for _, shingles in signatures], near_duplicate_threshold,
    )
    metadata, source_paths = corpus_metadata(found, plan, [file.manifest for file in files])
    documents, paragraphs, sentences, overrides = ingested_tables(articles, flags, metadata)
    manifest = sidecar.manifest_rows(found, manifest, metadata, source_paths, overrides)
    return corpus.Ingested(documents=documents, paragraphs=paragraphs, sentences=sentences,
                           manifest=corpus.manifest_frame(manifest))


# --- sentiment and framing ---------------------------------------------------------------------


@dataclass(frozen=True)
class SentimentSettings:
    """Parameters of the sentiment stage (see notebook ``02_sentiment``)."""

    implementation: str = sentiment.DEFAULT_IMPLEMENTATION
    threshold: float = sentiment.DEFAULT_THRESHOLD
    arc_window: int = 3
    actors_path: str | None = None
    # Sentiment toward actor mentions: the target-sentiment model or VADER (actors.TARGET_METHODS).
    target_method: str = actors.DEFAULT_TARGET_METHOD

    def __post_init__(self) -> None:
        sentiment.check_implementation(self.implementation)
        check_threshold(self.threshold)
        check_positive_int(self.arc_window, "arc_window")
        actors.check_target_method(self.target_method)


@dataclass(frozen=True)
class FramingSettings:
    """Parameters of the framing stage (see notebook ``03_framing``)."""

    codebook_path: str | None = None
    implementation: str = sentiment.DEFAULT_IMPLEMENTATION
    actors_path: str | None = None
    frame_scorer: str = frame_model.DEFAULT_SCORER  # "hybrid": rules + the learned scorer, or "rules"

    def __post_init__(self) -> None:
        sentiment.check_implementation(self.implementation)
        frame_model.check_scorer(self.frame_scorer)



def warning_table(rows: list[dict]) -> pd.DataFrame:
    """Rows of :data:`WARNING_COLUMNS` as a table sorted by ``doc_id``, ``sentence_id``, ``kind``, ``detail``."""
    # The rows are few (usually none): sorted in Python and each column built once with its
    # dtype, where DataFrame(rows).astype(...).sort_values(...) cost about 1.3 ms per call.
    ordered = sorted(rows, key=lambda row: tuple(row[column] for column in WARNING_COLUMNS))
    return pd.DataFrame({column: pd.array([row[column] for row in ordered], dtype=dtype)
                         for column, dtype in _WARNING_DTYPES.items()})


def analyze_sentiment(sentences: pd.DataFrame, settings: SentimentSettings) -> dict[str, pd.DataFrame]:
    """Sentiment and actor rows of a batch of documents.

    Parameters
    ----------
    sentences : pandas.DataFrame
        The ``sentences`` rows of the documents (columns of the contract).
    settings : SentimentSettings

    Returns
    -------
    dict of str to pandas.DataFrame
        ``sentence_sentiment``, ``paragraph_sentiment``, ``document_sentiment``,
        ``sentiment_arc``, ``actor_mentions``, ``sentiment_warnings`` (as in
        ``docs/architecture.md``), ``actor_sentiment_by_document`` (the rows of ``actor_sentiment``
        with a real ``doc_id``), each sorted as in the contract, and ``actor_sentence_scores``
        (:func:`kursk_utils.actors.sentence_scores` of the actor mentions, which the engine's
        corpus rows are reduced from). The rows of a document do not depend on the other
        documents of the batch.
    """
    implementation, threshold = settings.implementation, settings.threshold
    sentence_sentiment = sentiment.score_sentences(sentences, implementation, threshold)
    skipped: list[dict] = []
    mentions = actors.score_mentions(
        actors.find_mentions(sentences, actors.load_gazetteer(settings.actors_path)),
        sentences, implementation, threshold, sentence_sentiment=sentence_sentiment,
        method=settings.target_method, skipped=skipped,
    )
    scores = actors.sentence_scores(mentions, threshold)
    by_actor = actors.actor_sentiment(mentions, threshold, scores=scores)
    return {
        "sentence_sentiment": sentence_sentiment,
        "paragraph_sentiment": sentiment.aggregate(
            sentence_sentiment, sentences, by=("doc_id", "paragraph_id")
        ),
        "document_sentiment": sentiment.aggregate(sentence_sentiment, sentences),
        "sentiment_arc": sentiment.sentiment_arc(sentence_sentiment, sentences, settings.arc_window),
        "actor_mentions": mentions,
        "sentiment_warnings": warning_table(skipped),
        ACTOR_DOCUMENT_ROWS: by_actor[by_actor["doc_id"] != "*"].reset_index(drop=True),
        ACTOR_SENTENCE_SCORES: scores,
    }


def analyze_framing(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    actor_mentions: pd.DataFrame,
    sentence_sentiment: pd.DataFrame,
    settings: FramingSettings,
) -> dict[str, pd.DataFrame]:
    """Quotes and frames of a batch of documents.

    Parameters
    ----------
    documents, sentences, actor_mentions, sentence_sentiment : pandas.DataFrame
        The rows of those tables for the documents of the batch.
    settings : FramingSettings

    Returns
    -------
    dict of str to pandas.DataFrame
        ``quotes`` (with ``frames``), ``frames_by_sentence``, ``frames_by_document``,
        ``topic_check`` (:func:`kursk_utils.framing.topic_check`) and ``framing_warnings`` (the
        codebook patterns skipped in a sentence for taking too long; with the ``hybrid`` frame
        scorer and a codebook with frames the model was not trained on, a ``frame_model_fallback``
        row per document, ``sentence_id`` -1), as in ``docs/architecture.md``.
    """
    codebook = framing.load_codebook(settings.codebook_path)
    quote_table = quotes.extract_quotes(
        documents, sentences, actor_mentions=actor_mentions,
        gazetteer=actors.load_gazetteer(settings.actors_path),
        implementation=settings.implementation,
    )
    skipped: list[dict] = []
    model = frame_model.shipped_model() if settings.frame_scorer == "hybrid" else None
    if model is not None:
        rules_only = [f for f in codebook.frame_ids if f not in model.applicable_frames(codebook)]
        if rules_only:  # a user's codebook: its frames the model was not trained on keep the rules
            skipped += [{"doc_id": doc_id, "sentence_id": -1, "kind": "frame_model_fallback",
                         "detail": f"rules only for {', '.join(rules_only)}: not frames the model was trained on"}
                        for doc_id in documents["doc_id"].astype(str)]
    frames_by_sentence = framing.detect_frames(
        sentences, codebook, speakers=quotes.sentence_speakers(quote_table),
        actor_mentions=actor_mentions, sentence_sentiment=sentence_sentiment, skipped=skipped,
        frame_model=model,
    )
    return {
        "quotes": framing.attach_frames(quote_table, frames_by_sentence, codebook.frame_ids),
        "frames_by_sentence": frames_by_sentence,
        "frames_by_document": framing.frames_by_document(frames_by_sentence, documents, codebook),
        "topic_check": framing.topic_check(documents, sentences, codebook, skipped),
        "framing_warnings": warning_table(skipped),
    }



WARM_UP_ARTICLE = ('"We will hold the line," said Vladimir Putin on Monday.\n\n'
                   "Ukrainian soldiers said morale was low after Russian shelling.\n")


def warm_up(sentiment_settings: SentimentSettings, framing_settings: FramingSettings) -> None:
    """Analyse :data:`WARM_UP_ARTICLE` through both stages and discard the rows.

    This loads what a process loads once for its first batch (the VADER lexicon, the
    target-sentiment and frame models, the codebook with its cue index, the patterns compiled on
    first use), so that a Dask worker can do it while it would otherwise wait for the driver.
    It changes no output: every such cache holds pure functions of its key.
    """
    found = corpus.FoundArticle("warm-up", "warm-up", None, "", corpus.parse_article(WARM_UP_ARTICLE))
    document, paragraphs, sentences = corpus.segment_article(found, "warm-up.txt", "utf-8")
    documents, _, sentences = corpus.frames_from_rows([("warm-up", document, paragraphs, sentences)])
    sentiment_rows = analyze_sentiment(sentences, sentiment_settings)
    analyze_framing(documents, sentences, sentiment_rows["actor_mentions"],
                    sentiment_rows["sentence_sentiment"], framing_settings)


# --- the comparative study -----------------------------------------------------------------------


@dataclass(frozen=True)
class StudySettings:
    """Parameters of the study tables (see notebook ``04_visualize``).

    ``frame_ids`` are the codebook's frames in codebook order (the columns of
    ``frames_by_document``, :func:`kursk_utils.findings.frame_ids`); ``group_by`` None picks
    ``perspective``, else ``outlet``, else no grouping (:func:`kursk_utils.study.resolve_group_by`).
    """

    frame_ids: tuple[str, ...]
    group_by: str | None = None
    period: str = "week"
    frustration_frame: str | None = study.FRUSTRATION_FRAME  # None: a codebook without it
    reassurance_frame: str | None = study.REASSURANCE_FRAME
    threshold: float = sentiment.DEFAULT_THRESHOLD

    def __post_init__(self) -> None:
        study.check_group_by_name(self.group_by)
        study.check_period(self.period, allow_none=False)
        check_threshold(self.threshold)
        object.__setattr__(self, "frame_ids", tuple(self.frame_ids))


def compare(tables: dict[str, pd.DataFrame], settings: StudySettings) -> dict[str, pd.DataFrame]:
    """The comparative study tables of a whole corpus (group and period over all articles).

    Parameters
    ----------
    tables : dict of str to pandas.DataFrame
        ``documents``, ``frames_by_document``, ``quotes`` and ``actor_mentions`` of one run.
    settings : StudySettings

    Returns
    -------
    dict of str to pandas.DataFrame
        ``frame_prevalence``, ``frame_timeline`` (per ``settings.period``),
        ``frame_cooccurrence``, ``actor_sentiment_by_group``, ``voices_by_group``,
        ``group_differences`` and ``study_exclusions`` (articles left out, per reason), with the
        columns of :mod:`kursk_utils.study` (``docs/architecture.md``). The grouping column is
        the ``group_by`` column of the tables (null without grouping).

    Raises
    ------
    ValueError
        When ``settings.group_by`` is not a ``documents`` column (the message lists them).
    """
    missing = [name for name in STUDY_INPUTS if name not in tables]
    if missing:
        raise ValueError(f"missing table(s) {missing}; expected {list(STUDY_INPUTS)}")
    documents, by_document = tables["documents"], tables["frames_by_document"]
    group_by = study.resolve_group_by(documents, settings.group_by)
    frame_ids = list(settings.frame_ids)
    return {
        "frame_prevalence": study.frame_prevalence(by_document, documents, frame_ids, group_by),
        "frame_timeline": study.frame_timeline(by_document, documents, frame_ids, settings.period,
                                               group_by),
        "frame_cooccurrence": study.frame_cooccurrence(by_document, frame_ids, documents),
        "actor_sentiment_by_group": study.actor_sentiment_by_group(
            tables["actor_mentions"], documents, group_by, threshold=settings.threshold),
        "voices_by_group": study.voices_by_group(
            tables["quotes"], documents, group_by, frame_ids,
            frustration_frame=settings.frustration_frame,
            reassurance_frame=settings.reassurance_frame),
        "group_differences": study.group_differences(by_document, documents, frame_ids, group_by),
        "study_exclusions": study.exclusions(documents, settings.period),
    }
