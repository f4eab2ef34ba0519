"""Generate a realistic archive of fictional minutes for benchmarks.

Usage: python benchmarks/generate.py KATALOG ANTAL [--inget-avslutas]

~4 KB per protokoll: attendance, an eight-item agenda with goals, decisions, three new
uppdrag and follow-ups (most closed) of earlier ones. Members are fictional. With
`--inget-avslutas` no follow-up closes anything: 10,000 protokoll leave 30,000 open uppdrag.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

KOMMUNER = [
    "Essunga",
    "Falköping",
    "Grästorp",
    "Gullspång",
    "Götene",
    "Hjo",
    "Karlsborg",
    "Lidköping",
    "Mariestad",
    "Skara",
    "Skövde",
    "Tibro",
    "Tidaholm",
    "Töreboda",
    "Vara",
]
FIRST = [
    "Anna",
    "Bo",
    "Cecilia",
    "David",
    "Eva",
    "Fredrik",
    "Gunilla",
    "Henrik",
    "Ida",
    "Jonas",
    "Karin",
    "Lars",
    "Maria",
    "Nils",
    "Olga",
    "Per",
    "Rut",
    "Sven",
    "Tove",
    "Ulf",
]
LAST = [
    "Andersson",
    "Berg",
    "Carlsson",
    "Dahl",
    "Ek",
    "Fors",
    "Gran",
    "Holm",
    "Ivarsson",
    "Jonsson",
    "Karlsson",
    "Lund",
]
TOPICS = [
    "Digital kompetens",
    "Skolplattformen",
    "Mediapoolen",
    "Distansundervisning",
    "AI i undervisningen",
    "Systeminventering",
    "Informationssäkerhet",
    "Temadag",
    "Licenser",
    "Elevdatorer",
    "Omvärldsbevakning",
    "LIKA",
]
WORDS = (
    "nätverket diskuterade kommunerna erfarenheter utvecklingen förslag gruppen arbetet "
    "lärare elever rektorer plattformen avtalet underlag frågan beslut uppföljning "
    "mötet tjänster behov kartläggning digitalt samverkan"
).split()


def members() -> list[tuple[str, str, str]]:
    out = []
    for i in range(60):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        out.append((f"{first.lower()}-{last.lower()}-{i}", f"{first} {last}", KOMMUNER[i % 15]))
    return out


def medlemmar_yaml(people: list[tuple[str, str, str]]) -> str:
    lines = [
        "natverk:",
        "  namn: Benchmarknätverket",
        "  rapport_till: [rapport@example.se]",
        "  plats: Teamsmöte",
        '  tid: "09:00-11:15"',
        "kommuner: [" + ", ".join(KOMMUNER) + "]",
        "medlemmar:",
    ]
    for ident, name, kommun in people:
        lines += [
            f"  - id: {ident}",
            f"    namn: {name}",
            f"    kommun: {kommun}",
            f"    epost: {ident}@example.se",
        ]
    return "\n".join(lines) + "\n"


MAL_YAML = """mal:
  - id: mal-1
    namn: Stärkt tillväxt
    uppdrag:
      - id: mal-1.1
        text: Digital kompetens
      - id: mal-1.2
        text: Avtal
  - id: mal-2
    namn: Höjd utbildningsnivå
    uppdrag:
      - id: mal-2.1
        text: Skolfrånvaro
  - id: mal-3
    namn: Ökad kvalitet
    uppdrag:
      - id: mal-3.1
        text: Distansundervisning
"""


def sentence(rng: random.Random, n: int = 14) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def protokoll(
    day: dt.date,
    nxt: dt.date,
    people: list[tuple[str, str, str]],
    open_ids: list[str],
    rng: random.Random,
    closing: float = 0.75,
) -> tuple[str, list[str]]:
    present = rng.sample(people, 16)
    ids = [p[0] for p in present]
    kommuner = {p[2] for p in present}
    absent = [k for k in KOMMUNER if k not in kommuner]
    topics = rng.sample(TOPICS, 5)
    titles = [
        "Utse sekreterare",
        "Föregående protokoll",
        "Uppföljning av uppdrag",
        *topics,
        "Övrigt",
        "Kommande träffar och innehåll",
    ][:8]
    goals = ["mal-1.1", "mal-2.1", "mal-3.1"]
    fm = [
        f"datum: {day}",
        'tid: "09:00-11:15"',
        "plats: Teamsmöte",
        "status: justerat",
        f"ordforande: {ids[0]}",
        f"sekreterare: {ids[1]}",
        f"justerare: [{ids[2]}]",
        "narvarande:",
    ] + [f"  - {i}" for i in ids]
    fm.append("franvarande: [" + ", ".join(absent) + "]")
    fm.append("arenden:")
    for nr, title in enumerate(titles, start=1):
        fm += [f"  - nr: {nr}", f"    rubrik: {title}"]
        if 3 < nr < 8:
            fm.append(f"    mal: [{rng.choice(goals)}]")
    fm += [
        "beslut:",
        "  - arende: 4",
        f"    text: {sentence(rng, 10)}",
        "  - arende: 5",
        f"    text: {sentence(rng, 10)}",
        "kommande:",
        f"  - datum: {nxt}",
        f"    ansvarig: {ids[0]}",
        "ej_inplanerat: [AI, LIKA]",
    ]
    body = []
    new_ids = []
    n_new = 0
    closed: list[str] = []
    for nr, title in enumerate(titles, start=1):
        body += ["", f"## {nr}. {title}", "", sentence(rng, 25), ""]
        if title == "Uppföljning av uppdrag":
            for ident in open_ids[:4]:
                done = rng.random() < closing
                body.append(f"- [{'x' if done else ' '}] {ident} {sentence(rng, 6)}")
                if done:
                    closed.append(ident)
            body.append("")
        elif 3 < nr < 8:
            body += [sentence(rng, 30), ""]
            if n_new < 3:
                n_new += 1
                who = rng.choice(ids)
                body += [f"- [ ] @{who} {sentence(rng, 10)}", ""]
                new_ids.append(f"{day}#{n_new}")
    still_open = [i for i in open_ids if i not in closed] + new_ids
    text = "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body) + "\n"
    return text, still_open


def generate(
    root: Path, count: int, seed: int = 1, *, years: int | None = None, closing: float = 0.75
) -> None:
    """`count` protokoll from 1990-01-01: one a day, or spread evenly over `years` years; a
    follow-up closes its uppdrag with probability `closing`."""
    rng = random.Random(seed)
    people = members()
    root.mkdir(parents=True, exist_ok=True)
    (root / "medlemmar.yaml").write_text(medlemmar_yaml(people), encoding="utf-8")
    (root / "mal.yaml").write_text(MAL_YAML, encoding="utf-8")
    folder = root / "protokoll"
    folder.mkdir(exist_ok=True)
    start = dt.date(1990, 1, 1)
    span = 365 * years if years else count  # days the protokoll are spread over

    def nth(i: int) -> dt.date:
        return start + dt.timedelta(days=max(i, i * span // count))

    day = start
    open_ids: list[str] = []
    for i in range(count):
        nxt = nth(i + 1)
        text, open_ids = protokoll(day, nxt, people, open_ids, rng, closing)
        (folder / f"{day}.md").write_text(text, encoding="utf-8")
        day = nxt


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("katalog", type=Path, help="arkivets rot (skapas)")
    parser.add_argument("antal", type=int, help="antal protokoll")
    parser.add_argument("--inget-avslutas", action="store_true", help="inga uppdrag avslutas")
    args = parser.parse_args()
    generate(args.katalog, args.antal, closing=0.0 if args.inget_avslutas else 0.75)


if __name__ == "__main__":
    main()
