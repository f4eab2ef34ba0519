"""Without `--med-epost` no member's e-mail address reaches the web archive, wherever it
was written: in a protokoll's text, a decision, an uppdrag or a rubrik. Each occurrence in
a finished page or in the feed becomes the member's name. Applied where every page is
rendered (site_render), so no path into a page can carry one past it; the address stays in
the files themselves, and a mail's recipients are unaffected (SIKT604 leaves members'
addresses in the text alone, since the minutes go to the members). Other addresses, such as
a principal's `rapport_till`, are published as written (docs/webb.md), and so is the
accessibility statement's `natverk.tillganglighet.kontakt` even when it is a member's: the
network wrote it there to be published.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sikt_cli.render.site_data import SiteData

Pairs = tuple[tuple[str, str], ...]  # (address, the member's name)


def member_addresses(data: SiteData) -> Pairs:
    """Every address a member has or had (`epost`, and `epost` under `tidigare`)."""
    out: set[tuple[str, str]] = set()
    published = (data.archive.roster.network.tillganglighet.kontakt or "").lower()
    for m in data.archive.roster.members:
        for address in (m.epost, *(e.values.get("epost") for e in m.tidigare)):
            if address and address.lower() != published:
                out.add((address, m.namn.strip() or m.id))
    return tuple(sorted(out))


@lru_cache(maxsize=8)
def _pattern(pairs: Pairs) -> tuple[re.Pattern[bytes], dict[bytes, bytes]]:
    names = {a.encode("utf-8").lower(): html.escape(n).encode("utf-8") for a, n in pairs}
    longest_first = b"|".join(re.escape(a) for a in sorted(names, key=len, reverse=True))
    return re.compile(rb"(?<![\w.+-])(?:" + longest_first + rb")(?![\w-])", re.I), names


def hide_member_addresses(data: SiteData, content: bytes) -> bytes:
    """`content` (HTML or XML, UTF-8) with each member's address replaced by their name,
    escaped for either; unchanged with `--med-epost`."""
    if data.options.with_email or b"@" not in content:
        return content
    pairs = member_addresses(data)
    if not pairs:
        return content
    pattern, names = _pattern(pairs)
    return pattern.sub(lambda m: names[m.group(0).lower()], content)
