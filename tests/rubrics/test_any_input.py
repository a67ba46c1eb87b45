"""No input of any shape breaks the dry run: the engine either refuses it (RequestError, which the
command turns into exit status 2 and the API into a 400) or scores it, and the result is always
written out, as JSON and as a table. Requests are generated: JSON values of every kind in every
place a request has, and rows of text in every script."""

import json
from decimal import Decimal as D
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rubrics.engine.io import ROW_KEYS, RequestError, parse_request, render_table, result_to_dict
from rubrics.engine.metrics import INPUTS
from rubrics.engine.scoring import score
from rubrics.library_files import library

RUBRICS = sorted(library())

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.text(max_size=30),
    st.sampled_from(["≥95%", "到0次", "2.5万", "年底前", "1e999999", "-1", "", "NaN", "完成"]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
rows = st.lists(
    st.one_of(
        json_values,
        st.dictionaries(st.sampled_from(sorted(ROW_KEYS)), json_values, max_size=len(ROW_KEYS)),
        st.fixed_dictionaries(
            {
                "level1": st.sampled_from(["产出指标", "產出指標（50分）", "效益", "", "其他"]),
                "name": st.text(min_size=1, max_size=12),
                "target": st.one_of(st.none(), st.text(max_size=20), scalars),
                "actual": st.one_of(st.none(), st.text(max_size=20), scalars),
                "weight": st.one_of(
                    st.integers(min_value=0, max_value=10**15), st.sampled_from(["1e14", "5"])
                ),
            }
        ),
    ),
    max_size=6,
)
requests = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "inputs": st.one_of(
                json_values,
                st.dictionaries(st.sampled_from(sorted(INPUTS)), json_values, max_size=6),
                st.fixed_dictionaries({"indicators": rows}),
            ),
            "claimed": st.one_of(json_values, st.dictionaries(st.text(max_size=6), scalars)),
        },
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RUBRICS), requests)
def test_any_request_is_refused_in_words_or_scored_and_written_out(
    rubric_id: str, body: Any
) -> None:
    try:
        inputs, claimed = parse_request(body)
    except RequestError as error:
        assert str(error)
        return
    result = score(library()[rubric_id], inputs, claimed)
    data = result_to_dict(result)
    json.dumps(data, ensure_ascii=False)
    render_table(data)
    assert D(0) <= result.total <= library()[rubric_id].total


# Text made of what tables are made of: digits, comparators, units, scale words, brackets,
# full-width and invisible characters, letters a scan mistakes for digits.
TABLE_CHARACTERS = (
    "0123456789.,%‰≥≤＞＜=═≧≦()（）；。 \u200b\ufeff万亿千元个次人天月年内前底以上下约第OoIlW-~"
)
TABLE_WORDS = [
    "百分比",
    "个工作日",
    "不低于",
    "不超过",
    "达标",
    "完成",
    "未",
    "萬",
    "產出",
    "控制率",
]
TABLE_ALPHABET = st.sampled_from([*TABLE_CHARACTERS, *TABLE_WORDS])
table_text = st.lists(TABLE_ALPHABET, max_size=12).map("".join)
valid_rows = st.lists(
    st.fixed_dictionaries(
        {
            "level1": st.sampled_from(
                ["产出指标", "產出指標（50分）", "效益指标", "满意度", "其他"]
            ),
            "level2": st.sampled_from(["", "数量指标", "成本指标"]),
            "name": st.sampled_from(["参训率", "预算调整率", "投诉", "金额", "满意度"]),
            "target": table_text,
            "actual": table_text,
            "weight": st.integers(min_value=0, max_value=200).map(str),
            "direction": st.sampled_from([None, "higher", "lower"]),
            "claimed": st.one_of(st.none(), st.integers(min_value=-5, max_value=50).map(str)),
        }
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(RUBRICS), valid_rows)
def test_rows_of_any_table_text_are_scored_within_their_weights(
    rubric_id: str, indicators: list[dict[str, Any]]
) -> None:
    inputs, claimed = parse_request({"inputs": {"indicators": indicators}})
    result = score(library()[rubric_id], inputs, claimed)
    for item in result.items:
        if item.score is not None and item.weight is not None:
            assert 0 <= item.score <= item.weight, item
        if item.parent and item.score is None:
            assert item.explanation
    for subtotal in result.subtotals:
        assert 0 <= subtotal.score <= subtotal.weight, subtotal
    render_table(result_to_dict(result))
