"""The search index: SQLite FTS5 in the result cache, rebuilt file by file.

`.sikt-cache/sok.sqlite3` is never committed (the folder ignores itself). Each file's
documents are stored with the file's content hash; a search first re-hashes the archive
(re-reading only files whose stat changed, as the result cache does) and reindexes exactly
the files whose hash changed. Stems are indexed in their own columns (Python's sqlite3
cannot register a tokenizer); unicode61 keeps diacritics, so `får` ≠ `far`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE
from sikt_cli.cache import FOLDER, Cache, Stat, fingerprint, stat_summary, unchanged_since
from sikt_cli.code_stamp import content_stamp, dependency_stamp
from sikt_cli.records.search_query import SearchDoc
from sikt_cli.records.words import STEMMERS, stems

SCHEMA = "1"  # the tables below and what _add writes into them (SearchDoc's fields)
INDEX_FILE = "sok.sqlite3"
WEIGHTS = (10.0, 5.0, 1.0)  # rubrik, beslut, body: bm25 column weights
Progress = Callable[[int, int], None]  # (files done, files to index)

# What shapes the index's rows besides SCHEMA: the modules that cut a file into documents
# and words, and the archive modules they read the file through (tests/test_sok.py checks
# that this is search_index's imports less INDEX_IGNORES). Not the rest of the tool: an edit
# of a message or a command must not cost a rebuild (a minute at 10,000 protokoll).
INDEX_SOURCES = (
    "records/search_store.py",  # this module: the tables and the stemmed rows it writes
    "records/search_index.py",
    "records/words.py",
    "archive/body.py",
    "archive/build.py",
    "archive/documents.py",
    "archive/format_parts.py",
    "archive/formats.py",
    "archive/model.py",
    "archive/source.py",
    "archive/spec.py",
    "archive/spec_types.py",
    "archive/value_forms.py",
    "archive/yaml_tree.py",
)
# imported on the way but not shaping a document: leaves (errors, codes, messages, the
# cache, its key and safe reads, and its pickling), YAML error messages, the query side of
# search_query (SearchDoc is SCHEMA's part)
INDEX_IGNORES = (
    "__init__.py",
    "archive/__init__.py",
    "archive/yaml_errors.py",
    "cache.py",
    "cache_key.py",
    "code_stamp.py",
    "codes.py",
    "diagnostics.py",
    "errors.py",
    "git.py",
    "os_errors.py",
    "pickling.py",
    "platform_names.py",
    "records/search_query.py",
    "text.py",
)
# the stemmer and the parsers, by their installs (an upgrade changes the stems or the text)
INDEX_LIBRARIES = ("snowballstemmer", "yaml", "markdown_it")


PACKAGE = Path(__file__).parent.parent


def index_stamp() -> str:
    """What the index must be rebuilt for: its sources' content and the libraries' installs."""
    return content_stamp(PACKAGE, INDEX_SOURCES) + ":" + dependency_stamp(INDEX_LIBRARIES)


_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files(rel TEXT PRIMARY KEY, size INT, mtime INT, ctime INT, ino INT, digest TEXT);
CREATE TABLE docs(id INTEGER PRIMARY KEY, file TEXT NOT NULL, kind TEXT NOT NULL, line INT,
  first_line INT, datum TEXT, year INT, nr INT, item_rubrik TEXT, ref TEXT,
  rubrik TEXT, beslut TEXT, body TEXT);
CREATE INDEX docs_file ON docs(file);
CREATE TABLE doc_goals(doc INT NOT NULL, goal TEXT NOT NULL);
CREATE INDEX doc_goals_doc ON doc_goals(doc);
CREATE TABLE vocab(word TEXT PRIMARY KEY, stem TEXT NOT NULL) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(rubrik, beslut, body,
  tokenize="unicode61 remove_diacritics 0");
"""


@dataclass(frozen=True, slots=True)
class Filters:
    year: int | None = None
    goal: str | None = None  # this goal or its sub-goals
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    doc: SearchDoc
    score: float


def index_path(root: Path) -> Path | None:
    """Where the index lives, or None when the result cache is off or not safe to use."""
    path = root / FOLDER / INDEX_FILE
    return None if Cache.open(root) is None or path.is_symlink() else path


def _connect(path: Path | None) -> sqlite3.Connection:
    if path is None:
        return sqlite3.connect(":memory:")
    path.parent.mkdir(exist_ok=True)
    try:  # the cache folder ignores itself in git, like cache.Cache.put makes it
        fd = os.open(path.parent / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write("*\n")
    conn = sqlite3.connect(path, timeout=10)
    conn.execute("PRAGMA trusted_schema = OFF")  # no functions from views or triggers in a file
    return conn


class SearchIndex:
    """An open index for one stemmer; `sync` it with the archive, then `search`."""

    def __init__(self, path: Path | None, stemmer: str = "swedish") -> None:
        self.stemmer_name = stemmer
        self._stem = STEMMERS[stemmer]
        self.vocab: dict[str, str] = {}  # word → stem, seen while indexing or looked up
        self._new_words: dict[str, str] = {}
        try:
            self.conn = self._open(path)
        except sqlite3.Error:  # a damaged or foreign file: the index is only a cache
            if path is not None:
                path.unlink(missing_ok=True)
            self.conn = self._open(path)

    def _open(self, path: Path | None) -> sqlite3.Connection:
        stamp = {"schema": SCHEMA, "stemmer": self.stemmer_name, "code": index_stamp()}
        conn = _connect(path)
        try:
            if dict(conn.execute("SELECT key, value FROM meta WHERE key IN (?, ?, ?)",
                                 list(stamp))) == stamp:  # fmt: skip
                return conn
        except sqlite3.DatabaseError:
            pass
        # another version of the tool, another stemmer, or a file we did not write: start
        # from an empty file rather than trust or patch what is in it
        conn.close()
        if path is not None:
            path.unlink(missing_ok=True)
        conn = _connect(path)
        conn.executescript(_TABLES)
        conn.executemany("INSERT INTO meta VALUES (?, ?)", list(stamp.items()))
        conn.commit()
        return conn

    def close(self) -> None:
        self.conn.close()

    def stem(self, word: str) -> str:
        """The stem of a lowercase word: from the index's vocabulary when it has been seen
        (a warm search never loads the stemmer), else computed and remembered."""
        found = self.vocab.get(word)
        if found is None:
            found = self.vocab[word] = self._stem(word)
            self._new_words[word] = found
        return found

    def learn(self, words: set[str]) -> None:
        """Look up the stems of `words` that the index has already seen, in one query."""
        wanted = [w for w in words if w not in self.vocab]
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            marks = ", ".join("?" * len(part))
            sql = f"SELECT word, stem FROM vocab WHERE word IN ({marks})"
            self.vocab.update(self.conn.execute(sql, part))

    def sync(self, files: list[tuple[str, str]], progress: Progress | None = None) -> int:
        """Bring the index up to the content of `files` (rel, path); how many were indexed."""
        c = self.conn
        meta = dict(c.execute("SELECT key, value FROM meta"))
        now = time.time_ns()
        summary = stat_summary(files)  # git's index check first: no file stat changed
        if unchanged_since(summary, meta.get("stat", ""), int(meta.get("taken", "0"))):
            return 0
        known: dict[str, tuple[Stat, str]] = {
            rel: ((size, mtime, ctime, ino), digest)
            for rel, size, mtime, ctime, ino, digest in c.execute("SELECT * FROM files")
        }
        key, seen, read = fingerprint(files, known, int(meta.get("taken", "0")))
        if key == meta.get("fingerprint"):
            if read or meta.get("stat") != summary[0]:  # only stats or new stamps changed
                with c:
                    self._remember(seen, key, now, summary[0])
            return 0
        old = {rel: digest for rel, (_, digest) in known.items()}
        changed = [(rel, p) for rel, p in files if rel in seen and old.get(rel) != seen[rel][1]]
        gone = [rel for rel in known if rel not in seen]
        with c:
            for rel in gone:
                self._forget(rel)
            for done, (rel, docs) in enumerate(_documents_of(changed), 1):
                self._forget(rel)
                for doc in docs:
                    self._add(doc)
                if progress is not None:
                    progress(done, len(changed))
            self._remember(seen, key, now, summary[0])
        return len(changed)

    def _remember(
        self, seen: dict[str, tuple[Stat, str]], key: str, now: int, summary: str
    ) -> None:
        """Each file's stat and digest as of `now`, so the next search re-reads none, and
        the stems of the words indexed."""
        self.conn.executemany("INSERT OR IGNORE INTO vocab VALUES (?, ?)", self._new_words.items())
        self._new_words.clear()
        self.conn.execute("DELETE FROM files")
        self.conn.executemany(
            "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?)",
            [(rel, *stat, digest) for rel, (stat, digest) in seen.items()],
        )
        self.conn.executemany(
            "INSERT OR REPLACE INTO meta VALUES (?, ?)",
            [("fingerprint", key), ("taken", str(now)), ("stat", summary)],
        )

    def _forget(self, rel: str) -> None:
        ids = [i for (i,) in self.conn.execute("SELECT id FROM docs WHERE file = ?", (rel,))]
        self.conn.executemany("DELETE FROM fts WHERE rowid = ?", [(i,) for i in ids])
        self.conn.executemany("DELETE FROM doc_goals WHERE doc = ?", [(i,) for i in ids])
        self.conn.execute("DELETE FROM docs WHERE file = ?", (rel,))

    def _add(self, d: SearchDoc) -> None:
        year = int(d.datum[:4]) if d.datum[:4].isdigit() else None
        cur = self.conn.execute(
            "INSERT INTO docs(file, kind, line, first_line, datum, year, nr, item_rubrik, ref, "
            "rubrik, beslut, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                d.file,
                d.kind,
                d.line,
                d.first_line,
                d.datum,
                year,
                d.nr,
                d.item_rubrik,
                d.ref,
                d.rubrik,
                d.beslut,
                d.body,
            ),
        )
        rowid = cur.lastrowid
        self.conn.execute(
            "INSERT INTO fts(rowid, rubrik, beslut, body) VALUES (?, ?, ?, ?)",
            (rowid, *(stems(t, self.stem) for t in (d.rubrik, d.beslut, d.body))),
        )
        self.conn.executemany("INSERT INTO doc_goals VALUES (?, ?)", [(rowid, g) for g in d.goals])

    def goal_ids(self) -> list[str]:
        return [r for (r,) in self.conn.execute("SELECT ref FROM docs WHERE kind = 'mal'")]

    def search(self, match: str, filters: Filters, limit: int) -> tuple[list[Found], int]:
        """The best `limit` documents for a MATCH expression, and how many matched."""
        where, args = ["fts MATCH ?"], [match]
        if filters.year is not None:
            where.append("d.year = ?")
            args.append(str(filters.year))
        if filters.kind is not None:
            where.append("d.kind = ?")
            args.append(filters.kind)
        if filters.goal is not None:
            where.append(
                "EXISTS (SELECT 1 FROM doc_goals g WHERE g.doc = d.id "
                "AND (g.goal = ? OR substr(g.goal, 1, ?) = ?))"
            )
            args += [filters.goal, str(len(filters.goal) + 1), filters.goal + "."]
        rank = "bm25(fts, {}, {}, {})".format(*WEIGHTS)
        if len(where) == 1:  # no filter: FTS5 ranks and limits by itself, without the join
            total = self.conn.execute("SELECT count(*) FROM fts WHERE fts MATCH ?", args)
            top = self.conn.execute(
                f"SELECT rowid, {rank} AS score FROM fts WHERE fts MATCH ? "
                "ORDER BY score, rowid LIMIT ?",
                [*args, str(limit)],
            ).fetchall()
            rows = [(*self._doc(rowid), score) for rowid, score in top]
            return [_found(self.conn, row) for row in rows], int(total.fetchone()[0])
        sql = " FROM fts JOIN docs d ON d.id = fts.rowid WHERE " + " AND ".join(where)
        total = self.conn.execute("SELECT count(*)" + sql, args)
        found = self.conn.execute(
            f"SELECT {_COLUMNS}, {rank} AS score{sql} ORDER BY score, d.id LIMIT ?",
            [*args, str(limit)],
        ).fetchall()
        return [_found(self.conn, row) for row in found], int(total.fetchone()[0])

    def _doc(self, rowid: int) -> tuple[Any, ...]:
        row = self.conn.execute(f"SELECT {_COLUMNS} FROM docs d WHERE d.id = ?", (rowid,))
        return tuple(row.fetchone())


_COLUMNS = (
    "d.id, d.file, d.kind, d.line, d.first_line, d.datum, d.nr, d.item_rubrik, d.ref, "
    "d.rubrik, d.beslut, d.body"
)


def _found(conn: sqlite3.Connection, row: tuple[Any, ...]) -> Found:
    (doc_id, file, kind, line, first, datum, nr, item, ref, rubrik, beslut, body, score) = row
    goals = tuple(g for (g,) in conn.execute("SELECT goal FROM doc_goals WHERE doc = ?", (doc_id,)))
    doc = SearchDoc(
        str(file), str(kind), int(line), rubrik=str(rubrik), beslut=str(beslut), body=str(body),
        first_line=int(first), datum=str(datum or ""), nr=None if nr is None else int(nr),
        item_rubrik=str(item or ""), ref=str(ref or ""), goals=goals,
    )  # fmt: skip
    return Found(doc, float(score))


PARALLEL_FROM = 400  # as archive.load: below this, starting workers costs more than it saves


def _documents_of(files: list[tuple[str, str]]) -> Iterator[tuple[str, list[SearchDoc]]]:
    """Each file's documents, in order; parsed on all cores when there are many files."""
    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARALLEL_FROM or workers < 2:
        yield from ((rel, _documents(rel, path)) for rel, path in files)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    rels = [rel for rel, _ in files]
    paths = [path for _, path in files]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as ex:
        chunk = max(1, len(files) // (workers * 16))
        yield from zip(rels, ex.map(_documents, rels, paths, chunksize=chunk), strict=True)


def _documents(rel: str, path: str) -> list[SearchDoc]:
    # the parsers are loaded only when a file has to be (re)indexed: a warm search skips them
    from sikt_cli.records.search_index import goal_documents, member_documents, minutes_documents

    if rel == MEMBERS_FILE:
        return member_documents(rel, path)
    if rel == GOALS_FILE:
        return goal_documents(rel, path)
    try:
        with open(path, "rb") as f:  # noqa: PTH123 - a str path, as in cache.fingerprint
            data = f.read()
    except OSError:
        return []
    return minutes_documents(rel, data)
