"""harness.launch.lazy_modules: modules a command never uses are not run when imported, and run whole when used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"


def _python(code: str, *args: str, cwd: Path = ROOT) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cwd / "cache")}
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300,
                         check=True, env=env, cwd=cwd)
    return res.stdout


_RUN = "from harness.launch import LAZY_MODULES, _Pending\nimport sys\n" \
       "def run(): return sorted(n for n in LAZY_MODULES if type(sys.modules.get(n)) is not _Pending)\n"


def test_importing_runs_none_of_them_and_using_one_runs_it() -> None:
    out = _python(_RUN + """
from harness.launch import lazy_modules
lazy_modules()
import shutil, email.utils, email.charset, lzma
print(run())
print(lzma.decompress(lzma.compress(b"seam")), run())
import email.base64mime  # a submodule: named on its package, as an import makes it
print(repr(email.base64mime.body_encode(b"seam")), run())
""")
    assert out.splitlines() == ["[]", "b'seam' ['lzma']", "'c2VhbQ==\\n' ['email.base64mime', 'lzma']"]


def test_a_module_that_fails_to_run_is_taken_out_as_a_failed_import_is(tmp_path: Path) -> None:
    (tmp_path / "brokenmod.py").write_text("X = 1\nraise RuntimeError('broken')\n")
    out = _python(f"""
import sys
sys.path.insert(0, {str(tmp_path)!r})
from harness.launch import lazy_modules
lazy_modules(("brokenmod",))
import brokenmod
try:
    brokenmod.X
except RuntimeError as exc:
    print("raised", exc)
print("brokenmod" in sys.modules)
""")
    assert out.splitlines() == ["raised broken", "False"]


def test_an_already_loaded_module_is_left_as_it_is() -> None:
    out = _python("""
import sys, socket
from harness.launch import lazy_modules, _Pending
lazy_modules(("socket",))
print(type(sys.modules["socket"]) is _Pending, sys.modules["socket"] is socket)
""")
    assert out.splitlines() == ["False True"]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared")
def test_series_of_the_corpus_runs_none_of_them_nor_loads_tomllib(tmp_path: Path) -> None:
    # console() itself, as `python -m harness series` runs it: which of them the command ran, said as it leaves
    out = _python(_RUN + """
import os
leave = os._exit
def said(code):
    print(run(), "tomllib" in sys.modules, code)
    sys.stdout.flush()
    leave(code)
os._exit = said
sys.argv = ["seamharness", "series", sys.argv[1]]
from harness.launch import console
console()
""", str(CORPUS), cwd=tmp_path)
    assert out.splitlines()[-1] == "[] False 0"  # nor tomllib: the bundled manifest's data is kept (tomlkept)
