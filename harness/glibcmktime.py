"""glibc's mktime of a local time whose DST is unknown (tm_isdst -1), as a process's first call makes it."""

from __future__ import annotations

import time

_MDAYS = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
_PROBES = 6  # mktime.c remaining_probes


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _leap_days_before(year: int) -> int:
    y = year - 1
    return y // 4 - y // 100 + y // 400


def _as_utc(year: int, yday: int, hour: int, minute: int, sec: int) -> int:
    """Seconds since the epoch of a broken-down time read as UTC, fields out of range counted on (mktime.c
    ydhms_diff against 1970); ``yday`` from 0."""
    days = 365 * (year - 1970) + _leap_days_before(year) - _leap_days_before(1970) + yday
    return ((days * 24 + hour) * 60 + minute) * 60 + sec


def first_mktime(year: int, mon: int, mday: int, hour: int, minute: int, sec: int) -> int | None:
    """glibc 2.36 mktime (time/mktime.c __mktime_internal) of these local fields with tm_isdst -1 (``year`` in
    full, ``mon`` from 0, any field out of range), or None where it fails. glibc starts its search from the offset
    its previous call found (a static): an hour a clock goes back over is the summer one or the winter one by what
    the process asked before. Python's time.mktime answered by this process's history; a git that parses one date
    (git var, the first date of a git am run) starts from offset 0, as here."""
    years, mon = divmod(mon, 12)
    year += years
    yday = _MDAYS[mon] + (mon > 1 and _leap(year)) + mday - 1
    clamped = min(max(sec, 0), 59)  # out-of-range seconds are put back at the end (LEAP_SECONDS_POSSIBLE)
    target = _as_utc(year, yday, hour, minute, clamped)
    t = t1 = t2 = target  # the first guess: an offset of 0
    dst2, probes = False, _PROBES
    try:
        while True:
            tm = time.localtime(t)
            guess = t + target - _as_utc(tm.tm_year, tm.tm_yday - 1, tm.tm_hour, tm.tm_min, tm.tm_sec)
            if guess == t:
                break
            # Oscillating over a gap the clock skips: where it stands, unless only the step before was summer time.
            if t == t1 and t != t2 and dst2 <= (tm.tm_isdst != 0):
                break
            probes -= 1
            if not probes:
                return None
            t1, t2, t, dst2 = t2, t, guess, tm.tm_isdst != 0
        if sec != tm.tm_sec:
            t += int(clamped == 0 and tm.tm_sec == 60) - clamped + sec
            time.localtime(t)  # convert_time: fails as glibc's would
    except (OverflowError, OSError, ValueError):
        return None
    return t
