"""One call at the top of every notebook: stable display settings, so committed outputs compare,
and the plotly renderer that keeps notebooks small and the report offline."""

from __future__ import annotations

import pandas as pd

from kursk_utils.viz import setup_renderer

DISPLAY_OPTIONS = {
    "display.width": 120,
    "display.max_columns": 30,
    "display.max_colwidth": 80,
    "display.max_rows": 80,
    "display.precision": 3,
}


def setup() -> None:
    """Set pandas display options shared by all notebooks and the plotly renderer."""
    for option, value in DISPLAY_OPTIONS.items():
        pd.set_option(option, value)
    setup_renderer()


def head(table: pd.DataFrame, n: int, noun: str) -> pd.DataFrame:
    """The first ``n`` rows of ``table``, after printing how many of how many ``noun`` are shown."""
    print(f"showing {n:,} of {len(table):,} {noun}" if len(table) > n
          else f"showing all {len(table):,} {noun}")
    return table.head(n)
