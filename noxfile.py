"""nox sessions: tests, lint (ruff), typecheck (mypy --strict) and bench."""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.default_venv_backend = "venv"


@nox.session
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("pytest", "-n", "auto", "--dist", "worksteal", *session.posargs)  # as the README runs them


@nox.session
def lint(session: nox.Session) -> None:
    session.install("ruff")
    session.run("ruff", "check", "harness", "models", "reports", "tests", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("mypy", "--strict", "harness", "models", "reports")


@nox.session
def cdiff(session: nox.Session) -> None:
    """Generated C run by the mirror and by gcc, every outcome compared (tests/models/cdiff.py)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "tests.models.cdiff", *(session.posargs or ["--seeds", "0-49"]))


@nox.session
def printkdiff(session: nox.Session) -> None:
    """Generated printk formats formatted by the mirror and by gcc + the C library (tests/models/printkgen.py)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "tests.models.printkgen", *(session.posargs or ["--cases", "200000"]))


@nox.session
def bench(session: nox.Session) -> None:
    session.install("-e", ".[test,bench]")
    session.run("python", "-m", "harness.bench", *session.posargs)
