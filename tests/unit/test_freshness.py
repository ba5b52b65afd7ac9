def test_a_bookmarks_time_is_said_in_the_readers_time_to_the_minute() -> None:
    from datetime import datetime, timedelta, timezone

    from aoad_tui.model.freshness import added_in_words

    seoul = timezone(timedelta(hours=9))
    now = datetime(2026, 12, 8, 9, 0, tzinfo=seoul)  # 00:00 UTC
    assert added_in_words("2026-12-07T23:51:03Z", now) == "today 08:51"  # the 8th in Seoul
    assert added_in_words("2026-12-07T10:05:59Z", now) == "yesterday 19:05"
    assert added_in_words("2026-11-01T08:00:00Z", now) == "2026-11-01"
    assert added_in_words("2026-12-07T23:51:03", now) == "today 08:51"  # no zone written: UTC
    assert added_in_words("not a time", now) == "not a time"
