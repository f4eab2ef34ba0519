"""The protokoll pages of a large web archive, rendered on every core.

A site of 1,000 protokoll spends most of its time on the protokoll pages (each body
through markdown-it, then its template). From PARALLEL_FROM pages to render on (those not
taken from the last build, render/site_reuse.py) they are rendered in worker processes, in
chunks, while the calling process renders the list and goal pages (site_render.py, which
also holds the function a worker runs on a chunk); each worker
compiles the templates once and renders in the same budgeted sandbox, so a page is byte
for byte what one process would have made.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sikt_cli.render.site_data import SiteData

if TYPE_CHECKING:
    from concurrent.futures import Future
    from multiprocessing.context import BaseContext

PARALLEL_FROM = 200  # protokoll pages; below this, starting workers costs more than it saves
MAX_WORKERS = 4
Rendered = list[tuple[int, str, bytes]]  # (index in data.pages, site path, page)

_data: SiteData | None = None  # the worker's site (inherited on fork, else pickled once)
Chunk = Callable[[list[int]], Rendered]  # a module-level function: pickled by its name


def _init(data: SiteData) -> None:
    global _data
    _data = data


def worker_data() -> SiteData:
    """The site, in a worker process."""
    assert _data is not None
    return _data


def workers_for(count: int) -> int:
    """How many worker processes `count` protokoll pages get (0: render them in-process)."""
    cores = os.cpu_count() or 1
    if count < PARALLEL_FROM or cores < 2:
        return 0
    return min(cores, MAX_WORKERS)


def _context() -> BaseContext:
    """fork where it is safe (POSIX, one thread: nothing to pickle); else spawn (the site
    pickled to each worker once)."""
    import multiprocessing
    import threading

    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


class Pool:
    """The protokoll pages in flight; `results()` waits for them (call in a `with`)."""

    def __init__(self, data: SiteData, workers: int, chunk: Chunk, todo: list[int]) -> None:
        import gc
        from concurrent.futures import ProcessPoolExecutor

        gc.freeze()  # a forked worker's collector leaves the inherited site alone (no copies)
        self.executor = ProcessPoolExecutor(
            workers,
            mp_context=_context(),
            initializer=_init,
            initargs=(data,),
        )
        n = len(todo)  # the indices in data.pages of the pages to render
        size = max(1, -(-n // (workers * 6)))  # a few chunks per worker: an even finish
        self.futures: list[Future[Rendered]] = [
            self.executor.submit(chunk, todo[start : start + size]) for start in range(0, n, size)
        ]

    def __enter__(self) -> Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        for f in self.futures:
            f.cancel()
        self.executor.shutdown(wait=True, cancel_futures=True)
        import gc

        gc.unfreeze()

    def results(self, progress: Callable[[int], None]) -> Iterator[tuple[int, str, bytes]]:
        from concurrent.futures import as_completed

        for future in as_completed(self.futures):
            chunk = future.result()
            yield from chunk
            progress(len(chunk))
