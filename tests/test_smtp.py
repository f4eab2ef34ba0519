"""`--skicka` against a real SMTP server (aiosmtpd) on 127.0.0.1, and the SMTP settings.

Each test starts its own server on a free port and stops it afterwards. Four ways in are
exercised end to end: a relay without login, AUTH PLAIN/LOGIN with a password, XOAUTH2 with
a bearer token, and a server that refuses one recipient. Passwords and tokens must never be
printed. Every test runs under a deadline (SIGALRM) and a short socket timeout, so a
hanging server fails the test instead of the run.
"""

from __future__ import annotations

import base64
import functools
import signal
import smtplib
import socket
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from helpers import MEMBERS, SMTP_NAMES
from test_mail import flat, give_addresses

from sikt_cli.errors import SiktError
from sikt_cli.mail import smtp

Run = Callable[..., Any]
Make = Callable[..., Path]

REPORT = "utbildning@skaraborg.se"
SENDER = "sekreterare@example.se"
USER = "sekreterare@example.se"
PASSWORD = "hemligt-Lösenord-åäö-4711"
TOKEN = "eyJ0eXAiOiJKV1QiLCJub25jZSI6IlRFU1QtVE9LRU4tZmFrZSJ9.payload.sig_-42"
DEADLINE = 30  # seconds for one whole test


# --- the server ------------------------------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    authenticated: bool | None

    @property
    def message(self) -> EmailMessage:
        msg = BytesParser(policy=policy.default).parsebytes(self.content)
        assert isinstance(msg, EmailMessage)
        return msg


class Recorder:
    """Accepts everything except the addresses in `refuse`; keeps what it received."""

    def __init__(self, refuse: tuple[str, ...] = ()) -> None:
        self.refuse = refuse
        self.received: list[Received] = []

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mottagaren finns inte"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content
        assert isinstance(content, bytes) and envelope.mail_from is not None
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), content, session.authenticated)
        )
        return "250 Message accepted for delivery"


class OAuthRecorder(Recorder):
    """A server that speaks XOAUTH2 the way Microsoft 365 and Google do."""

    def __init__(self, user: str, token: str) -> None:
        super().__init__()
        self.expected = f"user={user}\x01auth=Bearer {token}\x01\x01".encode()
        self.responses: list[bytes] = []  # not auth_*: aiosmtpd takes those for mechanisms

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        if len(args) == 2:
            response = base64.b64decode(args[1], validate=True)
        else:
            answer = await server.challenge_auth("")
            assert isinstance(answer, bytes)
            response = answer
        self.responses.append(response)
        if response == self.expected:
            return AuthResult(success=True, auth_data="xoauth2")
        # the error is a base64 JSON challenge; the client answers with an empty line
        await server.challenge_auth('{"status":"401","schemes":"bearer","scope":"smtp"}')
        return AuthResult(
            success=False, handled=False, message="535 5.7.3 Authentication unsuccessful"
        )

    def token_seen(self) -> str:
        """The bearer token the client sent in its (one) XOAUTH2 response."""
        (response,) = self.responses
        fields = response.split(b"\x01")
        assert fields[0].startswith(b"user=") and fields[1].startswith(b"auth=Bearer ")
        assert fields[2:] == [b"", b""]
        return fields[1].removeprefix(b"auth=Bearer ").decode()


class PasswordCheck:
    """aiosmtpd authenticator: accepts USER with `password` (UTF-8), notes the mechanism."""

    def __init__(self, password: str = PASSWORD) -> None:
        self.password = password
        self.seen: list[str] = []

    def __call__(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        self.seen.append(mechanism)
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == USER.encode()
            and auth_data.password == self.password.encode("utf-8")
        )
        return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., int]]:
    """start(handler, **smtp_options) → port of a running aiosmtpd on 127.0.0.1."""
    running: list[Controller] = []

    def start(handler: Any, **options: Any) -> int:
        port = free_port()
        controller = Controller(
            handler, hostname="127.0.0.1", port=port, ready_timeout=5, **options
        )
        controller.start()
        running.append(controller)
        return port

    yield start
    for controller in running:
        controller.stop()


@pytest.fixture(autouse=True)
def _bounded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No SIKT_* settings from the developer's shell, a socket timeout and a deadline."""
    for name in SMTP_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(smtp, "send", functools.partial(smtp.send, timeout=10))

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"SMTP-testet tog mer än {DEADLINE} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(DEADLINE)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def env(port: int, **extra: str) -> dict[str, str | None]:
    values: dict[str, str | None] = {name: None for name in SMTP_NAMES}
    values.update(
        {
            "SIKT_SMTP_VARD": "127.0.0.1",
            "SIKT_SMTP_PORT": str(port),
            "SIKT_SMTP_TLS": "av",
            "SIKT_AVSANDARE": SENDER,
        }
    )
    values.update(extra)
    return values


def no_secrets(result: Any) -> None:
    everything = result.output + result.stdout + result.stderr
    for secret in (
        PASSWORD,
        TOKEN,
        base64.b64encode(PASSWORD.encode()).decode(),
        base64.b64encode(TOKEN.encode()).decode()[:20],
        TOKEN[:12],
    ):
        assert secret not in everything


@pytest.fixture
def addressed(real_archive: Path) -> tuple[Path, dict[str, str]]:
    """The real archive with test addresses for all members but one."""
    return real_archive, give_addresses(real_archive)


def protokoll_mejl(run: Run, root: Path, environment: dict[str, str | None], *extra: str) -> Any:
    return run(
        "protokoll", "mejl", "2020-06-05", "--skicka", *extra, "--rot", str(root), env=environment
    )


# --- (1) relay without login -------------------------------------------------------------------


def test_relay_delivers_one_message_to_everyone(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, added = addressed
    handler = Recorder()
    port = smtp_server(handler)
    result = protokoll_mejl(run, root, env(port), "--ja")
    assert result.exit_code == 0, result.output

    (got,) = handler.received
    assert sorted(got.rcpt_tos) == sorted([*added.values(), REPORT])
    assert got.mail_from == SENDER
    assert not got.authenticated
    msg = got.message
    assert msg["Subject"] == "Protokoll SIKT-nätverket 2020-06-05"
    assert [a.addr_spec for a in msg["From"].addresses] == [SENDER]
    assert sorted(a.addr_spec for a in msg["To"].addresses) == sorted(added.values())
    assert [a.addr_spec for a in msg["Cc"].addresses] == [REPORT]
    assert "X-Unsent" not in msg and "Bcc" not in msg
    assert msg.get_body(("plain",)) is not None and msg.get_body(("html",)) is not None
    attachment = next(msg.iter_attachments())
    assert attachment.get_filename() == "protokoll-2020-06-05.pdf"
    assert attachment.get_payload(decode=True).startswith(b"%PDF-")  # arrives whole
    assert attachment.get_payload(decode=True).rstrip().endswith(b"%%EOF")

    out = flat(result.output)
    assert f"Från: {SENDER} via 127.0.0.1:{port} (inloggning: ingen)" in out
    for address in [*added.values(), REPORT]:
        assert f"Skickat till {address}" in out
    assert "Nås inte (1 utan e-postadress i medlemmar.yaml): Anna-Karin Gustavsson" in out


def test_asks_before_sending(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, added = addressed
    handler = Recorder()
    port = smtp_server(handler)
    runner_env = env(port)

    from typer.testing import CliRunner

    from sikt_cli.cli.app import app

    args = ["protokoll", "mejl", "2020-06-05", "--skicka", "--rot", str(root)]
    no = CliRunner().invoke(app, args, input="n\n", env=runner_env)
    assert no.exit_code == 1
    assert "Skicka? [j/N]" in no.stdout
    assert "Till: " + ", ".join([*added.values(), REPORT]) in no.stdout  # shown before asking
    assert "Inget skickades" in flat(no.stderr)
    assert handler.received == []

    empty = CliRunner().invoke(app, args, input="\n", env=runner_env)
    assert empty.exit_code == 1 and handler.received == []  # the default is no

    yes = CliRunner().invoke(app, args, input="j\n", env=runner_env)
    assert yes.exit_code == 0, yes.output
    assert len(handler.received) == 1


def test_kallelse_is_sent_with_its_invitation(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, added = addressed
    handler = Recorder()
    port = smtp_server(handler)
    result = run("kallelse", "2020-09-04", "--skicka", "--ja", "--rot", str(root), env=env(port))
    assert result.exit_code == 0, result.output
    (got,) = handler.received
    assert sorted(got.rcpt_tos) == sorted(added.values())  # the members; no report address
    calendar = [p for p in got.message.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendar) == 1 and calendar[0].get_param("method") == "REQUEST"
    assert b"ATTENDEE" in (calendar[0].get_payload(decode=True) or b"")
    assert "kallelse: {sekvens: 0" in (root / "protokoll/2020-09-04.md").read_text("utf-8")


@pytest.mark.parametrize(
    ("command", "subject"),
    [("medlemmar", "Medlemmar i SIKT-nätverket"), ("moten", "Mötesdatum för SIKT-nätverket")],
)
def test_reports_go_to_rapport_till(
    real_archive: Path, run: Run, smtp_server: Callable[..., int], command: str, subject: str
) -> None:
    handler = Recorder()
    port = smtp_server(handler)
    result = run(command, "--mejl", "--skicka", "--ja", "--rot", str(real_archive), env=env(port))
    assert result.exit_code == 0, result.output
    (got,) = handler.received
    assert got.rcpt_tos == [REPORT]
    assert got.message["Subject"] == subject


def test_draft_and_send_in_one_run(
    addressed: tuple[Path, dict[str, str]],
    run: Run,
    smtp_server: Callable[..., int],
    tmp_path: Path,
) -> None:
    root, _ = addressed
    handler = Recorder()
    port = smtp_server(handler)
    draft = tmp_path / "p.eml"
    result = protokoll_mejl(run, root, env(port), "--ja", "--ut", str(draft))
    assert result.exit_code == 0, result.output
    saved = BytesParser(policy=policy.default).parsebytes(draft.read_bytes())
    assert saved["X-Unsent"] == "1"
    (got,) = handler.received
    assert "X-Unsent" not in got.message  # the sent copy is not a draft


# --- (2) password ----------------------------------------------------------------------------


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
@pytest.mark.parametrize("password", [PASSWORD, "ascii-Secret-4711"], ids=["utf8", "ascii"])
def test_password_login(
    addressed: tuple[Path, dict[str, str]],
    run: Run,
    smtp_server: Callable[..., int],
    mechanism: str,
    password: str,
) -> None:
    """A password with å ä ö used to crash smtplib's login() (it encodes as ASCII)."""
    root, added = addressed
    handler = Recorder()
    check = PasswordCheck(password)
    other = "LOGIN" if mechanism == "PLAIN" else "PLAIN"
    port = smtp_server(
        handler, authenticator=check, auth_require_tls=False, auth_exclude_mechanism=[other]
    )
    result = protokoll_mejl(
        run, root, env(port, SIKT_SMTP_ANVANDARE=USER, SIKT_SMTP_LOSENORD=password), "--ja"
    )
    assert result.exit_code == 0, result.output
    assert check.seen == [mechanism]
    (got,) = handler.received
    assert got.authenticated is True
    assert sorted(got.rcpt_tos) == sorted([*added.values(), REPORT])
    assert "(inloggning: losenord)" in result.stdout
    assert password not in result.output + result.stderr
    no_secrets(result)


def test_wrong_password(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, _ = addressed
    handler = Recorder()
    port = smtp_server(handler, authenticator=PasswordCheck(), auth_require_tls=False)
    result = protokoll_mejl(
        run, root, env(port, SIKT_SMTP_ANVANDARE=USER, SIKT_SMTP_LOSENORD="fel-" + PASSWORD), "--ja"
    )
    assert result.exit_code == 2
    assert "godtog inte inloggningen (535)" in flat(result.stderr)
    assert handler.received == []
    assert "fel-" + PASSWORD not in result.output
    no_secrets(result)


# --- (3) XOAUTH2 ------------------------------------------------------------------------------


def test_oauth_token(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, added = addressed
    handler = OAuthRecorder(USER, TOKEN)
    port = smtp_server(handler, auth_require_tls=False)
    result = protokoll_mejl(
        run, root, env(port, SIKT_SMTP_ANVANDARE=USER, SIKT_SMTP_OAUTH_TOKEN=TOKEN), "--ja"
    )
    assert result.exit_code == 0, result.output
    assert handler.token_seen() == TOKEN
    assert handler.responses == [f"user={USER}\x01auth=Bearer {TOKEN}\x01\x01".encode()]
    (got,) = handler.received
    assert got.authenticated is True
    assert sorted(got.rcpt_tos) == sorted([*added.values(), REPORT])
    assert "(inloggning: oauth)" in result.stdout
    no_secrets(result)


def test_oauth_user_defaults_to_the_sender(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, _ = addressed
    handler = OAuthRecorder(SENDER, TOKEN)
    port = smtp_server(handler, auth_require_tls=False)
    result = protokoll_mejl(run, root, env(port, SIKT_SMTP_OAUTH_TOKEN=TOKEN), "--ja")
    assert result.exit_code == 0, result.output
    assert handler.token_seen() == TOKEN
    no_secrets(result)


def test_expired_oauth_token(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, _ = addressed
    handler = OAuthRecorder(USER, "a-newer-token")
    port = smtp_server(handler, auth_require_tls=False)
    result = protokoll_mejl(
        run, root, env(port, SIKT_SMTP_ANVANDARE=USER, SIKT_SMTP_OAUTH_TOKEN=TOKEN), "--ja"
    )
    assert result.exit_code == 2
    assert handler.token_seen() == TOKEN
    assert "godtog inte inloggningen (535)" in flat(result.stderr)
    assert "OAuth-token" in flat(result.stderr)
    assert handler.received == []
    no_secrets(result)


# --- (4) a refused recipient -------------------------------------------------------------------


def test_refused_recipient_is_reported(
    addressed: tuple[Path, dict[str, str]], run: Run, smtp_server: Callable[..., int]
) -> None:
    root, added = addressed
    refused = added["eva-karlsson"]
    handler = Recorder(refuse=(refused,))
    port = smtp_server(handler)
    result = protokoll_mejl(run, root, env(port), "--ja")
    assert result.exit_code == 1
    (got,) = handler.received
    assert sorted(got.rcpt_tos) == sorted([a for a in [*added.values(), REPORT] if a != refused])
    out = flat(result.output)
    assert f"Nekad av servern: {refused} (550 5.1.1 Mottagaren finns inte)" in out
    assert f"Skickat till {refused}" not in out
    assert f"Skickat till {REPORT}" in out
    assert "1 mottagare nåddes inte" in out


def test_every_recipient_refused(
    real_archive: Path, run: Run, smtp_server: Callable[..., int]
) -> None:
    handler = Recorder(refuse=(REPORT,))
    port = smtp_server(handler)
    result = protokoll_mejl(run, real_archive, env(port), "--ja")
    assert result.exit_code == 1
    assert handler.received == []
    assert f"Nekad av servern: {REPORT} (550 5.1.1 Mottagaren finns inte)" in flat(result.output)


def test_server_reason_is_shown_as_text(
    archive: Make, run: Run, smtp_server: Callable[..., int]
) -> None:
    """A server's reply with [brackets] is printed as written (rich markup used to eat it)."""

    class Bracketed(Recorder):
        async def handle_RCPT(
            self,
            server: SMTP,
            session: Session,
            envelope: Envelope,
            address: str,
            rcpt_options: list[str],
        ) -> str:
            return "550 5.7.1 [/spam] [red]nej[/red] [AM0PR01MB1234.eurprd01.prod.outlook.com]"

    root = archive()
    port = smtp_server(Bracketed())
    result = run("medlemmar", "--mejl", "--skicka", "--ja", "--rot", str(root), env=env(port))
    assert result.exit_code == 1, result.output
    assert "[/spam] [red]nej[/red] [AM0PR01MB1234.eurprd01.prod.outlook.com]" in flat(result.output)


# --- TLS and connection failures ----------------------------------------------------------------


def test_starttls_is_required_by_default(
    real_archive: Path, run: Run, smtp_server: Callable[..., int]
) -> None:
    """Without SIKT_SMTP_TLS=av, a server that cannot STARTTLS gets nothing, not plain text."""
    handler = Recorder()
    port = smtp_server(handler)
    environment = env(port, SIKT_SMTP_ANVANDARE=USER, SIKT_SMTP_LOSENORD=PASSWORD)
    environment["SIKT_SMTP_TLS"] = None
    result = protokoll_mejl(run, real_archive, environment, "--ja")
    assert result.exit_code == 2
    assert "STARTTLS" in flat(result.stderr)
    assert handler.received == []
    no_secrets(result)


def test_port_465_is_implicit_tls_with_verified_certificates(
    real_archive: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[str, int, Any]] = []

    class NoServer:
        def __init__(self, host: str, port: int, *, timeout: float, context: Any) -> None:
            calls.append((host, port, context))
            raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(smtplib, "SMTP_SSL", NoServer)
    environment: dict[str, str | None] = {name: None for name in SMTP_NAMES}
    environment.update(
        {
            "SIKT_SMTP_VARD": "smtp.example.se",
            "SIKT_SMTP_PORT": "465",
            "SIKT_AVSANDARE": SENDER,
            "SIKT_SMTP_ANVANDARE": USER,
            "SIKT_SMTP_LOSENORD": PASSWORD,
        }
    )
    result = protokoll_mejl(run, real_archive, environment, "--ja")
    assert result.exit_code == 2
    assert (
        "Kunde inte skicka via smtp.example.se:465: servern tog inte emot anslutningen "
        "(fel port, eller ingen server där)." in flat(result.stderr)
    )
    ((host, port, context),) = calls
    assert (host, port) == ("smtp.example.se", 465)
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    no_secrets(result)


def test_no_server_listening(real_archive: Path, run: Run) -> None:
    port = free_port()
    result = protokoll_mejl(run, real_archive, env(port), "--ja")
    assert result.exit_code == 2
    assert f"Kunde inte skicka via 127.0.0.1:{port}" in flat(result.stderr)
    assert "SIKT_SMTP_VARD" in flat(result.stderr)


def test_nobody_to_send_to(archive: Make, run: Run, smtp_server: Callable[..., int]) -> None:
    members = MEMBERS.replace("    epost: anna.ek@example.se\n", "")
    root = archive({}, members=members)
    handler = Recorder()
    port = smtp_server(handler)
    result = run("kallelse", "2020-09-04", "--skicka", "--ja", "--rot", str(root), env=env(port))
    assert result.exit_code == 1
    assert "inga mottagare" in flat(result.stderr)
    assert handler.received == []


# --- settings: a Swedish error naming the variable, exit 2 -------------------------------------


@pytest.mark.parametrize(
    ("settings", "variable"),
    [
        ({}, "SIKT_SMTP_VARD"),
        ({"SIKT_SMTP_VARD": "smtp.example.se"}, "SIKT_AVSANDARE"),
        (
            {"SIKT_SMTP_VARD": "smtp.example.se", "SIKT_AVSANDARE": "inte-en-adress"},
            "SIKT_AVSANDARE",
        ),
        (
            {"SIKT_SMTP_VARD": "smtp.example.se", "SIKT_AVSANDARE": f"Namn <{SENDER}>"},
            "SIKT_AVSANDARE",
        ),
        (
            {
                "SIKT_SMTP_VARD": "smtp.example.se",
                "SIKT_AVSANDARE": SENDER,
                "SIKT_SMTP_PORT": "smtp",
            },
            "SIKT_SMTP_PORT",
        ),
        (
            {
                "SIKT_SMTP_VARD": "smtp.example.se",
                "SIKT_AVSANDARE": SENDER,
                "SIKT_SMTP_PORT": "70000",
            },
            "SIKT_SMTP_PORT",
        ),
        (
            {"SIKT_SMTP_VARD": "smtp.example.se", "SIKT_AVSANDARE": SENDER, "SIKT_SMTP_TLS": "av"},
            "SIKT_SMTP_TLS",
        ),
        (
            {
                "SIKT_SMTP_VARD": "smtp.example.se",
                "SIKT_AVSANDARE": SENDER,
                "SIKT_SMTP_TLS": "kanske",
            },
            "SIKT_SMTP_TLS",
        ),
        (
            {
                "SIKT_SMTP_VARD": "smtp.example.se",
                "SIKT_AVSANDARE": SENDER,
                "SIKT_SMTP_ANVANDARE": USER,
                "SIKT_SMTP_LOSENORD": PASSWORD,
                "SIKT_SMTP_OAUTH_TOKEN": TOKEN,
            },
            "SIKT_SMTP_OAUTH_TOKEN",
        ),
        (
            {
                "SIKT_SMTP_VARD": "smtp.example.se",
                "SIKT_AVSANDARE": SENDER,
                "SIKT_SMTP_LOSENORD": PASSWORD,
            },
            "SIKT_SMTP_ANVANDARE",
        ),
        (
            {
                "SIKT_SMTP_VARD": "smtp.example.se",
                "SIKT_AVSANDARE": SENDER,
                "SIKT_SMTP_ANVANDARE": USER,
            },
            "SIKT_SMTP_LOSENORD",
        ),
    ],
)
def test_bad_settings(
    real_archive: Path, run: Run, settings: dict[str, str], variable: str
) -> None:
    environment: dict[str, str | None] = {name: None for name in SMTP_NAMES}
    environment.update(settings)
    result = protokoll_mejl(run, real_archive, environment, "--ja")
    assert result.exit_code == 2, result.output
    assert variable in flat(result.stderr)
    assert "Fel: " in result.stderr
    no_secrets(result)
    with pytest.raises(SiktError) as caught:
        smtp.settings(settings)
    assert variable in caught.value.message + caught.value.hint
    for secret in (PASSWORD, TOKEN):
        assert secret not in caught.value.message + caught.value.hint
        assert secret not in repr(caught.value)


def test_settings() -> None:
    base = {"SIKT_SMTP_VARD": "smtp.office365.com", "SIKT_AVSANDARE": SENDER}
    cfg = smtp.settings(base)
    assert (cfg.host, cfg.port, cfg.tls, cfg.auth) == (
        "smtp.office365.com",
        587,
        "starttls",
        "ingen",
    )
    cfg = smtp.settings({**base, "SIKT_SMTP_PORT": "465"})
    assert (cfg.port, cfg.tls) == (465, "implicit")
    cfg = smtp.settings({**base, "SIKT_SMTP_ANVANDARE": USER, "SIKT_SMTP_LOSENORD": PASSWORD})
    assert cfg.auth == "losenord" and PASSWORD not in repr(cfg)
    cfg = smtp.settings({**base, "SIKT_SMTP_OAUTH_TOKEN": TOKEN})
    assert cfg.auth == "oauth" and TOKEN not in repr(cfg)
    for local in ("localhost", "127.0.0.1", "::1"):
        assert smtp.settings({**base, "SIKT_SMTP_VARD": local, "SIKT_SMTP_TLS": "av"}).tls == "av"
    assert smtp.settings({**base, "SIKT_SMTP_TLS": "på"}).tls == "starttls"


def test_every_setting_is_documented() -> None:
    """docs/mejl.md names every SIKT_* variable the code reads."""
    import re

    from helpers import REPO

    variable = re.compile(r"SIKT_[A-Z_]*[A-Z](?![A-Z_*])")  # not the prefix in "SIKT_SMTP_*"
    names = {
        n
        for module in sorted((REPO / "sikt_cli" / "mail").glob("*.py"))
        for n in variable.findall(module.read_text("utf-8"))
    }
    assert set(SMTP_NAMES) <= names
    docs = (REPO / "docs/mejl.md").read_text("utf-8")
    assert [n for n in sorted(names) if f"`{n}`" not in docs] == []
