import pandas as pd
import pytest

from kursk_utils.tables import require_columns


def test_require_columns_names_the_table_and_what_is_missing():
    with pytest.raises(ValueError, match=r"quotes table is missing column\(s\) \['role'\]; it has \['doc_id'\]"):
        require_columns(pd.DataFrame({"doc_id": ["a"]}), ["doc_id", "role"], "quotes")
    with pytest.raises(TypeError, match="quotes must be a pandas DataFrame, got list"):
        require_columns([], ["doc_id"], "quotes")
    require_columns(pd.DataFrame({"doc_id": ["a"], "role": ["x"]}), ["doc_id", "role"], "quotes")
