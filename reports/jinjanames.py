"""jinja2's lexer's name pattern compiled when a template is first lexed, not each time jinja2 is imported.

jinja2.lexer takes ``pattern`` from jinja2._identifier at import: 700 characters of Unicode ranges whose compiling cost
8.7 M instructions of every eval writing HTML with an empty cache (callgrind, importing reports.html_report: 992 -> 983
M), while the page template's code is shipped (reports.pagecode) and never lexed. Imported before jinja2
(reports.html_report), this module puts a stand-in for jinja2._identifier in sys.modules whose ``pattern`` is jinja2's
own, compiled from jinja2's file at its first use (an edited template, one of another jinja2): the lexer then works as
it did. Where jinja2 was imported first, nothing is done.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

NAME = "jinja2._identifier"


class _NamePattern:
    """jinja2._identifier.pattern as the lexer uses it (``match``, ``pattern``...): the real one's attributes."""

    def __getattr__(self, name: str) -> Any:
        return getattr(real_pattern(), name)


@functools.cache
def real_pattern() -> re.Pattern[str]:
    """jinja2's own name pattern, from its _identifier.py beside the imported jinja2 (ImportError when jinja2 has none);
    its module then replaces the stand-in in sys.modules."""
    path = Path(str(sys.modules["jinja2"].__file__)).with_name("_identifier.py")
    spec = importlib.util.spec_from_file_location(NAME, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"no {NAME} at {path}", name=NAME)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[NAME] = module
    found: re.Pattern[str] = module.pattern
    return found


def install() -> bool:
    """The stand-in in sys.modules, unless jinja2 (or the module) was imported already; whether it was put there."""
    if "jinja2" in sys.modules or NAME in sys.modules:
        return False
    stand_in = ModuleType(NAME, "jinja2's name pattern, compiled at first use (reports.jinjanames)")
    stand_in.pattern = _NamePattern()  # type: ignore[attr-defined]
    sys.modules[NAME] = stand_in
    return True


install()
