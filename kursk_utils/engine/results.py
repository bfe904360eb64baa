"""What a stage run returns: its tables, in memory or read from disk when asked for."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from kursk_utils import tables


class StageTables(Mapping):
    """The tables a stage wrote: kept in memory (pandas engine) or read from disk when asked for.

    A mapping from table name to DataFrame; ``n_analysed`` counts the documents that were
    analysed rather than taken from the cache.
    """

    def __init__(self, output_dir: str | Path, names: tuple[str, ...],
                 frames: dict[str, pd.DataFrame] | None = None, n_analysed: int = 0,
                 n_documents: int = 0):
        self.output_dir = Path(output_dir)
        self.names = names
        self._frames = dict(frames or {})
        self.n_analysed = n_analysed
        self.n_documents = n_documents

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self.names:
            raise KeyError(f"no table {name!r} in this stage's output; it has {list(self.names)}")
        if name not in self._frames:
            self._frames[name] = tables.read_table(self.output_dir, name)
        return self._frames[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)
