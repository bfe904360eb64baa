"""Run the numbered notebooks in order with papermill and record the run in ``run.json``.

Each notebook declares its own parameters in its ``parameters`` cell; the driver checks every
parameter before the first notebook starts (:mod:`kursk_utils.parameters`), passes a notebook only
the parameters it declares (``corpus_path`` and ``output_dir`` are shared by all), writes the
executed copies to ``<output_dir>/notebooks/`` and stops at the first failing notebook.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import nbformat
import papermill
from papermill.exceptions import PapermillExecutionError
from traitlets.config import Config

from kursk_utils import __version__, framing, report, tables
from kursk_utils.engine import package_versions
from kursk_utils.parameters import build_specs, check_parameters, default_frames, resolve_paths

KERNEL_NAME = "python3"
NOTEBOOK_PATTERN = re.compile(r"^\d\d_[\w-]+\.ipynb$")
REPORTED_PACKAGES = (
    "kursk-framing", "pandas", "pyarrow", "nltk", "vadersentiment", "plotly", "papermill",
    "nbconvert", "ipykernel", "dask", "distributed",
)
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_NOTEBOOK_DIR = PROJECT_DIR / "notebooks"
LOCK_FILE = PROJECT_DIR / "requirements.lock"
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# IPython names a frame of a cell "Cell In[3], line 5" and one of a module "File /path/x.py:105, in f(...)".
_CELL_FRAME = re.compile(r"Cell In\s*\[(\d*)\], line (\d+)")
_FILE_FRAME = re.compile(r"File (\S+?):(\d+), in ([\w.<>]+)")


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
    """Parameter names and default values declared in the notebook's ``parameters`` cell.

    papermill reports each default as its source text; the cell holds literals only, so each is
    read back as a value.
    """
    defaults = {}
    for name, parameter in papermill.inspect_notebook(str(notebook)).items():
        try:
            defaults[name] = ast.literal_eval(parameter["default"])
        except (ValueError, SyntaxError):
            raise PipelineError(
                f"{notebook.name}: the default of parameter {name} is not a literal: {parameter['default']}"
            ) from None
    return defaults


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
        Extra notebook parameters; each goes to the notebooks that declare it. Relative file and
        folder parameters (``*_path``, ``*_dir``) are resolved against the current directory.
    notebook_dir : str or Path
        Folder of the ``NN_name.ipynb`` notebooks.
    log : callable
        Receives one progress line per notebook.

    Returns
    -------
    dict
        The run manifest, also written to ``<output_dir>/run.json``: ``parameters`` (every
        parameter's effective value, defaults included), ``notebook_parameters`` (the same per
        notebook), ``reproducibility`` (see :func:`reproducibility`), package versions, input file
        hashes, per-notebook timings and ``topic_check`` (:func:`kursk_utils.framing.topic_fit`,
        once the framing notebook has written its table; also logged). The executed notebooks are rendered to the offline report
        in ``<output_dir>/html/`` (also after a failure, so the partial run can be read).

    Raises
    ------
    ParameterError
        Before anything runs or is written: an unknown parameter or a value its notebooks cannot
        use (a missing corpus, a bad threshold, a broken codebook or gazetteer ...).
    PipelineError
        Naming the notebook, the failing cell and its line; the partially executed copy is kept in
        ``<output_dir>/notebooks/``.
    """
    notebooks = find_notebooks(notebook_dir)
    declared = {nb.name: notebook_parameters(nb) for nb in notebooks}
    specs = build_specs(declared)
    given = {"corpus_path": str(corpus_path), "output_dir": str(output_dir)}
    given = {name: value for name, value in given.items() if name in specs} | dict(parameters or {})
    given = resolve_paths(given, Path.cwd())
    skipped_frames = default_frames(specs, given)
    given |= skipped_frames
    check_parameters(specs, given)
    for name in skipped_frames:
        log(f"{name}: the codebook has no frame {specs[name].default!r}; the sections that need it are skipped "
            f"(-p {name} FRAME to choose one)")
    out = Path(given.get("output_dir", output_dir)).resolve()
    (out / "notebooks").mkdir(parents=True, exist_ok=True)

    effective = {name: spec.default for name, spec in specs.items()} | given
    run_began = time.time()
    manifest: dict[str, Any] = {
        "started": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus_path": given.get("corpus_path", str(corpus_path)),
        "output_dir": str(out),
        "parameters": effective,
        "notebook_parameters": {
            name: {p: effective[p] for p in defaults} for name, defaults in declared.items()
        },
        "reproducibility": reproducibility(effective.get("codebook_path"), effective.get("actors_path")),
        "package_versions": package_versions(REPORTED_PACKAGES),
        "python": sys.version.split()[0],
        "inputs": [],
        "notebooks": [],
        "status": "running",
    }
    for index, notebook in enumerate(notebooks, start=1):
        params = {k: v for k, v in given.items() if k in declared[notebook.name]}
        target = out / "notebooks" / notebook.name
        log(f"[{index}/{len(notebooks)}] {notebook.name} ...")
        began = time.perf_counter()
        try:
            _execute(notebook, target, params)
        except PapermillExecutionError as err:
            seconds = time.perf_counter() - began
            manifest["notebooks"].append(vars(NotebookRun(notebook.name, round(seconds, 2), "failed")))
            manifest["status"] = "failed"
            _write_manifest(manifest, out)
            report.build_report(out)
            raise PipelineError(
                f"notebook {notebook.name} failed in {describe_failure(err)}\n"
                f"partially executed copy: {target}"
            ) from None
        seconds = time.perf_counter() - began
        manifest["notebooks"].append(vars(NotebookRun(notebook.name, round(seconds, 2), "ok")))
        log(f"[{index}/{len(notebooks)}] {notebook.name} done in {seconds:.1f} s")
        topic_table = tables.table_path(out, "topic_check")
        # Only a table this run wrote (an earlier run may have left one in the folder).
        if "topic_check" not in manifest and topic_table.exists() and topic_table.stat().st_mtime >= run_began:
            manifest["topic_check"] = framing.topic_fit(tables.read_table(out, "topic_check"))
            log(manifest["topic_check"]["message"])
    manifest["inputs"] = _input_hashes(out)
    manifest["status"] = "ok"
    _write_manifest(manifest, out)
    index = report.build_report(out)
    log(f"report: {index}")
    return manifest


def describe_failure(err: PapermillExecutionError) -> str:
    """Where a notebook failed, from papermill's error: the cell, the line and the exception.

    IPython's traceback (``err.traceback``, with ANSI colours) names the cell's frame
    "Cell In[N], line L"; the line is read from the cell's source. When the exception was raised
    inside a module, its innermost frame ("File x.py:105, in f") is named too.

    Returns
    -------
    str
        E.g. ``cell In [3], line 2: figures = viz.build_figures(tables) -> raised in
        .../kursk_utils/viz.py:105 (require_frames): ValueError: unknown frame id(s) ...``.
    """
    trace = _ANSI_ESCAPE.sub("", "\n".join(err.traceback or []))
    where = f"cell In [{err.exec_count}]"
    cell_frames = [(int(line)) for count, line in _CELL_FRAME.findall(trace)
                   if count in ("", str(err.exec_count))]
    source_lines = (err.source or "").splitlines()
    if cell_frames and 0 < cell_frames[0] <= len(source_lines):
        where += f", line {cell_frames[0]}: {source_lines[cell_frames[0] - 1].strip()}"
    elif source_lines:
        where += f": {source_lines[0].strip()}"
    file_frames = _FILE_FRAME.findall(trace)
    if file_frames:
        path, line, function = file_frames[-1]
        where += f" -> raised in {path}:{line} ({function})"
    return f"{where}: {err.ename}: {err.evalue}"


def reproducibility(codebook_path: str | None, actors_path: str | None) -> dict[str, Any]:
    """What pins down the code and the rules of a run, for ``run.json`` and the report.

    Returns
    -------
    dict
        ``package_version``; ``git_commit`` (None outside a git checkout or without git);
        ``lock_sha256`` of ``requirements.lock`` (None when not shipped); ``codebook`` and
        ``gazetteers`` as ``{"path", "sha256"}`` (the shipped gazetteer, then the user's);
        ``data_files``: sha256 of every file under ``kursk_utils/data/``, by relative path.
    """
    codebook = Path(codebook_path) if codebook_path else framing.DEFAULT_CODEBOOK_PATH
    gazetteers = [PACKAGE_DIR / "data" / "actors.csv"] + ([Path(actors_path)] if actors_path else [])
    data_dir = PACKAGE_DIR / "data"
    return {
        "package_version": __version__,
        "git_commit": _git_commit(),
        "lock_sha256": _sha256(LOCK_FILE) if LOCK_FILE.is_file() else None,
        "codebook": {"path": str(codebook), "sha256": _sha256(codebook)},
        "gazetteers": [{"path": str(path), "sha256": _sha256(path)} for path in gazetteers],
        "data_files": {
            path.relative_to(data_dir).as_posix(): _sha256(path)
            for path in sorted(data_dir.rglob("*")) if path.is_file() and "__pycache__" not in path.parts
        },
    }


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _git_commit() -> str | None:
    """The commit of the checkout the package runs from, or None (no git, not a repository)."""
    try:
        result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, capture_output=True,
                                text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", commit) else None


def _execute(notebook: Path, target: Path, parameters: dict[str, Any] | None = None) -> None:
    """Run ``notebook`` with papermill from its own folder, writing the executed copy to ``target``.

    The kernel talks to us over Unix sockets in a private temporary folder (IPC transport)
    instead of TCP on localhost: the kernel then has no reason to print ipykernel's "Kernel is
    running over TCP without encryption" warning, and concurrent runs cannot share socket files.
    """
    with tempfile.TemporaryDirectory(prefix="kursk-kernel-") as socket_dir:
        kernel_config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(socket_dir) / "kernel")}})
        papermill.execute_notebook(
            str(notebook), str(target), parameters=parameters or {}, kernel_name=KERNEL_NAME,
            cwd=str(notebook.parent), progress_bar=False, config=kernel_config,
        )


def refresh_notebooks(notebook_dir: str | Path = DEFAULT_NOTEBOOK_DIR) -> list[Path]:
    """Re-execute the committed notebooks in place with their default parameters.

    Run-specific metadata (papermill's and the kernel client's timestamps and durations) is
    removed afterwards, so the diff of a refreshed notebook shows only changed outputs.
    """
    notebooks = find_notebooks(notebook_dir)
    for notebook in notebooks:
        _execute(notebook, notebook)
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
