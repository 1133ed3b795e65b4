"""reports.formats: which JSON layout an eval report is written in."""

from __future__ import annotations

from reports.formats import BIG_JSON_ROWS, EVAL_FORMATS, json_format_for


def test_auto_is_rows_up_to_the_limit_and_by_variant_past_it_with_a_note() -> None:
    assert json_format_for("auto", BIG_JSON_ROWS) == ("json", None)
    name, note = json_format_for("auto", BIG_JSON_ROWS + 1)
    assert name == "json-by-variant" and note is not None and f"{BIG_JSON_ROWS + 1:,} results" in note


def test_an_explicit_layout_is_kept_whatever_the_size_and_says_nothing() -> None:
    assert json_format_for("rows", 10 * BIG_JSON_ROWS) == ("json", None)
    assert json_format_for("by-variant", 1) == ("json-by-variant", None)
    assert {json_format_for(x, 0)[0] for x in ("auto", "rows", "by-variant")} <= set(EVAL_FORMATS)
