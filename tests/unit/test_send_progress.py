"""Counting a run's outcomes for the status line, and the time left once a few have gone."""

from __future__ import annotations

import pytest

from flexdesk.sync import Outcome, SendProgress, SyncResult
from flexdesk.ui.window.status_line import duration


def result(outcome: Outcome) -> SyncResult:
    return SyncResult(outcome, "cust_0001", {"phone": "1"})


def test_outcomes_are_counted_by_what_they_mean_to_the_user() -> None:
    progress = SendProgress(started=0.0, left=10)
    for outcome in (Outcome.SENT, Outcome.ALREADY_THERE, Outcome.CONFLICT, Outcome.FAILED,
                    Outcome.RETRY_LATER, Outcome.OFFLINE):
        progress.count(result(outcome))
    assert (progress.sent, progress.conflicts, progress.failed, progress.waiting) == (2, 1, 1, 2)
    assert progress.done == 6


def test_the_time_left_is_estimated_once_a_few_saves_have_gone() -> None:
    progress = SendProgress(started=100.0, left=498)
    progress.count(result(Outcome.SENT))
    progress.count(result(Outcome.SENT))
    assert progress.seconds_left(101.0) is None  # two say little
    progress.count(result(Outcome.RETRY_LATER))  # waits in line, but not for this run
    progress.left = 497
    assert progress.seconds_left(103.0) == pytest.approx(1.0 * 496)


@pytest.mark.parametrize(("seconds", "said"), [
    (0.2, "1 s"), (42.4, "42 s"), (150, "2 min"), (3569, "59 min"), (3599, "1 h 0 min"),
    (4800, "1 h 20 min")])
def test_durations_are_rough_and_readable(seconds: float, said: str) -> None:
    assert duration(seconds) == said
