"""One pcpp Evaluator of #if expressions serves every definition expanded (models.cpp).

One pcpp Evaluator of #if expressions serves every definition expanded (models.cpp): each expression is
evaluated on its own, one that fails included."""

from __future__ import annotations

import pytest

from models import cpp
from models.errors import LoadError


def test_every_preprocessor_shares_the_evaluator() -> None:
    first, second = (cpp._NoIncludes(cpp._LEXER.clone()) for _ in range(2))
    assert first.evaluator is second.evaluator is cpp._EVALUATOR


def test_expressions_are_evaluated_alone_before_and_after_one_that_fails() -> None:
    text = "#define A 3\n#if A * 2 == 6 && defined(A)\nint yes;\n#else\nint no;\n#endif\n"
    assert "int yes;" in cpp._preprocess(text)
    with pytest.raises(LoadError):
        cpp._preprocess("#if 1 +\nint x;\n#endif\n")
    assert "int no;" in cpp._preprocess(text.replace("#define A 3", "#define A 4"))
    assert "int yes;" in cpp._preprocess(text)
