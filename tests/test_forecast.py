"""The forecast model on made-up series with known trends, and the forecast of a small program."""

import random
from datetime import date, timedelta

import pytest

from robotwork.forecast import WEEKS, project, t_quantile, week_ends


def test_an_exact_line_is_extended_with_no_spread():
    days = [0.0, 7.0, 14.0, 21.0, 28.0]
    p = project(days, [10 + 2 * d for d in days], 56.0)
    assert p.value == pytest.approx(122.0) and p.slope_per_week == pytest.approx(14.0)
    assert p.low == pytest.approx(122.0) and p.high == pytest.approx(122.0)


def test_a_noisy_known_trend_lies_inside_the_interval_about_as_often_as_stated():
    rng = random.Random(7)
    days = [7.0 * w for w in range(WEEKS)]
    at, slope, start, noise = 77.0, 3.0, 40.0, 5.0
    inside, trials = 0, 2000
    for _ in range(trials):
        values = [start + slope * d + rng.gauss(0, noise) for d in days]
        p = project(days, values, at)
        truth = start + slope * at + rng.gauss(0, noise)  # a new observation at the target
        assert p.low is not None and p.high is not None
        inside += p.low <= truth <= p.high
    assert 0.87 <= inside / trials <= 0.93  # a 90 % prediction interval


def test_the_slope_is_recovered_from_a_noisy_series():
    rng = random.Random(1)
    days = [7.0 * w for w in range(WEEKS)]
    slopes = [
        project(days, [5 - 0.5 * d + rng.gauss(0, 1) for d in days], 70).slope_per_week for _ in range(500)
    ]
    assert sum(slopes) / len(slopes) == pytest.approx(-3.5, abs=0.05)


def test_a_falling_count_is_never_projected_below_zero():
    days = [0.0, 7.0, 14.0, 21.0]
    p = project(days, [30.0, 20.0, 12.0, 1.0], 60.0)
    assert p.value < 0 and p.low == 0.0 and p.high is not None and p.high >= 0.0


def test_too_few_points_give_no_interval():
    assert project([0.0], [5.0], 30.0).low is None
    two = project([0.0, 7.0], [5.0, 12.0], 14.0)
    assert two.value == pytest.approx(19.0) and two.high is None
    with pytest.raises(ValueError):
        project([], [], 1.0)
    with pytest.raises(ValueError):
        t_quantile(0)


def test_t_quantiles_shrink_toward_the_normal_one():
    assert t_quantile(1) == pytest.approx(6.314) and t_quantile(6) == pytest.approx(1.943)
    assert t_quantile(11) == t_quantile(10)  # between entries: the wider one
    assert t_quantile(10_000) == pytest.approx(1.645)


def test_week_ends_end_on_the_as_of_date_a_week_apart():
    ends = week_ends(date(2026, 12, 2))
    assert len(ends) == WEEKS and ends[-1] == date(2026, 12, 2)
    assert all(b - a == timedelta(days=7) for a, b in zip(ends, ends[1:], strict=False))
