"""A probe walk: 64 small pieces of SEAMCALL-helper kind, run by the mirror and by gcc.

A probe walk: 64 small pieces of the kind SEAMCALL helpers contain (u64 arithmetic and shifts, signed/unsigned
compares, printk formats, retry loops, switch, ?:, BIT_ULL/GENMASK_ULL tests, struct copies, early returns under
guard()/scoped_guard(), atomics, WARN messages, char arrays printed with %s), a second round of 56, a third of 96,
a fourth of 40 and a fifth of 141, run by the mirror and built by gcc from the text
(tests/fixtures/probe_walk/probe_walk*.h): every outcome agrees."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from tests.models.probegroup import Batch, batch_agrees_with_gcc, batch_result, batches, piece_names

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "probe_walk"
PROBES = (FIXTURES / "probe_walk.h").read_text()
GROUPS = PROBES.split("/* GROUP */\n")[1:]
# The second round: masked retry loops, shifts, ?: of mixed widths, printk formats, continue in do-while, fallthrough,
# guards, preemption and IRQ pairs, per-CPU operations, WARN values, __free, FIELD_GET()/GENMASK_ULL()/BIT_ULL(),
# a function's own static lock beside the file's of its name. Disagreements it found are tested where they were
# fixed (test_sequencing_gcc.py: a sum of three calls; test_lock_objects_gcc.py: a function's own static lock).
GROUPS2 = (FIXTURES / "probe_walk2.h").read_text().split("/* GROUP */\n")[1:]
# The third: helpers as a next revision might write them (retry loops of every shape, cleanup.h classes, per-CPU
# and get_cpu(), bitfield macros and builtins, printk corners, macros, function pointers, lvalues with side effects).
# Disagreements it found are tested where they were fixed (test_lvalue_once_gcc.py: an lvalue evaluated twice;
# test_fnptr_calls_gcc.py, test_get_cpu_gcc.py: refusals of C gcc builds).
GROUPS3 = (FIXTURES / "probe_walk3.h").read_text().split("/* GROUP */\n")[1:]
# The fourth (40): SEAMCALL helpers with retry loops (through a function pointer too), printk formats of error
# codes and promoted small integers, guards of each lock kind, per-CPU arrays and cmpxchg loops, integer promotions.
# What it runs that was fixed is tested where it was fixed (test_lock_kinds_gcc.py, test_percpu_elements_gcc.py).
GROUPS4 = (FIXTURES / "probe_walk4.h").read_text().split("/* GROUP */\n")[1:]
# The fifth (141): C's integer promotions and usual conversions (u8/u16/s8, mixed signedness, constants' types,
# narrowing casts and compound assignments, enums, bool, bit-fields), shifts and wraps, printk formats whose kernel
# output differs from C99's (%#016llx of 0, %08.3x, %#.3o, %.0d, %.*s of a negative precision, %hhx, %pe) and its
# records (continuations, embedded newlines, two levels), bit macros, min/max/clamp, control flow (retries with
# break/continue, fallthrough, case labels converted to the controlling type, goto cleanup, static locals, comma
# loops), sizeof, initializers, calls converting arguments and results, pointers to members, ops tables, jumps
# across guards, statement expressions, _Generic, READ_ONCE, swap. None disagreed. (The kernel-only printk output
# was also set against lib/vsprintf.c's own number() and format_decode(), built natively from the kernel's text
# outside the repo: 240,000 generated formats, none apart.) What it found refused though gcc runs it is tested
# where it was fixed (test_sequencing_gcc.py: stores to two members of a local struct).
GROUPS5 = (FIXTURES / "probe_walk5.h").read_text().split("/* GROUP */\n")[1:]


def test_the_walk_has_its_pieces() -> None:
    assert len(GROUPS) == 8 and len(re.findall(r"^static (?:long long|int) pw_\w+\(u64 fn", PROBES, re.M)) == 64


def test_the_second_round_has_its_pieces() -> None:
    assert len(GROUPS2) == 7
    assert sum(len(re.findall(r"^static (?:long long|int) pw2_\w+\(u64 fn", g, re.M)) for g in GROUPS2) == 56


def test_the_third_round_has_its_pieces() -> None:
    assert len(GROUPS3) == 16
    assert sum(len(re.findall(r"^static (?:long long|int) pw3_\w+\(u64 fn", g, re.M)) for g in GROUPS3) == 96


def test_the_fourth_round_has_its_pieces() -> None:
    assert len(GROUPS4) == 5
    assert sum(len(re.findall(r"^static (?:long long|int) pw4_\w+\(u64 fn", g, re.M)) for g in GROUPS4) == 40


def test_the_fifth_round_has_its_pieces() -> None:
    assert len(GROUPS5) == 19
    assert sum(len(re.findall(r"^static (?:long long|int) pw5_\w+\(u64 fn", g, re.M)) for g in GROUPS5) == 141


GROUP_IDS = [*map(str, range(8)), *(f"2.{i}" for i in range(7)), *(f"3.{i}" for i in range(16)),
             *(f"4.{i}" for i in range(5)), *(f"5.{i}" for i in range(19))]


def _text(group: str) -> str:
    rounds = {"2": GROUPS2, "3": GROUPS3, "4": GROUPS4, "5": GROUPS5}
    return GROUPS[int(group)] if "." not in group else rounds[group.split(".")[0]][int(group.split(".")[1])]


# The groups built a batch at a time (probegroup.batches: groups sharing no name, each its own entry point), each
# batch once per process: one mirror load and one gcc build per source for a batch, not for each of its groups.
BATCHES = batches({g: _text(g) for g in GROUP_IDS}, 12)


@functools.cache
def _batch(i: int) -> Batch:
    return batch_result(f"pwb{i}", {g: _text(g) for g in BATCHES[i]})


@pytest.mark.parametrize("group", GROUP_IDS)
def test_each_piece_runs_as_gcc_runs_it(group: str) -> None:
    batch = _batch(next(i for i, b in enumerate(BATCHES) if group in b))
    name = batch.result.variants[0].name
    for s in ("ok", "big"):
        out = batch.result.outcome(name, f"{batch.entries[group]}/ONE/{s}/demo.c")
        assert out.status == "ok", out.error
        assert not out.unrecorded_log and not out.unrecorded_calls, "past a record cap: split the group"
    batch_agrees_with_gcc(batch, group)


def test_groups_sharing_a_name_are_batched_apart() -> None:
    where = {g: i for i, b in enumerate(BATCHES) for g in b}
    assert sorted(where) == sorted(GROUP_IDS)
    for b in BATCHES:
        names = [piece_names(_text(g)) for g in b]
        assert all(not (x & y) for i, x in enumerate(names) for y in names[i + 1:]), b
    # 2.6 prints __stringify(PW2_BUSY), which 2.0 defines, and defines pw2_mtx as 2.3 does; 4.2 and 4.4 define pw4_raw
    assert where["2.0"] != where["2.6"] != where["2.3"] and where["4.2"] != where["4.4"]


def test_a_char_array_is_read_to_its_nul_and_refused_without_one() -> None:
    from tests.models.cprog import run

    head = "long f(u64 fn, struct tdx_module_args *args)\n{\n"
    out = run(head + '\tchar buf[8] = "ab";\n\tpr_info("%s|%.1s\\n", buf, buf);\n\treturn strlen(buf);\n}\n')
    assert (out.status, out.ret, [x.text for x in out.log]) == ("ok", 2, ["ab|a"]), out.error
    out = run(head + '\tchar buf[2] = { 1, 2 };\n\tpr_info("%s\\n", buf);\n\treturn 0;\n}\n')
    assert out.status == "error" and "test/prog.c:4: printk: %s of a pointer" in (out.error or "") \
        and "a char array with no NUL" in (out.error or ""), out.error
    out = run(head + '\tint a[2] = { 1, 2 };\n\tpr_info("%d\\n", a);\n\treturn 0;\n}\n')
    # the array decays to a pointer to its element 0 (C11 6.3.2.1p3), whose address %d would print
    assert out.status == "error" and "printk: %d of an object: its address is not modelled" in (out.error or ""), \
        out.error
