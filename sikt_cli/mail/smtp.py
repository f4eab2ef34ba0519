"""Sending over SMTP with settings from the environment only.

Three ways in: an internal relay (no authentication), user and password, or an OAuth 2.0
bearer token (XOAUTH2), which Microsoft 365 and Google require once basic
authentication is off. STARTTLS is on by default and implicit TLS is used on port 465;
TLS may be turned off only towards this machine. Secrets are read from the environment
and are never printed or put in an error message.
"""

from __future__ import annotations

import base64
import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage

from sikt_cli.errors import SiktError

LOCAL = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True, slots=True)
class Settings:
    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    tls: str = "starttls"  # starttls | implicit | av

    @property
    def auth(self) -> str:
        return "oauth" if self.token else ("losenord" if self.password else "ingen")


def settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and check SIKT_SMTP_* and SIKT_AVSANDARE; a Swedish error names the variable."""
    e = os.environ if env is None else env
    host = e.get("SIKT_SMTP_VARD", "").strip()
    if not host:
        raise SiktError(
            "SIKT_SMTP_VARD är inte satt.",
            "Sätt SIKT_SMTP_VARD till e-postserverns namn, t.ex. "
            "smtp.office365.com, eller skriv ett utkast med --ut i stället.",
        )
    sender = e.get("SIKT_AVSANDARE", "").strip()
    if not sender or "@" not in sender:
        raise SiktError(
            "SIKT_AVSANDARE är inte satt till en e-postadress.",
            "Sätt SIKT_AVSANDARE till adressen du skickar från.",
        )
    from sikt_cli.mail.headers import sender_address

    sender_address(sender)
    port, tls = _port_and_tls(e, host)
    user, password, token = _login_settings(e)
    if token:
        _check_oauth(user, sender, token)
    return Settings(host, port, sender, user, password, token, tls)


def _check_oauth(user: str | None, sender: str, token: str) -> None:
    """XOAUTH2 sends `user=…\x01auth=Bearer …` as ASCII: smtplib cannot encode anything
    else, and a control character would end a field early. An OAuth 2.0 bearer token is
    ASCII by definition (RFC 6750: letters, digits and -._~+/=)."""
    if not token.isascii() or not token.isprintable() or " " in token:
        raise SiktError(
            "SIKT_SMTP_OAUTH_TOKEN innehåller tecken som inte får finnas i en OAuth-token "
            "(bara A–Z, a–z, 0–9 och - . _ ~ + / = är tillåtna; inga å, ä, ö, mellanslag "
            "eller radbrytningar).",
            "Kopiera token på nytt från inloggningen, utan citattecken eller radbrytning.",
        )
    name, variable = (user, "SIKT_SMTP_ANVANDARE") if user else (sender, "SIKT_AVSANDARE")
    if not name.isascii() or not name.isprintable():
        raise SiktError(
            f"{variable} innehåller tecken utanför ASCII (t.ex. å, ä, ö), men inloggning med "
            "OAuth (XOAUTH2) över SMTP tar bara emot användarnamn i ASCII.",
            f"Sätt {variable} till kontots inloggningsnamn i ASCII; en domän med å, ä, ö "
            "skrivs i punycode (hjö.se → xn--hj-gka.se).",
        )


def _port_and_tls(e: Mapping[str, str], host: str) -> tuple[int, str]:
    raw_port = e.get("SIKT_SMTP_PORT", "").strip()
    try:
        port = int(raw_port) if raw_port else 587
        if not 0 < port < 65536:
            raise ValueError
    except ValueError as exc:
        raise SiktError(
            f"SIKT_SMTP_PORT är inte ett portnummer: '{raw_port}'.",
            "Använd 587 (STARTTLS) eller 465 (TLS).",
        ) from exc
    tls_setting = e.get("SIKT_SMTP_TLS", "").strip().lower()
    if tls_setting not in ("", "pa", "på", "av"):
        raise SiktError(
            f"SIKT_SMTP_TLS har okänt värde '{tls_setting}'.",
            "Utelämna den (TLS används) eller sätt 'av' för en server på localhost.",
        )
    if tls_setting != "av":
        return port, "implicit" if port == 465 else "starttls"
    if host not in LOCAL:
        raise SiktError(
            "SIKT_SMTP_TLS=av är bara tillåtet mot localhost.",
            "E-post med lösenord eller token får inte gå okrypterat över nätet.",
        )
    return port, "av"


def _login_settings(e: Mapping[str, str]) -> tuple[str | None, str | None, str | None]:
    user = e.get("SIKT_SMTP_ANVANDARE", "").strip() or None
    password = e.get("SIKT_SMTP_LOSENORD") or None
    token = e.get("SIKT_SMTP_OAUTH_TOKEN") or None
    if token and password:
        raise SiktError(
            "Både SIKT_SMTP_LOSENORD och SIKT_SMTP_OAUTH_TOKEN är satta.",
            "Välj ett sätt att logga in: ta bort den ena variabeln.",
        )
    if password and not user:
        raise SiktError(
            "SIKT_SMTP_LOSENORD är satt men inte SIKT_SMTP_ANVANDARE.",
            "Sätt SIKT_SMTP_ANVANDARE till användarnamnet (oftast din adress).",
        )
    if user and not (password or token):
        raise SiktError(
            "SIKT_SMTP_ANVANDARE är satt men varken SIKT_SMTP_LOSENORD eller "
            "SIKT_SMTP_OAUTH_TOKEN.",
            "Sätt lösenordet eller en OAuth-token, eller ta bort "
            "SIKT_SMTP_ANVANDARE för en intern relay utan inloggning.",
        )
    return user, password, token


@dataclass(slots=True)
class Delivery:
    accepted: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # address → server's reason


def _xoauth2(user: str, token: str) -> str:
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH PLAIN or LOGIN; UTF-8, since smtplib's login() fails on a password with å ä ö."""
    if user.isascii() and password.isascii():
        client.login(user, password)
        return

    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    offered = client.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        code, reply = client.docmd("AUTH", "PLAIN " + b64(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, reply = client.docmd("AUTH", "LOGIN " + b64(user))
        if code == 334:
            code, reply = client.docmd(b64(password))
    else:
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN/LOGIN")
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


def send(
    msg: EmailMessage, recipients: list[str], cfg: Settings, *, timeout: float = 30
) -> Delivery:
    """Send one message to every recipient; report who the server refused."""
    from sikt_cli.mail.headers import sender_address

    if "From" in msg:
        del msg["From"]
    msg["From"] = sender_address(cfg.sender)
    if "X-Unsent" in msg:
        del msg["X-Unsent"]
    context = ssl.create_default_context()
    result = Delivery()
    try:
        client: smtplib.SMTP
        if cfg.tls == "implicit":
            client = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=timeout)
        with client:
            client.ehlo()
            if cfg.tls == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if cfg.token:
                user, token = cfg.user or cfg.sender, cfg.token
                client.auth(
                    "XOAUTH2",
                    lambda challenge=None: _xoauth2(user, token) if challenge is None else "",
                )
            elif cfg.password and cfg.user:
                _login(client, cfg.user, cfg.password)
            try:
                refused = client.send_message(msg, from_addr=cfg.sender, to_addrs=recipients)
            except smtplib.SMTPRecipientsRefused as exc:
                refused = exc.recipients
            for addr, (code, reason) in refused.items():
                result.refused[addr] = f"{code} {reason.decode('utf-8', 'replace')}"
            result.accepted = [r for r in recipients if r not in result.refused]
    except smtplib.SMTPAuthenticationError as exc:
        raise SiktError(
            f"Servern {cfg.host} godtog inte inloggningen ({exc.smtp_code}).",
            "Kontrollera användarnamn och lösenord eller att OAuth-token inte "
            "har gått ut (se docs/mejl.md).",
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SiktError(
            f"Servern {cfg.host} stöder inte det som krävs (STARTTLS eller inloggningssättet).",
            "Kontrollera SIKT_SMTP_PORT och inloggningssätt.",
        ) from None
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise SiktError(
            f"Kunde inte skicka via {cfg.host}:{cfg.port}: {_why(exc)}.",
            "Kontrollera SIKT_SMTP_VARD, SIKT_SMTP_PORT och nätverket.",
        ) from None
    return result


def _why(exc: BaseException) -> str:
    """Why sending failed, in Swedish: the OS's words (os_errors), TLS, or the server."""
    from sikt_cli import os_errors

    if isinstance(exc, ssl.SSLError):
        return "den krypterade förbindelsen (TLS) kunde inte upprättas"
    if isinstance(exc, OSError):
        return os_errors.reason(exc)
    return f"servern svarade med ett fel ({type(exc).__name__})"
