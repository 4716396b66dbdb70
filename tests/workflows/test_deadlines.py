from datetime import date

from workflows.deadlines import add_working_days, deadline_after, is_working_day, next_working_day


def test_weekends_and_swedish_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 6, 6))  # National Day (a Saturday too)
    assert not is_working_day(date(2026, 6, 19))  # Midsummer Eve
    assert not is_working_day(date(2026, 12, 24))  # Christmas Eve
    assert not is_working_day(date(2026, 4, 6))  # Easter Monday
    assert is_working_day(date(2026, 4, 7))


def test_a_deadline_on_a_holiday_moves_to_the_next_working_day():
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 28)  # 25, 26 holidays, 27 Sunday
    assert deadline_after(date(2026, 5, 29), weeks=3) == date(
        2026, 6, 22
    )  # 19 Jun Midsummer Eve, 20-21 weekend


def test_working_days_skip_easter():
    assert add_working_days(date(2026, 4, 1), 3) == date(2026, 4, 8)  # 3 Apr Good Friday, 6 Apr Easter Monday
