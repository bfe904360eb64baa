"""Plotly figures over the pipeline's tables, and the single place that sets the plotly renderer.

Every figure function takes tidy tables that follow ``docs/architecture.md`` and returns a
:class:`plotly.graph_objects.Figure`. Text that comes from articles (titles, sentences, quotes,
speakers) is untrusted: plotly renders a subset of HTML in hover labels, tick labels and titles,
so every such string goes through :func:`escape_text` before it reaches a figure.
"""

from __future__ import annotations

import html
import json
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from kursk_utils.contracts import require_columns
from kursk_utils.findings import (
    SOLDIER_ROLE, UNATTRIBUTED, frame_ids, frame_shares, quotes_with_frame, require_frames,
    with_voices,
)
from kursk_utils.tables import read_table

CHROMIUM_PATH = Path("/usr/bin/chromium")
FIGURES_SUBDIR = "figures"
PLOTLYJS_FILENAME = "plotly.min.js"

# Okabe & Ito (2008), distinguishable under the common colour-vision deficiencies.
OKABE_ITO = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#F0E442",  # yellow
    "#000000",  # black
)
NO_FRAME_COLOUR = "#BBBBBB"
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up")
HEATMAP_COLOURSCALE = "Cividis"  # perceptually uniform and colour-vision-deficiency safe
PNG_WIDTH = 1000  # pixels; the interactive figures take the width of their page instead

SOLDIER_ROLES = (SOLDIER_ROLE,)
OFFICIAL_ROLES = ("ukrainian_official", "russian_official", "us_official")


def setup_renderer() -> None:
    """Make figures display as plotly's own MIME bundle, and nothing else.

    Under papermill and JupyterLab, plotly would already pick ``plotly_mimetype``, but its
    choice depends on environment variables (VS Code, Colab, ...), so the committed
    notebooks could change from one machine to the next; this pins it. The bundle
    (``application/vnd.plotly.v1+json``) is rendered natively by JupyterLab's bundled
    ``jupyterlab-plotly`` extension and holds only the figure JSON, so committed notebooks
    stay small (no inlined plotly.js). nbconvert drops this MIME type, which is why
    :func:`kursk_utils.report.build_report` turns it into HTML with plotly.js embedded once
    per page.
    """
    pio.renderers.default = "plotly_mimetype"


def escape_text(text: object, width: int | None = 80, max_chars: int | None = None) -> str:
    """Return article-derived ``text`` as HTML-escaped plotly label text.

    Parameters
    ----------
    text : object
        Untrusted text; missing values (None, NA) give an empty string.
    width : int or None, default 80
        Wrap to lines of at most this many characters, joined by ``<br>`` (added after
        escaping, so it is the only markup in the result). None disables wrapping.
    max_chars : int or None, default None
        Truncate to this many characters (ending in an ellipsis) before escaping.

    Returns
    -------
    str
        Text in which ``<``, ``>`` and ``&`` are character references, so plotly shows them
        literally instead of interpreting them as markup.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = " ".join(str(text).split())
    if max_chars is not None and len(text) > max_chars:
        text = text[: max_chars - 1].rstrip() + "…"
    lines = textwrap.wrap(text, width) if width else [text]
    # quote=False: plotly shows "&quot;" literally, and quotes are inert outside attributes
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def _frame_styles(frames: Iterable[str]) -> dict[str, tuple[str, str]]:
    """(colour, marker symbol) per frame: the symbol changes once the 8 colours run out."""
    return {
        frame: (OKABE_ITO[i % len(OKABE_ITO)], MARKER_SYMBOLS[i // len(OKABE_ITO) % len(MARKER_SYMBOLS)])
        for i, frame in enumerate(sorted(frames))
    }


def _titles(documents: pd.DataFrame, max_chars: int = 45) -> dict[str, str]:
    """Short escaped article titles by ``doc_id``, falling back to the doc_id when untitled."""
    return {
        doc_id: escape_text(title, width=None, max_chars=max_chars) or escape_text(doc_id)
        for doc_id, title in zip(documents["doc_id"], documents["title"], strict=True)
    }


def _base_layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0.01},
        height=height,  # no width: figures fill the notebook or page, whatever its width
        template="plotly_white",
        font={"size": 13},
        hoverlabel={"align": "left"},
        margin={"l": 80, "r": 30, "t": 90, "b": 60},
    )
    return fig


def frame_heatmap(documents: pd.DataFrame, frames_by_document: pd.DataFrame) -> go.Figure:
    """Heatmap of frame intensity per article.

    Intensity is the share of an article's sentences in which the frame's cues fire
    (:func:`kursk_utils.findings.frame_shares`), so long and short articles compare. Frames are in
    codebook order. Hovering a cell shows the article title and the count behind the share.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``title``, ``n_sentences``.
    frames_by_document : DataFrame
        ``doc_id``, ``<frame>_sentences`` and ``<frame>_score`` per frame id.
    """
    require_columns(documents, ["doc_id", "title", "n_sentences"], "documents")
    frames = frame_ids(frames_by_document)
    docs = documents.sort_values("doc_id")
    counts, share = frame_shares(frames_by_document)
    counts = counts.reindex(docs["doc_id"], fill_value=0)
    share = share.reindex(docs["doc_id"], fill_value=0.0)
    titles = [escape_text(t, width=60) for t in docs["title"]]
    hover = [
        [
            f"<b>{titles[i]}</b><br>doc_id: {escape_text(doc_id)}<br>frame: {frame}"
            f"<br>sentences with cues: {counts.iat[i, j]} of {docs['n_sentences'].iat[i]}"
            f" ({share.iat[i, j]:.0%})"
            for j, frame in enumerate(frames)
        ]
        for i, doc_id in enumerate(docs["doc_id"])
    ]
    short = _titles(docs)
    fig = go.Figure(
        go.Heatmap(
            z=share.to_numpy(),
            x=frames,
            y=list(docs["doc_id"]),
            text=hover,
            hovertemplate="%{text}<extra></extra>",
            colorscale=HEATMAP_COLOURSCALE,
            zmin=0,
            colorbar={"title": {"text": "share of<br>sentences"}, "tickformat": ".0%"},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(
        tickvals=list(docs["doc_id"]), ticktext=[short[d] for d in docs["doc_id"]], autorange="reversed"
    )
    fig.update_xaxes(title_text="frame (codebook id)", tickangle=-30)
    return _base_layout(
        fig,
        "Frame intensity per article: share of sentences where the frame's cues appear",
        height=max(320, 140 + 40 * len(docs)),
    )


def _dominant_frames(frames_by_sentence: pd.DataFrame) -> pd.DataFrame:
    """Per sentence: the highest-scoring frame (ties by frame id) and all frames with scores."""
    ordered = frames_by_sentence.sort_values(
        ["doc_id", "sentence_id", "score", "frame"], ascending=[True, True, False, True]
    )
    grouped = ordered.groupby(["doc_id", "sentence_id"], sort=True)
    return pd.DataFrame(
        {
            "dominant_frame": grouped["frame"].first(),
            "frames": grouped.apply(
                lambda g: ", ".join(f"{f} ({s:.2f})" for f, s in zip(g["frame"], g["score"])),
                include_groups=False,
            ),
        }
    ).reset_index()


def sentiment_arc(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    sentence_sentiment: pd.DataFrame,
    frames_by_sentence: pd.DataFrame,
    quotes: pd.DataFrame,
) -> go.Figure:
    """Sentence-by-sentence VADER compound score through each article (one panel each).

    Points are coloured by the sentence's dominant frame (highest score; grey when no frame
    cue fires). Hovering a point shows the sentence, its speaker (from ``quotes``) and all
    its frames with scores.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``title``.
    sentences : DataFrame
        ``doc_id``, ``sentence_id``, ``text``.
    sentence_sentiment : DataFrame
        ``doc_id``, ``sentence_id``, ``compound``.
    frames_by_sentence : DataFrame
        ``doc_id``, ``sentence_id``, ``frame``, ``score``.
    quotes : DataFrame
        ``doc_id``, ``sentence_ids``, ``speaker``, ``role``.
    """
    require_columns(sentences, ["doc_id", "sentence_id", "text"], "sentences")
    require_columns(sentence_sentiment, ["doc_id", "sentence_id", "compound"], "sentence_sentiment")
    require_columns(frames_by_sentence, ["doc_id", "sentence_id", "frame", "score"], "frames_by_sentence")
    key = ["doc_id", "sentence_id"]
    arc = (
        sentences[key + ["text"]]
        .merge(sentence_sentiment[key + ["compound"]], on=key, how="inner", validate="1:1")
        .merge(_dominant_frames(frames_by_sentence), on=key, how="left")
        .pipe(with_voices, quotes)
    )
    arc["dominant_frame"] = arc["dominant_frame"].fillna("no frame")
    arc["hover"] = [
        f"<b>sentence {sid}</b> · compound {c:+.3f}<br>{escape_text(text)}"
        f"<br><i>speaker:</i> {escape_text(speaker)}"
        f"<br><i>frames:</i> {frames if isinstance(frames, str) else 'none'}"
        for sid, c, text, speaker, frames in zip(
            arc["sentence_id"], arc["compound"], arc["text"], arc["speaker"], arc["frames"], strict=True
        )
    ]
    doc_ids = sorted(arc["doc_id"].unique())
    titles = _titles(documents.set_index("doc_id").reindex(doc_ids).reset_index(), max_chars=90)
    styles = _frame_styles(frames_by_sentence["frame"].unique()) | {"no frame": (NO_FRAME_COLOUR, "circle")}
    fig = make_subplots(
        rows=max(1, len(doc_ids)),
        cols=1,
        shared_xaxes=False,
        vertical_spacing=min(0.12, 0.35 / max(1, len(doc_ids))),
        subplot_titles=[titles[d] for d in doc_ids] or [""],
    )
    shown_in_legend: set[str] = set()
    for row, doc_id in enumerate(doc_ids, start=1):
        doc = arc[arc["doc_id"] == doc_id]
        fig.add_trace(
            go.Scatter(
                x=doc["sentence_id"], y=doc["compound"], mode="lines",
                line={"color": "#888888", "width": 1}, hoverinfo="skip", showlegend=False,
            ),
            row=row, col=1,
        )
        for frame in sorted(doc["dominant_frame"].unique()):
            points = doc[doc["dominant_frame"] == frame]
            fig.add_trace(
                go.Scatter(
                    x=points["sentence_id"], y=points["compound"], mode="markers",
                    marker={"color": styles[frame][0], "symbol": styles[frame][1], "size": 9,
                            "line": {"width": 0.5, "color": "#333333"}},
                    name=frame, legendgroup=frame, showlegend=frame not in shown_in_legend,
                    text=points["hover"], hovertemplate="%{text}<extra></extra>",
                ),
                row=row, col=1,
            )
            shown_in_legend.add(frame)
        fig.add_hline(y=0, line={"color": "#444444", "width": 0.5, "dash": "dot"}, row=row, col=1)
        # whole-sentence ticks, about ten per panel
        fig.update_xaxes(tick0=0, dtick=max(1, -(-int(doc["sentence_id"].max()) // 10)), row=row, col=1)
    fig.update_yaxes(range=[-1.05, 1.05], title_text="VADER compound")
    fig.update_xaxes(title_text="sentence number in article", row=max(1, len(doc_ids)), col=1)
    fig.update_layout(legend={"title": {"text": "dominant frame"}})
    return _base_layout(
        fig,
        "Sentiment arc: VADER compound score of each sentence, coloured by its dominant frame",
        height=160 + 230 * max(1, len(doc_ids)),
    )


def actor_sentiment_chart(actor_sentiment: pd.DataFrame, sentences: pd.DataFrame) -> go.Figure:
    """Mean sentence sentiment toward each actor over the whole corpus, with its interval.

    Uses the corpus rows (``doc_id == "*"``) of ``actor_sentiment``. Each actor's label shows
    the number of sentences behind the mean; the bar is the ``ci_low``-``ci_high`` interval.
    Hovering shows the most negative and most positive sentence as evidence.

    Parameters
    ----------
    actor_sentiment : DataFrame
        ``actor_id``, ``actor_name``, ``group``, ``doc_id``, ``n_sentences``,
        ``mean_compound``, ``ci_low``, ``ci_high``, ``most_negative_doc_id``,
        ``most_negative_sentence_id``, ``most_positive_doc_id``, ``most_positive_sentence_id``.
    sentences : DataFrame
        ``doc_id``, ``sentence_id``, ``text`` (to look up the evidence sentences).
    """
    needed = ["actor_id", "actor_name", "group", "doc_id", "n_sentences", "mean_compound", "ci_low",
              "ci_high", "most_negative_doc_id", "most_negative_sentence_id",
              "most_positive_doc_id", "most_positive_sentence_id"]
    require_columns(actor_sentiment, needed, "actor_sentiment")
    corpus = actor_sentiment[actor_sentiment["doc_id"] == "*"].sort_values(["mean_compound", "actor_id"])
    text_of = sentences.set_index(["doc_id", "sentence_id"])["text"]

    def evidence(doc_id: object, sentence_id: object) -> str:
        if pd.isna(doc_id) or pd.isna(sentence_id):
            return "none"
        key = (doc_id, int(sentence_id))  # ids are float when the column holds nulls
        if key not in text_of.index:
            return "none"
        return f"[{escape_text(doc_id)} #{key[1]}] {escape_text(text_of[key])}"

    labels = [
        f"{escape_text(name)} (n={n})"
        for name, n in zip(corpus["actor_name"], corpus["n_sentences"], strict=True)
    ]
    corpus = corpus.assign(
        label=labels,
        hover=[
            f"<b>{label}</b> · group: {escape_text(group)}<br>mean compound {m:+.3f}"
            f" ({'no interval: one sentence' if pd.isna(lo) else f'interval {lo:+.3f} to {hi:+.3f}'})"
            f"<br><i>most negative:</i> {evidence(nd, ns)}"
            f"<br><i>most positive:</i> {evidence(pd_, ps)}"
            for label, group, m, lo, hi, nd, ns, pd_, ps in zip(
                labels, corpus["group"], corpus["mean_compound"], corpus["ci_low"], corpus["ci_high"],
                corpus["most_negative_doc_id"], corpus["most_negative_sentence_id"],
                corpus["most_positive_doc_id"], corpus["most_positive_sentence_id"], strict=True,
            )
        ],
    )
    colours = dict(zip(sorted(corpus["group"].unique()), OKABE_ITO, strict=False))
    fig = go.Figure()
    for group in sorted(corpus["group"].unique()):
        rows = corpus[corpus["group"] == group]
        fig.add_trace(
            go.Scatter(
                x=rows["mean_compound"], y=rows["label"], mode="markers", name=escape_text(group),
                marker={"color": colours[group], "size": 11, "line": {"width": 0.5, "color": "#333333"}},
                error_x={
                    "type": "data", "symmetric": False,
                    "array": rows["ci_high"] - rows["mean_compound"],
                    "arrayminus": rows["mean_compound"] - rows["ci_low"],
                    "color": colours[group], "thickness": 2, "width": 4,
                },
                text=rows["hover"], hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.add_vline(x=0, line={"color": "#444444", "width": 0.5, "dash": "dot"})
    fig.update_xaxes(
        # The score of the run's target_method: P(positive) - P(negative), or VADER's compound.
        title_text="mean sentiment toward the actor (-1 to +1) of sentences mentioning it",
        range=[-1.05, 1.05]
    )
    fig.update_yaxes(
        title_text="actor (n = sentences)", categoryorder="array", categoryarray=list(corpus["label"])
    )
    fig.update_layout(legend={"title": {"text": "actor group"}})
    return _base_layout(
        fig,
        "Sentiment toward actors across the corpus: mean with uncertainty interval",
        height=max(320, 160 + 34 * len(corpus)),
    )


def voices_chart(
    documents: pd.DataFrame,
    quotes: pd.DataFrame,
    frustration_frame: str,
    reassurance_frame: str,
) -> go.Figure:
    """Quotes voicing frustration vs reassurance per article, soldiers beside officials.

    A quote counts for a frame when the frame fires in a sentence it spans (``quotes.frames``).
    Soldier voices have role ``soldier``; official voices are Ukrainian, Russian and US
    officials. Hovering a bar lists its quotes.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``title``.
    quotes : DataFrame
        ``doc_id``, ``quote_id``, ``speaker``, ``role``, ``text``, ``frames``.
    frustration_frame, reassurance_frame : str
        Frame ids (from the framing codebook) standing for frustration and reassurance.
    """
    require_columns(quotes, ["doc_id", "quote_id", "speaker", "role", "text", "frames"], "quotes")
    docs = documents.sort_values("doc_id")
    short = _titles(docs, max_chars=28)
    voices = {"Soldier voices": SOLDIER_ROLES, "Official voices": OFFICIAL_ROLES}
    moods = {
        frustration_frame: ("frustration", OKABE_ITO[4]),
        reassurance_frame: ("reassurance", OKABE_ITO[3]),
    }
    fig = make_subplots(
        rows=1, cols=2, shared_yaxes=True, subplot_titles=list(voices), horizontal_spacing=0.06
    )
    max_count = 1
    for col, roles in enumerate(voices.values(), start=1):
        voiced = quotes[quotes["role"].isin(roles)].sort_values(["doc_id", "quote_id"])
        for frame, (mood, colour) in moods.items():
            hits = voiced[quotes_with_frame(voiced, frame)]
            counts, hovers = [], []
            for doc_id in docs["doc_id"]:
                doc_hits = hits[hits["doc_id"] == doc_id]
                counts.append(len(doc_hits))
                max_count = max(max_count, len(doc_hits))
                speakers = doc_hits["speaker"].fillna(UNATTRIBUTED)
                listed = "<br>".join(
                    f"• {escape_text(s, width=None)}: “{escape_text(t, width=70, max_chars=160)}”"
                    for s, t in zip(speakers, doc_hits["text"], strict=True)
                )
                hovers.append(
                    f"<b>{short[doc_id]}</b><br>{mood} ({frame}): {len(doc_hits)} quote(s)<br>{listed}"
                )
            fig.add_trace(
                go.Bar(
                    x=list(docs["doc_id"]), y=counts, name=f"{mood} ({frame})",
                    marker_color=colour, legendgroup=frame, showlegend=col == 1,
                    text=hovers, textposition="none", hovertemplate="%{text}<extra></extra>",
                ),
                row=1, col=col,
            )
    fig.update_yaxes(title_text="quotes with the frame", row=1, col=1)
    fig.update_yaxes(rangemode="tozero", tickformat="d", dtick=max(1, -(-max_count // 8)))
    # doc_ids as categories (titles may repeat), titles as labels
    fig.update_xaxes(
        tickangle=-25, tickvals=list(docs["doc_id"]), ticktext=[short[d] for d in docs["doc_id"]]
    )
    fig.update_layout(barmode="group", legend={"title": {"text": "frame in the quote"}})
    return _base_layout(
        fig, "Frustration vs reassurance in quotes: soldiers vs officials, per article", height=520
    )


def distrust_chart(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    frames_by_sentence: pd.DataFrame,
    quotes: pd.DataFrame,
    frame: str,
) -> go.Figure:
    """Where a frame (e.g. distrust of US support) appears in each article and who voices it.

    Each point is a sentence where the frame fires, placed at its relative position in the
    article (0 = start, 1 = end) and coloured by the speaker's role (the narrator when the
    sentence is not inside a quote). Hovering shows the sentence, speaker and matched cues.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``title``, ``n_sentences``.
    sentences : DataFrame
        ``doc_id``, ``sentence_id``, ``text``.
    frames_by_sentence : DataFrame
        ``doc_id``, ``sentence_id``, ``frame``, ``score``, ``evidence`` (JSON list of cues).
    quotes : DataFrame
        ``doc_id``, ``sentence_ids``, ``speaker``, ``role``.
    frame : str
        The frame id to place.
    """
    require_columns(
        frames_by_sentence, ["doc_id", "sentence_id", "frame", "score", "evidence"], "frames_by_sentence"
    )
    key = ["doc_id", "sentence_id"]
    hits = (
        frames_by_sentence[frames_by_sentence["frame"] == frame]
        .merge(sentences[key + ["text"]], on=key, how="left", validate="1:1")
        .pipe(with_voices, quotes)
        .merge(documents[["doc_id", "n_sentences"]], on="doc_id", how="left")
    )
    hits["position"] = hits["sentence_id"] / (hits["n_sentences"] - 1).clip(lower=1)
    cues = [", ".join(dict.fromkeys(cue["cue"] for cue in json.loads(ev))) for ev in hits["evidence"]]
    hits["hover"] = [
        f"<b>sentence {sid}</b> · score {score:.2f}<br>{escape_text(text)}"
        f"<br><i>speaker:</i> {escape_text(speaker)}"
        f" ({escape_text(role)})<br><i>cues:</i> {escape_text(cue)}"
        for sid, score, text, speaker, role, cue in zip(
            hits["sentence_id"], hits["score"], hits["text"], hits["speaker"], hits["role"], cues, strict=True
        )
    ]
    docs = documents.sort_values("doc_id")
    short = _titles(docs)
    roles = sorted(hits["role"].unique())
    colours = dict(zip(roles, OKABE_ITO, strict=False))
    fig = go.Figure()
    for role in roles:
        rows = hits[hits["role"] == role]
        fig.add_trace(
            go.Scatter(
                x=rows["position"], y=rows["doc_id"], mode="markers", name=escape_text(role),
                marker={"color": colours[role], "size": 12, "symbol": "diamond",
                        "line": {"width": 0.5, "color": "#333333"}},
                text=rows["hover"], hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.update_xaxes(
        title_text="position in article (0 = first sentence, 1 = last)", range=[-0.03, 1.03],
        tickformat=".0%",
    )
    fig.update_yaxes(
        tickvals=list(docs["doc_id"]), ticktext=[short[d] for d in docs["doc_id"]],
        categoryorder="array", categoryarray=list(docs["doc_id"])[::-1], range=[-0.5, len(docs) - 0.5],
    )
    fig.update_layout(legend={"title": {"text": "who voices it"}}, showlegend=True)
    return _base_layout(
        fig,
        f"Where the frame '{escape_text(frame)}' appears in each article, and who voices it",
        height=max(320, 160 + 50 * len(docs)),
    )


def corpus_overview(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    quotes: pd.DataFrame,
    ingest_manifest: pd.DataFrame,
) -> go.Figure:
    """Headline counts of the corpus: articles, words, sentences, quotes, duplicates, skipped inputs.

    Duplicates are documents with ``duplicate_of`` set (exact or near copies); skipped
    inputs are ``ingest_manifest`` rows whose status is ``skipped`` or ``skipped_record``.
    """
    require_columns(documents, ["doc_id", "n_words", "duplicate_of"], "documents")
    require_columns(ingest_manifest, ["status"], "ingest_manifest")
    counts = corpus_counts(documents, sentences, quotes, ingest_manifest)
    fig = make_subplots(rows=2, cols=3, specs=[[{"type": "indicator"}] * 3] * 2)
    for i, (label, value) in enumerate(counts.items()):
        fig.add_trace(
            go.Indicator(mode="number", value=value, title={"text": label},
                         number={"valueformat": ",d", "font": {"color": OKABE_ITO[3]}}),
            row=i // 3 + 1, col=i % 3 + 1,
        )
    return _base_layout(fig, "Corpus overview: what was analysed and what was left out", height=420)


def corpus_counts(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    quotes: pd.DataFrame,
    ingest_manifest: pd.DataFrame,
) -> dict[str, int]:
    """Return the corpus overview counts, in display order (see :func:`corpus_overview`)."""
    return {
        "articles": len(documents),
        "words": int(documents["n_words"].sum()),
        "sentences": len(sentences),
        "quotes": len(quotes),
        "duplicates": int(documents["duplicate_of"].notna().sum()),
        "skipped inputs": int(ingest_manifest["status"].isin(["skipped", "skipped_record"]).sum()),
    }


TABLE_NAMES = (
    "documents", "sentences", "ingest_manifest", "sentence_sentiment", "actor_sentiment",
    "quotes", "frames_by_sentence", "frames_by_document",
)


def load_tables(output_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read the tables the figures need from ``<output_dir>/data/`` (clear error if one is missing)."""
    return {name: read_table(output_dir, name) for name in TABLE_NAMES}


def build_figures(
    tables: Mapping[str, pd.DataFrame],
    frustration_frame: str,
    reassurance_frame: str,
    distrust_frame: str,
) -> dict[str, go.Figure]:
    """Build every figure of the visualization notebook, keyed by file-name-safe name.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The tables named in :data:`TABLE_NAMES` (e.g. from :func:`load_tables`).
    frustration_frame, reassurance_frame, distrust_frame : str
        Frame ids of the codebook used by :func:`voices_chart` and :func:`distrust_chart`.
    """
    missing = [name for name in TABLE_NAMES if name not in tables]
    if missing:
        raise ValueError(f"missing table(s) {missing}; expected {list(TABLE_NAMES)}")
    require_frames(
        [frustration_frame, reassurance_frame, distrust_frame], frame_ids(tables["frames_by_document"])
    )
    t = tables
    return {
        "corpus_overview": corpus_overview(t["documents"], t["sentences"], t["quotes"], t["ingest_manifest"]),
        "frame_heatmap": frame_heatmap(t["documents"], t["frames_by_document"]),
        "sentiment_arc": sentiment_arc(
            t["documents"], t["sentences"], t["sentence_sentiment"], t["frames_by_sentence"], t["quotes"]
        ),
        "actor_sentiment": actor_sentiment_chart(t["actor_sentiment"], t["sentences"]),
        "voices": voices_chart(t["documents"], t["quotes"], frustration_frame, reassurance_frame),
        "distrust_of_us_support": distrust_chart(
            t["documents"], t["sentences"], t["frames_by_sentence"], t["quotes"], distrust_frame
        ),
    }


def write_figures(
    figures: Mapping[str, go.Figure],
    output_dir: str | Path,
    chromium_path: str | Path = CHROMIUM_PATH,
) -> list[Path]:
    """Write each figure as standalone offline HTML, and as PNG when Chromium is available.

    The HTML files share one local ``plotly.min.js`` written beside them, so they open from
    disk with no network. PNGs are rendered by kaleido (1.x) driving ``chromium_path`` with
    the same local plotly.js and MathJax disabled (kaleido would otherwise fetch both from a
    CDN). Without Chromium, or when it fails, the PNG step is skipped with a printed message.

    Parameters
    ----------
    figures : mapping of str to Figure
        Figures keyed by file stem (letters, digits, ``_`` and ``-`` only).
    output_dir : str or Path
        Run output directory; files go to ``<output_dir>/figures/``.
    chromium_path : str or Path, default ``/usr/bin/chromium``
        Browser used for PNG export.

    Returns
    -------
    list of Path
        Written files, in order: ``plotly.min.js``, then per figure its HTML (and PNG).
    """
    bad = [name for name in figures if not name.replace("_", "").replace("-", "").isalnum()]
    if bad:
        raise ValueError(f"figure names must be file-name safe (letters, digits, _ and -): {bad}")
    figures_dir = Path(output_dir) / FIGURES_SUBDIR
    figures_dir.mkdir(parents=True, exist_ok=True)
    plotlyjs = figures_dir / PLOTLYJS_FILENAME
    plotlyjs.write_text(get_plotlyjs(), encoding="utf-8")
    written = [plotlyjs]
    html_paths = {}
    for name, fig in sorted(figures.items()):
        path = figures_dir / f"{name}.html"
        fig.write_html(path, include_plotlyjs="directory", full_html=True, div_id=name)
        html_paths[name] = path
    png_paths = _write_pngs(figures, figures_dir, Path(chromium_path), plotlyjs)
    for name in sorted(figures):
        written.append(html_paths[name])
        if name in png_paths:
            written.append(png_paths[name])
    return written


def _write_pngs(
    figures: Mapping[str, go.Figure], figures_dir: Path, chromium_path: Path, plotlyjs: Path
) -> dict[str, Path]:
    if not chromium_path.is_file():
        print(
            f"PNG export skipped: no Chromium at {chromium_path} "
            "(install it, e.g. `apt-get install chromium`, to also get PNG figures)"
        )
        return {}
    import kaleido  # dev dependency, only needed when Chromium exists

    paths = {name: figures_dir / f"{name}.png" for name in sorted(figures)}
    try:
        kaleido.write_fig_from_object_sync(
            [
                {
                    "fig": figures[name].to_dict(),
                    "path": paths[name],
                    "opts": {"format": "png", "width": PNG_WIDTH, "height": figures[name].layout.height},
                }
                for name in paths
            ],
            kopts={"path": str(chromium_path), "plotlyjs": str(plotlyjs), "mathjax": False},
        )
    except Exception as err:  # noqa: BLE001 PNGs are a convenience copy; the HTML figures are written
        for path in paths.values():
            path.unlink(missing_ok=True)
        print(f"PNG export skipped: Chromium at {chromium_path} failed ({type(err).__name__}: {err})")
        return {}
    return paths
