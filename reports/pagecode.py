"""The page template's Python, as jinja2 generates it, shipped beside the template: a fresh cache compiles none of it.

jinja2 turns report.html.j2 into Python source (lexing, parsing, generating: about 410 M instructions, 3% of an eval
of the corpus) before it renders anything. Its bytecode cache keeps the result between runs, but a CI job starts with
an empty cache every time and paid it in every run. The generated source is the same on every machine for one
template text, one jinja2 version and the environment's options, so it is shipped (``report.html.j2.py.txt``, written
by ``python tools/make_page_code.py``) and only compiled by Python (about 45 M). It is used only where its first line
names this jinja2's version and the template's text, by the SHA-1 jinja2's bytecode cache checks it by: an edited
template, or another jinja2, is compiled by jinja2 as before, never rendered from a stale copy.
"""

from __future__ import annotations

import contextlib
import os
from types import CodeType

from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from jinja2 import __version__ as jinja_version
from jinja2.bccache import Bucket, BytecodeCache

from reports.safe import shown

TEMPLATE = "report.html.j2"
_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
SHIPPED = os.path.join(_FOLDER, TEMPLATE + ".py.txt")
# The path PackageLoader names the template by (the compiled code's file name, as jinja2 compiles it).
_FILENAME = os.path.join(_FOLDER, TEMPLATE)


def page_environment(cache: FileSystemBytecodeCache | None) -> Environment:
    """The page's jinja2 environment: every option that is compiled into the template's code is set here, for
    render_html and for the tool that writes the shipped source alike."""
    return Environment(loader=PackageLoader("reports", "templates"), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=True, lstrip_blocks=True, bytecode_cache=cache, finalize=shown)


def header(checksum: str) -> str:
    """The shipped file's first line: what its source was generated from (jinja2's version, the template's SHA-1)."""
    return f"# seamharness page code: jinja2 {jinja_version} {TEMPLATE} sha1 {checksum}\n"


def page_source() -> str:
    """What the shipped file holds for the template and jinja2 of this checkout: header(), then the source jinja2
    generates (the same text wherever the checkout is: it names the template, not its path)."""
    env = page_environment(None)
    source, filename, _ = PackageLoader("reports", "templates").get_source(env, TEMPLATE)
    return header(BytecodeCache().get_source_checksum(source)) + env.compile(source, TEMPLATE, filename, raw=True)


def shipped_code(checksum: str) -> CodeType | None:
    """The shipped source compiled, when it was generated from the template whose text has this SHA-1 by this jinja2
    (else None: jinja2 compiles the template itself). Compiled as jinja2 compiles its own (no __future__ flags)."""
    try:
        with open(SHIPPED, encoding="utf-8") as f:
            first = f.readline()
            if first != header(checksum):
                return None
            source = f.read()
        return compile(source, _FILENAME, "exec", dont_inherit=True)
    except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
        return None


class PageCache(FileSystemBytecodeCache):
    """jinja2's bytecode cache in a folder, which takes the shipped code where the folder has none for the template
    (a fresh cache) and keeps it there, as jinja2 keeps what it compiles."""

    def load_bytecode(self, bucket: Bucket) -> None:
        super().load_bytecode(bucket)
        if bucket.code is None:
            code = shipped_code(bucket.checksum)
            if code is not None:
                bucket.code = code
                with contextlib.suppress(OSError):  # not kept: the next run compiles the shipped source again
                    self.dump_bytecode(bucket)
