"""The process's exit statuses: what each failure of a command says and ends with."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from harness.errors import InputError, Where
from harness.process import ExitStatus, failure
from harness.signals import Terminated
from models.errors import UnsupportedConstruct


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:  # a traceback of its own, as a command's would be
        return caught


def _python(code: str, check: bool = False) -> subprocess.CompletedProcess[str]:
    """``code`` run by this Python in a fresh process that imports the project as the tests do."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=check,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})


@pytest.mark.parametrize(("exc", "line", "status"), [
    (InputError(Where("a.mbox", 3), "not a mail"), "seamharness: a.mbox:3: not a mail", ExitStatus.BAD_INPUT),
    (UnsupportedConstruct("tdx.c:9", "inline assembly"), "seamharness: tdx.c:9: inline assembly",
     ExitStatus.BAD_INPUT),
    (Terminated(), "seamharness: terminated", ExitStatus.TERMINATED),
    (KeyboardInterrupt(), "seamharness: interrupted", ExitStatus.INTERRUPTED),
])

def test_refusals_and_signals(exc: BaseException, line: str, status: ExitStatus) -> None:
    assert failure(_raised(exc)) == (line, status)


def test_a_bug_names_itself_and_where_in_one_line() -> None:
    line, status = failure(_raised(ValueError("bad\nvalue")))
    assert status is ExitStatus.INTERNAL == 3
    assert line.startswith("seamharness: internal error: ValueError: bad") and "\n" not in line
    assert "(test_process.py:" in line and "SEAMHARNESS_TRACEBACK=1" in line


def test_a_reader_gone_is_141_and_quiet() -> None:
    # In a child: failure() points the child's stdout at /dev/null, as the Python docs' recipe does.
    code = ("import sys; from harness.process import failure; line, status = failure(BrokenPipeError()); "
            "print('still quiet'); sys.stderr.write(f'{line!r} {int(status)}')")
    done = _python(code, check=True)
    assert (done.stdout, done.stderr) == ("", "'' 141")


def test_help_text_stdout_did_not_take() -> None:
    # Output outside a command (click's help text): a reader gone took what it wanted, a full disk is one line.
    from harness.process import stdout_lost

    assert stdout_lost(BrokenPipeError()) == ("", ExitStatus.OK)
    assert stdout_lost(OSError(28, "No space left on device")) == (
        "seamharness: stdout: cannot write: no space left on device", ExitStatus.BAD_INPUT)


def test_a_second_signal_while_leaving_is_ignored() -> None:
    # Two ^C 20 ms apart (or `timeout -s INT`, which signals the command and then its group): the second one
    # raised where the unwinding stood, outside every handler, and printed a traceback.
    code = ("import os, signal, sys\nfrom harness.signals import catch_signals\ncatch_signals()\n"
            "try:\n    os.kill(os.getpid(), signal.SIGINT)\n    signal.pause()\n"
            "except KeyboardInterrupt:\n    os.kill(os.getpid(), signal.SIGINT)\n"
            "    os.kill(os.getpid(), signal.SIGTERM)\n"
            "    sys.stderr.write('left once')\n")
    done = _python(code)
    assert (done.returncode, done.stderr) == (0, "left once")


def test_a_signal_once_the_command_has_returned_leaves_with_its_status() -> None:
    # SIGTERM landing while leave() flushed what the command printed raised Terminated outside every handler: a
    # traceback, and an exit status that was neither the command's nor 143.
    code = ("import os, signal, sys\nfrom harness.signals import catch_signals\nfrom harness.process import leave\n"
            "catch_signals()\nclass Late:\n    def flush(self):\n        os.kill(os.getpid(), signal.SIGTERM)\n"
            "sys.stdout = Late()\nleave(1)\n")
    done = _python(code)
    assert (done.returncode, done.stderr) == (1, "")


@pytest.mark.parametrize("module", ["harness.cli", "harness.process"])
def test_an_interrupt_while_the_command_line_loads_is_one_line(module: str) -> None:
    # ^C in the first few tenths of a second landed in an import, before any handler: a traceback.
    code = ("import sys\nclass Stop:\n    def find_spec(self, name, path, target=None):\n"
            f"        if name == {module!r} and not hasattr(sys, 'stopped'):\n"
            "            sys.stopped = True\n            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Stop())\nfrom harness.launch import console\nconsole()\n")
    done = _python(code)
    assert (done.returncode, done.stderr) == (ExitStatus.INTERRUPTED, "seamharness: interrupted\n")


def test_the_collector_leaves_a_filled_cache_evals_new_objects_alone() -> None:
    # The corpus' filled-cache eval makes some 300,000 objects; each collection walked what it had made so far (two
    # of them, 6% of its CPU). Cycles are still collected, past a million new objects.
    import gc

    from harness.process import tune_gc

    before = gc.get_threshold()
    collected: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collected.append(info["generation"])

    try:
        # No gc.collect() first: tune_gc()'s gc.freeze() zeroes the young generation's count itself, and a full
        # collection of a pytest worker's heap (the corpus' evaluations and all) was most of this test's 2.6 s.
        tune_gc()
        gc.callbacks.append(seen)
        made = [[n] for n in range(400_000)]
        assert len(made) == 400_000 and collected == []
        del made
    finally:
        if seen in gc.callbacks:
            gc.callbacks.remove(seen)
        gc.unfreeze()
        gc.set_threshold(*before)


def test_loading_the_command_line_collects_nothing() -> None:
    # Loading the command line made some 30 collections of what the imports made (nearly none of it garbage), each
    # walking it again, before tune_gc() froze it: the collector is off until then, and on after it.
    code = ("import gc, os, sys\nseen = []\ngc.callbacks.append(lambda phase, info: seen.append(phase))\n"
            "leave = os._exit\n"
            "def counted(code):\n    sys.stderr.write(f'{len(seen)} {gc.isenabled()}')\n    leave(code)\n"
            "os._exit = counted\nsys.argv = ['seamharness', 'printk', '%d', '7']\n"
            "from harness.launch import console\nconsole()\n")
    done = _python(code)
    assert (done.returncode, done.stdout, done.stderr) == (0, "7\n", "0 True")


def test_a_refusal_that_echoes_a_huge_value_is_cut() -> None:
    # A Message-ID of 100,000 characters given to fetch --offline was echoed whole: one line of 100 KB on stderr.
    from harness.errors import UsageError

    line, status = failure(UsageError(None, f"<{'a' * 100_000}@b> is not in the cache"))
    assert status is ExitStatus.BAD_INPUT and len(line) < 8_300
    assert line.startswith("seamharness: <aaa") and line.endswith("... (91,832 characters more)"), line[-60:]
