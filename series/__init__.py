"""Series data folders: manifests, reviewer variants, matrices and review rules."""

from pathlib import Path

# The folder itself, as a regular install lays it out (setuptools' package-data): importlib.resources would
# import zipfile and its readers (6 ms of every command's start) to say the same of an unzipped package.
BUNDLED = Path(__file__).resolve().parent
