"""reports.jinjanames: jinja2's name pattern compiled at the lexer's first use, which then lexes as jinja2's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Names of several scripts, a name with a digit, and text around them: what the name pattern decides.
SOURCE = "{% set äb = 3 %}{{ äb }} {{ x_1 }} {% for ναι in [1] %}{{ ναι|string }}{% endfor %} {{ 名前 }}"


def _python(code: str) -> object:
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out)


def test_importing_the_html_renderer_compiles_no_name_pattern() -> None:
    code = ("import json, re, reports.html_report, reports.jinjanames as j, jinja2.lexer as lexer; "
            "print(json.dumps([isinstance(lexer.name_re, re.Pattern), j.real_pattern.cache_info().misses]))")
    assert _python(code) == [False, 0]


def test_the_lexer_with_the_late_pattern_lexes_as_jinja2s_own() -> None:
    lex = (f"import json, jinja2; e = jinja2.Environment(); t = list(e.lex({SOURCE!r})); "
           f"print(json.dumps([t, e.from_string({SOURCE!r}).render(x_1=2, 名前='n')]))")
    own = _python(lex)
    late = _python("import reports.jinjanames, re, sys; " + lex.replace("print(", "assert isinstance("
                   "sys.modules['jinja2._identifier'].pattern, re.Pattern); print(", 1))
    assert late == own and "äb" in json.dumps(own, ensure_ascii=False)


def test_nothing_is_put_in_place_once_jinja2_is_imported() -> None:
    code = ("import json, jinja2, reports.jinjanames as j; "
            "print(json.dumps([j.install(), j.real_pattern.cache_info().misses]))")
    assert _python(code) == [False, 0]
