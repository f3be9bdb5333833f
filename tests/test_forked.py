"""Work shared with forked children: tickets go to one process each, whoever asks first."""

from __future__ import annotations

import os
import sys
import time

import pytest

from kbsleep import forked

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks on Linux only")


def test_every_ticket_goes_to_exactly_one_process() -> None:
    tickets = forked.Tickets(500)

    def take() -> list[int]:
        taken = []
        for number in tickets:
            taken.append(number)
            time.sleep(0.0005)  # let the other processes in between
        return taken

    children = [forked.start(take) for _ in range(2)]
    mine = take()
    tickets.close()
    theirs = [forked.result(child) for child in children if child is not None]
    assert all(done for done, _ in theirs)
    taken = [*mine, *(number for _, numbers in theirs for number in numbers)]
    assert sorted(taken) == list(range(500))  # none twice, none lost
    assert mine and all(numbers for _, numbers in theirs)  # and everyone worked


def test_no_tickets_and_too_many() -> None:
    tickets = forked.Tickets(0)
    assert list(tickets) == []
    tickets.close()
    with pytest.raises(ValueError):
        forked.Tickets(forked.Tickets.MOST + 1)


def test_shared_work_gives_every_number_its_result_however_it_is_shared() -> None:
    parent, order = os.getpid(), []
    found = forked.share(200, lambda number: (number * number, os.getpid()), workers=3, first=lambda: order.append("first"), done=order.append)
    assert sorted(found) == list(range(200)) and all(found[n][0] == n * n for n in found)
    assert order[0] == "first" and sorted(order[1:]) == sorted(n for n, (_, pid) in found.items() if pid == parent)


def test_the_numbers_a_failing_child_took_are_worked_here() -> None:
    parent = os.getpid()

    def work(number: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        time.sleep(0.0005)  # let the child take some first
        return number + 1

    assert forked.share(100, work) == {n: n + 1 for n in range(100)}
