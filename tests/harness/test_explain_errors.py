"""Two error outcomes are never "no change": what the mirror could not run is not compared at all."""

from __future__ import annotations

from pathlib import Path

from harness.compare import compare_pair
from harness.runner import MatrixRequest, run_matrix
from models.mirror import ErrorKind, Outcome
from tests.harness.variantgen import matrix, variant


def test_unsupported_errors_did_not_run() -> None:
    why = "a/b.h:7: printk: %pS prints a symbol name, which the mirror does not model"
    a = Outcome("error", error=why, error_kind=ErrorKind.UNSUPPORTED)
    assert not a.ran
    assert Outcome("error", error="a/b.h:9: division by zero", error_kind=ErrorKind.RUNTIME).ran


def test_both_sides_unsupported_is_not_compared(tmp_path: Path) -> None:
    # pr_err() with %pS: the mirror refuses the conversion on both sides, with different line numbers.
    extra = 'static inline int demo_sym(u64 fn, struct tdx_module_args *args)\n{\n\tpr_err("%pS\\n", args);\n' \
            "\treturn demo_prerr(fn, args);\n}\n"
    text = matrix(tmp_path).path.read_text() + '\n[[entry]]\nname = "demo_sym"\n'
    (tmp_path / "m2.toml").write_text(text)
    from harness.matrix import load_matrix

    m = load_matrix(tmp_path / "m2.toml")
    r = run_matrix(MatrixRequest((variant("a", extra=extra), variant("b", extra="\n" + extra)), m, jobs=1))
    cmp = compare_pair(r, "a", "b", "patch", "x")
    assert not cmp.unchanged and cmp.compared < cmp.total
    assert any("demo_sym" in g.entries for g in cmp.gaps)
    assert "no behaviour change" not in cmp.summary()
