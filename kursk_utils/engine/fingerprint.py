"""What a cached result depends on: the stage's fingerprint and each document's key."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

import kursk_utils

# Packages whose version can change the rows (text scoring, table types).
FINGERPRINT_PACKAGES = ("vadersentiment", "nltk", "pandas", "pyarrow", "numpy")


def package_versions(names: Iterable[str]) -> dict[str, str | None]:
    """Installed version of each named distribution (None when it is not installed)."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def file_digest(path: str | Path | None) -> str | None:
    """SHA-256 of a file's bytes (None for no file)."""
    return None if path is None else hashlib.sha256(Path(path).read_bytes()).hexdigest()


def source_files() -> list[Path]:
    """Every file whose content can shape a stage's rows: all ``kursk_utils/**/*.py`` and the data
    files in ``kursk_utils/data`` except the validation sets (human annotations and rated texts
    read only by :mod:`kursk_utils.validation`, never by a stage). Sorted."""
    package_dir = Path(kursk_utils.__file__).parent
    data_dir = package_dir / "data"
    code = package_dir.rglob("*.py")
    data = (p for p in data_dir.rglob("*") if p.is_file()
            and "validation" not in p.relative_to(data_dir).parts)
    return sorted(p for p in (*code, *data) if "__pycache__" not in p.parts)


def fingerprint(stage: str, settings: object) -> str:
    """Hash of everything but the documents that shapes a stage's rows.

    Covers the settings (a dataclass), the content of user files they name (``*_path``:
    gazetteer, codebook), every file of :func:`source_files` and the versions of
    :data:`FINGERPRINT_PACKAGES`. Returns 16 hex digits.
    """
    package_dir = Path(kursk_utils.__file__).parent
    parts = {
        "stage": stage,
        "settings": asdict(settings),
        "user_files": {key: file_digest(value) for key, value in asdict(settings).items()
                       if key.endswith("_path")},
        "package": {p.relative_to(package_dir).as_posix(): file_digest(p) for p in source_files()},
        "packages": package_versions(FINGERPRINT_PACKAGES),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:16]


def document_keys(doc_ids: list[str], frames: list[pd.DataFrame]) -> dict[str, str]:
    """Hash each document's rows in ``frames`` (all sorted by ``doc_id``) into one key per document.

    Row hashes come from :func:`pandas.util.hash_pandas_object` (stable across processes), so
    two documents get the same key only when all their input rows are equal.
    """
    slices = []
    for frame in frames:
        hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        ids = frame["doc_id"].to_numpy()
        starts = np.searchsorted(ids, doc_ids, side="left")
        ends = np.searchsorted(ids, doc_ids, side="right")
        slices.append((hashes, starts, ends))
    keys = {}
    for position, doc_id in enumerate(doc_ids):
        digest = hashlib.sha256(doc_id.encode())
        for hashes, starts, ends in slices:
            digest.update(b"|")
            digest.update(hashes[starts[position] : ends[position]].tobytes())
        keys[doc_id] = digest.hexdigest()[:32]
    return keys

