"""Run the numbered notebooks in order with papermill and record the run in ``run.json``.

Each notebook declares its own parameters in its ``parameters`` cell; the driver checks every
parameter before the first notebook starts (:mod:`kursk_utils.parameters`), passes a notebook only
the parameters it declares (``corpus_path`` and ``output_dir`` are shared by all), writes the
executed copies to ``<output_dir>/notebooks/`` and stops at the first failing notebook.

A run never leaves an output that claims more than it holds. It takes the folder's lock
(``.kursk.lock``; a second run into the same folder is refused), writes ``run.json`` with status
``running`` *before* anything else, then removes the previous run's outputs (:data:`RUN_OUTPUTS`),
so that at every moment the folder holds only this run's results and ``run.json`` says how far it
got: ``running``, ``failed`` (naming the notebook and cell), ``interrupted`` (SIGTERM, SIGINT or
SIGHUP) or ``ok``. Kernels are killed with their process group when the run ends, however it ends.
A run killed outright (SIGKILL) leaves ``running``; :func:`kursk_utils.runs.read_run_manifest` reads
that as ``interrupted``, and the next run into the folder says so.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import nbformat
import papermill
from jupyter_client import AsyncKernelManager
from papermill.exceptions import PapermillExecutionError
from traitlets.config import Config

from kursk_utils import __version__, framing, report, tables
from kursk_utils.engine import package_versions
from kursk_utils.engine.cache import write_atomic
from kursk_utils.parameters import build_specs, check_parameters, default_frames, resolve_paths
from kursk_utils.runs import LOCK_NAME, RUN_MANIFEST, as_interrupted

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
# What a run writes below its output folder, all removed when the next run starts (the cache stays:
# its entries are keyed by their inputs and checksummed).
RUN_OUTPUTS = ("data", "notebooks", "html", "figures", "validation")
INTERRUPTING_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)


class PipelineError(RuntimeError):
    """A notebook of the pipeline failed, or the pipeline was set up wrongly."""


class RunLockedError(PipelineError):
    """Another run is writing to the same output folder."""


class RunInterrupted(KeyboardInterrupt):
    """The run received a terminating signal; ``signum`` says which.

    A ``KeyboardInterrupt`` so that asyncio and papermill let it through like Ctrl-C.
    """

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@dataclass
class NotebookRun:
    name: str
    seconds: float
    status: str  # "ok", "failed" or "interrupted"


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
        hashes, per-notebook timings, ``topic_check`` (:func:`kursk_utils.framing.topic_fit`, once
        the framing notebook has written its table; also logged), ``shared_dask_scheduler`` (with
        ``engine = "dask"`` and no ``scheduler_address``: the local cluster the notebooks shared,
        :func:`shared_cluster`), ``pid`` and ``status`` (``running`` while the run lasts,
        then ``ok``, ``failed`` or ``interrupted``, with a ``failed``/``interrupted`` entry saying
        where and why). The executed notebooks are rendered to the offline report in
        ``<output_dir>/html/`` (also after a failure, so the partial run can be read).

    Raises
    ------
    ParameterError
        Before anything runs or is written: an unknown parameter or a value its notebooks cannot
        use (a missing corpus, a bad threshold, a broken codebook or gazetteer ...).
    RunLockedError
        Before anything is written: another run is writing to ``output_dir``.
    PipelineError
        Naming the notebook, the failing cell and its line; the partially executed copy is kept in
        ``<output_dir>/notebooks/``. Also before anything is written, when ``output_dir`` holds
        folders a run would replace but is not an earlier run's folder.
    RunInterrupted
        On SIGTERM, SIGINT or SIGHUP; ``run.json`` says ``interrupted``, no kernel is left running.
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
    check_output_folder(out)
    out.mkdir(parents=True, exist_ok=True)

    effective = {name: spec.default for name, spec in specs.items()} | given
    started = datetime.now(timezone.utc).isoformat(timespec="seconds")
    manifest: dict[str, Any] = {
        "started": started,
        "pid": os.getpid(),
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
    with run_lock(out, started), _signals_interrupt():
        _note_killed_run(out, log)
        _write_manifest(manifest, out)  # first: from here on the folder says this run is running
        _remove_previous_outputs(out)
        (out / "notebooks").mkdir()
        try:
            with shared_cluster(effective, log) as address:
                shared = {"scheduler_address": address} if address else {}
                if address:
                    manifest["shared_dask_scheduler"] = address
                _run_notebooks(notebooks, declared, given | shared, out, manifest, log)
            manifest["inputs"] = _input_hashes(out)
            manifest["status"] = "ok"
            manifest["ended"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            _write_manifest(manifest, out)
            index = report.build_report(out)
        except KeyboardInterrupt as err:  # RunInterrupted, or Ctrl-C outside the main thread
            signal_name = str(err) if isinstance(err, RunInterrupted) else "SIGINT"
            _record_end(manifest, out, "interrupted", {"signal": signal_name})
            raise
        except BaseException as err:
            if manifest["status"] != "failed":  # a notebook's failure is recorded where it happens
                _record_end(manifest, out, "failed", {"error": f"{type(err).__name__}: {err}"})
            raise
    log(f"report: {index}")
    return manifest


@contextmanager
def shared_cluster(parameters: dict[str, Any], log: Callable[[str], None]) -> Iterator[str | None]:
    """One local Dask cluster for every notebook of a run with ``engine = "dask"`` and no
    ``scheduler_address``: yields its scheduler's address, passed to the notebooks as their
    ``scheduler_address`` (None otherwise: nothing is started).

    A notebook run alone starts its own cluster; under ``kursk run`` the notebooks share this one,
    so the workers start, import the package and load the models once per run instead of once per
    notebook (about 10 s each on 2 cores). The cluster lives in this process and is shut down when
    the block ends, however it ends. Its worker processes are started with SIGINT ignored (they
    keep that through exec): a Ctrl-C reaches the whole process group, and only this process
    should act on it, by shutting the cluster down (a Ctrl-C during those seconds is lost).
    """
    if parameters.get("engine") != "dask" or parameters.get("scheduler_address") is not None:
        yield None
        return
    from kursk_utils.engine import cluster_address

    with ExitStack() as stack:
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        try:
            address = stack.enter_context(cluster_address())
        finally:
            if in_main_thread:
                signal.signal(signal.SIGINT, previous)
        log(f"dask: one local cluster for the notebooks at {address}")
        yield address


def _run_notebooks(notebooks: list[Path], declared: dict[str, dict[str, Any]], given: dict[str, Any],
                   out: Path, manifest: dict[str, Any], log: Callable[[str], None]) -> None:
    """Execute the notebooks in order, recording each in ``manifest``; stop at the first failure."""
    for index, notebook in enumerate(notebooks, start=1):
        params = {k: v for k, v in given.items() if k in declared[notebook.name]}
        target = out / "notebooks" / notebook.name
        log(f"[{index}/{len(notebooks)}] {notebook.name} ...")
        began = time.perf_counter()
        try:
            _execute(notebook, target, params)
        except PapermillExecutionError as err:
            seconds = time.perf_counter() - began
            where = describe_failure(err)
            manifest["notebooks"].append(vars(NotebookRun(notebook.name, round(seconds, 2), "failed")))
            _record_end(manifest, out, "failed", {"notebook": notebook.name, "error": where})
            report.build_report(out)
            raise PipelineError(
                f"notebook {notebook.name} failed in {where}\n"
                f"partially executed copy: {target}"
            ) from None
        except KeyboardInterrupt:
            seconds = time.perf_counter() - began
            manifest["notebooks"].append(vars(NotebookRun(notebook.name, round(seconds, 2), "interrupted")))
            raise
        seconds = time.perf_counter() - began
        manifest["notebooks"].append(vars(NotebookRun(notebook.name, round(seconds, 2), "ok")))
        log(f"[{index}/{len(notebooks)}] {notebook.name} done in {seconds:.1f} s")
        # The earlier run's outputs were removed before this one began: a table here is this run's.
        if "topic_check" not in manifest and tables.table_path(out, "topic_check").exists():
            manifest["topic_check"] = framing.topic_fit(tables.read_table(out, "topic_check"))
            log(manifest["topic_check"]["message"])
        _write_manifest(manifest, out)  # so a run killed later still shows what it finished


def _note_killed_run(out: Path, log: Callable[[str], None]) -> None:
    """Say so when the folder's last run was killed before it could record its end: its run.json
    still says ``running``, and this run holds the lock, so that run's process is gone."""
    try:
        previous = json.loads((out / RUN_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(previous, dict) and previous.get("status") == "running":
        ended = as_interrupted(previous, out)["interrupted"]
        where = f" in {ended['notebook']}" if "notebook" in ended else ""
        log(f"the previous run in this folder (started {previous.get('started')}) was interrupted{where}: "
            f"{ended['error']}; its outputs are replaced")


def _record_end(manifest: dict[str, Any], out: Path, status: str, detail: dict[str, str]) -> None:
    """Record how the run ended (``failed`` or ``interrupted``, with where and why) in ``run.json``."""
    manifest["status"] = status
    manifest[status] = detail
    manifest["ended"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    _write_manifest(manifest, out)


def check_output_folder(out: Path) -> None:
    """Refuse an output folder that holds what a run writes but is not a run's folder.

    A run removes the previous run's :data:`RUN_OUTPUTS` before it starts; a folder holding, say,
    a ``data`` folder but no ``run.json`` is someone else's, and nothing in it is removed.

    Raises
    ------
    PipelineError
        Naming the entries found.
    """
    if (out / RUN_MANIFEST).exists() or (out / LOCK_NAME).exists():
        return
    found = [name for name in RUN_OUTPUTS if (out / name).exists()]
    if found:
        raise PipelineError(
            f"output folder {out} holds {', '.join(found)} but no {RUN_MANIFEST}: it is not the "
            "folder of an earlier kursk run, and a run would replace them; choose another --output "
            "(or remove them)"
        )


def _remove_previous_outputs(out: Path) -> None:
    """Remove the earlier run's outputs, so that nothing of it passes for this run's results."""
    for name in RUN_OUTPUTS:
        path = out / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


@contextmanager
def run_lock(out: Path, started: str) -> Iterator[None]:
    """Hold ``<out>/.kursk.lock`` for the run: a second run into ``out`` is refused.

    The lock is an ``flock``, which the operating system releases when its holder dies: the lock
    of a killed run is stale and simply taken over. The file names the holder (pid, start time)
    for the refusal message.

    Raises
    ------
    RunLockedError
        If another process holds the lock.
    """
    with open(out / LOCK_NAME, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "a process that has not yet named itself"
            raise RunLockedError(
                f"another kursk run is writing to {out} ({holder}); wait for it to end, or choose "
                "another --output"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, started {started}\n")
        handle.flush()
        yield


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Turn SIGTERM, SIGINT and SIGHUP into :class:`RunInterrupted` while the run lasts.

    The exception unwinds the run: the kernel's process group is killed (:func:`_execute`) and
    ``run.json`` records ``interrupted``; further signals are ignored meanwhile. Signal handlers
    can only be set from the main thread; elsewhere the signals keep their handlers.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    received: list[int] = []

    def interrupt(signum: int, frame: object) -> None:
        # Once: a second signal must not cut short the kernel's shutdown or the run.json update.
        if not received:
            received.append(signum)
            raise RunInterrupted(signum)

    previous = {signum: signal.signal(signum, interrupt) for signum in INTERRUPTING_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


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


class _GroupKernelManager(AsyncKernelManager):
    """A kernel manager that records the process group of each kernel it starts.

    jupyter_client starts every kernel in a new session, so its group holds the kernel and what
    it started (e.g. Dask workers); :func:`_execute` kills the group when the notebook ends.
    """

    started_groups: list[int] = []  # appended to by every start; read and cleared by _execute

    async def start_kernel(self, **kw: Any) -> None:
        await super().start_kernel(**kw)
        pgid = getattr(self.provisioner, "pgid", None)
        if pgid:
            _GroupKernelManager.started_groups.append(pgid)


def _kill_kernel_groups() -> None:
    """Kill the process groups of the kernels started so far (a group that has ended is skipped)."""
    while _GroupKernelManager.started_groups:
        pgid = _GroupKernelManager.started_groups.pop()
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass  # the kernel shut down normally and its group is gone


def _execute(notebook: Path, target: Path, parameters: dict[str, Any] | None = None) -> None:
    """Run ``notebook`` with papermill from its own folder, writing the executed copy to ``target``.

    The kernel talks to us over Unix sockets in a private temporary folder (IPC transport)
    instead of TCP on localhost: the kernel then has no reason to print ipykernel's "Kernel is
    running over TCP without encryption" warning, and concurrent runs cannot share socket files.
    However the notebook ends (done, failed, interrupted), the kernel's process group is killed.
    nbclient shuts the kernel down itself when it gets to, but not when the run is interrupted
    before nbclient's cleanup is in place (while the kernel starts); and ipykernel's own parent
    watch cannot stop a kernel stuck in C code that holds the GIL (a catastrophic regular
    expression), which would then outlive the run at 100% CPU.
    """
    with tempfile.TemporaryDirectory(prefix="kursk-kernel-") as socket_dir:
        kernel_config = Config({"KernelManager": {"transport": "ipc", "ip": str(Path(socket_dir) / "kernel")}})
        try:
            papermill.execute_notebook(
                str(notebook), str(target), parameters=parameters or {}, kernel_name=KERNEL_NAME,
                cwd=str(notebook.parent), progress_bar=False, config=kernel_config,
                kernel_manager_class=_GroupKernelManager,
            )
        finally:
            _kill_kernel_groups()


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
    """Write ``run.json`` whole or not at all (a reader never sees half of it)."""
    path = output_dir / RUN_MANIFEST
    write_atomic(path, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return path
