"""A protokoll's body → HTML for the public web archive, shown as people read it.

The body is Markdown that arrives in pull requests, so it is hostile input: markdown-it-py's
"js-default" preset keeps raw HTML as escaped text (`<script>`, `<iframe>`, `<img onerror>`
are shown as text, never run), and links pass `safe_link`: only `http:`, `https:`, `mailto:`
(with `--med-epost`), in-page `#…` and relative paths survive; `javascript:`, `data:`,
`vbscript:`, `file:` and every other scheme become plain text. Images are never loaded
(no request leaves the site, no tracking): an image is its alt text.

Like the minutes mail, the page is rendered from the model, not from the source: task
items lose their checkbox, an uppdrag shows its ID, the names of the people and its status
today, a follow-up links to the uppdrag it follows up, and `@id` becomes the member's name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from markupsafe import Markup, escape

_TASK = re.compile(r"^\[([ xX])\]\s+")
_MENTION = re.compile(r"(?<![\w@.])@([a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9])(?![\w@])", re.I)
_FOLLOW_UP = re.compile(r"^(\d{4}-\d{2}-\d{2})#(\d+)\b\s*:?\s*")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)
_SAFE_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class TaskView:
    """What a task item line shows instead of its source: an uppdrag or a follow-up."""

    label: str  # "Uppdrag 2020-06-05#1" / "Uppföljning av 2020-06-05#3"
    href: str  # where the label links ("" for none)
    anchor: str  # the item's own id attribute ("" for none)
    who: str  # names, for an uppdrag
    state: str  # "öppet", "klart 2020-09-04", "klart" / "fortfarande öppet"


@dataclass(slots=True)
class BodyContext:
    """What the renderer needs from the model: names for `@id`, task views by body line."""

    names: dict[str, str]
    tasks: dict[int, TaskView] = field(default_factory=dict)  # file line → view
    first_line: int = 1  # file line of the text's first line
    allow_mailto: bool = False


def safe_link(url: str, *, allow_mailto: bool = False) -> bool:
    """True for a link the site may keep: http(s), in-page, relative, and mailto when
    e-mail addresses may be shown. Control characters and whitespace in the scheme (the
    `java\\tscript:` trick) are stripped before the scheme is read, as browsers do."""
    cleaned = re.sub(r"[\x00-\x20\x7f]+", "", url)
    if cleaned.startswith("//") or cleaned.startswith("\\"):
        return False  # protocol-relative: another host
    m = _SCHEME.match(cleaned)
    if m is None:
        return True
    scheme = m.group(1).lower()
    return scheme in _SAFE_SCHEMES or (allow_mailto and scheme == "mailto")


@cache
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md: Any = MarkdownIt("js-default", {"linkify": False, "typographer": False})
    md.enable("table")
    md.validateLink = lambda url: True  # judged in the link renderer, with the context
    for name, rule in (
        ("link_open", _link_open),
        ("image", _image),
        ("text", _text),
        ("heading_open", _heading_open),
        ("heading_close", _heading_close),
    ):
        md.add_render_rule(name, rule)
    return md


def render_body(text: str, ctx: BodyContext) -> Markup:
    """The text as safe HTML (see the module docstring)."""
    md = _parser()
    env: dict[str, Any] = {"ctx": ctx}
    tokens = md.parse(text, env)
    _drop_unsafe_links(tokens, ctx)
    _mark_tasks(tokens, ctx)
    return Markup(md.renderer.render(tokens, md.options, env))


def _mark_tasks(tokens: list[Any], ctx: BodyContext) -> None:
    """Replace each task item's checkbox by the uppdrag's or follow-up's view."""
    from markdown_it.token import Token

    for i, tok in enumerate(tokens):
        if tok.type != "list_item_open" or not tok.map or i + 2 >= len(tokens):
            continue
        inline = tokens[i + 2]
        if tokens[i + 1].type != "paragraph_open" or inline.type != "inline":
            continue
        children = inline.children or []
        if not children or children[0].type != "text" or not _TASK.match(children[0].content):
            continue
        first = children[0]
        first.content = _TASK.sub("", first.content, count=1)
        view = ctx.tasks.get(ctx.first_line + tok.map[0])
        if view is None:
            continue
        if view.anchor:
            tok.attrSet("id", view.anchor)
        tok.attrSet("class", "uppgift")
        if view.label.startswith("Uppföljning"):
            first.content = _FOLLOW_UP.sub("", first.content, count=1)
        else:  # the names are shown in the label; leading @ids are left out of the text
            first.content = re.sub(r"^(?:@[A-Za-z0-9-]+[\s,:;]*)+", "", first.content)
        head = Token("html_inline", "", 0)
        head.content = str(_task_head(view))
        tail = Token("html_inline", "", 0)
        tail.content = str(Markup(' <span class="status">({})</span>').format(view.state))
        inline.children = [head, *children, tail]


def _task_head(view: TaskView) -> Markup:
    label = Markup('<a href="{}">{}</a>').format(view.href, view.label) if view.href else view.label
    who = Markup(" {}").format(view.who) if view.who else Markup("")
    return Markup('<strong class="etikett">{}</strong>{}: ').format(label, who)


def _ctx(env: Any) -> BodyContext:
    ctx = env.get("ctx") if isinstance(env, dict) else None
    return ctx if isinstance(ctx, BodyContext) else BodyContext({})


def _link_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    token.attrs = {"href": str(token.attrGet("href") or "")}  # no title or other attribute
    return str(self.renderToken(tokens, idx, options, env))


def _drop_unsafe_links(tokens: list[Any], ctx: BodyContext) -> None:
    """An unsafe link keeps its text and loses its link (open and close removed)."""
    for tok in tokens:
        if tok.type != "inline" or not tok.children:
            continue
        kept: list[Any] = []
        stack: list[bool] = []
        for child in tok.children:
            if child.type == "link_open":
                ok = safe_link(str(child.attrGet("href") or ""), allow_mailto=ctx.allow_mailto)
                stack.append(ok)
                if not ok:
                    continue
            elif child.type == "link_close" and stack and not stack.pop():
                continue
            kept.append(child)
        tok.children = kept


def _image(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An image is its alt text: loading it would be a request outside the site."""
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return str(Markup('<span class="bild">[bild: {}]</span>').format(alt)) if alt else ""


def _text(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Text, escaped, with `@id` shown as the member's (or group's) name."""
    names = _ctx(env).names
    content = str(tokens[idx].content)
    return str(_with_names(content, lambda key: names.get(key)))


def _with_names(content: str, name_of: Callable[[str], str | None]) -> Markup:
    out: list[Markup] = []
    last = 0
    for m in _MENTION.finditer(content):
        name = name_of(m.group(1))
        if name is None:
            continue
        out += [escape(content[last : m.start()]), escape(name)]
        last = m.end()
    out.append(escape(content[last:]))
    return Markup("").join(out)


def _heading_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Body headings sit under the page's h1: `#` and `##` are h2, deeper ones keep their
    level; an agenda heading `## 5. …` gets the stable anchor `arende-5`."""
    token = tokens[idx]
    token.tag = _level(token.tag)
    content = tokens[idx + 1].content.strip() if idx + 1 < len(tokens) else ""
    m = re.match(r"^(\d{1,6})\.\s", content)
    token.attrs = {"id": f"arende-{int(m.group(1))}"} if m and token.tag == "h2" else {}
    return str(self.renderToken(tokens, idx, options, env))


def _heading_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    tokens[idx].tag = _level(tokens[idx].tag)
    return str(self.renderToken(tokens, idx, options, env))


def _level(tag: str) -> str:
    return "h2" if tag == "h1" else tag
