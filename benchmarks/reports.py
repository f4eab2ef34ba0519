"""Benchmarks for `sikt rapport`: each report against a warm `sikt validera` on the same
archive, and the documents against that plus the import time of their libraries.

    python benchmarks/reports.py [--antal 1000] [--ar 10] [--ut benchmarks/RESULTS-rapporter.md]

The archive is benchmarks/generate.py's, spread over ten years. Targets (issue 18): each
terminal and JSON report within 3x a warm `sikt validera`; docx, pdf and html within that
plus the measured import time of matplotlib, fpdf2 and python-docx; memory under 300 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import measure  # noqa: E402

IMPORTS = "import matplotlib.pyplot, matplotlib.backends.backend_agg, fpdf, docx"
MEMORY_MB = 300


def _row(name: str, t: float, mem: int, limit: float) -> str:
    ok = "ja" if t <= limit and mem <= MEMORY_MB else "NEJ"
    return f"| {name} | {t:.3f} s | {mem} MB | ≤ {limit:.3f} s | {ok} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--antal", type=int, default=1000)
    parser.add_argument("--ar", type=int, default=10)
    parser.add_argument("--korningar", type=int, default=3)
    parser.add_argument("--ut", type=Path, help="skriv resultatet (Markdown) till filen")
    args = parser.parse_args()
    sikt = shutil.which("sikt") or sys.exit("sikt är inte installerat (pip install -e .)")
    py, runs = sys.executable, args.korningar
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp, "arkiv")
        generate(root, args.antal, years=args.ar)
        year = 1990 + args.ar // 2
        rot = ["--rot", str(root)]
        measure([sikt, "validera", *rot], runs=1)  # fill the cache
        warm, _ = measure([sikt, "validera", *rot], runs=runs)
        bare, _ = measure([py, "-c", "pass"], runs=runs)
        libs, _ = measure([py, "-c", IMPORTS], runs=runs)
        imports = max(0.0, libs - bare)
        report_limit, doc_limit = 3 * warm, 3 * warm + imports
        out = [
            f"Mätt {dt.date.today()} på {platform.machine()}, {os.cpu_count()} kärnor, "
            f"Python {platform.python_version()}: {args.antal} protokoll över {args.ar} år, "
            f"årsrapporten för {year}. Kommando: `python benchmarks/reports.py --antal "
            f"{args.antal} --ar {args.ar}`.",
            "",
            f"Varm `sikt validera`: {warm:.3f} s. Import av matplotlib, fpdf2 och python-docx: "
            f'{imports:.3f} s (mätt som `python -c "{IMPORTS}"` minus `python -c pass`).',
            "",
            "| mätning (varm) | tid | högsta minne | mål | uppfyllt |",
            "|---|---|---|---|---|",
        ]
        cases = [
            ("narvaro", []),
            ("narvaro", ["--format", "json"]),
            ("mal", []),
            ("mal", ["--format", "json"]),
            ("uppdrag", []),
            ("uppdrag", ["--format", "json"]),
        ]
        for name, extra in cases:
            cmd = [sikt, "rapport", name, *extra, *rot]
            measure(cmd, runs=1)  # the report's own cache entry
            t, mem = measure(cmd, runs=runs)
            out.append(_row(f"`sikt rapport {' '.join([name, *extra])}`", t, mem, report_limit))
        for form in ("json", "md"):
            t, mem = measure([sikt, "rapport", "ar", str(year), "-f", form, *rot], runs=runs)
            out.append(_row(f"`sikt rapport ar {year} -f {form}`", t, mem, report_limit))
        for form in ("docx", "pdf", "html"):
            target = Path(tmp, f"ar.{form}")
            cmd = [sikt, "rapport", "ar", str(year), "-f", form, "--ut", str(target), *rot]
            t, mem = measure(cmd, runs=runs, before=lambda p=target: p.unlink(missing_ok=True))
            out.append(_row(f"`sikt rapport ar {year} -f {form} --ut …`", t, mem, doc_limit))
    text = "\n".join(out) + "\n"
    print(text)
    if args.ut:
        args.ut.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
