"""Validation of the pipeline's measures against human annotations shipped in ``data/validation/``.

``validation.sentiment`` compares VADER and the actor-level method with human ratings of news
sentences; each module's ``evaluate()`` returns JSON-serialisable figures and ``summary_frame()``
a table for display.

Here: what the gold readers share, :class:`GoldError` and :func:`read_jsonl`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

from kursk_utils.corpus import jsonl_lines

_KINDS = {str: "text", dict: "an object", list: "a list"}


class GoldError(ValueError):
    """A gold file that cannot be read or scored; the message names the file (and line, if any)."""


def read_jsonl(path: Path, fields: Mapping[str, type], where: str | None = None) -> list[tuple[int, dict]]:
    """The records of a gold JSON Lines file, each with its 1-based line number.

    Lines are split as the corpus reader splits them (:func:`kursk_utils.corpus.jsonl_lines`), so a
    U+2028 inside a string stays text and line numbers agree with the ingested ``source_row``.

    Parameters
    ----------
    path : Path
        The file (UTF-8, a byte order mark allowed).
    fields : mapping of str to type
        Fields every record must hold, with their JSON type (``str``, ``dict`` or ``list``).
    where : str, optional
        The file's name in messages; ``path.name`` by default.

    Raises
    ------
    GoldError
        Naming the file, and the line: missing file, not UTF-8, a line that is not JSON or not an
        object, a required field missing or of another type.
    """
    where = where or path.name
    if not path.is_file():
        raise GoldError(f"gold file not found: {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise GoldError(f"{where}: not UTF-8 text (byte {err.start})") from None
    records = []
    for number, line in jsonl_lines(text):
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldError(f"{where} line {number}: not JSON ({err.msg} at column {err.colno})") from None
        if not isinstance(record, dict):
            raise GoldError(f"{where} line {number}: not a JSON object")
        wrong = [f"{name!r} ({_KINDS[kind]})" for name, kind in fields.items()
                 if not isinstance(record.get(name), kind)]
        if wrong:
            raise GoldError(f"{where} line {number}: needs field(s) {', '.join(wrong)}")
        records.append((number, record))
    return records
