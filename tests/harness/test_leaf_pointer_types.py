"""leaf-base where the printer is called through a pointer type that converts the leaf.

leaf-base where the P-SEAMLDR's printer is called through a pointer whose declared type converts the leaf (a bool,
a u8): the printer's own u64 parameter does not make what it prints the leaf (models.pointertypes), checked against
gcc's build."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.verdict import VerdictStatus
from tests.harness.test_leaf_base_by_conversion import MASKED, _gcc_bases, _logger, _rules, _split

LOGGER = _logger("u64", "%llu")  # sc_log(u64 leaf, u64 err) printing 'P-SEAMLDR (%llu) failed'


def _table(param: str) -> str:
    return (f"typedef void (*sc_log_t)({param}, u64);\n\nstruct sc_log_ops {{\n\tsc_log_t log;\n}};\n\n"
            "static const struct sc_log_ops sc_log_ops = { .log = (sc_log_t)sc_log };\n\n")


def _pointer(param: str) -> str:
    return f"static void (*const sc_log_p)({param}, u64) = (void (*)({param}, u64))sc_log;\n\n"


def _array(param: str) -> str:
    return f"static void (*const sc_logs[])({param}, u64) = {{ (void (*)({param}, u64))sc_log }};\n\n"


def _local(param: str) -> str:
    return f"\t\tvoid (*p)({param}, u64) = (void (*)({param}, u64))sc_log;\n\n\t\tp({MASKED}, err);\n"


NARROWED = {
    "bool pointer": (_pointer("bool"), f"\t\tsc_log_p({MASKED}, err);\n"),
    "u8 typedef in a table": (_table("u8"), f"\t\tsc_log_ops.log({MASKED}, err);\n"),
    "bool local pointer": ("", _local("bool")),
    "bool array, dereferenced": (_array("bool"), f"\t\t(*sc_logs[0])({MASKED}, err);\n"),
    "bool function typedef": ("typedef void sc_log_fn(bool, u64);\n\n"
                              "static sc_log_fn *const sc_log_p = (sc_log_fn *)sc_log;\n\n",
                              f"\t\tsc_log_p({MASKED}, err);\n"),
}


@pytest.mark.parametrize("name", list(NARROWED))
def test_a_printer_called_through_a_narrowing_pointer_type_never_passes(tmp_path: Path, name: str) -> None:
    # Before: PASS ("P-SEAMLDR decimal by '%llu'"): sc_log()'s own parameter is a u64, so the masked leaf it was handed
    # counted as the leaf itself and its '(0)'/'(1)' told decimal. gcc converts to the pointer's parameter type:
    # a P-SEAMLDR leaf of 0x21 prints as 1 through the bool (33 through the u8, and 0x121 too).
    tables, call = NARROWED[name]
    printing = _split(call)
    module, loader = _gcc_bases(tmp_path, printing, LOGGER + tables)
    assert module == {"decimal"}
    assert loader == ({"decimal"} if "u8" in name else set())
    status, note = _rules(tmp_path, printing, LOGGER + tables)["leaf-base-consistent"]
    assert status is VerdictStatus.INCONCLUSIVE, note
    assert "read the same in decimal and in hex" in note, note


KEPT = {
    "u64 pointer": (_pointer("u64"), f"\t\tsc_log_p({MASKED}, err);\n"),
    "u64 typedef in a table": (_table("u64"), f"\t\tsc_log_ops.log({MASKED}, err);\n"),
    "unsigned int local pointer": ("", _local("unsigned int")),
    "u64 array, dereferenced": (_array("u64"), f"\t\t(*sc_logs[0])({MASKED}, err);\n"),
}


@pytest.mark.parametrize("name", list(KEPT))
def test_a_printer_called_through_a_pointer_type_that_keeps_the_leaf_passes(tmp_path: Path, name: str) -> None:
    # Near misses: the pointer's type keeps the low 32 bits, gcc prints the leaf in decimal for both.
    tables, call = KEPT[name]
    printing = _split(call)
    assert _gcc_bases(tmp_path, printing, LOGGER + tables) == ({"decimal"}, {"decimal"})
    status, note = _rules(tmp_path, printing, LOGGER + tables)["leaf-base-consistent"]
    assert status is VerdictStatus.PASS, note
    assert "P-SEAMLDR decimal by '%llu' at seamcall_internal.h:" in note, note


def _typedefd(param: str, block: str = "") -> tuple[str, str]:
    """A pointer declared in the caller with a parameter of the file's own typedef ``sc_leaf_t`` of ``param``;
    ``block``: a typedef of that name the caller declares itself."""
    return (f"typedef {param} sc_leaf_t;\n\n",
            f"{block}\t\tvoid (*p)(sc_leaf_t, u64) = (void (*)(sc_leaf_t, u64))sc_log;\n\n\t\tp({MASKED}, err);\n")


@pytest.mark.parametrize(("name", "shape", "want"), [
    ("u64 typedef", _typedefd("u64"), VerdictStatus.PASS),
    ("unsigned int typedef", _typedefd("unsigned int"), VerdictStatus.PASS),
    ("typedef of a typedef", ("typedef u64 sc_wide_t;\n\n" + _typedefd("sc_wide_t")[0], _typedefd("u64")[1]),
     VerdictStatus.PASS),
    # Near misses: a typedef that narrows, one the caller's own typedef hides (gcc takes the block's u8).
    ("bool typedef", _typedefd("bool"), VerdictStatus.INCONCLUSIVE),
    ("u8 typedef", _typedefd("u8"), VerdictStatus.INCONCLUSIVE),
    ("u64 typedef hidden by a u8 one", _typedefd("u64", "\t\ttypedef u8 sc_leaf_t;\n\n"), VerdictStatus.INCONCLUSIVE),
], ids=lambda x: x if isinstance(x, str) else "")
def test_a_pointer_parameter_of_a_typedef_of_the_file_is_read_through_it(tmp_path: Path, name: str,
                                                                         shape: tuple[str, str],
                                                                         want: VerdictStatus) -> None:
    # Before: INCONCLUSIVE for the three kept ones (a parameter type spelt otherwise than an integer type was taken
    # to narrow the leaf). gcc prints a P-SEAMLDR leaf of 0x21 as 33 through them; 1 through the bool, and 0x121 as
    # 33 through the u8s.
    tables, call = shape
    printing = _split(call)
    module, loader = _gcc_bases(tmp_path, printing, LOGGER + tables)
    assert module == {"decimal"} and (loader == {"decimal"}) is (want is VerdictStatus.PASS or "u8" in name)
    status, note = _rules(tmp_path, printing, LOGGER + tables)["leaf-base-consistent"]
    assert status is want, note
