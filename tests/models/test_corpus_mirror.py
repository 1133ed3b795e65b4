"""The mirror on the real series: the facts the review argues about, from the corpus alone."""

from __future__ import annotations

import pytest

from models.loader import EntryPoint, Source
from models.machine import Answer
from models.mirror import Mirror, RunRequest, load_mirror

LDR_LEAF, LDR_NO_ENTROPY = 0x8000000000000001, 0x8000000000030001
TDX_NO_ENTROPY = 0x8000020300000000
ENTRIES = tuple(EntryPoint(n) for n in ("seamcall", "seamcall_ret", "seamcall_prerr", "seamcall_prerr_ret",
                                        "seamldr_prerr"))


def _mirror(variants, name: str) -> Mirror:  # type: ignore[no-untyped-def]
    v = variants.get(name)
    sources = tuple(Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete)
                    for f in v.files if f.path.endswith((".c", ".h")))
    return load_mirror(sources, ENTRIES)


def test_v3_06_seamldr_retries_ten_times(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    out = _mirror(corpus_variants, "v3:06").run(
        RunRequest("seamldr_prerr", LDR_LEAF, (Answer(LDR_NO_ENTROPY),) * 11, "seamldr: "))
    assert out.status == "ok" and len(out.calls) == 10 and out.ret == -5 and out.errno == "EIO"
    assert [x.text for x in out.log] == ["seamldr: P-SEAMLDR (8000000000000001) failed: 0x8000000000030001"]
    assert {c.component for c in out.calls} == {"P-SEAMLDR"}


def test_v3_06_tdx_retry_then_success(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    out = _mirror(corpus_variants, "v3:06").run(
        RunRequest("seamcall_prerr", 33, (Answer(TDX_NO_ENTROPY), Answer(0)), "virt/tdx: "))
    assert out.status == "ok" and len(out.calls) == 2 and out.ret == 0 and out.log == ()


def test_pre_series_sc_retry_from_fragments(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    m = _mirror(corpus_variants, "v3:00")
    sc_retry = next(d for d in m.program.used if d.name == "sc_retry")
    assert sc_retry.path == "arch/x86/include/asm/tdx.h"
    out = m.run(RunRequest("seamcall", 35, (Answer(TDX_NO_ENTROPY),) * 3 + (Answer(0),), "virt/tdx: "))
    assert out.status == "ok" and len(out.calls) == 4
    assert all(c.preempt_count == 1 and c.percpu == (("cache_state_incoherent", 1),) for c in out.calls)
    assert not [e for e in out.events if e.kind == "violation"]
    assert not m.provides("seamldr_prerr")


@pytest.mark.parametrize(("name", "line"), [
    ("v3:00", "virt/tdx: SEAMCALL (0x0000000000000021) failed: 0x8000000000000005"),
    ("v3:01", "virt/tdx: SEAMCALL (33) failed: 0x8000000000000005"),
    ("v3:02", "virt/tdx: SEAMCALL (33) failed: 0x8000000000000005"),
    ("gao-answer", "virt/tdx: SEAMCALL (0x21) failed: 0x8000000000000005"),
])
def test_leaf_format_per_state(corpus_variants, name: str, line: str) -> None:  # type: ignore[no-untyped-def]
    out = _mirror(corpus_variants, name).run(
        RunRequest("seamcall_prerr", 33, (Answer(0x8000000000000005),), "virt/tdx: "))
    assert [x.text for x in out.log] == [line]


def test_hash_prefix_changes_small_values(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    before = _mirror(corpus_variants, "v3:01").run(RunRequest("seamcall_prerr", 33, (Answer(0x1234),), ""))
    after = _mirror(corpus_variants, "v3:02").run(RunRequest("seamcall_prerr", 33, (Answer(0x1234),), ""))
    assert [x.text for x in before.log] == ["SEAMCALL (33) failed: 0x0000000000001234"]
    assert [x.text for x in after.log] == ["SEAMCALL (33) failed: 0x00000000001234"]


def test_yilun_retries_tdx_leaf_on_seamldr_code(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    m = _mirror(corpus_variants, "yilun-either-code")
    out = m.run(RunRequest("seamcall", 33, (Answer(LDR_NO_ENTROPY),) * 11, "virt/tdx: "))
    assert len(out.calls) == 10
    v3 = _mirror(corpus_variants, "v3").run(RunRequest("seamcall", 33, (Answer(LDR_NO_ENTROPY),) * 11, ""))
    assert len(v3.calls) == 1


def test_wrapper_with_asm_runs_up_to_the_asm(corpus_variants) -> None:  # type: ignore[no-untyped-def]
    v = corpus_variants.get("v3")
    sources = tuple(Source(f.path, tuple((fr.start, fr.lines) for fr in f.fragments()), f.complete)
                    for f in v.files if f.path.endswith((".c", ".h")))
    m = load_mirror(sources, (EntryPoint("seamldr_call"),))
    tdx = m.run(RunRequest("seamldr_call", 33, (Answer(0),), "seamldr: "))
    assert tdx.status == "ok" and tdx.ret == -22 and tdx.errno == "EINVAL" and tdx.calls == ()
    ldr = m.run(RunRequest("seamldr_call", LDR_LEAF, (Answer(0),), "seamldr: "))
    assert ldr.status == "error" and ldr.error is not None
    assert ldr.error.startswith("arch/x86/virt/vmx/tdx/seamldr.c:") and "inline asm is not modelled" in ldr.error
    assert [e.detail for e in ldr.events] == ["disabled (saved)"]
