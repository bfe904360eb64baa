import math

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from kursk_utils import tables
from kursk_utils.contracts import require_columns


def test_require_columns_names_the_table_and_what_is_missing():
    with pytest.raises(ValueError, match=r"quotes table is missing column\(s\) \['role'\]; it has \['doc_id'\]"):
        require_columns(pd.DataFrame({"doc_id": ["a"]}), ["doc_id", "role"], "quotes")
    with pytest.raises(TypeError, match="quotes must be a pandas DataFrame, got list"):
        require_columns([], ["doc_id"], "quotes")
    require_columns(pd.DataFrame({"doc_id": ["a"], "role": ["x"]}), ["doc_id", "role"], "quotes")


def test_column_rows_gives_rows_of_python_values():
    frame = tables.arrow_to_pandas(pa.table({"doc_id": ["a", None, "c"], "n": [1, 2, 3]}))
    rows = list(tables.column_rows(frame, ["n", "doc_id"]))
    assert [type(n) for n, _ in rows] == [int, int, int]  # Python objects, as itertuples gives
    assert rows[0] == (1, "a") and rows[2] == (3, "c") and math.isnan(rows[1][1])  # null: NaN


def test_csv_copies_cannot_run_formulas_in_a_spreadsheet(tmp_path):
    frame = pd.DataFrame({
        "group": pd.array(["=HYPERLINK(\"http://x\")", "Kyiv Independent", None, "@SUM(A1)"], dtype="str"),
        "title": ["+cmd", "-1 dead", "\tTab", "ok"],
        "n": [-1, 2, 3, 4],
    })
    tables.write_table(frame, tmp_path, "groups", csv=True)
    text = (tmp_path / "data" / "groups.csv").read_text(encoding="utf-8")
    assert text.splitlines() == [
        "group,title,n",
        "\"'=HYPERLINK(\"\"http://x\"\")\",'+cmd,-1",  # quoted, as the cell holds quotes
        "Kyiv Independent,'-1 dead,2",
        ",'\tTab,3",
        "'@SUM(A1),ok,4",
    ]
    # the Parquet table keeps the text as it was
    assert tables.read_table(tmp_path, "groups")["title"].tolist() == ["+cmd", "-1 dead", "\tTab", "ok"]


@pytest.fixture(scope="module")
def ingested_kursk60(tmp_path_factory):
    from conftest import PROJECT_ROOT
    from kursk_utils import engine

    out = tmp_path_factory.mktemp("kursk60")
    engine.run_ingest(PROJECT_ROOT / "tests" / "fixtures" / "kursk60", out)
    return out


@pytest.mark.parametrize("name", ["documents", "sentences", "ingest_manifest"])
def test_a_part_reads_like_pyarrow_read_table_with_filters(ingested_kursk60, name):
    # tables._read_part is pyarrow.parquet.read_table(path, columns, filters) without the dataset.
    path = tables.table_path(ingested_kursk60, name)
    doc_ids = sorted(pq.read_table(path, columns=["doc_id"])["doc_id"].to_pylist()) if name != "ingest_manifest" else []
    ranges = [None] + ([(doc_ids[0], doc_ids[-1]), (doc_ids[7], doc_ids[7]), (doc_ids[3], doc_ids[20]),
                        ("~", "~~"), ("", doc_ids[0])] if doc_ids else [])
    for columns in (None, ["doc_id", "text"] if name != "ingest_manifest" else ["path", "status"],
                    ["text", "doc_id"] if name != "ingest_manifest" else ["status"],
                    ["text"] if name != "ingest_manifest" else ["path"]):  # doc_id read only to filter
        for doc_id_range in ranges:
            filters = None if doc_id_range is None else [("doc_id", ">=", doc_id_range[0]),
                                                         ("doc_id", "<=", doc_id_range[1])]
            expected = pq.read_table(path, columns=columns, filters=filters)
            read = tables._read_part(path, columns, doc_id_range)
            assert read.schema == expected.schema and read.equals(expected), (columns, doc_id_range)


def test_row_groups_outside_the_range_are_skipped_and_the_rows_read_like_pyarrow_read_table(tmp_path):
    frame = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(40)], "n": range(40)})
    path = tmp_path / "t.parquet"
    pq.write_table(tables.to_arrow(frame), path, row_group_size=10)  # four row groups
    for doc_id_range in [("d00", "d39"), ("d05", "d05"), ("d09", "d21"), ("d40", "d99"), ("a", "b")]:
        expected = pq.read_table(path, filters=[("doc_id", ">=", doc_id_range[0]),
                                                ("doc_id", "<=", doc_id_range[1])])
        read = tables._read_part(path, None, doc_id_range)
        assert read.schema == expected.schema and read.equals(expected), doc_id_range
    read_groups = []
    original = pq.ParquetFile.read_row_groups
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pq.ParquetFile, "read_row_groups",
                      lambda file, groups, **kw: read_groups.append(groups) or original(file, groups, **kw))
        assert tables._read_part(path, ["n", "doc_id"], ("d12", "d25"))["n"].to_pylist() == list(range(12, 26))
    assert read_groups == [[1, 2]]


def test_an_empty_part_with_null_columns_reads_like_pyarrow_read_table_with_filters(tmp_path):
    empty = pd.DataFrame({"doc_id": pd.Series([], dtype=object), "speaker": pd.Series([], dtype=object)})
    path = tables.write_partition(empty, tmp_path, "quotes", 0)
    expected = pq.read_table(path, filters=[("doc_id", ">=", "a"), ("doc_id", "<=", "b")])
    read = tables._read_part(path, None, ("a", "b"))
    assert read.schema == expected.schema == pa.schema([("doc_id", pa.null()), ("speaker", pa.null())])
    assert read.num_rows == 0


def test_to_arrow_converts_like_pyarrows_threaded_default():
    # More than 100 rows per column: pyarrow's default would convert the columns in threads.
    n = 450
    frame = pd.DataFrame({
        "doc_id": pd.array([f"d{i:04d}" for i in range(n)], dtype="str"),
        "speaker_start": pd.array([None if i % 7 == 0 else i for i in range(n)], dtype="Int64"),
        "score": [float("nan") if i % 5 == 0 else i / 3 for i in range(n)],
        "title": [None] * n,
        "count": range(n),
    }, index=range(5, 5 + n))
    threaded = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    converted = tables.to_arrow(frame)
    assert converted.equals(threaded.replace_schema_metadata(None))
    assert converted.schema.metadata is None and converted.num_rows == n
    assert tables.to_arrow(frame.iloc[0:0]).schema == converted.schema.remove(3).insert(3, pa.field("title", pa.null()))
