"""How old the newest source is, in words a reader takes in at a glance."""

from __future__ import annotations

from datetime import UTC, date, datetime

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


def added_in_words(added: str, now: datetime) -> str:
    """When a bookmark was added (stored as UTC, "2026-12-07T10:51:03Z"), in the reader's time:
    "today 11:51", "yesterday 09:05", else the date. Anything unreadable is shown as it is."""
    try:
        moment = datetime.fromisoformat(added.replace("Z", "+00:00"))
    except ValueError:
        return added
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(now.tzinfo)
    days = (now.date() - local.date()).days
    if days == 0:
        return f"today {local:%H:%M}"
    if days == 1:
        return f"yesterday {local:%H:%M}"
    return local.date().isoformat()
