"""work_sharing.map_chunks: the same list as a plain map, whichever process computed what;
a worker that dies or raises does not lose or hide anything.

Where a test needs the worker to take part, this process waits before its first item
until the worker has written a marker (a worker can take a second to spawn on Windows)."""

from __future__ import annotations

import multiprocessing
import os
import time
from pathlib import Path

import pytest

from sikt_cli.work_sharing import map_chunks

Shared = tuple[int, str]  # this process's pid, the folder for markers


def _in_worker(shared: Shared, marker: str) -> bool:
    """True in a worker, which writes `marker`; here, wait for the marker first."""
    main_pid, folder = shared
    path = Path(folder, marker)
    if os.getpid() != main_pid:
        path.touch()
        return True
    deadline = time.monotonic() + 60
    while not path.exists():
        assert time.monotonic() < deadline, "the worker never started"
        time.sleep(0.005)
    return False


def _square(shared: Shared, x: int) -> int:
    return x * x


def _square_and_where(shared: Shared, x: int) -> tuple[int, bool]:
    return x * x, _in_worker(shared, "igang")


def _dies_in_worker(shared: Shared, x: int) -> int:
    if _in_worker(shared, "dod"):
        os._exit(3)  # the worker dies with its first chunk, as if killed
    return x + 1


def _fails_in_worker(shared: Shared, x: int) -> int:
    if _in_worker(shared, "fel"):
        raise ValueError(f"trasig post {x}")
    return x


def _fails_here(shared: Shared, x: int) -> int:
    if os.getpid() != shared[0]:
        time.sleep(0.01)  # slow workers: this process surely takes the last chunks
    elif x > 100:
        raise KeyError(x)
    return x


@pytest.fixture
def shared(tmp_path: Path) -> Shared:
    return os.getpid(), str(tmp_path)


@pytest.mark.parametrize(
    ("count", "chunk", "workers"),
    [(0, 4, 1), (1, 4, 1), (7, 7, 1), (8, 7, 2), (301, 16, 1), (300, 5, 3)],
)
def test_the_same_list_as_a_plain_map(count: int, chunk: int, workers: int) -> None:
    items = list(range(count))
    got = map_chunks(_square, (os.getpid(), ""), items, workers=workers, chunk=chunk)
    assert got == [x * x for x in items]
    assert not multiprocessing.active_children()


def test_this_process_and_the_worker_share_the_work(shared: Shared) -> None:
    got = map_chunks(_square_and_where, shared, list(range(400)), workers=1, chunk=8)
    assert [square for square, _ in got] == [x * x for x in range(400)]
    there = [i for i, (_, in_worker) in enumerate(got) if in_worker]
    here = [i for i, (_, in_worker) in enumerate(got) if not in_worker]
    assert here and there
    assert max(there) < min(here)  # the worker from the front, this process from the back


def test_a_chunk_a_dead_worker_took_is_computed_here(shared: Shared) -> None:
    items = list(range(200))
    got = map_chunks(_dies_in_worker, shared, items, workers=1, chunk=10)
    assert Path(shared[1], "dod").exists(), "the worker should have taken a chunk and died"
    assert got == [x + 1 for x in items]
    assert not multiprocessing.active_children()


def test_an_exception_in_a_worker_is_raised_here(shared: Shared) -> None:
    with pytest.raises(ValueError, match="trasig post 0") as raised:
        map_chunks(_fails_in_worker, shared, list(range(200)), workers=1, chunk=10)
    assert any("_fails_in_worker" in note for note in raised.value.__notes__)
    assert not multiprocessing.active_children()


def test_an_exception_here_ends_the_workers() -> None:
    with pytest.raises(KeyError):
        map_chunks(_fails_here, (os.getpid(), ""), list(range(200)), workers=2, chunk=5)
    assert not multiprocessing.active_children()


def test_spawned_workers_as_on_windows(shared: Shared) -> None:
    """Where there is no fork, the function, the shared value and the items are pickled
    to each worker once; the answer is the same."""
    items = list(range(300))
    got = map_chunks(_square_and_where, shared, items, workers=1, chunk=10, start="spawn")
    assert [square for square, _ in got] == [x * x for x in items]
    assert any(in_worker for _, in_worker in got), "the spawned worker should have helped"
    assert not multiprocessing.active_children()
