"""A moment that cannot be read is refused with the forms that can: the one the window's dialog suggests too."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.core.history.moments import BadMoment, parse_moment

NOW = dt.datetime(2023, 1, 1, tzinfo=dt.UTC)


def test_the_message_names_the_date_and_time_form_that_is_accepted() -> None:
    with pytest.raises(BadMoment) as refused:
        parse_moment("yesterday", NOW)
    message = str(refused.value)
    assert "YYYY-MM-DD HH:MM in UTC" in message and "'yesterday'" in message
    # … and what it names is indeed read: a space, no seconds, no zone (UTC)
    assert parse_moment("2022-12-15 10:02", NOW) == dt.datetime(2022, 12, 15, 10, 2, tzinfo=dt.UTC)
    assert parse_moment("2022-12-15T10:02+02:00", NOW) == dt.datetime(2022, 12, 15, 8, 2, tzinfo=dt.UTC)
