"""harness.launch: the command line's process hashes with hashlib's own implementations, never loading libcrypto."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.launch import BUILTIN_HASHES

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/maps"), reason="needs Linux's /proc/self/maps")

# console() with a command that says what the process has mapped and which hashlib it got: harness.cli is given as a
# module of its own, so that nothing of the harness is imported before console() is.
_CONSOLE = """
import sys, types
cli = types.ModuleType("harness.cli")
def main():
    import hashlib
    with open("/proc/self/maps") as f:
        mapped = "libcrypto" in f.read()
    print(mapped, sys.modules.get("_hashlib", "absent"), hashlib.sha256(b"seam").hexdigest(), hashlib.sha256)
    return 0
cli.main = main
sys.modules["harness.cli"] = cli
from harness.launch import console
console()
"""


def _python(code: str, *args: str) -> str:
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, check=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT)
    return res.stdout


def _has_builtins() -> bool:
    try:
        for name in BUILTIN_HASHES:
            __import__(name)
    except ImportError:
        return False
    return True


@pytest.mark.skipif(not _has_builtins(), reason="this Python lacks one of hashlib's own implementations")
def test_the_command_line_never_loads_libcrypto() -> None:
    # Before: harness.recache imported hashlib, which loaded OpenSSL's libcrypto (some 3.4 MB of resident memory).
    mapped, hashlib_c, digest, constructor = _python(_CONSOLE).split(maxsplit=3)
    assert (mapped, hashlib_c) == ("False", "None")
    assert digest == hashlib.sha256(b"seam").hexdigest()  # this process's: OpenSSL's where it has one
    assert "built-in" in constructor


@pytest.mark.skipif(not _has_builtins(), reason="this Python lacks one of hashlib's own implementations")
def test_the_builtin_digests_are_openssls() -> None:
    code = ("import sys\nfrom harness.launch import builtin_hashes\nbuiltin_hashes()\nimport hashlib\n"
            "for size in (0, 1, 55, 56, 64, 1000, 1 << 20):\n"
            "    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))\n"
            "    print(*(getattr(hashlib, n)(data).hexdigest() for n in ('sha256', 'sha1', 'md5')))\n"
            "print(sys.modules['_hashlib'])\n")
    lines = _python(code).splitlines()
    assert lines[-1] == "None"
    want = []
    for size in (0, 1, 55, 56, 64, 1000, 1 << 20):
        data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
        want.append(" ".join(getattr(hashlib, n)(data).hexdigest() for n in ("sha256", "sha1", "md5")))
    assert lines[:-1] == want


def test_a_hashlib_already_loaded_is_left_as_it_is() -> None:
    code = ("import sys, hashlib\nfrom harness.launch import builtin_hashes\nhave = '_hashlib' in sys.modules\n"
            "builtin_hashes()\nprint(have, sys.modules.get('_hashlib') is None if have else 'absent')\n")
    have, blocked = _python(code).split()
    assert blocked in ("False", "absent")  # OpenSSL's, where hashlib had it, stays
    assert (have == "True") == (blocked == "False")
