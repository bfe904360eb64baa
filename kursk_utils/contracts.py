"""Input contracts checked before any work starts: a table's columns and the scalar parameters.

Every function that takes one of the pipeline's tables or a user parameter checks it with these,
so a wrong input fails at the call with a message naming it, never deep inside pandas.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd


def require_columns(df: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Raise a ValueError naming ``table`` and its missing columns if ``df`` lacks any of ``columns``.

    Every function that takes one of the pipeline's tables checks it this way, so a wrong input
    fails at the call with the table's name rather than deep inside pandas.
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{table} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [column for column in columns if column not in df.columns]
    if missing:
        raise ValueError(f"{table} table is missing column(s) {missing}; it has {list(df.columns)}")


def check_choice(value: str, choices: Sequence[str], what: str,
                 error: type[ValueError] = ValueError) -> str:
    """Return ``value`` if it is one of ``choices``; else raise ``error`` naming ``what`` and them."""
    if value not in choices:
        raise error(f"unknown {what} {value!r}: choose one of "
                    + ", ".join(repr(choice) for choice in choices))
    return value


def check_positive_int(value: int, name: str, error: type[ValueError] = ValueError) -> int:
    """Return ``value`` if it is a positive integer (not a bool); else raise ``error`` naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise error(f"{name} must be a positive integer, got {value!r}")
    return value


def check_threshold(threshold: float) -> float:
    """Return a sentiment ``threshold`` as a float if it lies in [0, 1), else raise ValueError."""
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)):
        raise ValueError(f"threshold must be a number in [0, 1), got {threshold!r}")
    if not 0 <= threshold < 1:
        raise ValueError(f"threshold must be in [0, 1), got {threshold!r}")
    return float(threshold)
