"""`sikt init`: a new network archive that validates clean at once.

Files come from the package's stommar/ folder, with the network's name filled in by plain
string replacement (no template code runs). Nothing existing is ever overwritten.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sikt_cli.archive.layout import MEMBERS_FILE
from sikt_cli.errors import Refused
from sikt_cli.files import FileExists, blocking_file, create

# target path in the new archive → file in sikt_cli/stommar
FILES = {
    "medlemmar.yaml": "medlemmar.yaml",
    "mal.yaml": "mal.yaml",
    "README.md": "README.md",
    ".gitignore": "gitignore",
    ".pre-commit-config.yaml": "pre-commit-config.yaml",
    "mallar/README.md": None,
    "protokoll/.gitkeep": None,
}
GITHUB = {".github/workflows/validera.yml": "validera.yml"}
GITLAB = {".gitlab-ci.yml": "gitlab-ci.yml"}
# `--webb`: the workflow that builds and publishes the web archive (GitHub Pages), or the
# GitLab Pages job appended to .gitlab-ci.yml ("a+b": the stommar joined)
GITHUB_WEB = {".github/workflows/webb.yml": "webb.yml"}
GITLAB_WEB = {".gitlab-ci.yml": "gitlab-ci.yml+gitlab-pages.yml"}


@dataclass(frozen=True, slots=True)
class Scaffolded:
    created: list[str]
    skipped: list[str]  # existed already and were left as they were
    install: str  # the pinned pip requirement the archive's README and CI install


def _stomme(name: str) -> str:
    return (resources.files("sikt_cli") / "stommar" / name).read_text(encoding="utf-8")


_PLACEHOLDER = re.compile(r"\{\{ (namn_yaml|namn|installera) \}\}")


def render_stomme(name: str, network: str, install: str) -> str:
    """`install` is a requirement that passed pinned_install.check: it holds no quote, so
    single quotes make it one shell word."""
    # one pass, so a name that itself contains '{{ installera }}' is kept as written
    values = {
        "namn_yaml": json.dumps(network, ensure_ascii=False),
        "namn": " ".join(network.split()),
        "installera": f"'{install}'",
    }
    text = "".join(_stomme(part) for part in name.split("+"))
    return _PLACEHOLDER.sub(lambda m: values[m[1]], text)


def _one_line(text: str) -> bool:
    """No line breaks or control characters: YAML refuses some (DEL, ESC, U+FFFF) and reads
    others (NEL, U+2028) as line breaks, which would change the name. Unpaired surrogates
    (from undecodable command-line bytes) cannot be written as UTF-8."""
    return not any(
        unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in "\ufffe\uffff" for c in text
    )


def init(
    folder: Path,
    network: str,
    *,
    install: str | None = None,
    gitlab: bool = False,
    webb: bool = False,
) -> Scaffolded:
    """Create the archive in `folder`; refuse if it already holds medlemmar.yaml. `install`
    is `--installera` (default: the running sikt); `webb` adds the Pages workflow or job."""
    if not network.strip() or not _one_line(network):
        raise Refused(
            "Ange nätverkets namn med --namn, på en rad utan kontrolltecken.",
            'T.ex. sikt init nytt --namn "Testnätverket".',
        )
    if (folder / MEMBERS_FILE).exists():
        raise Refused(
            f"{folder / MEMBERS_FILE} finns redan; här finns redan ett arkiv.",
            "sikt init skriver aldrig över filer. Välj en tom katalog.",
        )
    if folder.exists() and not folder.is_dir():
        raise Refused(f"{folder} finns och är inte en katalog.")
    from sikt_cli.render.json_schemas import dumps, schemas
    from sikt_cli.services.pinned_install import install_spec

    spec = install_spec(install)

    web = (GITLAB_WEB if gitlab else GITHUB_WEB) if webb else {}
    files = {**FILES, **(GITLAB if gitlab else GITHUB), **web}
    created, skipped = [], []
    generated = {f"schemas/{name}": dumps(doc) for name, doc in schemas().items()}
    for target in (*files, *generated):  # before anything is written: no half-made archive
        blocker = blocking_file((folder / target).parent)
        if blocker is not None:
            raise Refused(
                f"{blocker} finns och är inte en katalog.",
                "sikt init behöver den som katalog. Flytta eller döp om filen och försök igen.",
            )
    for target, source in {**files, **dict.fromkeys(generated)}.items():
        path = folder / target
        if target in generated:
            text = generated[target]
        elif source is None:
            text = (
                (
                    "# Mallar\n\nLägg en mall här för att ersätta sikts standardmall med "
                    "samma namn. Se 'sikt mallar'.\n"
                )
                if target.endswith("README.md")
                else ""
            )
        else:
            text = render_stomme(source, network, spec)
        try:
            create(path, text)
            created.append(target)
        except FileExists:
            skipped.append(target)
    return Scaffolded(created, skipped, spec)
