"""The shareable offline report: executed notebooks as HTML plus an index with headline findings.

``build_report(output_dir)`` renders ``<output_dir>/notebooks/*.ipynb`` to ``<output_dir>/html/``
with a JupyterLab-style template that loads nothing from the network, turns plotly's MIME
bundles (which nbconvert drops) into HTML with plotly.js embedded once per page, and writes
``index.html`` stating the run's date, corpus, parameters and headline findings. Every piece
of article-derived text on the index page is HTML-escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import plotly.io as pio
from nbconvert import HTMLExporter
from nbconvert.preprocessors import Preprocessor
from plotly.offline import get_plotlyjs

from kursk_utils.tables import read_table

PLOTLY_MIMETYPE = "application/vnd.plotly.v1+json"
TEMPLATE_NAME = "kursk_offline"
HEADLINE_TABLE = "headline_findings"


class PlotlyToHTML(Preprocessor):
    """Give every plotly MIME-bundle output an HTML rendering that calls ``Plotly.newPlot``.

    Div ids are numbered by cell and output, so the same notebook gives the same HTML.
    Sets ``resources["plotlyjs"]`` when the notebook holds at least one figure, for the
    template to embed plotly.js once.
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
        resources["plotlyjs"] = get_plotlyjs() if n_figures else ""
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
    body, _ = _exporter().from_notebook_node(nb, resources={"metadata": {"name": notebook_path.stem}})
    target = Path(html_dir) / f"{notebook_path.stem}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def read_run_manifest(output_dir: str | Path) -> dict[str, Any]:
    """Read ``<output_dir>/run.json`` written by ``kursk run``, with a clear error if absent."""
    path = Path(output_dir) / "run.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"no run manifest at {path}: run `kursk run` first") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"run manifest {path} is not valid JSON: {err}") from None
    if not isinstance(manifest, dict):
        raise ValueError(f"run manifest {path} must hold a JSON object")
    return manifest


def build_report(output_dir: str | Path) -> Path:
    """Render every executed notebook of a run to HTML and write the report's ``index.html``.

    Parameters
    ----------
    output_dir : str or Path
        A run's output directory holding ``run.json``, ``notebooks/*.ipynb`` and ``data/``.
        Headline findings come from its ``headline_findings`` table (written by the
        visualization notebook) and the article list from ``documents``; when a table is
        missing the index says so instead of failing.

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
    findings = _read_optional(output_dir, HEADLINE_TABLE)
    documents = _read_optional(output_dir, "documents")
    figures = sorted((output_dir / "figures").glob("*.html"))
    index = html_dir / "index.html"
    index.write_text(_index_html(manifest, pages, findings, documents, figures), encoding="utf-8")
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
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 60rem;
       margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.35rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } code { font-size: 0.88rem; word-break: break-all; }
.evidence { color: #555; font-size: 0.82rem; word-break: break-word; }
.status-failed { color: #D55E00; font-weight: bold; }
"""


def _findings_section(findings: pd.DataFrame | None) -> str:
    if findings is None:
        return (f"<p>Headline findings are not available: the table <code>{HEADLINE_TABLE}</code> "
                "was not written (did the visualization notebook run?).</p>")
    rows = [
        [
            _e(row.finding),
            f'{_e(row.value)}<br><span class="evidence">'
            + "<br>".join(_e(part) for part in str(row.detail).split("; ")) + "</span>",
            f'<span class="evidence">{_e(row.evidence)}</span>',
        ]
        for row in findings.itertuples()
    ]
    return _table(["finding", "result", "evidence (rows behind it)"], rows)


def _articles_section(documents: pd.DataFrame | None) -> str:
    if documents is None:
        return "<p>The article list is not available: the table <code>documents</code> was not written.</p>"
    rows = [
        [f"<code>{_e(row.doc_id)}</code>", _e(row.title), f"<code>{_e(row.source_path)}</code>",
         _e(row.n_sentences), _e(row.duplicate_of)]
        for row in documents.sort_values("doc_id").itertuples()
    ]
    return _table(["doc_id", "title", "source", "sentences", "duplicate of"], rows)


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
    findings: pd.DataFrame | None,
    documents: pd.DataFrame | None,
    figures: list[Path],
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
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>kursk-framing report</title>
<style>{INDEX_CSS}</style>
</head>
<body>
<h1>kursk-framing report</h1>
<p>Run started <strong>{_e(manifest.get("started", "unknown"))}</strong> on corpus
<code>{_e(manifest.get("corpus_path", "unknown"))}</code>;
run status: {_e(manifest.get("status", "unknown"))}.</p>
<h2>Headline findings</h2>
{_topic_section(manifest)}
{_findings_section(findings)}
<h2>Articles</h2>
{_articles_section(documents)}
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
