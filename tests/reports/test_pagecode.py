"""The page template's shipped Python (reports.pagecode) is what jinja2 generates.

The page template's shipped Python (reports.pagecode) is what jinja2 generates, used only for that template text and
jinja2 version: jinja2's own compiling is the oracle."""

from __future__ import annotations

import marshal
from pathlib import Path

import pytest
from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache

from reports import pagecode
from reports.pagecode import SHIPPED, TEMPLATE, PageCache, page_environment, page_source, shipped_code


def _template_source() -> tuple[str, str]:
    env = page_environment(None)
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, TEMPLATE)
    assert filename is not None
    return source, filename


def test_the_shipped_source_is_what_jinja2_generates_from_the_template() -> None:
    # Fails after an edit of report.html.j2 or a jinja2 upgrade: run python tools/make_page_code.py
    assert Path(SHIPPED).read_text(encoding="utf-8") == page_source()


def test_the_shipped_code_is_the_code_jinja2_compiles() -> None:
    source, filename = _template_source()
    env = page_environment(None)
    compiled = env.compile(source, TEMPLATE, filename)
    shipped = shipped_code(BytecodeCache().get_source_checksum(source))
    assert shipped is not None
    assert marshal.dumps(shipped) == marshal.dumps(compiled)


def test_a_fresh_cache_compiles_no_template_and_keeps_the_shipped_code(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("jinja2 compiled the page template")

    source, _ = _template_source()
    expected = page_environment(None).get_template(TEMPLATE)
    monkeypatch.setattr(Environment, "compile", refused)
    template = page_environment(PageCache(str(tmp_path))).get_template(TEMPLATE)
    assert marshal.dumps(template.root_render_func.__code__) == marshal.dumps(expected.root_render_func.__code__)
    assert len(list(tmp_path.iterdir())) == 1  # kept as jinja2 keeps what it compiles: read back by the next run
    again = page_environment(PageCache(str(tmp_path))).get_template(TEMPLATE)
    assert marshal.dumps(again.root_render_func.__code__) == marshal.dumps(expected.root_render_func.__code__)
    assert BytecodeCache().get_source_checksum(source) in Path(SHIPPED).read_text(encoding="utf-8").split("\n", 1)[0]


def test_another_template_text_or_jinja2_is_compiled_by_jinja2(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    source, _ = _template_source()
    checksum = BytecodeCache().get_source_checksum(source)
    assert shipped_code(checksum) is not None
    assert shipped_code(BytecodeCache().get_source_checksum(source + "<p>edited</p>\n")) is None
    bucket = Bucket(page_environment(None), "key", BytecodeCache().get_source_checksum(source + "x"))
    PageCache(str(tmp_path)).load_bytecode(bucket)
    assert bucket.code is None and not list(tmp_path.iterdir())
    monkeypatch.setattr(pagecode, "jinja_version", "0.0.0")
    assert shipped_code(checksum) is None
