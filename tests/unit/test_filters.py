import datetime as dt

import pytest
from pydantic import ValidationError

from analytics.common.filters import Filters

AS_OF = dt.date(2025, 11, 30)


def test_whole_year_runs_to_the_as_of_date_and_compares_with_the_same_span():
    f = Filters(year=2025, as_of=AS_OF)
    assert (f.period_start, f.period_end) == (dt.date(2025, 1, 1), AS_OF)
    before = f.year_earlier()
    assert (before.period_start, before.period_end) == (dt.date(2024, 1, 1), dt.date(2024, 11, 30))
    assert f.label() == "2025年"


def test_quarters_and_their_neighbours():
    q3 = Filters(year=2025, quarter=3, as_of=AS_OF)
    assert (q3.period_start, q3.period_end) == (dt.date(2025, 7, 1), dt.date(2025, 9, 30))
    assert q3.quarter_earlier().quarter == 2
    q1 = Filters(year=2025, quarter=1, as_of=AS_OF).quarter_earlier()
    assert (q1.year, q1.quarter) == (2024, 4)
    assert Filters(year=2025, quarter=4, as_of=AS_OF).period_end == AS_OF
    assert q3.label() == "2025年第3季度"


def test_elapsed_share_and_future_periods():
    assert Filters(year=2025, quarter=3, as_of=AS_OF).elapsed_share == 1.0
    assert Filters(year=2025, as_of=AS_OF).elapsed_share == pytest.approx(334 / 365)
    assert Filters(year=2026, as_of=AS_OF).is_empty
    ytd = Filters(year=2025, quarter=2, as_of=AS_OF).year_to_date()
    assert (ytd.period_start, ytd.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 2025, "quarter": 5}, "less than or equal to 4"),
        ({"year": "abc"}, "valid integer"),
        ({"year": 2025, "group": ""}, "at least 1 character"),
        ({"year": 2025, "colour": "red"}, "Extra inputs"),
    ],
)
def test_invalid_filters_are_refused(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        Filters(as_of=AS_OF, **kwargs)


def test_filters_are_frozen():
    f = Filters(year=2025, as_of=AS_OF)
    with pytest.raises(ValidationError, match="frozen"):
        f.year = 2024
