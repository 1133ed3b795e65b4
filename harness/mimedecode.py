"""MIME primitives as git mailinfo uses them: charsets, RFC 2047 headers, base64 / quoted-printable lines, From."""

from __future__ import annotations

import binascii
import codecs
import re

from models.lazyre import lazy

_NON_BASE64 = bytes(c for c in range(256) if not (chr(c).isascii() and (chr(c).isalnum() or chr(c) in "+/")))
_QP_ESCAPE = lazy(rb"=([0-9A-Fa-f]{2}|\n|$)")
_ENCODED_WORD = re.compile(rb"=\?([^?]*)\?([^?])\?(.*?)\?=", re.S)


def charset_codec(charset: str) -> str | None:
    """Python codec for a MIME charset name (UTF-8 for none), None for a name it does not know."""
    name = charset.strip().strip('"').lower()
    try:
        return codecs.lookup(name).name if name else "utf-8"
    except LookupError:
        return None


def _iconv_name(charset: str) -> str:
    """The name git hands iconv for a MIME charset: utf8.c reencode_string_len tries "ISO-8859-1" again for
    "latin-1", which glibc's iconv does not know by that name."""
    from harness import iconv

    name = charset.strip().strip('"')
    return "ISO-8859-1" if name.lower() == "latin-1" and not iconv.knows(name) else name


# US-ASCII, which every iconv knows by these names (glibc's ANSI_X3.4-1968, GNU libiconv's ASCII): git converts
# it byte for byte and fails on an 8-bit byte (EILSEQ), as the ASCII codec does; read so without loading the C
# library's iconv through ctypes (some 28 M instructions of `seamharness series` on the corpus, whose plain-text
# mails say us-ascii). test_charset_names_git checks it against iconv itself.
_ASCII = frozenset({"us-ascii", "ascii"})


def _is_ascii_charset(charset: str) -> bool:
    return charset.strip().strip('"').lower() in _ASCII


def knows_charset(charset: str) -> bool:
    """Whether git converts text in ``charset``: the C library's iconv says (glibc's knows "windows-31j" and "mac",
    not "ks_c_5601-1987" nor "unknown-8bit"); Python's codecs only where there is no iconv."""
    if is_utf8_charset(charset) or _is_ascii_charset(charset):
        return True
    from harness import iconv

    return iconv.knows(_iconv_name(charset)) if iconv.available() else charset_codec(charset) is not None


def is_utf8_charset(charset: str) -> bool:
    """Whether git takes text in ``charset`` as it is, unconverted: no charset, or a spelling of UTF-8
    (utf8.c same_encoding: ``utf-8``, ``UTF8``, any case)."""
    name = charset.strip().strip('"').lower()
    return not name or (name.startswith("utf") and name.removeprefix("utf").lstrip("-") == "8")


# Where there is no iconv to ask (Windows: git for Windows has GNU libiconv): git's iconv's SHIFT_JIS (glibc's
# and GNU libiconv's, MS_Kanji too) reads the single bytes 0x5C and 0x7E as JIS X 0201 Roman: YEN SIGN and
# OVERLINE; Python's shift_jis reads them as ASCII backslash and tilde (as Windows' cp932 does, which Python
# takes MS_Kanji for). No double byte decodes to either.
_JIS_ROMAN = str.maketrans("\\~", "\u00a5\u203e")


def convert_to_utf8(data: bytes, charset: str) -> bytes | None:
    """``data`` in UTF-8 as git mailinfo's convert_to_utf8 makes it: as it is when ``charset`` is UTF-8 or
    none (invalid bytes kept), else converted; None where git fails ("cannot convert from ..."): a charset iconv
    does not know, bytes invalid in it (an 8-bit byte in US-ASCII text)."""
    if is_utf8_charset(charset):
        return data
    if _is_ascii_charset(charset):
        return data if data.isascii() else None
    from harness import iconv

    if iconv.available():
        return iconv.to_utf8(data, _iconv_name(charset))
    codec = charset_codec(charset)
    if charset.strip().strip('"').lower() in ("ms_kanji", "ms-kanji"):
        codec = "shift_jis"
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    return (text.translate(_JIS_ROMAN) if codec == "shift_jis" else text).encode("utf-8", "surrogateescape")


# What commit.c find_invalid_utf8 refuses beyond Python's UTF-8 decoder: the noncharacters U+xxFFFE,
# U+xxFFFF and U+FDD0..U+FDEF.
_NONCHARACTER = re.compile("[\ufdd0-\ufdef" + "".join(chr(p << 16 | 0xfffe) + chr(p << 16 | 0xffff)
                                                        for p in range(17)) + "]")


def _latin1_byte(err: UnicodeError) -> tuple[str, int]:
    """The first byte of an invalid sequence as its Latin-1 character; decoding goes on at the next byte."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    return chr(err.object[err.start]), err.start + 1


codecs.register_error("seamharness-git-latin1", _latin1_byte)


def commit_text(data: bytes) -> str:
    """``data`` as the text git stores in a commit (commit.c verify_utf8): UTF-8, and every byte that does
    not begin a valid UTF-8 character (a noncharacter neither) taken as a Latin-1 character, one at a time."""
    if data.isascii():  # most patch mail: nothing to fix up, and a search of the text costs as much again
        return data.decode("ascii")
    text = data.decode("utf-8", "seamharness-git-latin1")
    if _NONCHARACTER.search(text) is None:
        return text
    return _NONCHARACTER.sub(lambda m: m.group(0).encode("utf-8").decode("latin-1"), text)


def first_unconverted(chunks: list[tuple[int, bytes, str]]) -> tuple[int, str] | None:
    """Of (line number, bytes, charset) lines of a commit message, the first that git mailinfo cannot convert to
    UTF-8 (each line is converted alone: mailinfo.c handle_commit_msg), with its charset; None where all convert."""
    converted = {c for c in {c for _, _, c in chunks} if not is_utf8_charset(c)}  # most: one charset, UTF-8 or none
    return next(((number, charset.strip().strip('"')) for number, data, charset in chunks
                 if charset in converted and convert_to_utf8(data, charset) is None), None) if converted else None


def to_text(data: bytes, charset: str) -> str:
    """Bytes of a part in ``charset`` as the text ``git am`` commits of them: converted from ``charset``
    (mailinfo.c convert_to_utf8), then fixed up as commit.c does (``commit_text``). Bytes git cannot
    convert (where ``git am`` stops) are read as UTF-8 the same way."""
    converted = convert_to_utf8(data, charset)
    return commit_text(data if converted is None else converted)


def decode_header(value: bytes) -> str:
    """RFC 2047 encoded words decoded (whitespace between two of them dropped); raw 8-bit read as UTF-8.

    The bytes of adjacent words in one charset are joined before they are read as text, as git mailinfo
    does: a UTF-8 character split across two words (``...w6k=`` then ``qQ==``) comes out whole.
    """
    return _decode_words(value, [])


def words_unconverted(value: bytes) -> str | None:
    """The charset of the first run of encoded words in a header value that git mailinfo cannot convert to UTF-8
    (decode_header: "cannot convert from unknown-8bit to UTF-8", and git am stops), None where all convert."""
    failed: list[str] = []
    if b"=?" in value:
        _decode_words(value, failed)
    return failed[0] if failed else None


def _decode_words(value: bytes, failed: list[str]) -> str:
    """decode_header's text; the charset of each run of words git cannot convert is added to ``failed``."""

    def to_text(data: bytes, charset: str) -> str:
        converted = convert_to_utf8(data, charset)
        if converted is None:
            failed.append(charset.strip().strip('"'))
        return commit_text(data if converted is None else converted)

    out: list[str] = []
    # the bytes of the words read but not yet turned into text (grown in place: a subject of many words is
    # linear), and their charset
    raw, charset = bytearray(), ""
    pos, after_word = 0, False
    for m in _ENCODED_WORD.finditer(value):
        gap = value[pos : m.start()]
        kind, payload = m.group(2).lower(), m.group(3)
        # The whole name, an RFC 2231 language ("utf-8*en") too: git hands it to iconv so, which refuses it.
        this = m.group(1).decode("ascii", "replace")
        if raw and (gap.strip() or not after_word or this.lower() != charset.lower() or kind not in (b"b", b"q")):
            out.append(to_text(bytes(raw), charset))
            raw = bytearray()
        if gap.strip() or not after_word:
            out.append(to_text(gap, "utf-8"))
        if kind not in (b"b", b"q"):
            out.append(to_text(m.group(0), "utf-8"))
            pos, after_word = m.end(), False
            continue
        raw += decode_base64_line(payload) if kind == b"b" else decode_qp_line(payload.replace(b"_", b" "))
        charset, pos, after_word = this, m.end(), True
    if raw:
        out.append(to_text(bytes(raw), charset))
    out.append(to_text(value[pos:], "utf-8"))
    return "".join(out)


def decode_base64_line(line: bytes) -> bytes:
    """One line of base64, decoded as mailinfo does: characters outside the alphabet (``=`` too) ignored."""
    clean = line.translate(None, _NON_BASE64)
    whole = len(clean) - len(clean) % 4
    out = binascii.a2b_base64(clean[:whole]) if whole else b""
    rest = clean[whole:]
    if len(rest) >= 2:
        out += binascii.a2b_base64(rest + b"=" * (4 - len(rest)))
    return out


def decode_qp_line(line: bytes) -> bytes:
    """One line of quoted-printable: ``=XX`` decoded, a bad escape kept, ``=`` at the line end joins lines."""
    out: list[bytes] = []
    pos = 0
    for m in _QP_ESCAPE().finditer(line):
        out.append(line[pos : m.start()])
        if len(m.group(1)) != 2:
            return b"".join(out)
        out.append(bytes((int(m.group(1), 16),)))
        pos = m.end()
    out.append(line[pos:])
    return b"".join(out)


def header_attr(value: bytes, name: bytes) -> bytes | None:
    """A ``name=value`` attribute anywhere in a header value (quoted or up to ``;``/space), as mailinfo finds it."""
    at = value.lower().find(name)
    if at < 0:
        return None
    rest = value[at + len(name) :]
    if rest.startswith(b'"'):
        return rest[1:].split(b'"', 1)[0]
    return re.split(rb"[; \t]", rest, maxsplit=1)[0]


def header_value(line: bytes, name: str) -> bytes | None:
    """The value of ``line`` when it is header ``name`` (any case), leading blanks skipped as mailinfo.c
    skip_header skips them (git's isspace: never ``\v`` or ``\f``)."""
    head = _HEAD_BYTES.get(name)
    if head is None:
        head = _HEAD_BYTES[name] = name.encode().lower() + b":"
    if line[: len(head)].lower() != head:
        return None
    return line[len(head) :].lstrip(b" \t\r\n")


# "content-type:" by header name: every header line of every mail is tested against a few names.
_HEAD_BYTES: dict[str, bytes] = {}


def header_key(line: bytes) -> bytes:
    """The lower-case name and colon that ``line`` starts with (up to its first colon), or b"" without one.

    ``header_value(line, name)`` is not None exactly when this equals ``name.lower() + ":"`` (a name holds
    no colon), so a line is named once and looked up, not tested against each name in turn.
    """
    return line[: line.find(b":") + 1].lower()


def value_after(line: bytes, key: bytes) -> bytes:
    """The value of ``line`` whose ``header_key`` is ``key``, as ``header_value`` gives it."""
    return line[len(key) :].lstrip(b" \t\r\n")


# git's isspace (git-compat-util.h, ctype.c sane_ctype): these four ASCII bytes only; not \v or \f, and
# no non-ASCII character (U+00A0, U+2028 ...) whatever the charset, so mailinfo keeps those as they are.
GIT_SPACE = " \t\n\r"
_GIT_SPACE_RUN = re.compile(r"[ \t\n\r]+")


def fold_space(text: str) -> str:
    """Every run of git whitespace (``GIT_SPACE``) made one space (git mailinfo's cleanup_space)."""
    return _GIT_SPACE_RUN.sub(" ", text)


def git_strip(text: str) -> str:
    """``text`` without leading and trailing git whitespace (git's strbuf_trim)."""
    return text.strip(GIT_SPACE)


def _unquote(text: str) -> str:
    """Quoted strings unquoted and comments' escapes resolved (git mailinfo's unquote_quoted_pair)."""
    out: list[str] = []
    i = 0

    def run(i: int, close: str) -> int:
        literal = False
        while i < len(text):
            c = text[i]
            i += 1
            if literal:
                literal = False
            elif c == "\\":
                literal = True
                continue
            elif close == ")" and c == "(":
                out.append("(")
                i = run(i, ")")
                continue
            elif c == close:
                if close == ")":
                    out.append(")")
                return i
            out.append(c)
        return i

    while i < len(text):
        c = text[i]
        i += 1
        if c == '"':
            i = run(i, '"')
        elif c == "(":
            out.append("(")
            i = run(i, ")")
        else:
            out.append(c)
    return "".join(out)


def _sane_name(name: str, email: str) -> str:
    return email if not name or len(name) > 60 or any(c in name for c in "@<>") else name


def parse_from(value: str) -> tuple[str, str]:
    """(name, email) of a From header as git mailinfo's handle_from takes them; ("", "") when there is none."""
    value = fold_space(value)
    f = _unquote(value)
    at = f.find("@")
    if at < 0:
        bra = value.find("<")
        ket = value.find(">", bra + 1) if bra >= 0 else -1
        if ket < 0:
            return "", ""
        email = value[bra + 1 : ket]
        return _sane_name(git_strip(value[:bra]), email), email
    start = at
    while start > 0:
        c = f[start - 1]
        if c in GIT_SPACE:
            break
        if c == "<":
            f = f[: start - 1] + " " + f[start:]
            break
        start -= 1
    length = len(re.match(r"[^ \n\t\r\v\f>]*", f[start:]).group(0))  # type: ignore[union-attr]
    email = f[start : start + length]
    end = start + length + (1 if start + length < len(f) else 0)
    name = git_strip(fold_space(f[:start] + f[end:]))
    if len(name) >= 2 and name[0] == "(" and name[-1] == ")":
        name = name[1:-1]
    return _sane_name(name, email), email
