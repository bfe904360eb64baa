"""A run's record in its output folder: the manifest ``run.json`` and the folder lock ``.kursk.lock``.

:mod:`kursk_utils.pipeline` writes both: ``run.json`` says ``running`` first, then ``ok``, ``failed``
or ``interrupted``, and the run holds an ``flock`` on ``.kursk.lock`` while it lasts. A run that is
killed outright (SIGKILL, the out-of-memory killer, a crash, a power cut) cannot write its end, so
its ``run.json`` says ``running`` for ever; the operating system does release its lock.
Whatever shows a run's status reads ``run.json`` with :func:`read_run_manifest`, which reads such a
stale ``running`` as ``interrupted``.
"""

from __future__ import annotations

import fcntl
import json
import os
from pathlib import Path
from typing import Any

RUN_MANIFEST = "run.json"
LOCK_NAME = ".kursk.lock"
UNRECORDED_END = "the run's process (pid {pid}) ended without recording how: killed (e.g. SIGKILL, out of memory) or crashed"


def _process_exists(pid: object) -> bool:
    """Whether a process ``pid`` exists on this machine (a zombie counts; its lock is released)."""
    if not isinstance(pid, int) or isinstance(pid, bool) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def lock_is_held(output_dir: str | Path) -> bool:
    """Whether a process holds the run lock of ``output_dir`` (an ``flock``; a dead holder's is released).

    Probed with a shared lock taken and dropped at once, so that the probe never holds up a run.
    """
    try:
        handle = open(Path(output_dir) / LOCK_NAME, "rb")
    except FileNotFoundError:
        return False
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(handle, fcntl.LOCK_UN)
        return False


def is_stale(manifest: dict[str, Any], output_dir: str | Path) -> bool:
    """Whether ``manifest`` says ``running`` for a run that is over: its process is gone, or (a pid
    reused since) nothing holds the folder's lock."""
    if manifest.get("status") != "running":
        return False
    return not _process_exists(manifest.get("pid")) or not lock_is_held(output_dir)


def as_interrupted(manifest: dict[str, Any], output_dir: str | Path) -> dict[str, Any]:
    """``manifest`` of a run that ended without recording how, recorded as ``interrupted``.

    The notebook it was in is the first executed copy in ``notebooks/`` that ``run.json`` does not
    record (the pipeline records each notebook as it ends; the previous run's copies were removed
    when this run began); it is recorded ``interrupted`` as the pipeline does on SIGTERM.
    """
    recorded = {nb.get("name") for nb in manifest.get("notebooks", []) if isinstance(nb, dict)}
    executed = sorted(path.name for path in (Path(output_dir) / "notebooks").glob("*.ipynb"))
    current = next((name for name in executed if name not in recorded), None)
    detail = {"error": UNRECORDED_END.format(pid=manifest.get("pid"))}
    notebooks = list(manifest.get("notebooks", []))
    if current is not None:
        detail = {"notebook": current} | detail
        notebooks.append({"name": current, "seconds": None, "status": "interrupted"})
    return manifest | {"status": "interrupted", "interrupted": detail, "notebooks": notebooks}


def read_run_manifest(output_dir: str | Path) -> dict[str, Any]:
    """Read ``<output_dir>/run.json``; a stale ``running`` (:func:`is_stale`) reads as ``interrupted``.

    Raises
    ------
    FileNotFoundError
        Without ``run.json``.
    ValueError
        When it is not JSON, or not an object.
    """
    path = Path(output_dir) / RUN_MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"no run manifest at {path}: run `kursk run` first") from None
    except json.JSONDecodeError as err:
        raise ValueError(f"run manifest {path} is not valid JSON: {err}") from None
    if not isinstance(manifest, dict):
        raise ValueError(f"run manifest {path} must hold a JSON object")
    return as_interrupted(manifest, output_dir) if is_stale(manifest, output_dir) else manifest
