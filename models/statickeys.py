"""Static keys (include/linux/jump_label.h) as the prelude defines them: C the mirror and gcc both run.

A key is its enabled count, an atomic_t, as jump_label.h has it without CONFIG_JUMP_LABEL; with it the code patched in
at each branch is what the count says, so a run, which takes no time to patch, sees the same value either way. The
count starts as the DEFINE_ macro says (1 for ``DEFINE_STATIC_KEY_TRUE``, 0 for ``DEFINE_STATIC_KEY_FALSE``), and the
code of the input changes it (``static_branch_enable()`` and its kin): a key is a variable of the unit, which a setter
no run executes may change (harness.outsidewrites), as any other. A matrix script's static_keys_on and static_keys_off
start a run with a key on or off instead (start_key; docs/matrix.md).
"""

from __future__ import annotations

from typing import Any

from models.errors import UnsupportedConstruct

# include/linux/jump_label.h: struct static_key (its enabled count; the jump entries CONFIG_JUMP_LABEL adds are
# nothing a run reads), and the two kinds a DEFINE_ macro gives, each holding one as ``key``.
TYPES = """\
struct static_key {
	atomic_t enabled;
};
struct static_key_true {
	struct static_key key;
};
struct static_key_false {
	struct static_key key;
};
"""

# include/linux/jump_label.h. static_key_enabled() of a struct static_key * (what static_branch_likely() and
# static_branch_unlikely() hand it); the kernel's also takes the other two kinds, cast to their first member, a pun
# the mirror does not run: refused as a member the type lacks.
# static_key_enable() and static_key_disable() warn once where the count is not 0 or 1 and change nothing then;
# static_key_slow_inc() and static_key_slow_dec() count up and down (the !CONFIG_JUMP_LABEL forms).
MACROS: tuple[tuple[str, str], ...] = (
    ("STATIC_KEY_INIT_TRUE", "{ .enabled = ATOMIC_INIT(1) }"),
    ("STATIC_KEY_INIT_FALSE", "{ .enabled = ATOMIC_INIT(0) }"),
    ("STATIC_KEY_INIT", "STATIC_KEY_INIT_FALSE"),
    ("STATIC_KEY_TRUE_INIT", "{ .key = STATIC_KEY_INIT_TRUE }"),
    ("STATIC_KEY_FALSE_INIT", "{ .key = STATIC_KEY_INIT_FALSE }"),
    ("DEFINE_STATIC_KEY_TRUE(name)", "struct static_key_true name = STATIC_KEY_TRUE_INIT"),
    ("DEFINE_STATIC_KEY_TRUE_RO(name)", "struct static_key_true name __ro_after_init = STATIC_KEY_TRUE_INIT"),
    ("DECLARE_STATIC_KEY_TRUE(name)", "extern struct static_key_true name"),
    ("DEFINE_STATIC_KEY_FALSE(name)", "struct static_key_false name = STATIC_KEY_FALSE_INIT"),
    ("DEFINE_STATIC_KEY_FALSE_RO(name)", "struct static_key_false name __ro_after_init = STATIC_KEY_FALSE_INIT"),
    ("DECLARE_STATIC_KEY_FALSE(name)", "extern struct static_key_false name"),
    ("static_key_count(x)", "atomic_read(&(x)->enabled)"),
    ("static_key_enabled(x)", "(static_key_count(x) > 0)"),
    ("static_branch_likely(x)", "likely_notrace(static_key_enabled(&(x)->key))"),
    ("static_branch_unlikely(x)", "unlikely_notrace(static_key_enabled(&(x)->key))"),
    ("static_key_enable(k)", "do { struct static_key *__sh_sk = (k); if (atomic_read(&__sh_sk->enabled) != 0) "
                             "WARN_ON_ONCE(atomic_read(&__sh_sk->enabled) != 1); "
                             "else atomic_set(&__sh_sk->enabled, 1); } while (0)"),
    ("static_key_disable(k)", "do { struct static_key *__sh_sk = (k); if (atomic_read(&__sh_sk->enabled) != 1) "
                              "WARN_ON_ONCE(atomic_read(&__sh_sk->enabled) != 0); "
                              "else atomic_set(&__sh_sk->enabled, 0); } while (0)"),
    ("static_key_slow_inc(k)", "atomic_inc(&(k)->enabled)"),
    ("static_key_slow_dec(k)", "atomic_dec(&(k)->enabled)"),
    ("static_branch_enable(x)", "static_key_enable(&(x)->key)"),
    ("static_branch_disable(x)", "static_key_disable(&(x)->key)"),
    ("static_branch_inc(x)", "static_key_slow_inc(&(x)->key)"),
    ("static_branch_dec(x)", "static_key_slow_dec(&(x)->key)"),
)

# The members from a key's object down to its count (an atomic_t's int), by the struct's tag.
_COUNT_STEPS: dict[str, tuple[str, ...]] = {"static_key": ("enabled", "counter"),
                                            "static_key_true": ("key", "enabled", "counter"),
                                            "static_key_false": ("key", "enabled", "counter")}
_IDENT_HEAD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")
_IDENT_CHARS = _IDENT_HEAD | frozenset("0123456789")


def key_name(name: str) -> bool:
    """Whether ``name`` can name a static key: a C identifier (C11 6.4.2.1, ASCII) of at most 63 characters that is
    not an X86_FEATURE_* or X86_BUG_* name (a script's CPU features share its state list with its keys)."""
    return (0 < len(name) <= 63 and name[0] in _IDENT_HEAD and _IDENT_CHARS.issuperset(name)
            and not name.startswith(("X86_FEATURE_", "X86_BUG_")))


def count_path(name: str, tag: str | None) -> str | None:
    """The C path of the count of a file-scope key ``name`` whose struct has tag ``tag`` (``k.key.enabled.counter``),
    None where the tag is no static key's."""
    steps = _COUNT_STEPS.get(tag or "")
    return None if steps is None else ".".join((name, *steps))


def start_key(obj: Any, tag: str | None, name: str, state: tuple[tuple[str, bool], ...], where: str) -> None:
    """Set the count of the key object ``obj`` (a models.machine.StructObj of tag ``tag``), named ``name``, to 1 or 0
    where the run's script turns the key on or off (``state``: (name, on), its static_keys_on and static_keys_off),
    as the run starts: the DEFINE_ macro's count otherwise. What code of the input does to it then is the run's.
    Raises UnsupportedConstruct at ``where`` (the object's definition) where the script names an object that is no
    static key (a plain ``int``, an array of keys, a pointer): its word would otherwise be silently unused."""
    steps = _COUNT_STEPS.get(tag or "")
    on = next((has for known, has in state if known == name), None) if key_name(name) else None
    if on is None:
        return
    if steps is None:
        raise UnsupportedConstruct(where, f"the run's script turns {name} {'on' if on else 'off'} (static_keys_on or "
                                          f"static_keys_off), but {name} is no static key (DEFINE_STATIC_KEY_TRUE() or "
                                          "_FALSE, a struct static_key): the script's word has no count to set")
    for step in steps[:-1]:
        obj = obj[step]
    obj[steps[-1]] = int(on)
