"""A switch on a retry loop's answer read as the test it is (harness.switchform): the case that continues on K."""

from __future__ import annotations

import pytest
from pycparser import c_ast, c_generator, c_parser

from harness.switchform import case_continued

_GEN = c_generator.CGenerator()


def _read(cases: str, cond: str = "err", files: str = "") -> tuple[str, list[str]] | None:
    src = f"typedef unsigned long long u64;\ntypedef unsigned int u32;\n{files}void f(void) {{ u64 err; " \
          f"int left = 3; switch ({cond}) {{ {cases} }} }}"
    ext = c_parser.CParser().parse(src).ext
    func = ext[-1]
    defined = {x.decl.name: x for x in ext[:-1] if isinstance(x, c_ast.FuncDef)}
    sw = next(x for x in func.body.block_items if isinstance(x, c_ast.Switch))
    read = case_continued(func, sw, defined)
    return None if read is None else (_GEN.visit(read[0].cond), [_GEN.visit(n) for n in read[1]])


@pytest.mark.parametrize("cases, want", [
    ("case 5: if (--left) continue; break; default: break;", ("(err == 5) && (--left)", ["5", "--left"])),
    ("case 5: case 6: if (--left) continue; break;", ("((err == 5) || (err == 6)) && (--left)", ["5", "6", "--left"])),
    ("case 0: break; case 5: if (--left) "
     "{ continue; } break;", ("(err == 5) && (--left)", ["0", "5", "--left"])),
    # a bare 'continue' (a do/while's goes to its test): the case constants alone
    ("case 5: continue; default: break;", ("err == 5", ["5"])),
    ("case 0: break; case 5: case 6: continue;", ("(err == 5) || (err == 6)", ["0", "5", "6"])),
    # the default continuing: every answer no other group holds (its own cases among them)
    ("default: if (--left) continue; break; case 0: break;", ("(err != 0) && (--left)", ["0", "--left"])),
    ("case 0: case 1: break; case 5: default: continue;", ("(err != 0) && (err != 1)", ["0", "1", "5"])),
    # statements before the test that do nothing a run sees: a primitive with no effect, an empty statement
    ("case 5: cpu_relax(); if (--left) continue; break; default: break;", ("(err == 5) && (--left)", ["5", "--left"])),
    ("case 5: barrier(); (void)cpu_relax(); ; continue; default: break;", ("err == 5", ["5"])),
    ("default: cpu_relax(); if (--left) continue; break; case 0: break;", ("(err != 0) && (--left)", ["0", "--left"])),
    # the group's own test an '&&' chain: its operands joined after the case's test, left to right (C17 6.5.13p4)
    ("case 0: break; default: if (err == 5 && --left) continue; break;",
     ("((err != 0) && (err == 5)) && (--left)", ["0", "(err == 5) && (--left)"])),
    ("case 5: if (left > 1 && (err != 7 && --left)) continue; break; default: break;",
     ("(((err == 5) && (left > 1)) && (err != 7)) && (--left)", ["5", "(left > 1) && ((err != 7) && (--left))"])),
])
def test_the_continuing_case_is_its_constants_and_k(cases: str, want: tuple[str, list[str]]) -> None:
    assert _read(cases) == want


@pytest.mark.parametrize("cases, cond", [
    ("case 5: if (--left) continue; break; case 6: if (--left) continue; break;", "err"),
    ("case 5: if (--left) continue; break; default: return;", "err"),
    ("case 5: if (--left) continue; else return; break;", "err"),
    ("case 5: if (--left) break; break;", "err"),
    ("case 5: err |= 0; if (--left) continue; break;", "err"),
    # a statement a run may see before the test: a store, a delay (time), a print, a call of the files' or unknown
    ("case 5: left--; if (--left) continue; break;", "err"),
    ("case 5: udelay(1); if (--left) continue; break;", "err"),
    ('case 5: pr_err("again\\n"); if (--left) continue; break;', "err"),
    ("case 5: sc_pause(); continue; default: break;", "err"),
    ("case 5: cpu_relax(err = 0); if (--left) continue; break;", "err"),
    ("case 5: cpu_relax(); if (--left) continue; cpu_relax(); break;", "err"),
    ("case 5: if (--left) continue;", "err"),  # falls out of the switch without a break: not read
    ("case 5: if (--left) continue; break; case 6:", "err"),
    ("case 5: if (--left) continue; break;", "(u32)err"),  # the constants converted to 32 bits
    ("case 5: continue; case 6: continue;", "err"),
    ("case 5: continue; break;", "err"),
    ("case 5: continue;", "(u32)err"),
])
def test_any_other_switch_is_not_read(cases: str, cond: str) -> None:
    assert _read(cases, cond) is None


@pytest.mark.parametrize("files, read", [
    ("", True),
    # the files' functions: read where their bodies do nothing a run sees
    ("void cpu_relax(void) { }\n", True),
    ("static void sc_pause(void) { cpu_relax(); barrier(); return; }\n", True),
    ("static void sc_pause(void) { sc_nap(); }\nstatic void sc_nap(void) { ; }\n", True),
    ("int seen;\nvoid cpu_relax(void) { seen = 1; }\n", False),
    ("void cpu_relax(void) { udelay(1); }\n", False),
    ("static void sc_pause(void) { sc_pause(); }\n", False),  # itself again
    ("static void sc_pause(int n) { }\n", False),  # called with no constant: 'sc_pause(left)'
])
def test_a_function_the_files_define_is_read_in_its_body(files: str, read: bool) -> None:
    cases = "case 5: cpu_relax(); sc_pause(" + ("left" if "int n" in files else "") + \
        "); if (--left) continue; break; default: break;"
    if "sc_pause" not in files:
        cases = cases.replace(" sc_pause();", "")
    assert (_read(cases, files=files) is not None) is read


def test_an_answer_declared_with_a_typedef_of_the_files_is_read_through_it() -> None:
    src = "typedef long sc_err_t;\ntypedef int sc_small_t;\nvoid f(void) { sc_err_t err; int left = 3; " \
          "switch (err) { case 5: if (--left) continue; break; default: break; } }"
    ext = c_parser.CParser().parse(src).ext
    func = ext[-1]
    sw = next(x for x in func.body.block_items if isinstance(x, c_ast.Switch))
    typedefs = {t.name: t.type for t in ext if isinstance(t, c_ast.Typedef)}
    assert case_continued(func, sw, {}) is None  # the typedef not followed: not read
    read = case_continued(func, sw, {}, typedefs.get)
    assert read is not None and _GEN.visit(read[0].cond) == "(err == 5) && (--left)"
    assert case_continued(func, sw, {}, {"sc_err_t": typedefs["sc_small_t"]}.get) is None  # 32 bits


_FIRST = "case 0: break; default: if (!--left || !sc_no(err)) break; continue;"


@pytest.mark.parametrize("files, first", [
    # a helper returning a value of its parameters alone (and such helpers' values): its call put before the step
    ("static int sc_no(u64 e) { return e == 5; }\n", True),
    ("static int sc_is(u64 e, u64 c) { return e == c; }\nstatic int sc_no(u64 e) { return sc_is(e, 5); }\n", True),
    # one reading a file-scope variable, a member, a pointer's target, storing, calling what is not read, or itself
    ("static u64 seen;\nstatic int sc_no(u64 e) { return e == seen; }\n", False),
    ("static int sc_no(u64 e) { return e == ((struct s *)0)->n; }\n", False),
    ("static int sc_no(u64 e) { return e == *(u64 *)e; }\n", False),
    ("static int sc_no(u64 e) { e++; return e == 6; }\n", False),
    ("static int sc_no(u64 e) { return (e = 5) == 5; }\n", False),
    ("static int sc_no(u64 e) { return e == sc_peek(); }\n", False),
    ("static int sc_no(u64 e) { return e == 5 && sc_no(e); }\n", False),
    ("", False),  # not the files' at all
])
def test_a_counter_tested_first_goes_after_a_helper_that_returns_a_value_of_its_parameters(files: str,
                                                                                           first: bool) -> None:
    read = _read(_FIRST, files=files)
    assert read is not None
    want = "((err != 0) && sc_no(err)) && (--left)"
    assert (read[0] == want) is first, read[0]
    if not first:
        assert read[0] == "((err != 0) && (--left)) && sc_no(err)"
