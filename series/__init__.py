"""Series data folders: manifests, reviewer variants, matrices and review rules."""

from pathlib import Path

# The folder itself, as a regular install lays it out (setuptools' package-data): importlib.resources would
# import zipfile and its readers (6 ms of every command's start) to say the same of an unzipped package.
BUNDLED = Path(__file__).resolve().parent


def named(path: Path) -> str:
    """How reports name a series file: a bundled one by its path in seamharness's source, ``series/NAME/matrix.toml``
    (the same on every machine and install, so two runs' reports compare equal), any other as given (as the
    inputs are: relative stays relative)."""
    try:
        return (Path("series") / path.resolve().relative_to(BUNDLED)).as_posix()
    except (ValueError, OSError):  # not under BUNDLED; a path the system refuses to resolve: named as given
        return str(path)
