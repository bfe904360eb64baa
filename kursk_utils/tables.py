"""Deterministic reading and writing of the pipeline's tables in ``<output_dir>/data/``.

A table is one Parquet file, ``<name>.parquet``, or, when written in parallel by the Dask engine,
a directory of that name holding ``part-NNNNN.parquet`` files that cover contiguous, increasing
ranges of ``doc_id``: read in part order they give the same rows in the same order as one file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DATA_SUBDIR = "data"
PART_PATTERN = "part-*.parquet"
CSV_PARTS_SUFFIX = ".csv.parts"
# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def column_rows(df: pd.DataFrame, columns: Sequence[str]) -> Iterator[tuple]:
    """The values of ``columns``, row by row, as tuples of Python objects.

    Like ``df[columns].itertuples(index=False)``, without pandas' per-value iteration, which is
    slow over the Arrow-backed string columns the tables are read with.
    """
    return zip(*(df[column].tolist() for column in columns))


def table_path(output_dir: str | Path, name: str, suffix: str = ".parquet") -> Path:
    """Return the path of table ``name`` under ``<output_dir>/data/``."""
    return Path(output_dir) / DATA_SUBDIR / f"{name}{suffix}"


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def to_arrow(df: pd.DataFrame) -> pa.Table:
    """``df`` as an Arrow table without index or pandas metadata (the same frame, the same bytes).

    Columns are converted one after the other: pyarrow's default starts a thread pool for a
    frame of more than 100 rows per column, which cost 0.3-0.5 ms a table (the conversion of
    each column is the same).
    """
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False, nthreads=1)
    return table.replace_schema_metadata(None)


def write_table(
    df: pd.DataFrame,
    output_dir: str | Path,
    name: str,
    *,
    csv: bool = False,
    csv_exclude: tuple[str, ...] = (),
) -> Path:
    """Write ``df`` as ``<output_dir>/data/<name>.parquet`` (and ``.csv`` when ``csv``, made
    spreadsheet-safe by :func:`_write_csv`).

    The index is dropped and no pandas metadata is stored, so the same frame always gives the
    same bytes. Columns listed in ``csv_exclude`` (e.g. long text) are left out of the CSV only.
    A partitioned table of the same name is replaced.
    """
    path = table_path(output_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove(path)
    pq.write_table(to_arrow(df), path, compression="zstd")
    if csv:
        _write_csv(df.drop(columns=list(csv_exclude)), table_path(output_dir, name, ".csv"))
    return path


def formula_safe(value: object) -> object:
    """``value`` with a leading ``'`` when it is text a spreadsheet would run as a formula.

    Per OWASP, a cell starting with ``= + - @``, a tab or a carriage return is prefixed with a
    single quote; anything else (numbers, nulls, other text) is returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` as CSV with every text cell and header made :func:`formula_safe`.

    Only the CSV is escaped: Parquet tables keep the text as it was.
    """
    text_columns = [c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])]
    safe = df.assign(**{str(c): df[c].map(formula_safe) for c in text_columns}) if text_columns else df
    safe = safe.set_axis([formula_safe(str(c)) for c in safe.columns], axis=1)
    safe.to_csv(path, index=False, lineterminator="\n")


def clear_table(output_dir: str | Path, name: str) -> None:
    """Remove table ``name`` (file or partitioned directory) and its CSV, if they exist."""
    for suffix in (".parquet", ".csv", CSV_PARTS_SUFFIX):
        _remove(table_path(output_dir, name, suffix))


def write_partition(
    df: pd.DataFrame,
    output_dir: str | Path,
    name: str,
    part: int,
    *,
    csv: bool = False,
    csv_exclude: tuple[str, ...] = (),
    arrow: pa.Table | None = None,
) -> Path:
    """Write part ``part`` of a partitioned table: ``<name>.parquet/part-<part:05d>.parquet``.

    Call :func:`clear_table` once before writing the parts of a new version of a table, and
    :func:`combine_csv_parts` after the last part when ``csv`` is set. ``arrow``: ``df`` already
    converted by :func:`to_arrow` (a caller that wrote it elsewhere too), so it is not converted again.
    """
    folder = table_path(output_dir, name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"part-{part:05d}.parquet"
    pq.write_table(to_arrow(df) if arrow is None else arrow, path, compression="zstd")
    if csv:
        csv_folder = table_path(output_dir, name, CSV_PARTS_SUFFIX)
        csv_folder.mkdir(parents=True, exist_ok=True)
        _write_csv(df.drop(columns=list(csv_exclude)), csv_folder / f"part-{part:05d}.csv")
    return path


def combine_csv_parts(output_dir: str | Path, name: str) -> Path:
    """Join the CSV parts of a partitioned table into one ``<name>.csv`` (one header), streaming."""
    folder = table_path(output_dir, name, CSV_PARTS_SUFFIX)
    target = table_path(output_dir, name, ".csv")
    with target.open("w", encoding="utf-8", newline="") as out:
        for index, part in enumerate(sorted(folder.glob("part-*.csv"))):
            with part.open("r", encoding="utf-8", newline="") as handle:
                header = handle.readline()
                if index == 0:
                    out.write(header)
                shutil.copyfileobj(handle, out)
    shutil.rmtree(folder)
    return target


def table_parts(output_dir: str | Path, name: str) -> list[Path]:
    """The Parquet files of table ``name``, in order (one for an unpartitioned table)."""
    path = table_path(output_dir, name)
    if not path.exists():
        raise FileNotFoundError(
            f"table '{name}' not found at {path}: run the notebook that produces it first "
            "(or `kursk run`)"
        )
    return sorted(path.glob(PART_PATTERN)) if path.is_dir() else [path]


def parts_in_range(output_dir: str | Path, name: str) -> Callable[[str, str], list[Path]]:
    """A function giving the Parquet files of table ``name`` that may hold a ``doc_id`` range.

    Reads each file's ``doc_id`` statistics once, so that each of many partitions opens only the
    files of its own documents instead of every file of the table. A range that no file holds
    gets the first file (its schema gives the empty result its columns).
    """
    spans = [(part, span) for part in table_parts(output_dir, name)
             for span in _doc_id_spans(pq.read_metadata(part))]

    def parts(first: str, last: str) -> list[Path]:
        chosen = sorted({part for part, span in spans if _may_hold(span, first, last)})
        if not chosen and spans:
            chosen = [spans[0][0]]
        return chosen

    return parts


def _doc_id_spans(metadata: pq.FileMetaData) -> list[tuple[str, str] | None]:
    """Per row group of a Parquet file, its lowest and highest ``doc_id`` (None: not recorded)."""
    column = metadata.schema.names.index("doc_id")
    spans = []
    for group in range(metadata.num_row_groups):
        statistics = metadata.row_group(group).column(column).statistics
        has_span = statistics is not None and statistics.has_min_max
        spans.append((statistics.min, statistics.max) if has_span else None)
    return spans


def _may_hold(span: tuple[str, str] | None, first: str, last: str) -> bool:
    """Whether a row group of ``doc_id`` ``span`` (None: unknown, so maybe) holds ids in a range."""
    return span is None or (span[0] <= last and span[1] >= first)


def arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert like :func:`pandas.read_parquet`, but integer columns with nulls become ``Int64``.

    Written tables carry no pandas metadata, so without this a nullable integer column (a
    ``quotes.speaker_start``) would come back as float64 and be written back as doubles.
    """
    df = table.to_pandas()
    for field in table.schema:
        if pa.types.is_integer(field.type) and table.column(field.name).null_count:
            df[field.name] = pd.array(table.column(field.name).to_pylist(), dtype="Int64")
    return df


def read_table(
    output_dir: str | Path,
    name: str,
    *,
    columns: list[str] | None = None,
    doc_id_range: tuple[str, str] | None = None,
    parts: Sequence[Path] | None = None,
) -> pd.DataFrame:
    """Read table ``name`` written by :func:`write_table` or :func:`write_partition`.

    Parameters
    ----------
    columns : list of str, optional
        Read only these columns.
    doc_id_range : (first, last), optional
        Read only rows with ``first <= doc_id <= last`` (parts outside the range are skipped by
        their statistics), for processing a large corpus one slice of documents at a time.
    parts : sequence of Path, optional
        Read only these files of a partitioned table (see :func:`parts_in_range`).

    Raises
    ------
    FileNotFoundError
        With a hint to run the producing notebook first, if the table is missing.
    """
    path = table_path(output_dir, name)
    parts = table_parts(output_dir, name) if parts is None else list(parts)
    if path.is_file() and doc_id_range is None:
        return pd.read_parquet(path, columns=columns)
    # A column that is null throughout one part has Arrow type null there: promote it to the
    # other parts' type. Converted like pandas.read_parquet converts one file.
    return pa.concat_tables(
        [_read_part(part, columns, doc_id_range) for part in parts], promote_options="default",
    ).to_pandas()


def _read_part(path: Path, columns: list[str] | None, doc_id_range: tuple[str, str] | None) -> pa.Table:
    """The rows of one Parquet file (with ``first <= doc_id <= last`` for a ``doc_id_range``:
    row groups outside it are skipped by their statistics).

    Like ``pyarrow.parquet.read_table`` with filters, without its dataset set-up (~0.4 ms a
    file, read by each partition for each input table).
    """
    with pq.ParquetFile(path) as file:
        if doc_id_range is None:
            return file.read(columns=columns)
        first, last = doc_id_range
        groups = [group for group, span in enumerate(_doc_id_spans(file.metadata))
                  if _may_hold(span, first, last)]  # the others skipped by their statistics
        with_ids = columns is None or "doc_id" in columns
        table = file.read_row_groups(groups, columns=columns if with_ids else [*columns, "doc_id"])
    doc_ids = table.column("doc_id")
    table = table.filter(pc.and_(pc.greater_equal(doc_ids, first), pc.less_equal(doc_ids, last)))
    return table if with_ids else table.drop_columns(["doc_id"])
