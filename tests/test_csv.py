"""The one CSV form (render/csv_writer.py): every command's CSV, as Swedish Excel opens it."""

from __future__ import annotations

import ast
import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sikt_cli.render.csv_writer import write_csv

Run = Callable[..., Any]
PKG = Path(__file__).resolve().parent.parent / "sikt_cli"


def test_utf8_with_bom_semicolons_and_no_formulas() -> None:
    data = write_csv(["namn", "antal"], [["Åsa; Ek", 3], ["=1+1", -2], ['"Bo"', 0]])
    assert data == (b'\xef\xbb\xbfnamn;antal\r\n"\xc3\x85sa; Ek";3\r\n\'=1+1;-2\r\n"""Bo""";0\r\n')
    text = data.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text), delimiter=";")) == [
        ["namn", "antal"],
        ["Åsa; Ek", "3"],
        ["'=1+1", "-2"],
        ['"Bo"', "0"],
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("uppdrag", "--alla", "--format", "csv"),
        ("beslut", "--format", "csv"),
        ("sok", "Mediapoolen", "--format", "csv"),
    ],
    ids=lambda a: a[0],
)
def test_every_command_writes_the_same_csv(
    args: tuple[str, ...], real_archive: Path, run: Run
) -> None:
    result = run(*args, "--rot", str(real_archive))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")
    header = result.stdout_bytes.decode("utf-8-sig").split("\n", 1)[0]
    assert ";" in header and "," not in header


def test_only_the_csv_writer_imports_csv() -> None:
    """Every CSV goes through render/csv_writer.py: no other module uses the csv module."""
    users = []
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            if "csv" in names:
                users.append(path.relative_to(PKG).as_posix())
    assert users == ["render/csv_writer.py"]
