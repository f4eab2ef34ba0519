"""One job over many items on every core, this process working too.

`map_chunks(func, shared, items, workers=…)` is `[func(shared, x) for x in items]`: the items
are cut into chunks; `workers` other processes take chunks from the front and this process
takes them from the back, each claiming the next chunk from a counter they share. What this
process computes itself is never pickled, and a worker never waits for this process to hand
it work (concurrent.futures' pool feeds its workers from threads of this process, which
wait for the GIL while this process computes: a tenth of a worker's time went that way).

A worker's results come back through its own pipe, read between this process's items so
that the pipe never fills. A chunk that a worker took but did not deliver (the worker
died) is computed here at the end; an exception in `func` in a worker is raised here, with
the worker's traceback as a note. (A worker killed in the instant it holds the counter's
lock would leave it held: the claim is a few bytecodes, and that case is not handled.)
"""

from __future__ import annotations

import gc
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

_END = -1  # a worker's last message: no chunk left
_FAILED = -2  # ... or: func raised (the exception follows)


def map_chunks(
    func: Callable[[S, T], R],
    shared: S,
    items: Sequence[T],
    *,
    workers: int,
    chunk: int,
    start: str | None = None,
) -> list[R]:
    """`[func(shared, x) for x in items]`, computed by this process and `workers` others.

    `func` must be a module-level function, and `shared` and `items` picklable, where
    processes are spawned rather than forked (Windows): they are sent to each worker once.
    `start`: the start method, by default fork where there is one (Linux, macOS)."""
    if not items:
        return []
    import multiprocessing

    fork = "fork" in multiprocessing.get_all_start_methods()
    method = start or ("fork" if fork else None)
    context: Any = multiprocessing.get_context(method)  # typeshed's BaseContext has no Process
    count = (len(items) + chunk - 1) // chunk
    bounds = context.Array("q", [0, count])  # [next from the front, one past the back]
    results: list[list[R] | None] = [None] * count
    readers, processes = [], []
    try:
        for _ in range(workers):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(
                target=_work, args=(func, shared, items, chunk, bounds, writer), daemon=True
            )
            process.start()
            writer.close()  # the worker holds the other end: EOF here when it ends
            readers.append(reader)
            processes.append(process)
        while (i := _claim(bounds, front=False)) is not None:
            part: list[R] = []
            results[i] = part
            for x in _chunk(items, i, chunk):
                part.append(func(shared, x))
                readers = _receive(readers, results, block=False)
        while readers:
            readers = _receive(readers, results, block=True)
    finally:
        for reader in readers:
            reader.close()
        for process in processes:
            if process.is_alive():
                process.terminate()
            process.join()
    out: list[R] = []
    for i, got in enumerate(results):  # a chunk a worker took and did not deliver: here
        out += got if got is not None else [func(shared, x) for x in _chunk(items, i, chunk)]
    return out


def _chunk(items: Sequence[T], i: int, chunk: int) -> Sequence[T]:
    return items[i * chunk : (i + 1) * chunk]


def _claim(bounds: Any, *, front: bool) -> int | None:
    """The next chunk to compute: from the front for a worker, from the back for this
    process; None when every chunk is taken."""
    with bounds.get_lock():
        low, high = bounds[0], bounds[1]
        if low >= high:
            return None
        if front:
            bounds[0] = low + 1
            return int(low)
        bounds[1] = high - 1
        return int(high - 1)


def _receive(readers: list[Any], results: list[Any], *, block: bool) -> list[Any]:
    """Every message waiting from the workers (with `block`, at least one, or an EOF);
    the readers still open."""
    from multiprocessing.connection import wait

    ready: list[Any] = wait(readers) if block else [r for r in readers if r.poll()]
    if not ready:
        return readers
    still = list(readers)
    for reader in ready:
        try:
            index, value = pickle.loads(reader.recv_bytes())
        except (EOFError, OSError):  # the worker ended without its last message: it died
            index, value = _END, None
        if index == _FAILED:
            raise value
        if index == _END:
            reader.close()
            still.remove(reader)
        else:
            results[index] = value
    return still


def _work(
    func: Callable[[S, T], R], shared: S, items: Sequence[T], chunk: int, bounds: Any, writer: Any
) -> None:
    """A worker: chunks from the front until none is left, each sent back as it is done."""
    gc.disable()  # the results live until they are sent; nothing here is cyclic
    try:
        while (i := _claim(bounds, front=True)) is not None:
            part = [func(shared, x) for x in _chunk(items, i, chunk)]
            writer.send_bytes(pickle.dumps((i, part), protocol=pickle.HIGHEST_PROTOCOL))
        writer.send_bytes(pickle.dumps((_END, None)))
    except Exception as exc:  # raised again in the main process
        exc.add_note("I arbetsprocessen:\n" + traceback.format_exc())
        try:
            message = pickle.dumps((_FAILED, exc))
            pickle.loads(message)  # one that pickles but cannot be rebuilt is sent as text
        except Exception:
            failure = RuntimeError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")
            message = pickle.dumps((_FAILED, failure))
        writer.send_bytes(message)
    finally:
        writer.close()
