"""models/typesys.py: what it refuses, named at the struct's own line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.models.cprog import run
from tests.models.probegroup import runs_as_gcc

HEAD = "long f(u64 fn, struct tdx_module_args *args)\n{\n"


@pytest.mark.parametrize(("types", "tag"), [
    ("struct n { int v; struct n inner; };\n", "n"),
    ("struct a; struct b { struct a pa; int v; }; struct a { struct b pb; int v; };\n", "a"),
    ("struct n { int v; struct n more[2]; };\n", "n"),
    ("struct n { int v; struct { struct n back; } *up; };\n", "n"),
])
def test_a_struct_holding_itself_is_refused_at_its_line(types: str, tag: str) -> None:
    # Not behind a pointer, the struct would hold itself (gcc: 'field has incomplete type'). Before 919f151 the
    # resolution recursed until Python's limit ("f(): Python recursion limit reached", as if the C recursed).
    out = run(types + HEAD + f"\tstruct {tag} x = {{ .v = 3 }};\n\n\treturn x.v;\n}}\n")
    assert out.status == "error"
    assert (out.error or "").startswith(f"test/prog.c:1: struct {tag} is reached again through its own members, "
                                        "not behind a pointer"), out.error


@pytest.mark.parametrize(("types", "size"), [
    ("struct n { int v; struct n *next; };\n", 16),
    ("struct a; struct b { struct a *pa; int v; }; struct a { struct b *pb; int v; };\n", 16),
    ("typedef struct n n_t;\nstruct n { n_t *next; int v; struct n *(*step)(struct n *); };\n", 24),
])
def test_a_struct_pointing_to_itself_is_modelled(types: str, size: int) -> None:
    # C11 6.7.2.3p8: the tag names the incomplete struct inside its own members; a pointer to it needs no layout.
    # Refused at its line before (919f151: 'struct n is reached again through its own members ... not modelled').
    tag = "a" if "struct a {" in types else "n"
    out = run(types + HEAD + f"\tstruct {tag} x = {{ .v = 3 }};\n\n\treturn x.v + sizeof(x);\n}}\n")
    assert out.status == "ok", out.error
    assert out.ret == 3 + size


# include/linux/ioport.h's struct resource, and a list_head-style ring: members that point at their own struct.
LINKED = r"""
struct resource {
	resource_size_t start;
	resource_size_t end;
	const char *name;
	unsigned long flags;
	unsigned long desc;
	struct resource *parent, *sibling, *child;
};

struct ring { struct ring *next, *prev; };
struct item { u32 id; struct ring link; };

static long long pw_linked(u64 fn, struct tdx_module_args *args)
{
	struct resource root = { .start = 0, .end = 0xffffffff, .name = "root", .flags = 0x200 };
	struct resource a = { .start = 0xfed00000, .end = 0xfed003ff, .flags = 0x200, .parent = &root };
	struct resource b = { .start = 0x3f8, .end = 0x3ff, .flags = 0x100, .parent = &root };
	struct item x = { .id = 7 }, y = { .id = 9 };
	struct ring head = { &head, &head };
	struct resource *p;
	struct ring *r;
	u64 sum = 0;

	root.child = &a;
	a.sibling = &b;
	x.link.next = &y.link; x.link.prev = &head; y.link.next = &head; y.link.prev = &x.link;
	head.next = &x.link; head.prev = &y.link;
	for (p = root.child; p; p = p->sibling)
		pr_info("%pR in %pr (%s) %d\n", p, p->parent, p->parent->name, p->parent->child == &a);
	for (r = head.next; r != &head; r = r->next)
		sum = sum * 10 + container_of(r, struct item, link)->id;
	pr_info("%zu %zu %zu %zu %llu\n", sizeof(struct resource), offsetof(struct resource, child),
		sizeof(struct item), offsetof(struct item, link.prev), sum);
	return (long long)sum + (long long)sizeof(root);
}
"""


@pytest.mark.skipif(shutil.which("cc") is None and shutil.which("gcc") is None,
                    reason="gcc, the oracle, is not installed")
def test_struct_resource_and_a_ring_run_as_gcc_builds_them(tmp_path: Path) -> None:
    # The kernel's own struct resource (parent, sibling, child) with %pR/%pr, and a ring of links walked through
    # container_of(): gcc's build of the same code logs the same lines (sizes and offsets too) and returns the same.
    result = runs_as_gcc(tmp_path, "lk", "demo/lk.h", LINKED)
    out = result.outcome("lk", "busy/ONE/ok/demo.c")
    root = "[mem 0x00000000-0xffffffff flags 0x200] (root) 1"
    assert [x.text for x in out.log] == [f"[mem 0xfed00000-0xfed003ff] in {root}", f"[io  0x03f8-0x03ff] in {root}",
                                         "64 56 24 16 79"]
