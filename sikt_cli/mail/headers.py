"""Headers that no value from the archive can break: plain text, addresses, folding.

Headers are only set through `email.message.EmailMessage` and addresses through
`headerregistry.Address(addr_spec=...)`, after control characters are removed, so no value
from the archive can add or change a header.
"""

from __future__ import annotations

import re
from email.headerregistry import Address, AddressHeader, BaseHeader, UnstructuredHeader
from email.policy import EmailPolicy

from sikt_cli.errors import SiktError

# C0 and C1 controls and the Unicode line and paragraph separators: everything
# str.splitlines() breaks on, which EmailMessage refuses in a header value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# The email package decodes RFC 2047 encoded words ("=?utf-8?q?...?=") in a value it is
# given, so such text would reach the header decoded, CR LF included, and could add a
# header. A WORD JOINER (invisible) between "=" and "?" keeps it literal text.
_NO_ENCODED_WORD = "=\N{WORD JOINER}?"


def header_text(value: str) -> str:
    """One line of plain text: CR, LF, NUL and other control characters become spaces,
    and text that looks like an encoded word stays literal."""
    return _CONTROL.sub(" ", value).strip().replace("=?", _NO_ENCODED_WORD)


def address(name: str, email: str) -> Address:
    try:
        return Address(display_name=header_text(name), addr_spec=header_text(email))
    except (ValueError, IndexError) as exc:
        raise SiktError(
            f"Ogiltig e-postadress för {header_text(name)}: '{email}'.",
            "Rätta adressen i medlemmar.yaml.",
        ) from exc


class _Policy(EmailPolicy):
    """`email.policy.default`, but a header is only written as it reads back.

    CPython's folder (3.11 and others; gh-144156, gh-100884) can write an empty encoded word
    or drop the space between two encoded words at a fold, so "Per-Anders Johansson Ögren"
    in a long To list came back as "Per-Anders Johansson  Ögren", and can encode the comma
    between addresses. A folded To/Cc/Subject is parsed back; if it differs, it is written
    one address per line, or on one line up to the 998-character limit of RFC 5322.
    """

    def fold(self, name: str, value: str) -> str:
        return self._checked(name, value, super().fold(name, value))

    def fold_binary(self, name: str, value: str) -> bytes:
        folded = super().fold_binary(name, value)
        text = folded.decode("ascii", "surrogateescape")
        checked = self._checked(name, value, text)
        return folded if checked == text else checked.encode("ascii", "surrogateescape")

    def _checked(self, name: str, value: str, folded: str) -> str:
        if (
            not isinstance(value, BaseHeader)
            or not isinstance(value, AddressHeader | UnstructuredHeader)
            or self._same(name, value, folded)
        ):
            return folded
        wide = self.clone(max_line_length=998)
        candidates = [value.fold(policy=wide)]
        if isinstance(value, AddressHeader) and len(value.addresses) > 1:
            lines = [self.header_factory(name, [a]).fold(policy=wide) for a in value.addresses]
            parts = [line.split(":", 1)[1].strip() for line in lines]
            candidates.insert(
                0, f"{name}: " + ("," + self.linesep + " ").join(parts) + self.linesep
            )
        return next((c for c in candidates if self._same(name, value, c)), folded)

    def _same(self, name: str, value: str, folded: str) -> bool:
        unfolded = re.sub(r"\r?\n(?=[ \t])", "", folded.split(":", 1)[1]).strip()
        back = self.header_factory(name, unfolded)
        if isinstance(value, AddressHeader):
            return isinstance(back, AddressHeader) and [
                (a.display_name, a.addr_spec) for a in back.addresses
            ] == [(a.display_name, a.addr_spec) for a in value.addresses]
        return str(back) == str(value)


POLICY = _Policy()


def sender_address(value: str) -> Address:
    """SIKT_AVSANDARE as an address; an error that names the variable if it is not one."""
    try:
        return address("", value.strip())
    except SiktError:
        raise SiktError(
            f"SIKT_AVSANDARE är inte en e-postadress: '{header_text(value)}'.",
            "Skriv bara adressen, t.ex. sekreterare@kommun.se, utan namn eller <>.",
        ) from None
