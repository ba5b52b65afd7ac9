"""How old the newest source is, in words a reader takes in at a glance."""

from __future__ import annotations

from datetime import date

STALE_AFTER_MONTHS = 6


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (0 if later is not later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < earlier.day:
        months -= 1
    return max(months, 0)


def age_in_words(earlier: date, today: date) -> str:
    """'today', '12 days ago', '3 months ago', '1 year 7 months ago'."""
    days = (today - earlier).days
    if days <= 0:
        return "today" if days == 0 else "in the future"
    months = months_between(earlier, today)
    if months == 0:
        return f"{days} day{'s' * (days != 1)} ago"
    years, months = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' * (years != 1)}")
    if months:
        parts.append(f"{months} month{'s' * (months != 1)}")
    return " ".join(parts) + " ago"


def freshness_line(newest: date, today: date) -> tuple[str, bool]:
    """The freshness line and whether it warns: 'as of 2025-04-16, 1 year 7 months ago: ...'."""
    stale = months_between(newest, today) >= STALE_AFTER_MONTHS
    line = f"as of {newest.isoformat()}, {age_in_words(newest, today)}"
    return (f"{line}: may be out of date" if stale else line), stale
