"""An author date as git's commit takes it (date.c parse_date_basic, by way of ident.c fmt_ident), or refused."""

from __future__ import annotations

import time
from dataclasses import dataclass

_MONTHS = (b"January", b"February", b"March", b"April", b"May", b"June", b"July", b"August", b"September",
           b"October", b"November", b"December")
_WEEKDAYS = (b"Sundays", b"Mondays", b"Tuesdays", b"Wednesdays", b"Thursdays", b"Fridays", b"Saturdays")
# date.c timezone_names: (name, hours east, dst); a dst zone counts one hour more ("we like summer").
_ZONES = (
    (b"IDLW", -12, 0), (b"NT", -11, 0), (b"CAT", -10, 0), (b"HST", -10, 0), (b"HDT", -10, 1), (b"YST", -9, 0),
    (b"YDT", -9, 1), (b"PST", -8, 0), (b"PDT", -8, 1), (b"MST", -7, 0), (b"MDT", -7, 1), (b"CST", -6, 0),
    (b"CDT", -6, 1), (b"EST", -5, 0), (b"EDT", -5, 1), (b"AST", -3, 0), (b"ADT", -3, 1), (b"WAT", -1, 0),
    (b"GMT", 0, 0), (b"UTC", 0, 0), (b"Z", 0, 0), (b"WET", 0, 0), (b"BST", 0, 1), (b"CET", 1, 0), (b"MET", 1, 0),
    (b"MEWT", 1, 0), (b"MEST", 1, 1), (b"CEST", 1, 1), (b"MESZ", 1, 1), (b"FWT", 1, 0), (b"FST", 1, 1),
    (b"EET", 2, 0), (b"EEST", 2, 1), (b"WAST", 7, 0), (b"WADT", 7, 1), (b"CCT", 8, 0), (b"JST", 9, 0),
    (b"EAST", 10, 0), (b"EADT", 10, 1), (b"GST", 10, 0), (b"NZT", 12, 0), (b"NZST", 12, 0), (b"NZDT", 12, 1),
    (b"IDLE", 12, 0),
)
_MDAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
_U64 = 1 << 64
_C_SPACE = b" \t\n\v\f\r"  # C isspace: what strtol skips


def _wrap(value: int, bits: int) -> int:
    """``value`` converted to a signed C integer of ``bits`` bits (two's complement, as gcc does)."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def _digits(s: bytes, i: int) -> int:
    """The index past the ASCII digits from ``i``."""
    while i < len(s) and 48 <= s[i] <= 57:
        i += 1
    return i


def _isdigit(s: bytes, i: int) -> bool:
    return i < len(s) and 48 <= s[i] <= 57


def _isalpha(s: bytes, i: int) -> bool:
    return i < len(s) and (65 <= s[i] <= 90 or 97 <= s[i] <= 122)


def _strto(s: bytes, i: int, maximum: int, unsigned: bool) -> tuple[int, int]:
    """C strtol/strtoul/strtoumax (base 10) from ``i``: (value, end); blanks and a sign first, saturating; an
    unsigned one negates in the unsigned type, as C does; no digits: (0, i)."""
    j = i
    while j < len(s) and s[j] in _C_SPACE:
        j += 1
    negative = j < len(s) and s[j] == 45
    j += j < len(s) and s[j] in (43, 45)
    end = _digits(s, j)
    if end == j:
        return 0, i
    value = int(s[j:end])
    if unsigned:
        value = maximum if value > maximum else value
        return ((-value) % (maximum + 1) if negative else value), end
    if negative:
        return max(-value, -maximum - 1), end
    return min(value, maximum), end


def _strtol(s: bytes, i: int) -> tuple[int, int]:
    return _strto(s, i, (1 << 63) - 1, unsigned=False)


def _strtoul(s: bytes, i: int) -> tuple[int, int]:
    return _strto(s, i, _U64 - 1, unsigned=True)


@dataclass
class _Tm:
    """date.c's struct tm while it parses (mutable: each matcher fills in fields as the C does); -1 is unset."""

    year: int = -1
    mon: int = -1
    mday: int = -1
    hour: int = -1
    min: int = -1
    sec: int = -1
    offset: int = -1  # minutes east of UTC; -1 also when a zone says -0001 (and date.c then asks mktime)
    gmt: bool = False  # seconds since the epoch were read: the time is UTC whatever the zone says


def _tm_to_time_t(tm: _Tm) -> int:
    """date.c tm_to_time_t: -1 outside 1970-2099, for no month, or for an unset hour, minute or second (a day
    unset counts as -1 and is not refused)."""
    year, month, day = tm.year - 70, tm.mon, tm.mday
    if year < 0 or year > 129 or month < 0 or month > 11:
        return -1
    if month < 2 or (year + 2) % 4:
        day -= 1
    if tm.hour < 0 or tm.min < 0 or tm.sec < 0:
        return -1
    days = _wrap(year * 365 + (year + 1) // 4 + _MDAYS[month] + day, 32)
    return _wrap(days * 86400 + tm.hour * 3600 + tm.min * 60 + tm.sec, 64)


def _gmtime(t: int, tm: _Tm) -> bool:
    """glibc gmtime_r into ``tm``; False where the year overflows an int (the time of day is then set already)."""
    days, rem = divmod(t, 86400)
    tm.hour, tm.min, tm.sec = rem // 3600, rem % 3600 // 60, rem % 60
    # days since 1970-01-01 to a proleptic Gregorian date (civil_from_days)
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    month = mp + 3 if mp < 10 else mp - 9
    year = yoe + era * 400 + (month <= 2)
    tm.year = _wrap(year - 1900, 32)
    if tm.year != year - 1900:
        return False
    tm.mon, tm.mday = month - 1, doy - (153 * mp + 2) // 5 + 1
    return True


def _match_string(s: bytes, i: int, word: bytes) -> int:
    """date.c match_string: how many characters from ``i`` match ``word`` case-blind up to a non-alphanumeric one;
    0 when an alphanumeric one differs."""
    n = 0
    while i + n < len(s):
        c = s[i + n]
        w = word[n] if n < len(word) else 0
        if c == w or (w and bytes((c,)).upper() == bytes((w,)).upper() and c < 128):
            n += 1
            continue
        if not (_isalpha(s, i + n) or _isdigit(s, i + n)):
            break
        return 0
    return n


def _match_alpha(s: bytes, i: int, tm: _Tm) -> int:
    """A month, weekday or zone name, AM or PM; any other word is skipped."""
    for number, name in enumerate(_MONTHS):
        if (n := _match_string(s, i, name)) >= 3:
            tm.mon = number
            return n
    for name in _WEEKDAYS:
        if (n := _match_string(s, i, name)) >= 3:
            return n
    for name, hours, dst in _ZONES:
        if (n := _match_string(s, i, name)) >= 3 or n == len(name):
            if tm.offset == -1:
                tm.offset = 60 * (hours + dst)
            return n
    for word, add in ((b"PM", 12), (b"AM", 0)):
        if _match_string(s, i, word) == 2:
            tm.hour = int(_c_rem(tm.hour, 12)) + add
            return 2
    end = i + 1
    while _isalpha(s, end):
        end += 1
    return end - i


def _c_div(a: int, b: int) -> int:
    """C's integer division: toward zero."""
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q


def _c_rem(a: int, b: int) -> int:
    return a - b * _c_div(a, b)


def _set_date(year: int, month: int, day: int, now: int | None, tm: _Tm) -> int:
    """date.c set_date (0 when set). Without ``now`` it writes month and day into ``tm`` before it looks at the
    year, and leaves them there when it refuses it; with ``now`` a date over ten days ahead is refused."""
    year, month, day = _wrap(year, 32), _wrap(month, 32), _wrap(day, 32)
    if not (0 < month < 13 and 0 < day < 32):
        return -1
    r = _Tm(**vars(tm)) if now is not None else tm
    r.mon, r.mday = month - 1, day
    if year == -1:
        if now is None:
            return 1
        r.year = time.gmtime(now).tm_year - 1900
    elif 1970 <= year < 2100:
        r.year = year - 1900
    elif 70 < year < 100:
        r.year = year
    elif year < 38:
        r.year = year + 100
    else:
        return -1
    if now is None:
        return 0
    specified = _tm_to_time_t(r)
    if specified != -1 and now + 10 * 24 * 3600 < specified:
        return -1
    tm.mon, tm.mday = r.mon, r.mday
    tm.year = r.year if year != -1 else tm.year
    return 0


def _set_time(hour: int, minute: int, second: int, tm: _Tm) -> int:
    if 0 <= hour <= 24 and 0 <= minute < 60 and 0 <= second <= 60:  # a 61st second: a leap one
        tm.hour, tm.min, tm.sec = hour, minute, second
        return 0
    return -1


def _multi_number(num: int, c: int, s: bytes, start: int, end: int, tm: _Tm, now: int) -> int:
    """date.c match_multi_number: ``num`` then ``c`` (':', '-', '/' or '.') and one or two numbers more: a time,
    or a date read as y-m-d, y-d-m, m/d/y or d.m.y, whichever fits first; 0 when none does."""
    num2, end = _strtol(s, end + 1)
    num3 = -1
    if end < len(s) and s[end] == c and _isdigit(s, end + 1):
        num3, end = _strtol(s, end + 1)
    if c == ord(":"):
        if _set_time(_wrap(num, 64), num2, max(num3, 0), tm):
            return 0
        if end < len(s) and s[end] == ord(".") and _isdigit(s, end + 1) and -1 not in (tm.year, tm.mon, tm.mday):
            end = _strtol(s, end + 1)[1]  # a fraction of a second, once the date is known
        return end - start
    big = num > 70
    tries: list[tuple[int, int, int, int | None]] = [(num, num2, num3, None), (num, num3, num2, None)] if big else []
    if c != ord("."):
        tries.append((num3, num, num2, now))
    tries.append((num3, num2, num, now))
    if c == ord("."):
        tries.append((num3, num, num2, now))
    if any(_set_date(*t, tm) == 0 for t in tries):
        return end - start
    return 0


def _match_digit(s: bytes, i: int, tm: _Tm, now: int) -> int:
    """A number: seconds since the epoch, a time or date (``_multi_number``), YYYYMMDD, HHMMSS, a year, a zone
    (four digits up to 1400), a day of the month, a two-digit year, a month."""
    num, end = _strtoul(s, i)
    # Nine digits or more with nothing read yet: seconds since the epoch (gmtime may fail and fill in the time).
    nothing = tm.year & tm.mon & tm.mday & tm.hour & tm.min & tm.sec < 0
    if num >= 100000000 and nothing and _gmtime(_wrap(num, 64), tm):
        tm.gmt = True
        return end - i
    multi = end < len(s) and s[end] in b":./-" and _isdigit(s, end + 1)
    if multi and (match := _multi_number(num, s[end], s, i, end, tm, now)):
        return match
    n = _digits(s, i) - i
    if n in (8, 6):
        a, b, c = _wrap(num // 10000, 32), num % 10000 // 100, num % 100
        if n == 8:
            _set_date(a, b, c, None, tm)
        elif _set_time(a, b, c, tm) == 0 and end < len(s) and s[end] == ord(".") and _isdigit(s, end + 1):
            end = _strtoul(s, end + 1)[1]
        return end - i
    if n == 4:
        if num <= 1400 and tm.offset == -1:
            tm.offset = num // 100 * 60 + num % 100
        elif 1900 < num < 2100:
            tm.year = num - 1900
        return n
    return n if n > 2 else _small_number(num, n, tm)


def _small_number(num: int, n: int, tm: _Tm) -> int:
    """One or two digits: the day of the month first, then a two-digit year, then the month."""
    if 0 < num < 32 and tm.mday < 0:
        tm.mday = num
    elif n == 2 and tm.year < 0 and num < 10 and tm.mday >= 0:
        tm.year = num + 100
    elif n == 2 and tm.year < 0 and num >= 70:
        tm.year = num
    elif 0 < num < 13 and tm.mon < 0:
        tm.mon = num - 1
    return n


def _match_tz(s: bytes, i: int, tm: _Tm) -> int:
    """A zone as +hhmm, +hh or +hh:mm; hours up to 23, minutes under 60, or it is skipped unread."""
    value, end = _strtoul(s, i + 1)
    hour, n, minute = _wrap(value, 32), end - i - 1, 0
    if n == 4:
        minute, hour = _c_rem(hour, 100), _c_div(hour, 100)
    elif n != 2:
        minute = 99
    elif end < len(s) and s[end] == ord(":"):
        value, end = _strtoul(s, end + 1)
        minute = _wrap(value, 32) if end - i - 1 == 5 else 99
    if minute < 60 and hour < 24:
        tm.offset = -(hour * 60 + minute) if s[i] == ord("-") else hour * 60 + minute
    return end - i


def _object_header_date(s: bytes) -> tuple[int, int] | None:
    """``@<seconds> <+|-><hhmm>`` alone, as a commit object's header holds it."""
    if not _isdigit(s, 1):
        return None
    stamp, end = _strtoul(s, 1)
    if end >= len(s) or s[end] != 32 or stamp == _U64 - 1 or s[end + 1:end + 2] not in (b"+", b"-"):
        return None
    value, after = _strtol(s, end + 2)
    if (after < len(s) and s[after] != 10) or after != end + 6:
        return None
    ofs = _wrap(value, 32)
    ofs = _c_div(ofs, 100) * 60 + _c_rem(ofs, 100)
    return stamp, -ofs if s[end + 1] == ord("-") else ofs


def _step(s: bytes, i: int, tm: _Tm, now: int) -> int:
    c = s[i]
    if _isalpha(s, i):
        return _match_alpha(s, i, tm)
    if _isdigit(s, i):
        return _match_digit(s, i, tm, now)
    if c in b"+-" and _isdigit(s, i + 1):
        return _match_tz(s, i, tm)
    return 0


def _local_offset(tm: _Tm, timestamp: int) -> int:
    """The zone date.c takes when the date names none: the local one mktime finds for these fields (as a git
    process's first mktime finds it: harness.glibcmktime)."""
    from harness.glibcmktime import first_mktime  # a date naming no zone alone needs it

    found = first_mktime(tm.year + 1900, tm.mon, tm.mday, tm.hour, tm.min, tm.sec)
    local = -1 if found is None else found
    return _wrap((timestamp - local) // 60 if timestamp > local else -((local - timestamp) // 60), 32)


def parse_git_date(text: str, now: int | None = None) -> tuple[int, int] | None:
    """``text`` as git's parse_date_basic reads it: (seconds since the epoch, minutes east of UTC) as git writes
    them into a commit, or None where git refuses it ("invalid date format"). Reading stops at a newline; a
    word or number git cannot place is skipped, but the year (1970-2099), the month and the time of day must be
    found. ``now`` (the clock by default) is the time a date more than ten days ahead is measured from."""
    s = text.encode("utf-8", "surrogateescape").split(b"\0", 1)[0]
    if s[:1] == b"@" and (header := _object_header_date(s)) is not None:
        return header
    tm, i, clock = _Tm(), 0, int(time.time()) if now is None else now
    while i < len(s) and s[i] != 10:
        i += _step(s, i, tm, clock) or 1
    timestamp = _tm_to_time_t(tm)
    if timestamp == -1:
        return None
    timestamp %= _U64
    if tm.offset == -1:
        tm.offset = _local_offset(tm, _wrap(timestamp, 64))
    if not tm.gmt:
        timestamp = (timestamp - tm.offset * 60) % _U64
    return timestamp, tm.offset


def git_date_string(stamp: tuple[int, int]) -> str:
    """The date as a commit's author line holds it (date.c date_string): ``1767607200 +0100``."""
    seconds, offset = stamp
    sign = "-" if offset < 0 else "+"
    return f"{seconds} {sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"


# The Date: nearly every mailer writes (RFC 2822, an optional comment of letters): git takes it whenever its month
# and year (1970-2099) are there and its time of day is in range, whatever the weekday, day or zone say (none of
# those can refuse), so it is taken without the parser (80 us a patch; a regex for it costs more to compile than it
# saves in the corpus). Anything else goes to the parser.
_MONTH_WORDS = tuple(m.decode().lower() for m in _MONTHS)


def _two_digits(text: str, most: int) -> bool:
    return len(text) == 2 and text.isascii() and text.isdecimal() and int(text) <= most


def _plainly_taken(date: str) -> bool:
    """Whether ``date`` is ``[Wkd, ]D Mon YYYY hh:mm:ss +zzzz[ (Letters)]`` with values git takes."""
    words = date.split(" ")
    if words[0][-1:] == "," and words[0][:-1].isascii() and words[0][:-1].isalpha():
        words = words[1:]
    if len(words) < 5:
        return False
    day, month, year, clock, zone, *comment = words
    month, times = month.lower(), clock.split(":")
    named = len(month) >= 3 and month.isascii() and any(word.startswith(month) for word in _MONTH_WORDS)
    dated = named and 0 < len(day) < 3 and day.isascii() and day.isdecimal() and len(year) == 4 and \
        year.isascii() and year.isdecimal() and 1970 <= int(year) <= 2099
    timed = len(times) == 3 and _two_digits(times[0], 24) and _two_digits(times[1], 59) and _two_digits(times[2], 60)
    zoned = len(zone) == 5 and zone[0] in "+-" and zone[1:].isascii() and zone[1:].isdecimal()
    said = " ".join(comment)
    letters = said[1:-1].replace(" ", "")
    remark = not comment or (said[:1] == "(" and said[-1:] == ")" and (not letters or (letters.isascii() and
                                                                        letters.isalpha())))
    return dated and timed and zoned and remark


def date_refusal(date: str) -> str | None:
    """Why git am stops at committing a patch whose mailinfo Date is ``date``, in git's words; None when git
    takes it (an empty one is the time of the commit)."""
    if not date or _plainly_taken(date):
        return None
    return f"invalid date format: {date}" if parse_git_date(date) is None else None
