"""Markdown → e-mail-safe HTML: raw HTML off, unsafe links refused, CSS inlined.

markdown-it-py's "js-default" preset disables raw HTML, so markup in a protokoll is
escaped, and its link validation refuses `javascript:`, `vbscript:`, `file:` and `data:`
links (they stay as text); a remote image is replaced by its alt text. Mail clients
ignore <style>, so CSS is inlined by css-inline.
"""

from __future__ import annotations

import re
from typing import Any

STYLE = """
body { font-family: Calibri, Arial, sans-serif; font-size: 11pt; color: #1f1f1f; }
h1 { font-size: 16pt; margin: 0 0 8px 0; }
h2 { font-size: 13pt; margin: 16px 0 4px 0; border-bottom: 1px solid #d0d0d0; }
p, li { line-height: 1.4; }
table { border-collapse: collapse; }
td, th { border: 1px solid #d0d0d0; padding: 2px 6px; text-align: left; }
.sammanfattning { background: #f3f6fa; border: 1px solid #c8d3e0; padding: 8px 12px; }
.utkast { color: #b00020; font-weight: bold; }
table.uppgifter th, table.uppgifter td { border: none; padding: 1px 12px 1px 0; }
table.uppgifter th { white-space: nowrap; vertical-align: top; }
"""


def markdown_to_html(text: str) -> str:
    from markdown_it import MarkdownIt

    md: Any = MarkdownIt("js-default", {"linkify": False, "typographer": False})
    md.add_render_rule("image", _image)
    return str(md.render(text))


_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|\\)", re.IGNORECASE)  # scheme, //host, \\host


def _image(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """A remote image becomes its alt text: loading it would tell the sender (a tracking
    pixel) who opened the mail, and when. `data:` images (embedded) and relative paths
    (which load nothing from a mail) keep the default rendering."""
    from markdown_it.common.utils import escapeHtml

    token = tokens[idx]
    src = str(token.attrGet("src") or "").strip()
    if not _REMOTE.match(src) or src.lower().startswith("data:"):
        return str(self.image(tokens, idx, options, env))
    alt = self.renderInlineAsText(token.children or [], options, env)
    return str(escapeHtml(alt))


def inline_css(html: str) -> str:
    """Inline <style> rules. <link> stylesheets are never loaded: the page template may come
    from a pull request, and must not make sikt read local files or fetch URLs."""
    import css_inline

    return str(css_inline.CSSInliner(load_remote_stylesheets=False).inline(html))
