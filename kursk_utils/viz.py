"""Plotly figures over the pipeline's tables, and the single place that sets the plotly renderer.

Every figure function takes tidy tables that follow ``docs/architecture.md`` and returns a
:class:`plotly.graph_objects.Figure`. Text that comes from articles (titles, sentences, quotes,
speakers) is untrusted: plotly renders a subset of HTML in hover labels, tick labels and titles,
so every such string goes through :func:`escape_text` before it reaches a figure.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from kursk_utils.contracts import require_columns
from kursk_utils.findings import (
    SKIPPED_STATUSES, VOICE_SEPARATOR, frame_ids, frame_shares, require_frames, share_text,
    skipped_frame, with_voices,
)
from kursk_utils.study import ALL_ARTICLES, COOCCURRENCE_COLUMNS, PREVALENCE_COLUMNS, VOICE_COLUMNS
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

NO_FRAME = "no frame"
# Bounds that keep every figure readable, and its JSON small, at any corpus size.
MAX_GROUPS = 12  # bars per frame in the group figures: all articles and the 11 largest groups
MAX_SELECTABLE_ARTICLES = 50  # articles offered by the dropdown of the article view
MAX_HOVER_CHARS = 240  # article text in one hover label
N_POSITION_BINS = 10  # tenths of an article in the distrust figure


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

def _empty_figure(title: str, message: str, height: int = 320) -> go.Figure:
    """A figure that says why there is nothing to draw (no data, no frame, no metadata)."""
    fig = go.Figure()
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 15, "color": "#444444"})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _base_layout(fig, title, height=height)


def _largest_groups(table: pd.DataFrame, n_column: str, limit: int = MAX_GROUPS) -> tuple[list[str], int]:
    """(groups to draw, groups left out): ``"(all articles)"`` first, then the ``limit - 1``
    groups with the largest ``n_column`` (ties by name), in the tables' group order."""
    sizes = table.groupby("group", sort=False)[n_column].max()
    order = list(dict.fromkeys(table["group"]))
    others = [g for g in order if g != ALL_ARTICLES]
    kept = set(sorted(others, key=lambda g: (-sizes[g], g))[: limit - 1])
    return [g for g in order if g == ALL_ARTICLES or g in kept], len(others) - len(kept)


def _group_colours(groups: Iterable[str]) -> dict[str, str]:
    """All articles in dark grey, each group an Okabe-Ito colour (cycling past eight)."""
    others = [g for g in groups if g != ALL_ARTICLES]
    return {ALL_ARTICLES: "#444444"} | {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(others)}


def prevalence_chart(frame_prevalence: pd.DataFrame) -> go.Figure:
    """Share of articles with each frame, per group, with 95% Wilson intervals.

    One horizontal bar per frame and group; frames in codebook order, the largest
    :data:`MAX_GROUPS` groups drawn (the table keeps them all). The legend and hover give the
    number of articles behind each share.

    Parameters
    ----------
    frame_prevalence : DataFrame
        :func:`kursk_utils.study.frame_prevalence`: ``group_by``, ``group``, ``frame``,
        ``n_articles``, ``n_with_frame``, ``share``, ``ci_low``, ``ci_high``.
    """
    require_columns(frame_prevalence, PREVALENCE_COLUMNS, "frame_prevalence")
    title = "Frame prevalence: share of articles in which each frame appears"
    if frame_prevalence.empty:
        return _empty_figure(title, "No article counts (all were left out or none was ingested).")
    groups, left_out = _largest_groups(frame_prevalence, "n_articles")
    colours = _group_colours(groups)
    frames = list(dict.fromkeys(frame_prevalence["frame"]))
    group_by = frame_prevalence["group_by"].dropna()
    fig = go.Figure()
    for group in groups:
        rows = frame_prevalence[frame_prevalence["group"] == group]
        n = int(rows["n_articles"].iat[0])
        fig.add_trace(go.Bar(
            y=rows["frame"], x=rows["share"], orientation="h", name=f"{escape_text(group)} (n = {n:,})",
            marker_color=colours[group],
            error_x={"type": "data", "symmetric": False, "array": rows["ci_high"] - rows["share"],
                     "arrayminus": rows["share"] - rows["ci_low"], "color": "#222222", "thickness": 1.2},
            text=[f"<b>{escape_text(frame)}</b> · {escape_text(group)}<br>"
                  + share_text(k, n_, s, lo, hi, "articles")
                  for frame, k, n_, s, lo, hi in zip(rows["frame"], rows["n_with_frame"], rows["n_articles"],
                                                     rows["share"], rows["ci_low"], rows["ci_high"], strict=True)],
            textposition="none", hovertemplate="%{text}<extra></extra>",
        ))
    fig.update_xaxes(title_text="share of articles with the frame (bar: 95% Wilson interval)",
                     range=[0, 1.02], tickformat=".0%")
    fig.update_yaxes(title_text="frame (codebook order)", categoryorder="array",
                     categoryarray=frames[::-1])
    legend_title = f"group ({escape_text(group_by.iat[0])})" if len(group_by) else "articles"
    fig.update_layout(barmode="group", legend={"title": {"text": legend_title}})
    if left_out:
        title += _subtitle(f"{left_out} smaller group(s) not drawn; all are in the table frame_prevalence.")
    return _base_layout(fig, title, height=min(1400, 160 + len(frames) * (12 + 12 * len(groups))))


def _subtitle(text: str) -> str:
    """A second, smaller title line (a note on what the figure leaves out or how to use it)."""
    return f"<br><sup>{text}</sup>"


def timeline_chart(frame_timeline: pd.DataFrame) -> go.Figure:
    """Share of articles with each frame per period (all articles), and articles per period.

    Parameters
    ----------
    frame_timeline : DataFrame
        :func:`kursk_utils.study.frame_timeline`: ``period`` and the columns of
        ``frame_prevalence``; the ``"(all articles)"`` rows are drawn.
    """
    require_columns(frame_timeline, ["period", *PREVALENCE_COLUMNS], "frame_timeline")
    title = "Frames over time: share of each period's articles in which the frame appears"
    rows = frame_timeline[frame_timeline["group"] == ALL_ARTICLES]
    if rows.empty:
        return _empty_figure(title, "No dated article: the timeline needs a publication date "
                                    "(documents.published, e.g. from a metadata sidecar).")
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.75, 0.25], vertical_spacing=0.06)
    styles = _frame_styles(rows["frame"].unique())
    for frame in dict.fromkeys(rows["frame"]):
        points = rows[rows["frame"] == frame]
        fig.add_trace(go.Scatter(
            x=points["period"], y=points["share"], mode="lines+markers", name=escape_text(frame),
            line={"color": styles[frame][0], "width": 1.5},
            marker={"color": styles[frame][0], "symbol": styles[frame][1], "size": 6},
            text=[f"<b>{escape_text(frame)}</b> · period from {p}<br>"
                  + share_text(k, n, s, lo, hi, "articles")
                  for p, k, n, s, lo, hi in zip(points["period"], points["n_with_frame"], points["n_articles"],
                                                points["share"], points["ci_low"], points["ci_high"], strict=True)],
            hovertemplate="%{text}<extra></extra>",
        ), row=1, col=1)
    per_period = rows.drop_duplicates("period")
    fig.add_trace(go.Bar(
        x=per_period["period"], y=per_period["n_articles"], marker_color="#999999", showlegend=False,
        hovertemplate="period from %{x}: %{y:,} articles<extra></extra>",
    ), row=2, col=1)
    fig.update_yaxes(title_text="share of articles", tickformat=".0%", range=[0, 1.02], row=1, col=1)
    fig.update_yaxes(title_text="articles (n)", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text="period (first day)", type="date", row=2, col=1)
    fig.update_layout(legend={"title": {"text": "frame"}})
    return _base_layout(fig, title, height=560)


def cooccurrence_heatmap(frame_cooccurrence: pd.DataFrame, frame_ids: list[str]) -> go.Figure:
    """Frames x frames: how often two frames appear in the same article (Jaccard index).

    Cells show the number of articles with both frames; colour is the Jaccard index (articles
    with both over articles with either). Hover adds the counts and the lift.

    Parameters
    ----------
    frame_cooccurrence : DataFrame
        :func:`kursk_utils.study.frame_cooccurrence`: ``frame_a``, ``frame_b``, ``n_articles``,
        ``n_both``, ``n_a``, ``n_b``, ``jaccard``, ``lift``.
    frame_ids : list of str
        The frames, in codebook order.
    """
    require_columns(frame_cooccurrence, COOCCURRENCE_COLUMNS, "frame_cooccurrence")
    title = "Frame co-occurrence: articles in which two frames appear together"
    if frame_cooccurrence.empty:
        return _empty_figure(title, "Nothing to pair: no counted article, or fewer than two frames.")
    n_articles = int(frame_cooccurrence["n_articles"].iat[0])
    position = {frame: i for i, frame in enumerate(frame_ids)}
    size = len(frame_ids)
    jaccard = np.full((size, size), np.nan)
    counts = [[""] * size for _ in range(size)]
    hover = [[""] * size for _ in range(size)]
    for row in frame_cooccurrence.itertuples():
        a, b = position[row.frame_a], position[row.frame_b]
        lift = "n/a" if pd.isna(row.lift) else f"{row.lift:.2f}"
        text = (f"<b>{escape_text(row.frame_a)}</b> and <b>{escape_text(row.frame_b)}</b><br>"
                f"both in {row.n_both:,} of {n_articles:,} articles<br>{escape_text(row.frame_a)}: "
                f"{row.n_a:,}; {escape_text(row.frame_b)}: {row.n_b:,}<br>lift {lift}"
                " (1 = together as often as chance)")
        for i, j in ((a, b), (b, a)):
            jaccard[i, j] = row.jaccard
            counts[i][j] = f"{row.n_both:,}"
            hover[i][j] = text
    labels = [escape_text(f) for f in frame_ids]
    fig = go.Figure(go.Heatmap(
        z=jaccard, x=labels, y=labels, text=counts, customdata=hover, texttemplate="%{text}",
        hovertemplate="%{customdata}<extra></extra>", colorscale=HEATMAP_COLOURSCALE, zmin=0, zmax=1,
        colorbar={"title": {"text": "Jaccard:<br>both / either"}}, xgap=1, ygap=1,
    ))
    fig.update_xaxes(title_text="frame", tickangle=-35)
    fig.update_yaxes(title_text="frame", autorange="reversed")
    return _base_layout(fig, f"{title} (n = {n_articles:,} articles; cell: articles with both)",
                        height=max(420, 220 + 34 * size))


def _dominant_frames(frames_by_sentence: pd.DataFrame) -> pd.DataFrame:
    """Per sentence with a frame: the highest-scoring frame (ties by frame id) and all its frames.

    Returns
    -------
    DataFrame
        ``doc_id``, ``sentence_id``, ``dominant_frame``, ``frames`` (``"frame (score), ..."``);
        no rows when no frame fired.
    """
    ordered = frames_by_sentence.sort_values(
        ["doc_id", "sentence_id", "score", "frame"], ascending=[True, True, False, True]
    )
    labelled = ordered.assign(label=[f"{escape_text(f)} ({s:.2f})" for f, s in
                                     zip(ordered["frame"], ordered["score"], strict=True)])
    grouped = labelled.groupby(["doc_id", "sentence_id"], sort=True)
    return pd.DataFrame({"dominant_frame": grouped["frame"].first(),
                         "frames": grouped["label"].agg(", ".join)}).reset_index()


def _most_framed(documents: pd.DataFrame, frames_by_sentence: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` articles with the most sentences carrying a frame (ties by ``doc_id``),
    with ``n_frame_sentences``; articles without frames fill up when fewer have one."""
    framed = frames_by_sentence.drop_duplicates(["doc_id", "sentence_id"]).groupby("doc_id").size()
    docs = documents.assign(n_frame_sentences=documents["doc_id"].map(framed).fillna(0).astype(int))
    return docs.sort_values(["n_frame_sentences", "doc_id"], ascending=[False, True]).head(limit)


def article_view(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    sentence_sentiment: pd.DataFrame,
    frames_by_sentence: pd.DataFrame,
    frames_by_document: pd.DataFrame,
    quotes: pd.DataFrame,
    max_articles: int = MAX_SELECTABLE_ARTICLES,
) -> go.Figure:
    """One article at a time, chosen from a dropdown of titles: its sentiment arc and frames.

    Top: the VADER compound of each sentence through the article, points coloured by the
    sentence's dominant frame (grey when none), hover giving the sentence, its speaker and frames.
    Bottom: the share of the article's sentences with each frame. The dropdown lists the
    ``max_articles`` articles with the most frame sentences, so the figure's size does not grow
    with the corpus.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``title``, ``n_sentences``.
    sentences : DataFrame
        ``doc_id``, ``sentence_id``, ``text``.
    sentence_sentiment : DataFrame
        ``doc_id``, ``sentence_id``, ``compound``.
    frames_by_sentence : DataFrame
        ``doc_id``, ``sentence_id``, ``frame``, ``score``.
    frames_by_document : DataFrame
        ``doc_id``, ``<frame>_sentences``, ``<frame>_score`` per frame id.
    quotes : DataFrame
        ``doc_id``, ``sentence_ids``, ``speaker``, ``role``.
    max_articles : int
        How many articles the dropdown offers.
    """
    require_columns(documents, ["doc_id", "title", "n_sentences"], "documents")
    require_columns(sentences, ["doc_id", "sentence_id", "text"], "sentences")
    require_columns(sentence_sentiment, ["doc_id", "sentence_id", "compound"], "sentence_sentiment")
    require_columns(frames_by_sentence, ["doc_id", "sentence_id", "frame", "score"], "frames_by_sentence")
    title = "One article at a time: sentiment of each sentence and the article's frames"
    chosen = _most_framed(documents, frames_by_sentence, max_articles)
    if chosen.empty:
        return _empty_figure(title, "No article to show.")
    doc_ids = list(chosen["doc_id"])
    key = ["doc_id", "sentence_id"]
    in_chosen = sentences["doc_id"].isin(doc_ids)
    arc = (
        sentences.loc[in_chosen, key + ["text"]]
        .merge(sentence_sentiment.loc[sentence_sentiment["doc_id"].isin(doc_ids), key + ["compound"]],
               on=key, how="inner", validate="1:1")
        .merge(_dominant_frames(frames_by_sentence[frames_by_sentence["doc_id"].isin(doc_ids)]),
               on=key, how="left")
        .pipe(with_voices, quotes[quotes["doc_id"].isin(doc_ids)])
    )
    arc["dominant_frame"] = arc["dominant_frame"].fillna(NO_FRAME)
    arc["hover"] = [
        f"<b>sentence {sid}</b> · compound {c:+.3f}<br>{escape_text(text, max_chars=MAX_HOVER_CHARS)}"
        f"<br><i>speaker:</i> {escape_text(speaker)}"
        f"<br><i>frames:</i> {frames if isinstance(frames, str) else 'none'}"
        for sid, c, text, speaker, frames in zip(
            arc["sentence_id"], arc["compound"], arc["text"], arc["speaker"], arc["frames"], strict=True)
    ]
    frames = frame_ids(frames_by_document)
    counts, shares = frame_shares(frames_by_document[frames_by_document["doc_id"].isin(doc_ids)])
    styles = _frame_styles(frames) | {NO_FRAME: (NO_FRAME_COLOUR, "circle")}
    short = _titles(chosen, max_chars=70)
    fig = make_subplots(rows=2, cols=1, row_heights=[0.62, 0.38], vertical_spacing=0.16,
                        subplot_titles=["sentiment of each sentence (colour: dominant frame)",
                                        "share of the article's sentences with each frame"])
    by_doc = dict(tuple(arc.groupby("doc_id", sort=False)))
    for index, doc_id in enumerate(doc_ids):
        doc = by_doc.get(doc_id, arc.iloc[:0])
        shown = index == 0
        fig.add_trace(go.Scatter(
            x=doc["sentence_id"], y=doc["compound"], mode="lines+markers", visible=shown,
            line={"color": "#AAAAAA", "width": 1}, showlegend=False,
            marker={"color": [styles[f][0] for f in doc["dominant_frame"]],
                    "symbol": [styles[f][1] for f in doc["dominant_frame"]], "size": 9,
                    "line": {"width": 0.5, "color": "#333333"}},
            text=doc["hover"], hovertemplate="%{text}<extra></extra>",
        ), row=1, col=1)
        n_sentences = int(chosen["n_sentences"].iat[index])
        doc_counts = counts.loc[doc_id] if doc_id in counts.index else pd.Series(0, index=frames)
        doc_shares = shares.loc[doc_id] if doc_id in shares.index else pd.Series(0.0, index=frames)
        fig.add_trace(go.Bar(
            x=[escape_text(f) for f in frames], y=doc_shares.to_numpy(), visible=shown, showlegend=False,
            marker_color=[styles[f][0] for f in frames],
            text=[f"<b>{escape_text(f)}</b><br>{int(k)} of {n_sentences} sentences ({s:.0%})"
                  for f, k, s in zip(frames, doc_counts, doc_shares, strict=True)],
            textposition="none", hovertemplate="%{text}<extra></extra>",
        ), row=2, col=1)
    for frame in [*frames, NO_FRAME]:  # a fixed legend: points of one article are one trace
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=escape_text(frame),
                                 marker={"color": styles[frame][0], "symbol": styles[frame][1], "size": 9}),
                      row=1, col=1)
    n_legend = len(frames) + 1
    buttons = []
    for index, doc_id in enumerate(doc_ids):
        visible = [False] * (2 * len(doc_ids)) + [True] * n_legend
        visible[2 * index] = visible[2 * index + 1] = True
        label = f"{short[doc_id]} ({int(chosen['n_frame_sentences'].iat[index])} frame sentences)"
        buttons.append({"label": label, "method": "update", "args": [{"visible": visible}]})
    fig.update_layout(
        updatemenus=[{"buttons": buttons, "direction": "down", "x": 0, "xanchor": "left", "y": 1.1,
                      "yanchor": "bottom", "showactive": True, "active": 0}],
        legend={"title": {"text": "dominant frame"}},
    )
    fig.update_yaxes(title_text="VADER compound", range=[-1.05, 1.05], row=1, col=1)
    fig.update_xaxes(title_text="sentence number in the article", row=1, col=1)
    fig.update_yaxes(title_text="share of sentences", tickformat=".0%", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(tickangle=-30, row=2, col=1)
    subtitle = _subtitle(f"Pick an article below: the {len(doc_ids):,} of {len(documents):,} articles "
                         "with the most frame sentences are listed.")
    return _base_layout(fig, title + subtitle, height=820).update_layout(
        margin_t=180, title_y=0.98, title_yref="container", title_yanchor="top")


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
    title = "Sentiment toward actors across the corpus: mean with uncertainty interval"
    if corpus.empty:
        return _empty_figure(title, "No actor of the gazetteer is mentioned in the corpus.")
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
    return _base_layout(fig, title, height=max(320, 160 + 34 * len(corpus)))

def voices_chart(voices_by_group: pd.DataFrame) -> go.Figure:
    """Share of soldier quotes voicing frustration and of official quotes voicing reassurance, by group.

    Bars with 95% Wilson intervals; the hover and the bar labels give the quotes behind each
    share (``k/n``) and the articles they come from.

    Parameters
    ----------
    voices_by_group : DataFrame
        :func:`kursk_utils.study.voices_by_group`: ``group_by``, ``group``, ``voice``, ``frame``,
        ``n_quotes``, ``n_articles``, ``n_with_frame``, ``share``, ``ci_low``, ``ci_high``.
    """
    require_columns(voices_by_group, VOICE_COLUMNS, "voices_by_group")
    title = "Soldier voices vs official voices: share of their quotes carrying each frame"
    if voices_by_group.empty:
        return _empty_figure(title, "No voices table: no counted article, or the frustration and "
                                    "reassurance frames are not in the codebook.")
    if voices_by_group["n_quotes"].eq(0).all():
        return _empty_figure(title, "No quote by a soldier or an official was found.")
    groups, left_out = _largest_groups(voices_by_group, "n_quotes")
    fig = go.Figure()
    for (voice, frame), colour in zip(voices_by_group[["voice", "frame"]].drop_duplicates().itertuples(index=False),
                                      (OKABE_ITO[4], OKABE_ITO[3]), strict=False):
        rows = voices_by_group[(voices_by_group["voice"] == voice) & voices_by_group["group"].isin(groups)]
        rows = rows.set_index("group").loc[groups].reset_index()
        fig.add_trace(go.Bar(
            x=[escape_text(g) for g in rows["group"]], y=rows["share"],
            name=f"{voice} quotes with {escape_text(frame)}", marker_color=colour,
            error_y={"type": "data", "symmetric": False, "array": rows["ci_high"] - rows["share"],
                     "arrayminus": rows["share"] - rows["ci_low"], "color": "#222222", "thickness": 1.2},
            text=[f"{k}/{n}" if n else "no quotes" for k, n in zip(rows["n_with_frame"], rows["n_quotes"], strict=True)],
            textposition="outside",
            customdata=[f"<b>{voice} · {escape_text(g)}</b><br>"
                        + share_text(k, n, s, lo, hi, f"{voice} quotes")
                        + f"<br>from {a:,} article(s)"
                        for g, k, n, s, lo, hi, a in zip(rows["group"], rows["n_with_frame"], rows["n_quotes"],
                                                         rows["share"], rows["ci_low"], rows["ci_high"],
                                                         rows["n_articles"], strict=True)],
            hovertemplate="%{customdata}<extra></extra>",
        ))
    fig.update_yaxes(title_text="share of quotes with the frame", tickformat=".0%", rangemode="tozero")
    fig.update_xaxes(title_text="group" + (f" ({escape_text(voices_by_group['group_by'].dropna().iat[0])})"
                                           if voices_by_group["group_by"].notna().any() else ""))
    fig.update_layout(barmode="group", legend={"title": {"text": "voice and frame (label: k/n quotes)"}})
    if left_out:
        title += _subtitle(f"{left_out} smaller group(s) not drawn; all are in the table voices_by_group.")
    return _base_layout(fig, title, height=480)


def distrust_chart(
    documents: pd.DataFrame,
    sentences: pd.DataFrame,
    frames_by_sentence: pd.DataFrame,
    quotes: pd.DataFrame,
    frame: str,
) -> go.Figure:
    """Where a frame (e.g. distrust of US support) appears in articles, and who voices it.

    Sentences with the frame are counted by their relative position in their article (tenths:
    0–10% is the opening), stacked by the speaker's role (the narrator outside quotes). Hover
    gives the count, the articles and the highest-scoring sentence of the bar as an example.

    Parameters
    ----------
    documents : DataFrame
        ``doc_id``, ``title``, ``n_sentences``.
    sentences : DataFrame
        ``doc_id``, ``sentence_id``, ``text``.
    frames_by_sentence : DataFrame
        ``doc_id``, ``sentence_id``, ``frame``, ``score``.
    quotes : DataFrame
        ``doc_id``, ``sentence_ids``, ``speaker``, ``role``.
    frame : str
        The frame id to place.
    """
    require_columns(frames_by_sentence, ["doc_id", "sentence_id", "frame", "score"], "frames_by_sentence")
    require_columns(documents, ["doc_id", "title", "n_sentences"], "documents")
    title = f"Where the frame '{escape_text(frame)}' appears in articles, and who voices it"
    key = ["doc_id", "sentence_id"]
    hits = frames_by_sentence[frames_by_sentence["frame"] == frame]
    if hits.empty:
        return _empty_figure(title, f"The frame '{escape_text(frame)}' appears in no sentence.")
    doc_ids = set(hits["doc_id"])
    hits = (
        hits.merge(sentences.loc[sentences["doc_id"].isin(doc_ids), key + ["text"]], on=key, how="left",
                   validate="1:1")
        .pipe(with_voices, quotes[quotes["doc_id"].isin(doc_ids)])
        .merge(documents[["doc_id", "title", "n_sentences"]], on="doc_id", how="left")
    )
    position = hits["sentence_id"] / (hits["n_sentences"] - 1).clip(lower=1)
    hits["bin"] = np.minimum((position * N_POSITION_BINS).astype(int), N_POSITION_BINS - 1)
    hits["role"] = hits["role"].str.split(VOICE_SEPARATOR)
    hits = hits.explode("role")
    labels = [f"{10 * b}–{10 * (b + 1)}%" for b in range(N_POSITION_BINS)]
    roles = list(hits["role"].value_counts().sort_index().sort_values(ascending=False, kind="stable").index)
    colours = dict(zip(roles, OKABE_ITO * (1 + len(roles) // len(OKABE_ITO)), strict=False))
    fig = go.Figure()
    for role in roles:
        rows = hits[hits["role"] == role]
        counts, hovers = [], []
        for b in range(N_POSITION_BINS):
            in_bin = rows[rows["bin"] == b]
            counts.append(len(in_bin))
            if in_bin.empty:
                hovers.append(f"{escape_text(role)} · {labels[b]}: no sentence")
                continue
            best = in_bin.sort_values(["score", "doc_id", "sentence_id"], ascending=[False, True, True]).iloc[0]
            hovers.append(
                f"<b>{escape_text(role)}</b> · {labels[b]} of the article<br>{len(in_bin):,} sentence(s) "
                f"in {in_bin['doc_id'].nunique():,} article(s)<br><i>e.g.</i> "
                f"“{escape_text(best['text'], width=70, max_chars=MAX_HOVER_CHARS)}”<br>"
                f"— {escape_text(best['title'], width=None, max_chars=60)} ({escape_text(best['doc_id'])}"
                f" #{int(best['sentence_id'])})")
        fig.add_trace(go.Bar(x=labels, y=counts, name=escape_text(role), marker_color=colours[role],
                             customdata=hovers, hovertemplate="%{customdata}<extra></extra>"))
    fig.update_xaxes(title_text="position in the article (0% = first sentence, 100% = last)")
    fig.update_yaxes(title_text="sentences with the frame", rangemode="tozero")
    fig.update_layout(barmode="stack", legend={"title": {"text": "who voices it"}})
    n_sentences = len(hits.drop_duplicates(key))
    return _base_layout(fig, f"{title} (n = {n_sentences:,} sentences in {len(doc_ids):,} articles)",
                        height=460)


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
        "skipped inputs": int(ingest_manifest["status"].isin(SKIPPED_STATUSES).sum()),
    }

TABLE_NAMES = (
    "documents", "sentences", "ingest_manifest", "sentence_sentiment", "actor_sentiment",
    "actor_mentions", "quotes", "frames_by_sentence", "frames_by_document",
)
STUDY_FIGURE_TABLES = ("frame_prevalence", "frame_timeline", "frame_cooccurrence", "voices_by_group")


def load_tables(output_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Read the tables the figures need from ``<output_dir>/data/`` (clear error if one is missing)."""
    return {name: read_table(output_dir, name) for name in TABLE_NAMES}


def build_figures(
    tables: Mapping[str, pd.DataFrame],
    study_tables: Mapping[str, pd.DataFrame],
    distrust_frame: str | None,
) -> dict[str, go.Figure]:
    """Build every figure of the visualization notebook, keyed by file-name-safe name.

    Every figure's size is bounded whatever the number of articles: corpus-level figures draw
    the study tables, and one article at a time is shown through a dropdown.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        The tables named in :data:`TABLE_NAMES` (e.g. from :func:`load_tables`).
    study_tables : mapping of str to DataFrame
        The tables of :func:`kursk_utils.stages.compare` named in :data:`STUDY_FIGURE_TABLES`.
    distrust_frame : str or None
        Frame id of the codebook placed by :func:`distrust_chart`; None (the codebook has no such
        frame) gives, in place of that figure, an empty one saying so.
    """
    missing = [name for name in TABLE_NAMES if name not in tables]
    missing += [name for name in STUDY_FIGURE_TABLES if name not in study_tables]
    if missing:
        raise ValueError(f"missing table(s) {missing}; expected {[*TABLE_NAMES, *STUDY_FIGURE_TABLES]}")
    frames = frame_ids(tables["frames_by_document"])
    require_frames([distrust_frame] if distrust_frame is not None else [], frames)
    t, s = tables, study_tables
    return {
        "corpus_overview": corpus_overview(t["documents"], t["sentences"], t["quotes"], t["ingest_manifest"]),
        "frame_prevalence": prevalence_chart(s["frame_prevalence"]),
        "frame_timeline": timeline_chart(s["frame_timeline"]),
        "frame_cooccurrence": cooccurrence_heatmap(s["frame_cooccurrence"], frames),
        "article_view": article_view(t["documents"], t["sentences"], t["sentence_sentiment"],
                                     t["frames_by_sentence"], t["frames_by_document"], t["quotes"]),
        "actor_sentiment": actor_sentiment_chart(t["actor_sentiment"], t["sentences"]),
        "voices": voices_chart(s["voices_by_group"]),
        "distrust_of_us_support": (
            _skipped_figure("Distrust of US support", "distrust_frame") if distrust_frame is None
            else distrust_chart(t["documents"], t["sentences"], t["frames_by_sentence"], t["quotes"],
                                distrust_frame)
        ),
    }


def _skipped_figure(title: str, parameter: str) -> go.Figure:
    """An empty figure saying why it is empty (its frame parameter is None)."""
    fig = _base_layout(go.Figure(), f"{title}: {skipped_frame(parameter)}", 200)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def write_plotlyjs(directory: Path) -> Path:
    """``<directory>/plotly.min.js``: the bundled plotly.js, shared by the HTML pages beside it.

    Not rewritten when already there unchanged (the report renders several pages into one folder).
    """
    path = directory / PLOTLYJS_FILENAME
    text = get_plotlyjs()
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def write_figures(
    figures: Mapping[str, go.Figure],
    output_dir: str | Path,
    chromium_path: str | Path = CHROMIUM_PATH,
) -> list[Path]:
    """Write each figure as standalone offline HTML, and as PNG when Chromium is available.

    The HTML files share one local ``plotly.min.js`` written beside them, so they open from
    disk with no network. PNGs are rendered by kaleido (1.x) driving ``chromium_path`` with
    the same local plotly.js and MathJax disabled (kaleido would otherwise fetch both from a
    CDN). Without Chromium the PNG step is skipped, and PNGs that could not be written are
    named, with the reason, in a printed message.

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
        Written files, in order: ``plotly.min.js``, then per figure its HTML (and its PNG, when
        that was written): every file listed exists.
    """
    bad = [name for name in figures if not name.replace("_", "").replace("-", "").isalnum()]
    if bad:
        raise ValueError(f"figure names must be file-name safe (letters, digits, _ and -): {bad}")
    figures_dir = Path(output_dir) / FIGURES_SUBDIR
    figures_dir.mkdir(parents=True, exist_ok=True)
    plotlyjs = write_plotlyjs(figures_dir)
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
    """Render the PNGs; return those written. A figure that failed is named in a printed message."""
    if not chromium_path.is_file():
        print(
            f"PNG export skipped: no Chromium at {chromium_path} "
            "(install it, e.g. `apt-get install chromium`, to also get PNG figures)"
        )
        return {}
    import kaleido  # dev dependency, only needed when Chromium exists

    paths = {name: figures_dir / f"{name}.png" for name in sorted(figures)}
    for path in paths.values():
        if path.is_file():
            path.unlink()  # an earlier PNG must not pass for one this call failed to write
    try:
        # kaleido returns the errors of the figures it could not render instead of raising them.
        errors = kaleido.write_fig_from_object_sync(
            [
                {
                    "fig": figures[name].to_dict(),
                    "path": paths[name],
                    "opts": {"format": "png", "width": PNG_WIDTH, "height": figures[name].layout.height},
                }
                for name in paths
            ],
            kopts={"path": str(chromium_path), "plotlyjs": str(plotlyjs.resolve()), "mathjax": False},
        ) or ()
    except Exception as err:  # noqa: BLE001 PNGs are a convenience copy; the HTML figures are written
        errors = (err,)
    written = {name: path for name, path in paths.items() if path.is_file() and path.stat().st_size}
    failed = [name for name in paths if name not in written]
    if failed:
        reasons = "; ".join(f"{type(err).__name__}: {err}" for err in errors) or "kaleido reported no error"
        print(f"PNG export failed for {len(failed)} of {len(paths)} figures ({', '.join(failed)}) "
              f"with Chromium at {chromium_path}: {reasons}")
    return written
