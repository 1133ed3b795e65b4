"""--matrix-add FILE: scripts (and the codes they name) added to the matrix that runs, bundled or --matrix's."""

from __future__ import annotations

from dataclasses import field, replace
from pathlib import Path
from typing import Any

from harness.errors import InputError, Where
from harness.matrix import MAX_SCENARIOS, Matrix, MatrixFile, _count, _expand, _first_code, _scripts, _ScriptSpec
from harness.matrixtext import check_names, quoted_line
from harness.spec import key_locator, read_spec, unknown
from harness.tomlfile import line_of, parse_toml, read_toml_text
from models.record import record


@record
class AddFile:
    """What --matrix-add may hold (docs/matrix.md): more ``[[script]]`` tables and ``[codes]`` for the names they
    answer with; anything else (an entry, a unit, ``[match]``) belongs to a matrix of its own (--matrix)."""

    codes: dict[str, Any] = field(default_factory=dict)
    script: tuple[_ScriptSpec, ...] = ()


def with_added(matrix: Matrix, added: tuple[Path, ...], more: tuple[int, ...] = ()) -> Matrix:
    """``matrix`` with each file's scripts after its own (``more``: the counts each repeat_first script runs besides
    its own, harness.retrycounts), every scenario of them made; refused at the file's line as load_matrix refuses:
    a key or table the file may not hold, a code or leaf the matrix does not name, a script name given twice (in the
    matrix or an earlier file: the refusal names the file that has it)."""
    origins: dict[str, Path] = {}  # 'code NAME', 'script NAME' an earlier file added -> that file
    for path in added:
        matrix = _add(matrix, path, read_toml_text(path), more, origins)
    return replace(matrix, added=matrix.added + added) if added else matrix


def _home(origins: dict[str, Path], kind: str, name: str, matrix: Matrix) -> Path:
    """The file a code or script of that name came from: an earlier --matrix-add file, else the matrix's own."""
    return origins.get(f"{kind} {name}", matrix.path)


def _add(matrix: Matrix, path: Path, text: str, more: tuple[int, ...], origins: dict[str, Path]) -> Matrix:
    spec = read_spec(AddFile, parse_toml(path, text), key_locator(text, str(path), 1, text.count("\n") + 1))
    check_names(MatrixFile(script=spec.script), path, text)  # a name a scenario id can hold, none given twice
    if not spec.script:
        raise InputError(Where(str(path), 1), "--matrix-add: the file adds no [[script]] table")
    codes = dict(matrix.codes)
    for name, value in spec.codes.items():
        where = Where(str(path), line_of(text, name) or 1)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 1 << 64:
            raise InputError(where, f"code {name}: a 64-bit status code (0x... allowed)")
        if codes.get(name, value) != value:
            raise InputError(where, f"code {name} is {codes[name]:#x} in {_home(origins, 'code', name, matrix)}: "
                                    "give it another name")
        codes[name] = value
    for table in spec.script:
        where = Where(str(path), quoted_line(text, table.name) or 1)
        if table.name in {s.name for s in matrix.scripts} or table.name in {n for n, _, _ in matrix.repeated}:
            raise InputError(where, f"script {table.name} is in {_home(origins, 'script', table.name, matrix)} "
                                    "already: give it another name")
        for leaf in table.leaves or ():
            if leaf not in matrix.leaves:
                raise InputError(where, f"script {table.name}: " + unknown("leaf", str(leaf), matrix.leaves))
    scripts = _scripts(spec.script, codes, path, text, more)
    taken = {s.name for s in matrix.scripts}
    if (again := next((s.name for s in scripts if s.name in taken), None)) is not None:  # a repeat_first's -xN
        raise InputError(Where(str(path), 1), f"script {again} is in {_home(origins, 'script', again, matrix)} "
                                              "already: give it another name")
    every = [*matrix.scripts, *scripts]
    size = _count(matrix.entries, matrix.leaves, every)
    if size > MAX_SCENARIOS:
        raise InputError(Where(str(path), 1), f"with these scripts the matrix expands to {size} scenarios (at most "
                                              f"{MAX_SCENARIOS})")
    repeated = tuple((t.name, _first_code(t, codes, path, text), tuple(sorted(set(t.repeat_first) | set(more))))
                     for t in spec.script if t.repeat_first)
    origins.update({f"code {n}": path for n in spec.codes if n not in matrix.codes and f"code {n}" not in origins})
    origins.update({f"script {n}": path for n in {*(t.name for t in spec.script), *(s.name for s in scripts)}})
    return replace(matrix, codes=codes, scripts=tuple(every),
                   scenarios=matrix.scenarios + tuple(_expand(matrix.entries, matrix.leaves, scripts, matrix.units)),
                   repeated=matrix.repeated + repeated)
