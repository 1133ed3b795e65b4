"""Generated printk formats and values, formatted by gcc + the C library's snprintf() where C99 and the kernel agree.

A case is a format and its arguments, each argument an (int, C type) pair: ``i`` an int, ``L`` a long long,
``s`` a string. The generator draws from every integer conversion (d i u o x X) with every flag (``-+ #0``),
literal and ``*`` widths and precisions, the length modifiers ``hh h l ll z t``, and from %c, %s and %%,
and keeps a conversion only where C99 (7.21.6.1) and lib/vsprintf.c print alike (``c99_agrees``); the
kernel-only corners are tested against values worked out from vsprintf.c by hand (test_printk_gcc.py).
``python -m tests.models.printkgen --cases 200000`` (``nox -s printkdiff``) runs a campaign and prints the first
disagreements (exit 1 when there is one).
"""

from __future__ import annotations

import argparse
import itertools
import random
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from models.printk import Arg, PrintkError, vsnprintf

_SIZES = {"hh": 8, "h": 16, "": 32, "l": 64, "ll": 64, "z": 64, "t": 64}
_LITERALS = ["", " ", "x=", "|", "[", "] ", ": ", "\t"]
_STRINGS = [b"", b"a", b"ab", b"abc", b"P-SEAMLDR", b"hello world", b"\xc3\xa9t\xc3\xa9"]


@dataclass(frozen=True)
class Case:
    """One snprintf() call: the format and its arguments as (value, C type) with C type one of "i", "L", "s"."""

    fmt: bytes
    args: tuple[tuple[int | bytes, str], ...]

    def mirror(self) -> bytes:
        """What the mirror's vsnprintf() makes of it (a 64-bit argument as its unsigned bits, as va_arg reads it)."""
        values: list[Arg] = [v if isinstance(v, bytes) else v & ((1 << 64) - 1) for v, _ in self.args]
        return vsnprintf(self.fmt, values).text


def _truncate(value: int, bits: int, signed: bool) -> int:
    value &= (1 << bits) - 1
    return value - (1 << bits) if signed and value >= 1 << (bits - 1) else value


def c99_agrees(flags: str, precision: int | None, conv: str, shown: int) -> bool:
    """Whether C99 and lib/vsprintf.c's number() print one integer conversion alike; ``shown`` is the value after
    the length modifier's conversion, ``precision`` None when none is given (a lone '.' is 0).

    Where they differ (read from number() and format_decode()): '#' is C's for o, x, X only (undefined for d,
    i, u); the kernel prints "0x0" for %#x of 0 (C: "0"); a digit for an explicit precision 0 of 0 (C: none);
    it keeps zero padding under a precision (C drops the '0' flag); its octal '0' prefix comes before the
    precision's zeros (C raises the precision).
    """
    if "#" in flags and conv in "diu":
        return False
    if "#" in flags and conv in "xX" and shown == 0:
        return False
    zero_pad = "0" in flags and "-" not in flags
    return precision is None or not (shown == 0 or zero_pad or ("#" in flags and conv == "o"))


def _flags(rng: random.Random, pool: str) -> str:
    return "".join(rng.choice(pool) for _ in range(rng.choice([0, 0, 1, 1, 2, 3])))


def _value(rng: random.Random, bits: int) -> int:
    edges = [0, 1, -1, 7, 8, 255, 256, (1 << (bits - 1)) - 1, -(1 << (bits - 1)), (1 << bits) - 1, 0x21, 0x80000000]
    return rng.choice(edges) if rng.random() < 0.5 else rng.randrange(-(1 << 63), 1 << 64)


def _width(rng: random.Random) -> tuple[str, list[tuple[int, str]], int | None]:
    """A field width: its text, the '*' argument, and its value (None: none); negative '*' means '-'."""
    kind = rng.choice(["none", "none", "digits", "digits", "star"])
    if kind == "none":
        return "", [], None
    if kind == "digits":
        w = rng.randint(1, 30)
        return str(w), [], w
    w = rng.randint(-30, 30)
    return "*", [(w, "i")], w


def _precision(rng: random.Random, dot: bool = True) -> tuple[str, list[tuple[int, str]], int | None]:
    """A precision: its text, the '*' argument, its value as C99 reads it (None: none; a lone '.' is 0)."""
    kind = rng.choice(["none", "none", "dot", "digits", "digits", "star"] if dot else ["none", "digits", "star"])
    if kind == "none":
        return "", [], None
    if kind == "dot":
        return ".", [], 0
    if kind == "digits":
        p = rng.randint(0, 25)
        return f".{p}", [], p
    p = rng.randint(0, 25)  # a negative '*' precision is the kernel's 0 and C's none: kernel-only
    return ".*", [(p, "i")], p


def _integer(rng: random.Random) -> tuple[str, list[tuple[int | bytes, str]]] | None:
    conv = rng.choice("diuoxX")
    length = rng.choice(list(_SIZES))
    bits = _SIZES[length]
    flags = _flags(rng, "-+ #0")
    wtext, wargs, _ = _width(rng)
    ptext, pargs, precision = _precision(rng)
    value = _value(rng, 64 if bits == 64 else 32)
    shown = _truncate(value, bits, conv in "di")
    if not c99_agrees(flags, precision, conv, shown):
        return None
    ctype = "L" if bits == 64 else "i"
    cvalue = _truncate(value, 64 if bits == 64 else 32, True)
    return f"%{flags}{wtext}{ptext}{length}{conv}", [*wargs, *pargs, (cvalue, ctype)]


def _char(rng: random.Random) -> tuple[str, list[tuple[int | bytes, str]]]:
    # '-' only: '0', '+', ' ', '#' on %c are undefined in C99 (glibc zero-pads with '0', the kernel never does).
    wtext, wargs, _ = _width(rng)
    return f"%{_flags(rng, '-')}{wtext}c", [*wargs, (rng.randint(1, 255), "i")]


def _string(rng: random.Random) -> tuple[str, list[tuple[int | bytes, str]]]:
    wtext, wargs, _ = _width(rng)
    # A lone '.' is C99's precision 0 and no precision to format_decode() (the whole string): kernel-only.
    ptext, pargs, _ = _precision(rng, dot=False)
    return f"%{_flags(rng, '-')}{wtext}{ptext}s", [*wargs, *pargs, (rng.choice(_STRINGS), "s")]


def generate(seed: int, count: int) -> list[Case]:
    """``count`` cases of one to three conversions each, drawn with ``seed``."""
    rng = random.Random(seed)
    cases: list[Case] = []
    while len(cases) < count:
        fmt, args = rng.choice(_LITERALS), []
        for _ in range(rng.randint(1, 3)):
            pick = rng.random()
            got = (_integer(rng) if pick < 0.7 else _char(rng) if pick < 0.8 else _string(rng) if pick < 0.95
                   else ("%%", []))
            if got is None:
                continue
            fmt += got[0] + rng.choice(_LITERALS)
            args += got[1]
        if "%" in fmt and len(args) <= 4:
            cases.append(Case(fmt.encode(), tuple(args)))
    return cases


# The C side: one program reads every case (hex format, then typed arguments) and prints snprintf()'s bytes.
def _dispatch() -> str:
    lines = []
    for n in range(5):
        for sig in itertools.product("iLs", repeat=n):
            name = "".join(sig)
            params = ", ".join(f"a[{k}].{t}" for k, t in enumerate(sig))
            call = f"snprintf(out, sizeof(out), fmt{', ' if params else ''}{params})"
            lines.append(f'\tif (!strcmp(sig, "{name}")) return {call};')
    return "\n".join(lines)


_PROGRAM = r"""
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
union arg { int i; long long L; const char *s; };
static char out[1 << 16];
static int hexval(int c) { return c <= '9' ? c - '0' : c - 'a' + 10; }
static char *unhex(const char *h)
{
	size_t n = strlen(h) / 2, k;
	char *s = malloc(n + 1);
	for (k = 0; k < n; k++)
		s[k] = (char)(hexval(h[2 * k]) * 16 + hexval(h[2 * k + 1]));
	s[n] = 0;
	return s;
}
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
static int call(const char *sig, const char *fmt, union arg *a)
{
@DISPATCH@
	return -1;
}
int main(void)
{
	static char line[1 << 16];
	while (fgets(line, sizeof(line), stdin)) {
		char sig[8] = "", *fields[8], *tok = strtok(line, " \n");
		union arg a[5];
		int n = 0, k, len;
		char *fmt = unhex(tok);
		while ((tok = strtok(NULL, " \n")) && n < 8)
			fields[n++] = tok;
		for (k = 0; k < n; k++) {
			sig[k] = fields[k][0];
			if (sig[k] == 's')
				a[k].s = unhex(fields[k] + 1);
			else if (sig[k] == 'i')
				a[k].i = (int)strtoll(fields[k] + 1, NULL, 10);
			else
				a[k].L = strtoll(fields[k] + 1, NULL, 10);
		}
		sig[n] = 0;
		len = call(sig, fmt, a);
		if (len < 0)
			printf("-");
		for (k = 0; k < len && k < (int)sizeof(out) - 1; k++)
			printf("%02x", (unsigned char)out[k]);
		printf("\n");
	}
	return 0;
}
"""


def _line(case: Case) -> str:
    fields = [case.fmt.hex()]
    for value, ctype in case.args:
        fields.append(f"s{value.hex()}" if isinstance(value, bytes) else f"{ctype}{value}")
    return " ".join(fields)


def c_library(cases: Sequence[Case], compiler: str = "gcc") -> list[bytes]:
    """snprintf() of every case by the C library, built and run once (``compiler``: gcc)."""
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = Path(tmp, "printkdiff.c"), Path(tmp, "printkdiff")
        src.write_text(_PROGRAM.replace("@DISPATCH@", _dispatch()))
        subprocess.run([compiler, "-O1", "-w", "-o", str(exe), str(src)], check=True, capture_output=True)
        stdin = "".join(_line(c) + "\n" for c in cases)
        res = subprocess.run([str(exe)], input=stdin.encode(), capture_output=True, check=True, timeout=120)
    lines = res.stdout.decode().splitlines()
    if "-" in lines:
        raise ValueError(f"a case of more than 4 arguments: {cases[lines.index('-')]}")
    return [bytes.fromhex(line) for line in lines]


def disagreements(cases: Sequence[Case], compiler: str = "gcc") -> list[tuple[Case, bytes, bytes | str]]:
    """(case, C library's bytes, mirror's bytes or its error) for every case the two print differently."""
    bad: list[tuple[Case, bytes, bytes | str]] = []
    for case, want in zip(cases, c_library(cases, compiler), strict=True):
        try:
            got: bytes | str = case.mirror()
        except PrintkError as exc:
            got = f"{type(exc).__name__}: {exc}"
        if got != want:
            bad.append((case, want, got))
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=0)
    opts = parser.parse_args()
    cases = generate(opts.seed, opts.cases)
    bad = disagreements(cases)
    print(f"{len(cases)} cases, {len(bad)} disagreements")
    for case, want, got in bad[:20]:
        print(f"  {case.fmt!r} {case.args}: C {want!r}, mirror {got!r}")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
