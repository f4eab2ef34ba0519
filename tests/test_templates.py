"""Templates: package defaults, the archive's mallar/ overrides, and the sandbox.

Templates arrive in pull requests, so every hostile template here must end in a Swedish
diagnostic naming the template (FILE:LINE where there is a line), a non-zero exit, no
traceback, nothing run, and within a few seconds.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import REPO, needs_symlinks

from sikt_cli.render import templates
from sikt_cli.render.templates import TemplateError, find, in_effect, package_names, render

Run = Callable[..., Any]
Make = Callable[..., Path]

D = "2020-09-04"
NEW = f"protokoll/{D}.md"
PACKAGE = Path(templates.__file__).parents[1] / "mallar"
SECONDS = 5.0


def mallar(root: Path, files: dict[str, str | bytes]) -> Path:
    folder = root / "mallar"
    folder.mkdir(exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def sources(result: Any) -> dict[str, str]:
    """`sikt mallar` table rows: template name → where it comes from."""
    rows: dict[str, str] = {}
    for line in result.stdout.split("\n"):
        cells = [c.strip() for c in re.split(r"[│┃]", line) if c.strip()]
        if len(cells) == 2 and cells[0].endswith(".j2"):
            rows[cells[0]] = cells[1]
    return rows


def assert_refused(
    result: Any,
    template: str,
    started: float,
    *,
    line: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    elapsed = clock() - started
    assert elapsed < SECONDS, f"took {elapsed:.1f} s"
    assert result.exit_code not in (0, 70), result.output  # refused, and not an internal error
    assert "Traceback" not in result.output
    err = result.stderr
    assert err.startswith("Fel: "), err
    assert f"mallar/{template}" in err, err
    if line is not None:
        assert f"mallar/{template}:{line}:" in err, err
    assert "tips: " in err


# --- where templates come from --------------------------------------------------------------


def test_package_ships_the_defaults() -> None:
    names = package_names()
    for name in ("kallelse.md.j2", "protokoll.md.j2", "protokoll-utkast.yaml.j2"):
        assert name in names
        assert (PACKAGE / name).is_file()
    assert all(t.origin == "standard" and t.path is None for t in in_effect(None))


def test_mallar_lists_every_template_and_its_source(archive: Make, run: Run) -> None:
    root = archive()
    result = run("mallar", "--rot", str(root))
    assert result.exit_code == 0, result.output
    rows = sources(result)
    assert set(rows) == set(package_names())
    assert set(rows.values()) == {"standard (i sikt)"}

    mallar(
        root,
        {
            "kallelse.md.j2": "Egen kallelse {{ datum }}\n",
            "README.md": "inte en mall\n",
            "egen-extra.md.j2": "används inte\n",
        },
    )
    rows = sources(run("mallar", "--rot", str(root)))
    assert rows["kallelse.md.j2"] == "mallar/kallelse.md.j2"
    assert rows["protokoll.md.j2"] == "standard (i sikt)"
    assert set(rows) == set(package_names())  # only the templates the tool uses


def test_this_repositorys_mallar_override_the_package(real_archive: Path, run: Run) -> None:
    shutil.copytree(REPO / "mallar", real_archive / "mallar")
    rows = sources(run("mallar", "--rot", str(real_archive)))
    for path in (REPO / "mallar").glob("*.j2"):
        assert rows[path.name] == f"mallar/{path.name}"
    kallelse = run("kallelse", D, "--rot", str(real_archive))
    assert kallelse.exit_code == 0, kallelse.output
    assert "kallas till nätverksträff" in kallelse.stdout  # only in mallar/kallelse.md.j2


def test_repo_template_beats_the_package_default(archive: Make, run: Run) -> None:
    root = archive()
    plain = run("kallelse", D, "--rot", str(root))
    assert plain.exit_code == 0, plain.output
    assert "Kallelse till Testnätverket" in plain.stdout
    (root / NEW).unlink()

    own_protokoll = (
        (PACKAGE / "protokoll.md.j2")
        .read_text(encoding="utf-8")
        .replace(
            "---\n\n{% for a in arenden %}", "# nätverkets egen mall\n---\n\n{% for a in arenden %}"
        )
    )
    assert "egen mall" in own_protokoll
    mallar(
        root,
        {
            "kallelse.md.j2": "EGEN KALLELSE {{ datum }} {{ natverk }}\n",
            "protokoll.md.j2": own_protokoll,
        },
    )
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert "EGEN KALLELSE 2020-09-04 Testnätverket" in result.stdout
    assert "Kallelse till" not in result.stdout
    assert "# nätverkets egen mall" in (root / NEW).read_text(encoding="utf-8")
    assert find("kallelse.md.j2", root).origin == "arkivet"
    assert find("protokoll-utkast.yaml.j2", root).origin == "standard"


def test_bom_and_crlf_templates_are_read(archive: Make, run: Run) -> None:
    bom_crlf = b"\xef\xbb\xbfRad ett {{ datum }}\r\nRad tv\xc3\xa5\r\n"
    root = mallar(archive(), {"kallelse.md.j2": bom_crlf})
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code == 0, result.output
    assert "Rad ett 2020-09-04" in result.stdout and "\r" not in result.stdout


def test_html_templates_autoescape_and_markdown_does_not(archive: Make) -> None:
    root = mallar(archive(), {"prov.html.j2": "<p>{{ x }}</p>", "prov.md.j2": "{{ x }}"})
    evil = "<script>alert('x')</script> & co"
    html = render("prov.html.j2", {"x": evil}, root)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; co" in html
    assert render("prov.md.j2", {"x": evil}, root) == evil


def test_strict_undefined_and_yaml_filter(archive: Make) -> None:
    root = mallar(archive(), {"a.md.j2": "ett\n{{ saknas }}\n", "b.md.j2": "x: {{ v | yaml }}\n"})
    with pytest.raises(TemplateError, match=r"mallar/a\.md\.j2:2: okänt värde.*'saknas'"):
        render("a.md.j2", {}, root)
    assert render("b.md.j2", {"v": 'a: "b"\n- c'}, root) == 'x: "a: \\"b\\"\\n- c"\n'


# --- template errors: Swedish, FILE:LINE, never a traceback ---------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("ett\ntvå\n{% if %}\n", 3, "syntaxfel i mallen"),
        ("ett\n{{ x }\n", 2, "syntaxfel i mallen"),
        (
            "ett\ntvå\ntre\n{{ okand_variabel }}\n",
            4,
            "okänt värde i mallen ('okand_variabel' finns",
        ),
        ("{% for a in arenden %}\n{{ a.saknas }}\n{% endfor %}\n", 2, "okänt värde"),
        ("ett\n{{ 1 / 0 }}\n", 2, "fel när mallen kördes: ZeroDivisionError"),
        ("ett\n{% include 'saknas.md.j2' %}\n", 2, "mallen 'saknas.md.j2' finns inte"),
        ("ett\n{% include '../medlemmar.yaml' %}\n", 2, "finns inte"),
        ("ett\n{% include '/etc/passwd' %}\n", 2, "finns inte"),
        ("ett\n{% include 'kallelse.md.j2' %}\n", 2, "anropar sig själv för djupt"),
        ("ett\n{% extends 'kallelse.md.j2' %}\n", 2, "anropar sig själv för djupt"),
    ],
)
def test_template_errors_name_file_and_line(
    archive: Make, run: Run, text: str, line: int, message: str
) -> None:
    root = mallar(archive(), {"kallelse.md.j2": text})
    started = time.monotonic()
    result = run("kallelse", D, "--rot", str(root))
    assert_refused(result, "kallelse.md.j2", started, line=line)
    assert message in result.stderr


def test_an_error_in_an_included_template_names_that_template(archive: Make, run: Run) -> None:
    root = mallar(
        archive(),
        {
            "kallelse.md.j2": "ett\n{% include 'del.md.j2' %}\n",
            "del.md.j2": "a\nb\n{{ inte_definierad }}\n",
        },
    )
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code != 0
    assert "mallar/del.md.j2:3: okänt värde" in result.stderr


def test_non_utf8_template(archive: Make, run: Run) -> None:
    root = mallar(archive(), {"kallelse.md.j2": b"Kallelse \xe5\xe4\xf6\n"})
    started = time.monotonic()
    result = run("kallelse", D, "--rot", str(root))
    assert_refused(result, "kallelse.md.j2", started)
    assert "UTF-8" in result.stderr


def test_a_broken_protokoll_template_creates_no_file(archive: Make, run: Run) -> None:
    root = mallar(archive(), {"protokoll.md.j2": "---\ndatum: {{ datum }}\n{{ fel }}\n"})
    started = time.monotonic()
    result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert_refused(result, "protokoll.md.j2", started, line=3)
    assert result.exit_code == 1
    assert not (root / NEW).exists()
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code != 0 and not (root / NEW).exists()


def test_a_broken_utkast_template_leaves_the_planned_file_alone(archive: Make, run: Run) -> None:
    root = archive()
    assert run("kallelse", D, "--rot", str(root)).exit_code == 0
    planned = (root / NEW).read_bytes()
    mallar(root, {"protokoll-utkast.yaml.j2": "sekreterare: {{ sekreterare.__class__ }}\n"})
    started = time.monotonic()
    result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
    assert_refused(result, "protokoll-utkast.yaml.j2", started, line=1)
    assert (root / NEW).read_bytes() == planned


# --- files that are not plain templates -----------------------------------------------------


@needs_symlinks
def test_symlinked_template_is_refused(archive: Make, run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "hemligt.txt"
    secret.write_text("HEMLIGT {{ datum }}\n", encoding="utf-8")
    root = mallar(archive(), {})
    (root / "mallar" / "kallelse.md.j2").symlink_to(secret)
    started = time.monotonic()
    result = run("kallelse", D, "--rot", str(root))
    assert_refused(result, "kallelse.md.j2", started)
    assert "symbolisk länk" in result.stderr
    assert "HEMLIGT" not in result.output
    listing = run("mallar", "--rot", str(root))
    assert listing.exit_code != 0 and "symbolisk länk" in listing.stderr


@needs_symlinks
def test_symlinked_include_is_refused(archive: Make, run: Run, tmp_path: Path) -> None:
    secret = tmp_path / "hemligt.txt"
    secret.write_text("HEMLIGT\n", encoding="utf-8")
    root = mallar(archive(), {"kallelse.md.j2": "{% include 'del.md.j2' %}\n"})
    (root / "mallar" / "del.md.j2").symlink_to(secret)
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code != 0
    assert "mallar/del.md.j2" in result.stderr and "symbolisk länk" in result.stderr
    assert "HEMLIGT" not in result.output


@needs_symlinks
def test_symlinked_mallar_folder_is_refused(archive: Make, run: Run, tmp_path: Path) -> None:
    elsewhere = tmp_path / "annanstans"
    elsewhere.mkdir()
    (elsewhere / "kallelse.md.j2").write_text("HEMLIGT {{ datum }}\n", encoding="utf-8")
    root = archive()
    (root / "mallar").symlink_to(elsewhere, target_is_directory=True)
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code != 0
    assert "mallar/" in result.stderr and "symbolisk länk" in result.stderr
    assert "HEMLIGT" not in result.output and "Traceback" not in result.output


def test_a_folder_or_fifo_named_like_a_template_is_refused(archive: Make, run: Run) -> None:
    root = mallar(archive(), {})
    (root / "mallar" / "kallelse.md.j2").mkdir()
    result = run("kallelse", D, "--rot", str(root))
    assert result.exit_code != 0 and "inte en vanlig fil" in result.stderr
    if hasattr(os, "mkfifo"):
        (root / "mallar" / "kallelse.md.j2").rmdir()
        os.mkfifo(root / "mallar" / "kallelse.md.j2")
        started = time.monotonic()
        result = run("kallelse", D, "--rot", str(root))
        assert_refused(result, "kallelse.md.j2", started)  # and did not hang on the fifo


@pytest.mark.parametrize(
    "name",
    [
        "../medlemmar.yaml",
        "mallar/kallelse.md.j2",
        "/etc/passwd",
        "Kallelse.md.j2",
        ".kallelse.md.j2",
        "kallelse",
        "",
    ],
)
def test_only_plain_template_names(archive: Make, name: str) -> None:
    with pytest.raises(TemplateError):
        render(name, {}, archive())


# --- hostile templates ----------------------------------------------------------------------


MARKER = "SIKT_MARKER"

ESCAPES = [
    "{{ natverk.__class__ }}",
    "{{ natverk.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.mro()[1].__subclasses__() }}",
    "{{ natverk.mro }}",
    "{{ arenden.__class__.__base__.__subclasses__() }}",
    "{{ natverk|attr('__class__') }}",
    "{{ natverk|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ natverk['__class__'] }}",
    "{{ range.__globals__ }}",
    "{{ range.__closure__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__['os'] }}",
    "{{ namespace.__init__.__globals__.os }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__.os }}",
    "{{ '{0.__class__}'.format(natverk) }}",
    "{{ '{0.__class__.__mro__[1].__subclasses__}'.format(natverk) }}",
    "{{ '{x.__class__}'.format_map({'x': natverk}) }}",
    "{{ '{0.__init__.__globals__}'.format(cycler) }}",
    "{{ '%s'|format(natverk.__class__) }}",
    "{{ open_actions.append(1) }}",
    "{{ open_actions.pop() }}",
    "{% set x = arenden.clear() %}",
    "{{ (arenden|first).update({'rubrik': 'x'}) }}",
    "{{ cycler.__init__.__globals__.os.system('touch MARKER') }}",
    "{{ joiner.__init__.__globals__.os.popen('touch MARKER').read() }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').system('touch MARKER') }}",
    "{{ namespace.__init__.__globals__['os'].system('touch MARKER') }}",
    "{% for c in ''.__class__.__base__.__subclasses__() %}{{ c('touch MARKER', shell=True) }}"
    "{% endfor %}",
    "{{ lipsum.__globals__['os'].system('touch MARKER') }}",
    "{{ config.__class__.__init__.__globals__['os'].system('touch MARKER') }}",
]


@pytest.mark.parametrize("attack", ESCAPES)
@pytest.mark.parametrize("template", ["kallelse.md.j2", "protokoll.md.j2"])
def test_templates_cannot_reach_python_internals(
    archive: Make, run: Run, tmp_path: Path, attack: str, template: str
) -> None:
    marker = tmp_path / MARKER
    root = mallar(
        archive(), {template: "Rad ett\nRad två\n" + attack.replace("MARKER", str(marker)) + "\n"}
    )
    started = time.monotonic()
    if template == "kallelse.md.j2":
        result = run("kallelse", D, "--rot", str(root))
    else:
        result = run("protokoll", "ny", "--datum", D, "--rot", str(root))
        assert not (root / NEW).exists()
    assert_refused(result, template, started, line=3)
    assert not marker.exists()
    assert "<class" not in result.output and "<module" not in result.output


BOMBS = [
    "{{ range(10**9)|list }}",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{% for i in range(1000000000) %}{% endfor %}",
    "{{ range(1000000000)|list|length }}",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "{% for i in range(50000) %}{% for j in range(50000) %}x{% endfor %}{% endfor %}",
    "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
    "{% set l = [1] * 100000 %}{% for a in l %}{% for b in l %}{% endfor %}{% endfor %}",
    "{% for a in 'x'|center(999999) %}{% for b in 'y'|center(999999) %}{% endfor %}{% endfor %}",
    "{{ 'a' * 10**9 }}",
    "{{ 'a' * 1000000000 }}",
    "{{ 1000000000 * 'a' }}",
    "{{ ['a'] * 1000000000 }}",
    "{{ (['a' * 1000000] * 1000000)|join }}",
    "{{ ('a' * 1000000) ~ ('b' * 1000000) }}",
    "{{ ('a' * 1000000) + ('b' * 1000000) }}",
    "{% set a = 'x' * 900000 %}{% set a = a ~ a %}{% set a = a ~ a %}{{ a|length }}",
    "{{ 9 ** 9 ** 9 }}",
    "{{ lipsum(1000000000) }}",
    "{{ natverk.center(4000000000) }}",
    "{{ natverk|center(4000000000) }}",
    "{{ 'x'|center(1000000000)|list|length }}",
    "{{ '{:>4000000000}'.format(1) }}",
    "{{ '{:>{}}'.format(1, 4000000000) }}",
    "{{ '%4000000000d' % 1 }}",
    "{{ '%*d' % (4000000000, 1) }}",
    "{{ '%4000000000d'|format(1) }}",
    "{{ ([''] * 4000)|join('x' * 1000000) }}",
    "{{ ('x' * 4000)|replace('', 'y' * 1000000) }}",
    "{{ ('x' * 4000).replace('', 'y' * 1000000) }}",
    "{{ ('x\\n' * 4000)|indent('y' * 1000000) }}",
    "{% for i in range(90000) %}{{ 'x' * 100 }}{% endfor %}",
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "{% for x in arenden recursive %}{{ loop(arenden) }}{% endfor %}",
]


@pytest.mark.parametrize("bomb", BOMBS)
def test_huge_loops_and_values_are_bounded(archive: Make, run: Run, bomb: str) -> None:
    root = mallar(archive(), {"kallelse.md.j2": "Rad ett\nRad två\n" + bomb + "\n"})
    started = time.thread_time()  # the budget is CPU time: a loaded machine stretches the wall
    result = run("kallelse", D, "--rot", str(root))
    assert_refused(result, "kallelse.md.j2", started, line=3, clock=time.thread_time)


def test_render_limits_do_not_outlive_the_render(archive: Make) -> None:
    resource = pytest.importorskip("resource")
    before = resource.getrlimit(resource.RLIMIT_AS)
    root = mallar(archive(), {"a.md.j2": "{{ ('x' * 4000)|replace('', 'y' * 1000000) }}"})
    with pytest.raises(TemplateError):
        render("a.md.j2", {}, root)
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert len("z" * 50_000_000) == 50_000_000  # ordinary allocations work again


def test_ordinary_templates_still_have_what_they_need(archive: Make) -> None:
    text = """\
{% for a in arenden %}{{ loop.index }}. {{ a.rubrik | upper }}{{ loop.cycle(';', '.') }}
{% endfor %}
{{ arenden | map(attribute='rubrik') | join(', ') }}
{{ '%-10s|' % natverk }}{{ '{:>5}'.format(nr) }} {{ '%05.1f' | format(2.5) }}
{{ range(3) | list }} {{ 'ab' * 3 }} {{ [1, 2] + [3] }} {{ 'x' ~ 'y' }}
{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}
{{ natverk | center(20) | length }} {{ 'a-b' | replace('-', ' ') }} {{ text | wordwrap(10) }}
"""
    root = mallar(archive(), {"ok.md.j2": text})
    out = render(
        "ok.md.j2",
        {
            "arenden": [{"rubrik": "Inledning"}, {"rubrik": "Övrigt"}],
            "natverk": "SIKT",
            "nr": 7,
            "text": "ett två tre fyra fem",
        },
        root,
    )
    assert "1. INLEDNING;\n2. ÖVRIGT." in out
    assert "Inledning, Övrigt" in out
    assert "SIKT      |    7 002.5" in out
    assert "[0, 1, 2] ababab [1, 2, 3] xy" in out
    assert "\n10\n" in out
    assert "20 a b ett två\ntre fyra\nfem" in out


# --- the time budget is CPU time ------------------------------------------------------------


def _budgeted(seconds: float) -> Any:
    from sikt_cli.render import sandbox

    env = sandbox.environment(lambda n: ("", n), autoescape=False)
    env.restart(seconds=seconds)
    return env


def test_the_time_budget_is_not_spent_by_waiting() -> None:
    """A loaded machine (the render waiting for a core) does not trip the budget."""
    env = _budgeted(0.05)
    time.sleep(0.3)  # six times the budget on the wall, next to no CPU time
    env.tick()


def test_the_time_budget_is_spent_by_computing() -> None:
    from jinja2.exceptions import SecurityError

    env = _budgeted(0.05)
    end = time.thread_time() + 0.1
    while time.thread_time() < end:  # a template's loop burns CPU time like this
        pass
    with pytest.raises(SecurityError, match=r"^mallen tar för lång tid, mer än 0.05 sekunder$"):
        env.tick()


def test_the_wall_clock_backstop_still_holds() -> None:
    from jinja2.exceptions import SecurityError

    from sikt_cli.render.sandbox import WALL_FACTOR

    env = _budgeted(0.005)
    time.sleep(0.005 * WALL_FACTOR + 0.05)
    with pytest.raises(SecurityError, match=r"^mallen tar för lång tid"):
        env.tick()
