"""The shareable offline report: executed notebooks as HTML plus a front page summarising the study.

``build_report(output_dir)`` renders ``<output_dir>/notebooks/*.ipynb`` to ``<output_dir>/html/``
with a JupyterLab-style template that loads nothing from the network, turns plotly's MIME
bundles (which nbconvert drops) into HTML that loads one shared ``plotly.min.js`` written beside the pages (relative path,
so ``html/`` works offline wherever it is copied), and writes
``index.html``: a research summary a journalist can read (the corpus, frame prevalence by group
with intervals, the strongest evidence sentences of the two focus frames, soldier against
official voices, how far the frame detector can be trusted, parameters, reproducibility). It
never lists every article: ``documents.csv`` is copied next to it. Every piece of
article-derived text is HTML-escaped, and only http(s) addresses become links.
"""

from __future__ import annotations

import html
import json
import shutil
from collections.abc import Mapping, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import plotly.io as pio
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor

from kursk_utils import findings, framing
from kursk_utils.runs import read_run_manifest
from kursk_utils.study import ALL_ARTICLES, FRUSTRATION_FRAME
from kursk_utils.tables import read_table, table_path
from kursk_utils.viz import PLOTLYJS_FILENAME, write_plotlyjs

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
TEMPLATE_NAME = "kursk_offline"
HEADLINE_TABLE = "headline_findings"  # written by 04_visualize
VALIDATION_FILE = Path("validation") / "framing.json"
# The two frames the front page quotes evidence for: run parameters, with these defaults.
FOCUS_FRAMES = {"frustration_frame": FRUSTRATION_FRAME, "distrust_frame": "us_support_distrust"}
MAX_GROUPS = 6
EVIDENCE_PER_FRAME = 5


class PlotlyToHTML(Preprocessor):
    """Give every plotly MIME-bundle output an HTML rendering that calls ``Plotly.newPlot``.

    Div ids are numbered by cell and output, so the same notebook gives the same HTML.
    Sets ``resources["plotlyjs"]`` to the shared plotly.js file name when the notebook holds at
    least one figure (empty otherwise), for the template to load it.
    """

    def preprocess(self, nb, resources):
        n_figures = 0
        for cell_index, cell in enumerate(nb.cells):
            for output_index, output in enumerate(cell.get("outputs", [])):
                figure = output.get("data", {}).get(PLOTLY_MIMETYPE)
                if figure is None:
                    continue
                output["data"] = {
                    "text/html": pio.to_html(
                        dict(figure), include_plotlyjs=False, full_html=False, validate=False,
                        div_id=f"figure-{cell_index}-{output_index}", default_height="525px",
                    )
                }
                n_figures += 1
        resources["plotlyjs"] = PLOTLYJS_FILENAME if n_figures else ""
        return nb, resources


def _exporter() -> HTMLExporter:
    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(files("kursk_utils") / "data" / "report_template")],
    )
    exporter.register_preprocessor(PlotlyToHTML(), enabled=True)
    return exporter


def render_notebook(notebook_path: str | Path, html_dir: str | Path) -> Path:
    """Render one executed notebook to ``<html_dir>/<stem>.html`` (offline, figures included).

    A page with figures loads ``<html_dir>/plotly.min.js``, written here when missing or stale
    (one copy for every page).

    Raises
    ------
    ValueError
        If the file is not a readable notebook.
    """
    notebook_path = Path(notebook_path)
    try:
        nb = nbformat.read(notebook_path, as_version=4)
    except (OSError, ValueError) as err:  # nbformat's read errors derive from ValueError
        raise ValueError(f"cannot read notebook {notebook_path.name}: {err}") from None
    body, resources = _exporter().from_notebook_node(nb, resources={"metadata": {"name": notebook_path.stem}})
    target = Path(html_dir) / f"{notebook_path.stem}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    if resources.get("plotlyjs"):
        write_plotlyjs(target.parent)
    target.write_text(body, encoding="utf-8")
    return target



def build_report(output_dir: str | Path) -> Path:
    """Render every executed notebook of a run to HTML and write the report's ``index.html``.

    Parameters
    ----------
    output_dir : str or Path
        A run's output directory holding ``run.json``, ``notebooks/*.ipynb`` and ``data/``.
        The front page reads the tables ``documents``, ``ingest_manifest``,
        ``frames_by_sentence``, ``sentences``, ``quotes``, the study
        tables ``frame_prevalence``, ``voices_by_group``, ``group_differences`` and
        ``validation/framing.json`` (written by ``05_validate``); the focus frames and the
        codebook come from the run's parameters (``frustration_frame``, ``distrust_frame``,
        ``codebook_path``). When a table is missing the page says so instead of failing.

    Returns
    -------
    Path
        ``<output_dir>/html/index.html``.
    """
    output_dir = Path(output_dir)
    manifest = read_run_manifest(output_dir)
    notebooks = sorted((output_dir / "notebooks").glob("*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no executed notebooks in {output_dir / 'notebooks'}: run `kursk run` first")
    html_dir = output_dir / "html"
    pages = [render_notebook(nb, html_dir) for nb in notebooks]
    figures = sorted((output_dir / "figures").glob("*.html"))
    documents_csv = table_path(output_dir, "documents", ".csv")
    if documents_csv.is_file():  # the article list travels with the report
        shutil.copyfile(documents_csv, html_dir / "documents.csv")
    index = html_dir / "index.html"
    index.write_text(_index_html(manifest, pages, figures, _front_page_inputs(output_dir, manifest),
                                 documents_csv.is_file()), encoding="utf-8")
    return index


def _read_optional(output_dir: Path, name: str) -> pd.DataFrame | None:
    """A table of the run, or None when its notebook did not get to write it."""
    try:
        return read_table(output_dir, name)
    except FileNotFoundError:
        return None


def _e(value: object) -> str:
    """HTML-escape a value for the index page; missing values (None, NA) give ""."""
    if value is None or (isinstance(value, float | type(pd.NA)) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    """An HTML table; ``rows`` hold cell HTML that the caller has already escaped."""
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 62rem;
       margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.7rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
     border-bottom: 2px solid #e4e4e4; padding-bottom: 0.2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } code { font-size: 0.88rem; word-break: break-all; }
.n, .ci, .note { color: #555; font-size: 0.85rem; } .ci { white-space: nowrap; }
.missing { color: #8a4b00; background: #fff6e5; padding: 0.5rem 0.75rem; }
blockquote { margin: 0.9rem 0; padding: 0.4rem 1rem; border-left: 4px solid #0072B2; background: #f6f9fc; }
blockquote p { margin: 0 0 0.3rem; font-size: 1.02rem; }
blockquote footer { font-size: 0.88rem; color: #444; }
.validity { border: 1px solid #d9c27a; background: #fffbea; padding: 0.25rem 1rem 0.75rem; }
.wide { overflow-x: auto; } .wide td { min-width: 5.5rem; }
.status-failed, .status-interrupted, .status-running { color: #D55E00; font-weight: bold; }
.run-status { font-size: 1.1rem; }
"""


def _http_url(value: object) -> str | None:
    """``value`` when it is an http(s) URL, else None: nothing else may become a link."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    url = str(value).strip()
    return url if url.lower().startswith(("http://", "https://")) and "\n" not in url else None


def _page_link(stem: str, pages: set[str]) -> str:
    """A link to the report page of notebook ``stem``, or its name when that notebook did not run."""
    return f'<a href="{_e(stem)}.html">{_e(stem)}</a>' if stem in pages else f"<code>{_e(stem)}</code>"


def _wide_table(headers: list[str], rows: list[list[str]]) -> str:
    """:func:`_table` that scrolls sideways instead of overflowing the page on a narrow screen."""
    return f'<div class="wide">{_table(headers, rows)}</div>'


def _share_cell(n_with: int, n: int, share: float, low: float, high: float, none: str) -> str:
    """A share as a reader reads it: the percentage, the counts behind it and its 95% interval;
    ``none`` when there is nothing to count."""
    if not n:
        return f'<span class="n">{_e(none)}</span>'
    return (f'<strong>{findings.format_share(share)}</strong> <span class="n">{n_with:,} of {n:,}</span>'
            f'<br><span class="ci">{findings.format_share(low)}–{findings.format_share(high)}</span>')


def _missing_table(name: str, written_by: str) -> str:
    return (f'<p class="missing">Not available: the table <code>{_e(name)}</code> was not written '
            f"({_e(written_by)}).</p>")


def _shown_groups(sizes: pd.Series) -> tuple[list[str], int]:
    """The groups to show (``sizes``: size per group, in the study table's order): all articles
    first, then the :data:`MAX_GROUPS` largest (ties in table order); and how many groups there are."""
    groups = [g for g in sizes.index if g != ALL_ARTICLES]
    largest = sizes[groups].sort_values(ascending=False, kind="stable").head(MAX_GROUPS).index
    shown = [g for g in sizes.index if g == ALL_ARTICLES or g in set(largest)]
    return shown, len(groups)


def _groups_note(n_shown: int, n_groups: int, group_by: str, table: str, pages: set[str]) -> str:
    if n_groups <= n_shown:
        return ""
    return (f'<p class="note">Showing the {n_shown} largest of {n_groups:,} groups of '
            f"<code>{_e(group_by)}</code>; every group is in the table <code>{_e(table)}</code> "
            f"and the figures of {_page_link('04_visualize', pages)}.</p>")


def _group_by_of(table: pd.DataFrame) -> str | None:
    values = table["group_by"].dropna()
    return None if values.empty else str(values.iloc[0])


def _corpus_section(documents: pd.DataFrame | None, manifest_table: pd.DataFrame | None,
                    has_csv: bool, pages: set[str]) -> str:
    if documents is None:
        return _missing_table("documents", "did 01_ingest run?")
    lines = findings.corpus_summary(documents, manifest_table)
    links = ('The list of every article is in <a href="documents.csv">documents.csv</a>; '
             if has_csv else "")
    return (f"<p>{_e(' '.join(lines))}</p>"
            + f'<p class="note">{links}article by article in the notebooks '
            f"{_page_link('01_ingest', pages)} (files, skipped inputs, duplicates) and "
            f"{_page_link('03_framing', pages)} (frames and quotes).</p>")


def _in_brief(prevalence: pd.DataFrame | None, differences: pd.DataFrame | None,
              labels: Mapping[str, str], focus: Sequence[str]) -> str:
    """The frame sentences of 04_visualize's "what this shows", from the same study tables."""
    if prevalence is None:
        return _missing_table("frame_prevalence", "written by the study stage")
    return ("<ul>" + "".join(f"<li>{_e(line)}</li>" for line in
                             findings.frame_findings(prevalence, differences, labels, focus)) + "</ul>"
            + (_missing_table("group_differences", "written by the study stage") if differences is None else ""))


def _prevalence_section(prevalence: pd.DataFrame | None, labels: Mapping[str, str],
                        focus: Sequence[str], pages: set[str]) -> str:
    if prevalence is None:
        return _missing_table("frame_prevalence", "written by the study stage")
    if prevalence.empty:
        return "<p>No article counts (none left after removing copies), so no shares.</p>"
    group_by = _group_by_of(prevalence)
    groups, n_groups = _shown_groups(prevalence.drop_duplicates("group").set_index("group")["n_articles"])
    cells = prevalence.set_index(["frame", "group"])
    rows = []
    for frame in dict.fromkeys(prevalence["frame"]):
        label = _e(labels.get(frame, frame))
        rows.append([f"<strong>{label}</strong>" if frame in focus else label] + [
            _share_cell(int(c.n_with_frame), int(c.n_articles), c.share, c.ci_low, c.ci_high, "no articles")
            for c in (cells.loc[(frame, group)] for group in groups)])
    intro = ("<p>Each cell: the share of articles in which the frame is found at least once, the "
             "number of such articles of all articles counted (copies left out), and below, in grey, "
             "its 95% interval: the range the share would likely fall in if the same kind of articles "
             "were collected again. A wide interval means few articles.</p>")
    if group_by is not None:
        intro += f"<p>Articles grouped by <code>{_e(group_by)}</code>.</p>"
    headers = ["frame"] + [f"{g}" for g in groups]
    return (intro + _wide_table(headers, rows) + _groups_note(len(groups) - 1, n_groups, group_by or "", 
                                                          "frame_prevalence", pages))


def _speaker_text(speaker: str, role: str) -> str:
    """Who speaks, for a reader: each speaker with their role (``findings.with_voices`` joins
    several with ``findings.VOICE_SEPARATOR``)."""
    if role == findings.NARRATOR:
        return "the article itself (no attributed speaker)"
    speakers = speaker.split(findings.VOICE_SEPARATOR)
    roles = role.replace("_", " ").split(findings.VOICE_SEPARATOR)
    if len(speakers) != len(roles):  # distinct speakers sharing a role: roles listed once
        return f"{speaker} ({', '.join(roles)})"
    return findings.VOICE_SEPARATOR.join(f"{s} ({r})" for s, r in zip(speakers, roles, strict=True))


def _article_link(row) -> str:
    url = _http_url(row.url)
    title = _e(row.article)
    link = f'<a href="{_e(url)}" rel="noopener noreferrer">{title}</a>' if url else f"<em>{title}</em>"
    if url is None and isinstance(row.url, str) and row.url.strip():
        link += f' <span class="n">(address not a web link: {_e(row.url)})</span>'
    return link


def _evidence_section(evidence: pd.DataFrame | None, reach: tuple[int, int], label: str) -> str:
    if evidence is None:
        return _missing_table("frames_by_sentence", "did 03_framing run?")
    if evidence.empty:
        return f"<p>No sentence of the corpus is found to express '{_e(label)}'.</p>"
    shown = evidence.head(EVIDENCE_PER_FRAME)
    quotes = []
    for row in shown.itertuples():
        where = ", ".join(_e(v) for v in (row.outlet, row.published) if isinstance(v, str) and v.strip())
        quotes.append(
            f'<blockquote><p>{_e(row.text)}</p><footer>— {_e(_speaker_text(row.speaker, row.role))}'
            f"{' · ' + where if where else ''} · {_article_link(row)}"
            f' <span class="n">({row.n_frame_sentences:,} sentence'
            f"{'' if row.n_frame_sentences == 1 else 's'} with this frame in the article; "
            f"detector score {row.score:.1f})</span></footer></blockquote>")
    n_sentences, n_articles = reach
    return (f"<p>Found in {n_sentences:,} sentence{'s' if n_sentences != 1 else ''} of "
            f"{n_articles:,} article{'s' if n_articles != 1 else ''}. The {len(shown)} strongest, "
            "quoted in full (one per article; a sentence repeated by several articles is shown "
            "once):</p>"
            + "".join(quotes))


def _voices_section(voices: pd.DataFrame | None, labels: Mapping[str, str], pages: set[str]) -> str:
    if voices is None:
        return _missing_table("voices_by_group", "written by the study stage")
    if voices.empty:
        return "<p>Not measured: the codebook lacks the frustration or the reassurance frame.</p>"
    groups, n_groups = _shown_groups(voices.groupby("group", sort=False)["n_quotes"].sum())
    cells = voices.set_index(["group", "voice"])
    kinds = list(dict.fromkeys(voices["voice"]))
    frame_of = dict(zip(voices["voice"], voices["frame"]))
    headers = ["group"] + [f"{v} quotes carrying '{labels.get(frame_of[v], frame_of[v])}'" for v in kinds]
    rows = []
    for group in groups:
        row = [_e(group)]
        for voice in kinds:
            c = cells.loc[(group, voice)]
            row.append(_share_cell(int(c.n_with_frame), int(c.n_quotes), c.share, c.ci_low, c.ci_high,
                                   f"no {voice} quotes")
                       + (f'<br><span class="n">quotes from {int(c.n_articles):,} article'
                          f'{"" if c.n_articles == 1 else "s"}</span>' if c.n_quotes else ""))
        rows.append(row)
    return ("<p>Quotes and reported speech by soldiers against those by officials (Ukrainian, "
            "Russian and US): the share of each that carries the frame. Quotes from one article "
            "are not independent (one interview gives many), so read the intervals as optimistic "
            "when few articles hold the quotes.</p>"
            + _table(headers, rows)
            + _groups_note(len(groups) - 1, n_groups, _group_by_of(voices) or "", "voices_by_group",
                             pages))


def _validity_section(validation: Mapping | None, labels: Mapping[str, str], focus: Sequence[str],
                      pages: set[str]) -> str:
    if validation is None:
        return ('<p class="missing">Not available: <code>validation/framing.json</code> was not '
                "written (did 05_validate run?). Without it there is no measure of how often the "
                "frame detector is right.</p>")
    table = findings.validation_rows(validation, [*focus, *(f for f in labels if f not in focus)])
    rows = [[f"<strong>{_e(labels.get(r.frame, r.frame))}</strong>" if r.frame in focus
             else _e(labels.get(r.frame, r.frame)),
             f"{r.seed_precision:.0%}", f"{r.seed_recall:.0%}", f"{int(r.seed_support):,}",
             f"{r.challenge_precision:.0%}", f"{r.challenge_recall:.0%}", f"{int(r.challenge_support):,}"]
            for r in table.itertuples()]
    plain = "".join(f"<p>{_e(line)}</p>" for frame in focus if frame in set(table["frame"])
                    for line in findings.validity_sentences(
                        table.set_index("frame").loc[frame], labels.get(frame, frame)))
    # validation/framing.json of runs before the hybrid scorer has no frame_scorer: rules only
    found_by = ("transparent keyword rules (the codebook) and a learned model that adds the frames it "
                "is confident of, citing its probability and the words that weighed most"
                if validation.get("frame_scorer") == "hybrid" else "transparent keyword rules (the codebook)")
    return ('<div class="validity">'
            f"<p>Frames are found by {found_by}, not by people. Their "
            "output was compared with a person's reading of the same sentences:</p>" + plain
            + "<p><strong>What this means.</strong> A recall below 100% means articles with the "
            "frame are missed, so the shares above are more likely too low than too high; a "
            "precision below 100% means some quoted evidence does not really express the frame: "
            "read the sentences. These figures were measured on a few hundred annotated "
            "sentences, not on this corpus; on very different writing they can be worse.</p>"
            + _table(["frame", "precision (seed)", "recall (seed)", "sentences marked (seed)",
                      "precision (other styles)", "recall (other styles)",
                      "sentences marked (other styles)"], rows)
            + '<p class="note">Every figure, also at document level, in '
            f"{_page_link('05_validate', pages)}.</p></div>")


def _notebooks_section(manifest: Mapping[str, Any], pages: list[Path]) -> str:
    runs = {nb.get("name"): nb for nb in manifest.get("notebooks", []) if isinstance(nb, dict)}
    rows = []
    for page in pages:
        run = runs.get(f"{page.stem}.ipynb", {})
        status = str(run.get("status", "not recorded"))
        seconds = run.get("seconds")
        rows.append([
            f'<a href="{_e(page.name)}">{_e(page.stem)}</a>',
            f'<span class="status-{_e(status)}">{_e(status)}</span>',
            "" if seconds is None else _e(f"{seconds:.1f} s"),
        ])
    return _table(["notebook", "status", "run time"], rows)


def _reproducibility_section(manifest: Mapping[str, Any]) -> str:
    """Version, commit, lock and rule-file hashes from ``run.json`` (written by ``pipeline.reproducibility``)."""
    recorded = manifest.get("reproducibility")
    if not isinstance(recorded, dict):
        return "<p>Not recorded in this run's <code>run.json</code>.</p>"
    files = [recorded.get("codebook"), *(recorded.get("gazetteers") or [])]
    rows = [[_e(name), f"<code>{_e(recorded.get(key) or 'not available')}</code>"]
            for name, key in (("package version", "package_version"), ("git commit", "git_commit"),
                              ("lock file sha256", "lock_sha256"))]
    rows += [[f"<code>{_e(entry.get('path'))}</code>", f"<code>{_e(entry.get('sha256'))}</code>"]
             for entry in files if isinstance(entry, dict)]
    n_data = len(recorded.get("data_files") or {})
    return (_table(["what", "value / sha256"], rows)
            + f"<p>{_e(n_data)} shipped data files, each with its sha256 in <code>run.json</code>.</p>")


def _front_page_inputs(output_dir: Path, manifest: Mapping[str, Any]) -> dict[str, Any]:
    """Everything the front page shows, read from the run; a missing table is None."""
    parameters = manifest.get("parameters")
    parameters = parameters if isinstance(parameters, dict) else {}
    try:
        codebook = framing.load_codebook(parameters.get("codebook_path"))
        labels = {frame.id: frame.label for frame in codebook.frames}
    except (OSError, ValueError):  # a codebook moved since the run: ids stand in for labels
        labels = {}
    # The run's two focus frames; None (a codebook without them) leaves them out, and a codebook
    # with neither gets its first two frames instead.
    chosen = [parameters.get(name, default) for name, default in FOCUS_FRAMES.items()]
    focus = [str(frame) for frame in chosen if frame and (not labels or frame in labels)]
    focus = focus or list(labels)[:2]
    tables = {name: _read_optional(output_dir, name) for name in (
        "documents", "ingest_manifest", "frames_by_sentence", "sentences", "quotes",
        "frame_prevalence", "voices_by_group", "group_differences")}
    evidence = {frame: None for frame in focus}
    reach = {frame: (0, 0) for frame in focus}
    if all(tables[name] is not None for name in ("documents", "frames_by_sentence", "sentences", "quotes")):
        evidence = {frame: findings.strongest_evidence(tables["frames_by_sentence"], tables["sentences"],
                                                       tables["documents"], tables["quotes"], frame)
                    for frame in focus}
        reach = {frame: findings.frame_reach(tables["frames_by_sentence"], tables["documents"], frame)
                 for frame in focus}
    try:
        validation = json.loads((output_dir / VALIDATION_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        validation = None
    return {"focus": focus, "labels": labels, "tables": tables, "evidence": evidence, "reach": reach,
            "validation": validation}


def _status_html(manifest: Mapping[str, Any]) -> str:
    """The run's status from ``run.json``; unless ``ok``, where and why it stopped, and a warning
    that the page shows partial results."""
    status = str(manifest.get("status", "unknown"))
    line = f'run status: <span class="status-{_e(status)}">{_e(status)}</span>'
    detail = manifest.get(status)
    if isinstance(detail, dict):
        where = f" in notebook {_e(detail['notebook'])}" if detail.get("notebook") else ""
        why = detail.get("error") or (f"by {detail['signal']}" if detail.get("signal") else "")
        line += f"{where}: <code>{_e(why)}</code>" if why else where
    if status != "ok":
        line += (". <strong>This run did not complete</strong>: what follows holds only the outputs "
                 "it wrote before it stopped.")
    return f'<p class="run-status">{line}</p>'


def _topic_section(manifest: Mapping[str, Any]) -> str:
    """Whether the codebook fits the corpus (``topic_check`` of ``run.json``, ``framing.topic_fit``)."""
    recorded = manifest.get("topic_check")
    if not isinstance(recorded, dict):
        return "<p>Topic check: not recorded (did the framing notebook run?).</p>"
    css = ' class="status-failed"' if recorded.get("fits") is False else ""
    return (f"<p{css}>{_e(recorded.get('message'))}</p><p>Per article: the table "
            "<code>topic_check</code> (matched words and number of sentences).</p>")


def _index_html(
    manifest: Mapping[str, Any],
    pages: list[Path],
    figures: list[Path],
    inputs: Mapping[str, Any],
    has_documents_csv: bool,
) -> str:
    parameters = manifest.get("parameters", {})
    parameter_rows = [
        [f"<code>{_e(name)}</code>", f"<code>{_e(json.dumps(value))}</code>"]
        for name, value in sorted(parameters.items() if isinstance(parameters, dict) else [])
    ]
    figure_items = "".join(
        f'<li><a href="../figures/{_e(fig.name)}">{_e(fig.stem.replace("_", " "))}</a></li>'
        for fig in figures
    )
    tables, labels, focus = inputs["tables"], inputs["labels"], inputs["focus"]
    stems = {page.stem for page in pages}
    evidence_sections = "".join(
        f"<h2>{_e(labels.get(frame, frame))}: the strongest evidence</h2>"
        + _evidence_section(inputs["evidence"][frame], inputs["reach"][frame], labels.get(frame, frame))
        for frame in focus)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Framing study: summary</title>
<style>{INDEX_CSS}</style>
</head>
<body>
<h1>Framing study: summary</h1>
<p class="note">Run started {_e(manifest.get("started", "unknown"))} on corpus
<code>{_e(manifest.get("corpus_path", "unknown"))}</code>.</p>
{_status_html(manifest)}
<h2>In brief</h2>
{_in_brief(tables["frame_prevalence"], tables["group_differences"], labels, focus)}
<h2>The corpus</h2>
{_corpus_section(tables["documents"], tables["ingest_manifest"], has_documents_csv, stems)}
{_topic_section(manifest)}
<h2>How often each frame appears</h2>
{_prevalence_section(tables["frame_prevalence"], labels, focus, stems)}
{evidence_sections}
<h2>Who speaks: soldiers and officials</h2>
{_voices_section(tables["voices_by_group"], labels, stems)}
<h2>How far to trust these numbers</h2>
{_validity_section(inputs["validation"], labels, focus, stems)}
<h2>Notebooks</h2>
{_notebooks_section(manifest, pages)}
<h2>Figures</h2>
<ul>{figure_items or "<li>none written</li>"}</ul>
<h2>Parameters</h2>
{_table(["name", "value"], parameter_rows)}
<h2>Reproducibility</h2>
{_reproducibility_section(manifest)}
</body>
</html>
"""
