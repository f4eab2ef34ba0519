"""Where a full `sikt webb` build spends its time: phase by phase, and a cProfile.

    python benchmarks/webb_profile.py [--storlek 1000] [--rader 25] [--katalog /tmp/sikt-prof]

Generates (once, kept in --katalog) an archive with benchmarks/generate.py, fills the
cache with one `sikt validera`-like load, then builds the site in this process the way
`sikt webb` does after a change (the site's own cache entry removed, so every page is
rendered and Pagefind indexes every page), timing each phase in wall-clock and CPU time:
the checks before the build (the output folder, the personal-data guard and validation),
the model from the cache, the published view, the page contexts, the page rendering
(Jinja + the Markdown bodies; on several cores when there are many pages), feeds,
Pagefind, the guard over the finished pages and writing the files. Then the whole build
once more under cProfile (workers are not profiled), sorted by cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from profiler import archive  # noqa: E402

Rows = list[tuple[str, float, float, float]]


def _children() -> float:
    t = os.times()
    return t.children_user + t.children_system


@contextmanager
def phase(rows: Rows, name: str) -> Iterator[None]:
    wall, cpu, kids = time.perf_counter(), time.process_time(), _children()
    yield
    rows.append((name, time.perf_counter() - wall, time.process_time() - cpu, _children() - kids))


def phases(root: Path, out: Path) -> Rows:
    """The build of services/webb.build_site, step by step (keep in step with it)."""
    from sikt_cli.render import site_render
    from sikt_cli.render.site_data import Options, published, site_data
    from sikt_cli.services import webb, webb_model, webb_output, webb_search

    rows: Rows = []
    with phase(rows, "utkatalogen (plan)"):
        plan = webb_output.plan(out)
    with phase(rows, "modellen ur cachen"):
        model, bodies, digests = webb_model.archive_and_bodies(root)
    options = Options(today=dt.date.today(), url="https://e.se/")
    chosen = [m.rel for m in model.minutes if published(m, options)]
    with phase(rows, "personnummerspärr + validering"):
        webb._refuse_errors(root, set(chosen))
    with phase(rows, "publicerad vy (site_data)"):
        data = site_data(model, {r: bodies[r] for r in chosen if r in bodies}, options)
        data.digests = digests
    with phase(rows, "sidorna: kontext, Markdown, Jinja, diagram, flöden"):
        files = site_render.build_files(data)
    with phase(rows, "personnummer i sidorna"):
        webb._refuse_numbers_in_pages(files)
    staging = webb_output.Staging(out)
    try:
        with phase(rows, "skrivning av sidorna (privat katalog)"):
            staging.add(files)
        with phase(rows, "Pagefind (i den privata katalogen)"):
            index, why = webb_search._index(files, staging.path, lambda: None)
        if index is None:
            sys.exit(f"Pagefind: {why}")
        staging.adopt(index)
        files = {**files, **index}
        with phase(rows, "resten: manifest, namnbyte"):
            webb_output.write(plan, files, staging)
    finally:
        staging.discard()
    pages = sum(1 for p in files if p.endswith(".html"))
    print(f"{pages} sidor, {len(files)} filer", file=sys.stderr)
    return rows


def table(rows: Rows) -> str:
    lines = [
        "| fas | väggtid | CPU-tid, denna process | CPU-tid, barnprocesser |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n} | {w:.3f} s | {c:.3f} s | {k:.3f} s |" for n, w, c, k in rows]
    w, c, k = (sum(r[1] for r in rows), sum(r[2] for r in rows), sum(r[3] for r in rows))
    lines.append(f"| **summa** | **{w:.3f} s** | **{c:.3f} s** | **{k:.3f} s** |")
    return "\n".join(lines)


def fresh(root: Path, out: Path) -> Callable[[], None]:
    def reset() -> None:
        shutil.rmtree(out, ignore_errors=True)
        (root / ".sikt-cache" / "webb-sajt.bin").unlink(missing_ok=True)

    return reset


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--storlek", type=int, default=1000)
    parser.add_argument("--rader", type=int, default=25)
    parser.add_argument("--katalog", type=Path, default=Path(tempfile.gettempdir(), "sikt-prof"))
    parser.add_argument("--ingen-profil", action="store_true", help="bara faserna")
    args = parser.parse_args()
    root = archive(args.katalog, args.storlek)
    out = args.katalog / f"webb{args.storlek}"
    reset = fresh(root, out)
    from sikt_cli.services.validate import validate

    validate(root)  # the cache filled, as after a warm `sikt validera`
    reset()
    from sikt_cli.services import webb, webb_model

    webb_model.archive_and_bodies(root)  # the model's entry too
    reset()
    print(f"belastning: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}", file=sys.stderr)
    print(table(phases(root, out)))
    if args.ingen_profil:
        return
    reset()
    profile = cProfile.Profile()
    options = webb.WebOptions(out=out, url="https://e.se/")
    profile.runcall(webb.build_site, root, options)
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.rader)
    stats.sort_stats("tottime").print_stats(args.rader)


if __name__ == "__main__":
    main()
