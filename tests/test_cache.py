"""The result cache: correct invalidation, safe under races, never trusting a bad entry."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import needs_symlinks, protokoll

from sikt_cli import cache as cache_module
from sikt_cli import code_stamp


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(folder))
    monkeypatch.delenv("SIKT_CACHE", raising=False)
    return folder


def codes(run, root: Path, *args: str) -> list[tuple[str, int, str]]:
    result = run("validera", "--rot", str(root), "--format", "json", *args)
    return [(d["file"], d["line"], d["code"]) for d in json.loads(result.stdout)]


def test_warm_run_gives_the_same_answer_and_uses_the_cache(archive, run) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll(extra_frontmatter="okand: 1\n")})
    cold = codes(run, root)
    entry = root / ".sikt-cache" / "validering.bin"
    assert entry.is_file()
    stamp = entry.stat().st_mtime_ns
    warm = codes(run, root)
    assert warm == cold == [("protokoll/2020-06-05.md", 15, "SIKT109")]
    assert entry.stat().st_mtime_ns == stamp  # answered from the cache, not rewritten
    assert (root / ".sikt-cache" / ".gitignore").read_text() == "*\n"


def test_an_edit_after_a_warm_run_is_revalidated(archive, run) -> None:
    root = archive()
    assert codes(run, root) == []
    assert codes(run, root) == []
    path = root / "protokoll/2020-06-05.md"
    path.write_text(path.read_text().replace("narvarande: [anna-ek", "narvarande: [anna-ekk"))
    assert ("protokoll/2020-06-05.md", 6, "SIKT204") in codes(run, root)


def test_a_change_to_medlemmar_invalidates(archive, run) -> None:
    root = archive()
    assert codes(run, root) == []
    members = root / "medlemmar.yaml"
    members.write_text(members.read_text().replace("id: cia-ek", "id: cia-eek"))
    assert ("protokoll/2020-06-05.md", 6, "SIKT204") in codes(run, root)


def test_a_new_tool_version_invalidates(archive, run, monkeypatch) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll(extra_frontmatter="okand: 1\n")})
    assert codes(run, root)
    entry = root / ".sikt-cache" / "validering.bin"
    before = entry.read_bytes()
    import sikt_cli

    monkeypatch.setattr(sikt_cli, "__version__", "999")  # cache.py reads it on each get/put
    assert codes(run, root)
    assert entry.read_bytes() != before  # rebuilt under the new version


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "flip"])
def test_a_corrupt_entry_is_ignored_and_rebuilt(archive, run, damage: str) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll(extra_frontmatter="okand: 1\n")})
    expected = codes(run, root)
    entry = root / ".sikt-cache" / "validering.bin"
    data = entry.read_bytes()
    entry.write_bytes(
        {
            "truncate": data[: len(data) // 2],
            "garbage": os.urandom(200),
            "empty": b"",
            "flip": data[:-1] + bytes([data[-1] ^ 1]),
        }[damage]
    )
    assert codes(run, root) == expected
    assert entry.read_bytes() != b"" and len(entry.read_bytes()) >= len(data) - 1


def test_a_forged_entry_from_a_pull_request_never_runs(archive, run, tmp_path) -> None:
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):  # what an attacker would commit as a cache file
            return (os.system, (f"touch {marker}",))

    root = archive()
    assert codes(run, root) == []
    payload = pickle.dumps(("x", Payload()))
    forged = b"SIKT1" + b"\0" * 32 + payload  # right format, wrong signature
    for name in ("validering", "uppdrag"):
        (root / ".sikt-cache" / f"{name}.bin").write_bytes(forged)
    assert codes(run, root) == []
    assert run("uppdrag", "--rot", str(root), "--alla", "--format", "json").exit_code == 0
    assert not marker.exists()


def test_cache_off_writes_nothing(archive, run, monkeypatch) -> None:
    monkeypatch.setenv("SIKT_CACHE", "av")
    root = archive()
    assert codes(run, root) == []
    assert not (root / ".sikt-cache").exists()


def test_the_signing_key_is_private(archive, run, private_key_folder: Path) -> None:
    root = archive()
    codes(run, root)
    key = private_key_folder / "sikt" / "nyckel"
    assert key.is_file() and len(key.read_bytes()) == 32
    assert key.stat().st_mode & 0o077 == 0


def test_racing_runs_all_succeed_and_leave_a_valid_entry(archive, private_key_folder) -> None:
    root = archive({"protokoll/2020-06-05.md": protokoll(extra_frontmatter="okand: 1\n")})
    env = {**os.environ, "XDG_CACHE_HOME": str(private_key_folder), "NO_COLOR": "1"}
    cmd = [sys.executable, "-m", "sikt_cli", "validera", "--rot", str(root), "--format", "json"]
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        for _ in range(6)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [1] * 6
    assert len({out for out, _ in outputs}) == 1
    assert all(b"Traceback" not in err for _, err in outputs)
    leftovers = [p.name for p in (root / ".sikt-cache").iterdir() if p.suffix == ".tmp"]
    assert leftovers == []
    again = subprocess.run(cmd, capture_output=True, env=env, timeout=120)
    assert again.stdout == outputs[0][0]


def test_uppdrag_warm_sees_a_new_follow_up(archive, run) -> None:
    root = archive()
    first = run("uppdrag", "--rot", str(root), "--format", "json")
    assert [a["id"] for a in json.loads(first.stdout)] == ["2020-06-05#1"]
    assert (root / ".sikt-cache" / "uppdrag.bin").is_file()
    later = protokoll(
        "2020-09-04",
        body=("## 1. Inledning\n\nText.\n\n## 2. Temadag\n\n- [x] 2020-06-05#1 Klart.\n"),
    )
    (root / "protokoll/2020-09-04.md").write_text(later, encoding="utf-8")
    second = run("uppdrag", "--rot", str(root), "--format", "json")
    assert json.loads(second.stdout) == []


def test_a_same_size_edit_with_the_old_mtime_is_still_seen(archive, run) -> None:
    """The stat index must not hide an edit that keeps size and mtime (ctime changes)."""
    root = archive()
    path = root / "protokoll/2020-06-05.md"
    old = path.stat()
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns - 10_000_000_000))  # look old
    assert codes(run, root) == []
    assert codes(run, root) == []  # now answered from the index without reading
    stamp = path.stat()
    text = path.read_text()
    path.write_text(text.replace("anna-ek, bo-ek", "anna-ek, bo-ex"))  # same length
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert path.stat().st_size == stamp.st_size
    assert ("protokoll/2020-06-05.md", 6, "SIKT204") in codes(run, root)


@needs_symlinks
def test_a_committed_symlink_in_the_cache_never_writes_outside_it(
    archive, run, tmp_path: Path
) -> None:
    """A pull request can commit .sikt-cache/.gitignore as a link to any path: following
    it would create a file there (for example in the home folder of a CI runner)."""
    root = archive()
    victim = tmp_path / "utanfor" / "fil"
    victim.parent.mkdir()
    (root / ".sikt-cache").mkdir()
    (root / ".sikt-cache" / ".gitignore").symlink_to(victim)
    assert codes(run, root) == []
    assert not victim.exists()


@needs_symlinks
def test_a_cache_folder_that_is_a_symlink_is_not_used(archive, run, tmp_path: Path) -> None:
    root = archive()
    elsewhere = tmp_path / "utanfor"
    elsewhere.mkdir()
    (root / ".sikt-cache").symlink_to(elsewhere, target_is_directory=True)
    assert codes(run, root) == []
    assert run("uppdrag", "--rot", str(root), "--format", "json").exit_code == 0
    assert list(elsewhere.iterdir()) == []


def test_changed_tool_code_with_the_same_version_invalidates(archive, run, monkeypatch) -> None:
    """`pip install -e .` then `git pull` (or a reinstall from git) keeps the version
    number: results of the old rules must not be served for the new code."""
    root = archive({"protokoll/2020-06-05.md": protokoll(extra_frontmatter="okand: 1\n")})
    assert codes(run, root)
    entry = root / ".sikt-cache" / "validering.bin"
    before = entry.read_bytes()
    monkeypatch.setattr(cache_module, "_code_stamp", lambda: "en annan version av koden")
    assert codes(run, root)
    assert entry.read_bytes() != before  # rebuilt for the new code


def test_the_code_stamp_follows_every_source_file(tmp_path: Path) -> None:
    package = Path(cache_module.__file__).parent
    copy = tmp_path / "sikt_cli"
    import shutil

    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    stamp = code_stamp.source_stamp(copy)
    assert stamp == code_stamp.source_stamp(copy)
    rule = copy / "rules" / "agenda.py"
    rule.write_text(rule.read_text(encoding="utf-8") + "\n# en ändring\n", encoding="utf-8")
    assert code_stamp.source_stamp(copy) != stamp


def test_an_unchanged_archive_is_answered_from_the_stat_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm run stats every file and hashes the stats once; the per-file index is read
    only when a stat changed (here: the files are older than the racy margin)."""
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    root = tmp_path / "arkiv"
    root.mkdir()
    files = []
    for i in range(3):
        path = root / f"{i}.md"
        path.write_text(f"text {i}\n", encoding="utf-8")
        files.append((path.name, str(path)))
    store = cache_module.Cache.open(root)
    assert store is not None
    key = store.fingerprint(files)
    read: list[str] = []
    original = cache_module._file_digest

    def counting(path: str, st: os.stat_result) -> str:
        read.append(Path(path).name)
        return original(path, st)

    monkeypatch.setattr(cache_module, "_file_digest", counting)
    (root / ".sikt-cache" / "index.bin").unlink()  # not needed while nothing changed
    assert store.fingerprint(files) == key
    assert read == []
    assert not (root / ".sikt-cache" / "index.bin").exists()

    stamp = (root / "1.md").stat()
    (root / "1.md").write_text("text X\n", encoding="utf-8")  # same size, same mtime
    os.utime(root / "1.md", ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    changed = store.fingerprint(files)
    assert changed != key
    assert "1.md" in read
    read.clear()
    assert store.fingerprint(files) == changed
    assert read == []


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    read: list[str] = []
    original = cache_module._file_digest

    def counting(path: str, st: os.stat_result) -> str:
        read.append(Path(path).relative_to(Path(path).parent.parent).as_posix())
        return original(path, st)

    monkeypatch.setattr(cache_module, "_file_digest", counting)
    return read


def test_a_first_run_hashes_the_bytes_the_loader_read(
    archive, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no cache yet, validera computes first and the fingerprint takes each
    protokoll's digest from the loader: only the other files are read for it. The key is
    the one the next run computes by reading every file, so that run is answered from it."""
    from sikt_cli.archive.layout import archive_files

    root = archive({"protokoll/2020-09-05.md": protokoll("2020-09-05")})
    read = _counting_reads(monkeypatch)
    cold = codes(run, root)
    assert sorted(r.split("/")[-1] for r in read) == ["mal.yaml", "medlemmar.yaml"]
    stored = cache_module.Cache.open(root)
    assert stored is not None
    by_reading, _, _ = cache_module.fingerprint(archive_files(root))
    assert stored.get("stat", "v1")[1] == by_reading
    entry = root / ".sikt-cache" / "validering.bin"
    stamp = entry.stat().st_mtime_ns
    assert codes(run, root) == cold
    assert entry.stat().st_mtime_ns == stamp  # a hit: not computed and written again


@pytest.mark.parametrize(
    ("name", "old", "new", "code"),
    [
        # read by the loader: its digest is of the bytes checked
        ("protokoll/2020-06-05.md", "narvarande: [anna-ek", "narvarande: [anna-ekk", "SIKT204"),
        # not among what the loader gives the fingerprint: its change is seen, no entry kept
        ("medlemmar.yaml", "id: anna-ek", "id: anna-eek", "SIKT204"),
    ],
)
def test_a_file_changed_while_a_first_run_ran_is_validated_again(
    archive, run, monkeypatch: pytest.MonkeyPatch, name: str, old: str, new: str, code: str
) -> None:
    """The first run's result is never stored under bytes it did not check: an edit made
    while it ran (after the loader had read the file) is seen by the next run."""
    from sikt_cli import rules
    from sikt_cli.archive import load

    root = archive()
    path = root / name
    real = load.load_archive  # as rules.load_checked calls it

    def edited_meanwhile(*args: object, **kwargs: object) -> load.Archive:
        loaded = real(*args, **kwargs)  # type: ignore[arg-type]
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")
        return loaded

    monkeypatch.setattr(rules, "load_archive", edited_meanwhile)
    assert codes(run, root) == []
    monkeypatch.setattr(rules, "load_archive", real)
    assert code in {c for _, _, c in codes(run, root)}
    assert code in {c for _, _, c in codes(run, root)}  # and stays seen
