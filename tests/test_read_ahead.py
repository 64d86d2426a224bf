"""``read_ahead``: the items in order, each made by one thread while the one before is used."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from lca.read_ahead import read_ahead


def test_the_items_in_their_order():
    assert list(read_ahead(iter(range(1000)))) == list(range(1000))
    assert list(read_ahead(iter([]))) == []


def test_random_draws_are_the_generators_own():
    """A generator drawing from one random stream gives the draws of a plain loop."""

    def chunks(rng):
        for size in (3, 5, 2, 7):
            yield rng.standard_normal(size)

    plain = np.concatenate(list(chunks(np.random.default_rng(7))))
    ahead = np.concatenate(list(read_ahead(chunks(np.random.default_rng(7)))))
    assert np.array_equal(plain, ahead)


def test_one_thread_makes_the_items_one_at_a_time_and_one_ahead():
    made, inside, lock = [], [], threading.Lock()

    def items():
        for n in range(50):
            assert lock.acquire(blocking=False)  # never two steps at once
            inside.append(threading.get_ident())
            made.append(n)
            lock.release()
            yield n

    for n in read_ahead(items()):
        assert len(made) <= n + 2  # the item in use and the next one, no further
    assert len(set(inside)) == 1 and inside[0] != threading.get_ident()


def test_an_exception_comes_at_its_place_and_stopping_early_ends_the_thread():
    def items():
        yield 1
        yield 2
        raise ValueError("third")

    got = []
    with pytest.raises(ValueError, match="third"):
        for n in read_ahead(items()):
            got.append(n)
    assert got == [1, 2]
    for n in read_ahead(iter(range(10))):
        if n == 3:
            break
    assert not [t for t in threading.enumerate() if t.name.startswith("read-ahead")]


def test_mapped_ahead_gives_each_call_in_order():
    from lca.read_ahead import mapped_ahead

    assert list(mapped_ahead(lambda a, b: a * b, ((n, 3) for n in range(100)))) == [
        n * 3 for n in range(100)
    ]
    assert list(mapped_ahead(abs, iter([]))) == []


def test_mapped_ahead_runs_at_most_workers_plus_one_ahead_and_says_a_failure():
    from lca.read_ahead import mapped_ahead

    started, lock = [], threading.Lock()

    def call(n):
        with lock:
            started.append(n)
        if n == 30:
            raise ValueError("thirty")
        return n

    got = []
    with pytest.raises(ValueError, match="thirty"):
        for n in mapped_ahead(call, ((n,) for n in range(50)), workers=2):
            assert max(started) <= n + 2  # this one, and the two made after it
            got.append(n)
    assert got == list(range(30))
    assert not [t for t in threading.enumerate() if t.name.startswith("mapped-ahead")]


def test_mapped_ahead_makes_the_next_call_while_one_is_used():
    from lca.read_ahead import mapped_ahead

    second = threading.Event()

    def call(n):
        if n == 1:
            second.set()
        return n

    for n in mapped_ahead(call, ((n,) for n in range(3))):
        if n == 0:
            assert second.wait(5)  # made by a thread while the caller holds the first
