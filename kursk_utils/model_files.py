"""Shipped model files: gzip-compressed JSON weights beside a manifest that names their format and
SHA-256 (no pickle: loading parses JSON only), written with the same bytes for the same model.

Used by :mod:`kursk_utils.target_sentiment` and :mod:`kursk_utils.frame_model`: each gives its own
file names, format name and version, and builds its model from the checked document.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from importlib import resources
from pathlib import Path

import numpy as np

WEIGHT_SCALE = 10_000  # weights are stored as integers in units of 1/WEIGHT_SCALE


class ModelFileError(ValueError):
    """A model file or its manifest is missing, changed, of an unknown format or malformed."""


def default_model_dir():
    """The package folder holding the shipped models and their manifests."""
    return resources.files("kursk_utils").joinpath("data", "models")


def to_units(values: np.ndarray) -> list[int]:
    """Weights as integers in units of 1/:data:`WEIGHT_SCALE` (JSON without float formatting)."""
    return [int(v) for v in np.rint(np.asarray(values) * WEIGHT_SCALE)]


def from_units(values: list) -> np.ndarray:
    """The weights stored by :func:`to_units`."""
    return np.asarray(values, dtype="float64") / WEIGHT_SCALE


def rounded(values: np.ndarray) -> np.ndarray:
    """Weights rounded as they are stored, so a trained model scores as its loaded file does."""
    return np.rint(np.asarray(values) * WEIGHT_SCALE) / WEIGHT_SCALE


def json_gz(document: dict) -> bytes:
    """Gzip-compressed JSON of ``document``: sorted keys, no gzip timestamp (same bytes every time)."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def write(content: bytes, directory: str | Path, file_name: str, manifest_name: str, format_name: str,
          format_version: int) -> Path:
    """Write a model file and its manifest (file, format, version, size, SHA-256) into ``directory``."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / file_name
    path.write_bytes(content)
    manifest = {"file": file_name, "format": format_name, "format_version": format_version,
                "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
    (directory / manifest_name).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return path


def read(path: Path, manifest_name: str, format_name: str, format_version: int, what: str,
         retrain: str) -> dict:
    """The JSON document of the model file ``path``, after checking it against its manifest.

    Raises
    ------
    ModelFileError
        The file or manifest cannot be read, the manifest or the document names another format or
        version, the file's SHA-256 differs from the manifest's (``retrain``: the command that
        rebuilds it), or the content is not gzip-compressed JSON. ``what`` names the model in messages.
    """
    manifest_path = path.parent / manifest_name
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        content = path.read_bytes()
    except (OSError, json.JSONDecodeError) as err:
        raise ModelFileError(f"cannot read the {what} or its manifest: {err}") from err
    _check_format(manifest, f"manifest {manifest_path}", format_name, format_version)
    digest = hashlib.sha256(content).hexdigest()
    if digest != manifest.get("sha256"):
        raise ModelFileError(f"{path}: SHA-256 {digest} does not match the manifest's {manifest.get('sha256')}; "
                             f"the file was changed after training (retrain with `{retrain}`)")
    try:
        document = json.loads(gzip.decompress(content).decode("utf-8"))
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelFileError(f"{path}: not a gzip-compressed JSON model ({err})") from err
    _check_format(document, str(path), format_name, format_version)
    return document


def _check_format(document: object, where: str, format_name: str, format_version: int) -> None:
    if not isinstance(document, dict) or document.get("format") != format_name:
        raise ModelFileError(f"{where}: not a {format_name} file")
    if document.get("format_version") != format_version:
        raise ModelFileError(f"{where}: format version {document.get('format_version')!r} is unknown to this code "
                             f"(it reads version {format_version})")
