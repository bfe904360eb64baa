"""Run the numbered notebooks in order with papermill and record the run in ``run.json``.

Each notebook declares its own parameters in its ``parameters`` cell; the driver passes a notebook
only the parameters it declares (``corpus_path`` and ``output_dir`` are shared by all), writes the
executed copies to ``<output_dir>/notebooks/`` and stops at the first failing notebook.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError

from kursk_utils import report, tables
from kursk_utils.engine import package_versions

KERNEL_NAME = "python3"
NOTEBOOK_PATTERN = re.compile(r"^\d\d_[\w-]+\.ipynb$")
REPORTED_PACKAGES = (
    "kursk-framing", "pandas", "pyarrow", "nltk", "vadersentiment", "plotly", "papermill",
    "nbconvert", "ipykernel", "dask", "distributed",
)
DEFAULT_NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


class PipelineError(RuntimeError):
    """A notebook of the pipeline failed, or the pipeline was set up wrongly."""


@dataclass
class NotebookRun:
    name: str
    seconds: float
    status: str  # "ok" or "failed"


def find_notebooks(notebook_dir: str | Path = DEFAULT_NOTEBOOK_DIR) -> list[Path]:
    """The numbered notebooks (``NN_name.ipynb``) of ``notebook_dir``, in order."""
    folder = Path(notebook_dir)
    if not folder.is_dir():
        raise PipelineError(f"notebook folder not found: {folder}")
    found = sorted(p for p in folder.iterdir() if NOTEBOOK_PATTERN.match(p.name))
    if not found:
        raise PipelineError(f"no numbered notebooks (NN_name.ipynb) in {folder}")
    return found


def parse_value(text: str) -> Any:
    """Read a ``-p NAME VALUE`` value: JSON (numbers, true/false/null, lists) or a plain string."""
    python_literals = {"True": True, "False": False, "None": None}
    if text in python_literals:
        return python_literals[text]
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def notebook_parameters(notebook: Path) -> dict[str, Any]:
    """Parameter names and defaults declared in the notebook's ``parameters`` cell."""
    return {name: p["default"] for name, p in papermill.inspect_notebook(str(notebook)).items()}


def run_pipeline(
    corpus_path: str | Path,
    output_dir: str | Path,
    parameters: dict[str, Any] | None = None,
    notebook_dir: str | Path = DEFAULT_NOTEBOOK_DIR,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Execute the numbered notebooks on ``corpus_path``, writing everything to ``output_dir``.

    Parameters
    ----------
    corpus_path, output_dir : str or Path
        Passed to every notebook as absolute paths.
    parameters : dict, optional
        Extra notebook parameters; each goes to the notebooks that declare it. A name that no
        notebook declares is an error.
    notebook_dir : str or Path
        Folder of the ``NN_name.ipynb`` notebooks.
    log : callable
        Receives one progress line per notebook.

    Returns
    -------
    dict
        The run manifest, also written to ``<output_dir>/run.json``. The executed notebooks are
        rendered to the offline report in ``<output_dir>/html/`` (also after a failure, so the
        partial run can be read).

    Raises
    ------
    PipelineError
        Naming the notebook and the failing cell; the partially executed copy is kept in
        ``<output_dir>/notebooks/``.
    """
    corpus = Path(corpus_path).resolve()
    out = Path(output_dir).resolve()
    extra = dict(parameters or {})
    notebooks = find_notebooks(notebook_dir)
    declared = {nb: notebook_parameters(nb) for nb in notebooks}
    unknown = sorted(set(extra) - set().union(*declared.values()))
    if unknown:
        known = sorted(set().union(*declared.values()) - {"corpus_path", "output_dir"})
        raise PipelineError(
            f"unknown parameter(s) {', '.join(unknown)}; the notebooks declare: {', '.join(known)}"
        )
    if not corpus.exists():
        raise PipelineError(f"corpus path does not exist: {corpus}")
    (out / "notebooks").mkdir(parents=True, exist_ok=True)

    manifest: dict[str, Any] = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus_path": str(corpus),
        "output_dir": str(out),
        "parameters": {"corpus_path": str(corpus), "output_dir": str(out), **extra},
        "package_versions": package_versions(REPORTED_PACKAGES),
        "python": sys.version.split()[0],
        "inputs": [],
        "notebooks": [],
        "status": "running",
    }
    for index, notebook in enumerate(notebooks, start=1):
        params = {"corpus_path": str(corpus), "output_dir": str(out)}
        params.update({k: v for k, v in extra.items() if k in declared[notebook]})
        params = {k: v for k, v in params.items() if k in declared[notebook]}
        target = out / "notebooks" / notebook.name
        log(f"[{index}/{len(notebooks)}] {notebook.name} ...")
        began = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(notebook), str(target), parameters=params, kernel_name=KERNEL_NAME,
                cwd=str(notebook.parent), progress_bar=False,
            )
        except PapermillExecutionError as err:
            seconds = time.perf_counter() - began
            manifest["notebooks"].append(vars(NotebookRun(notebook.name, round(seconds, 2), "failed")))
            manifest["status"] = "failed"
            _write_manifest(manifest, out)
            report.build_report(out)
            first_line = (err.source or "").strip().splitlines()[:1]
            raise PipelineError(
                f"notebook {notebook.name} failed in cell [{err.exec_count}]"
                f"{' (' + first_line[0] + ')' if first_line else ''}: {err.ename}: {err.evalue}\n"
                f"partially executed copy: {target}"
            ) from None
        seconds = time.perf_counter() - began
        manifest["notebooks"].append(vars(NotebookRun(notebook.name, round(seconds, 2), "ok")))
        log(f"[{index}/{len(notebooks)}] {notebook.name} done in {seconds:.1f} s")
    manifest["inputs"] = _input_hashes(out)
    manifest["status"] = "ok"
    _write_manifest(manifest, out)
    index = report.build_report(out)
    log(f"report: {index}")
    return manifest


def refresh_notebooks(notebook_dir: str | Path = DEFAULT_NOTEBOOK_DIR) -> list[Path]:
    """Re-execute the committed notebooks in place with their default parameters.

    Run-specific metadata (papermill's and the kernel client's timestamps and durations) is
    removed afterwards, so the diff of a refreshed notebook shows only changed outputs.
    """
    notebooks = find_notebooks(notebook_dir)
    for notebook in notebooks:
        papermill.execute_notebook(
            str(notebook), str(notebook), kernel_name=KERNEL_NAME, cwd=str(notebook.parent),
            progress_bar=False,
        )
        nb = nbformat.read(notebook, as_version=4)
        nb.metadata.pop("papermill", None)
        for cell in nb.cells:
            cell.metadata.pop("papermill", None)
            cell.metadata.pop("execution", None)
        nbformat.write(nb, notebook)
    return notebooks


def _input_hashes(output_dir: Path) -> list[dict[str, Any]]:
    """Every input file with its hash and fate, from the ingestion manifest."""
    try:
        ingest_manifest = tables.read_table(output_dir, "ingest_manifest")
    except FileNotFoundError:
        return []
    files = ingest_manifest[ingest_manifest["line"].isna()]
    return [
        {"path": row.path, "sha256": row.sha256, "status": row.status,
         "reason": None if pd.isna(row.reason) else row.reason}
        for row in files.itertuples()
    ]


def _write_manifest(manifest: dict[str, Any], output_dir: Path) -> Path:
    path = output_dir / "run.json"
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path
