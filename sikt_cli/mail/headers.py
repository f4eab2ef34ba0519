"""Headers that no value from the archive can break: plain text, addresses, folding.

Headers are only set through `email.message.EmailMessage` and addresses through
`headerregistry.Address(addr_spec=...)`, after control characters are removed, so no value
from the archive can add or change a header.
"""

from __future__ import annotations

import re
from email.headerregistry import Address, AddressHeader, BaseHeader, UnstructuredHeader
from email.policy import EmailPolicy
from typing import Any

from sikt_cli.errors import SiktError

# C0 and C1 controls and the Unicode line and paragraph separators: everything
# str.splitlines() breaks on, which EmailMessage refuses in a header value.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# The email package decodes RFC 2047 encoded words ("=?utf-8?q?...?=") in a value it is
# given, so such text would reach the header decoded, CR LF included, and could add a
# header. A WORD JOINER (invisible) between "=" and "?" keeps it literal text.
_NO_ENCODED_WORD = "=\N{WORD JOINER}?"
# Whitespace at the end of a folded line, before the line break and the continuation's own
# leading space. CPython's folder writes "Johansson \n =?utf-8?q?=C3=96gren?=": unfolded per
# RFC 5322 §2.2.3 (only the line break goes) that is two spaces before the encoded word, which
# RFC 2047 §6.2 keeps verbatim, so strict readers (npm mailparser) show "Johansson  Ögren".
# Only after a visible character: a line of nothing but whitespace must keep it.
_TRAILING_AT_FOLD = re.compile(r"(?<=[^ \t\r\n])[ \t]+(?=\r?\n[ \t])")


def header_text(value: str) -> str:
    """One line of plain text: CR, LF, NUL and other control characters become spaces,
    and text that looks like an encoded word stays literal."""
    return _CONTROL.sub(" ", value).strip().replace("=?", _NO_ENCODED_WORD)


def _one_space_at_folds(folded: str) -> str:
    """The folded header with no whitespace left before a line break (see _TRAILING_AT_FOLD):
    unfolded, each fold is then exactly the one space the continuation line starts with."""
    return _TRAILING_AT_FOLD.sub("", folded)


def address(name: str, email: str) -> Address:
    try:
        return Address(display_name=header_text(name), addr_spec=header_text(email))
    except (ValueError, IndexError) as exc:
        raise SiktError(
            f"Ogiltig e-postadress för {header_text(name)}: '{email}'.",
            "Rätta adressen i medlemmar.yaml.",
        ) from exc


class _Policy(EmailPolicy):
    """`email.policy.default`, but a header is only written as every reader reads it back.

    CPython's folder (3.11 and others; gh-144156, gh-100884) can write an empty encoded word,
    leave a space before a fold ("Johansson \\n =?utf-8?q?=C3=96gren?=": two spaces once
    unfolded), put an unencoded space between two encoded words (which RFC 2047 §6.2 tells a
    reader to drop: "Karl-ÅkeNyström"), or encode the comma between addresses. Python's own
    parser forgives most of it; strict readers (npm mailparser) do not.

    So a To/Cc/Bcc/Reply-To list is written here, one address per line: an ASCII name as
    `formataddr` quotes it, any other name as one RFC 2047 Q-encoded word (see
    `_encoded_name`), the address on the next line when the line would be long. Any other
    header is folded by CPython, cleared of whitespace before its line breaks, and parsed
    back; if it differs, it is written on one line up to the 998-character limit of RFC 5322.
    """

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        if (
            name.lower() in _ADDRESS_LISTS
            and isinstance(value, list | tuple)
            and value
            and all(isinstance(a, Address) for a in value)
        ):
            return name, _AddressLines(name, self._one_per_line(name, list(value)))
        return super().header_store_parse(name, value)

    def _one_per_line(self, name: str, addresses: list[Address]) -> list[str]:
        """Each address on its own line: linear in the number of addresses.

        The email package parses and refolds a whole address header at once, and both are
        quadratic in its length (12,000 recipients: 23 s and 3.7 GB); one address per line
        is valid RFC 5322.
        """
        from email.utils import formataddr

        wide = self.clone(max_line_length=998, linesep="\n")
        parts = []
        for a in addresses:
            if a.addr_spec.isascii() and a.display_name.isascii():  # quoting as needed
                parts.append(formataddr((a.display_name, a.addr_spec)))
                continue
            if a.addr_spec.isascii():
                word = _encoded_name(name, a.display_name)
                sep = " " if len(word) + len(a.addr_spec) < 70 else "\n "
                parts.append(f"{word}{sep}<{a.addr_spec}>")
                continue
            header = self.header_factory(name, [a])
            folded = _one_space_at_folds(header.fold(policy=wide))
            if folded.count("\n") > 1:  # folded inside the address: where CPython errs
                folded = wide._checked(name, header, folded)
            parts.append(folded.split(":", 1)[1].strip())
        return parts

    def fold(self, name: str, value: str) -> str:
        if isinstance(value, _AddressLines):
            return value.fold(policy=self)
        return self._checked(name, value, _one_space_at_folds(super().fold(name, value)))

    def fold_binary(self, name: str, value: str) -> bytes:
        if isinstance(value, _AddressLines):  # only ASCII: each part was folded as such
            return value.fold(policy=self).encode("ascii", "surrogateescape")
        folded = super().fold_binary(name, value)
        text = folded.decode("ascii", "surrogateescape")
        checked = self._checked(name, value, _one_space_at_folds(text))
        return folded if checked == text else checked.encode("ascii", "surrogateescape")

    def _checked(self, name: str, value: str, folded: str) -> str:
        if (
            not isinstance(value, BaseHeader)
            or not isinstance(value, AddressHeader | UnstructuredHeader)
            or self._same(name, value, folded)
        ):
            return folded
        wide = self.clone(max_line_length=998)
        candidates = [_one_space_at_folds(value.fold(policy=wide))]
        if isinstance(value, AddressHeader) and len(value.addresses) > 1:
            lines = [
                _one_space_at_folds(self.header_factory(name, [a]).fold(policy=wide))
                for a in value.addresses
            ]
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


def _encoded_name(name: str, text: str) -> str:
    """A display name as one RFC 2047 Q-encoded word, its spaces inside it as "_".

    One word, not several: between two adjacent encoded words RFC 2047 §6.2 has a reader
    drop the whitespace, which strict readers do and Python's address parser does not (it
    shows a space there), so a split name would read differently in each. A word longer than
    the 75 characters RFC 2047 asks for is read by both; only past the 998-character line
    limit of RFC 5322 is the name split into words.
    """
    from email.charset import QP, Charset
    from email.header import Header

    charset = Charset("utf-8")
    charset.header_encoding = QP
    word = str(Header(text, charset, maxlinelen=100_000).encode(linesep="\n"))
    if len(word) > _ONE_WORD_MAX:
        word = str(Header(text, charset, header_name=name).encode(linesep="\n"))
    return word


_ONE_WORD_MAX = 900
_ADDRESS_LISTS = ("to", "cc", "bcc", "reply-to")


class _AddressLines(str):
    """A long To/Cc, already folded one address per line (see _Policy._one_per_line).

    It has a `name`, so the email package hands it back as it is instead of parsing it
    again; its text is the addresses as they were given, joined with ', '.
    """

    name: str
    parts: list[str]

    def __new__(cls, name: str, parts: list[str]) -> _AddressLines:
        self = super().__new__(cls, ", ".join(p.replace("\n ", " ") for p in parts))
        self.name = name
        self.parts = parts
        return self

    def fold(self, *, policy: EmailPolicy) -> str:
        sep = policy.linesep
        body = ("," + sep + " ").join(p.replace("\n", sep) for p in self.parts)
        return f"{self.name}: {body}{sep}"


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
