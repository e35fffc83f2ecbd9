"""A tiny SMTP server for tests: accepts every mail and keeps it in memory.

Speaks just enough SMTP (RFC 5321) for Django's SMTP backend: EHLO/HELO, MAIL,
RCPT, DATA (with dot-unstuffing), RSET, NOOP, QUIT. No TLS, no AUTH. Runs in
a thread on a free loopback port; ``with smtp_sink() as sink:`` stops it after.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Sink:
    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def recipients(self) -> list[str]:
        with self.lock:
            return [rcpt for mail in self.received for rcpt in mail.rcpt_to]


class _Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        sink: Sink = self.server.sink  # type: ignore[attr-defined]
        self.reply("220 sink.test ESMTP ready")
        mail_from, rcpt_to = "", []
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.wfile.write(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self.reply("250 sink.test")
            elif verb == "MAIL":
                mail_from, rcpt_to = command.partition(":")[2].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpt_to.append(command.partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    line = self.rfile.readline(1_000_000)
                    if not line or line in (b".\r\n", b".\n"):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                with sink.lock:
                    sink.received.append(Received(mail_from, rcpt_to, b"".join(lines)))
                mail_from, rcpt_to = "", []
                self.reply("250 OK: queued")
            elif verb in ("RSET", "NOOP"):
                if verb == "RSET":
                    mail_from, rcpt_to = "", []
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def smtp_sink(port: int = 0) -> Iterator[Sink]:
    """Run the sink on 127.0.0.1 (a free port unless ``port`` is given)."""
    server = _Server(("127.0.0.1", port), _Handler)
    sink = Sink(host="127.0.0.1", port=server.server_address[1])
    server.sink = sink  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield sink
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
