"""A real, throwaway Dovecot IMAP server on loopback for the tests (Debian's
dovecot-imapd, installed by `make test`): its own config, users file and
Maildir in a temporary folder, plain login without TLS on 127.0.0.1.

Dovecot never runs mail processes as root: as root, mail is kept by the
`dovecot` system user; as anyone else, every service runs as that user."""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = @DIR@/run
state_dir = @DIR@/state
instance_name = carebase-test-@PORT@
log_path = @DIR@/dovecot.log
info_log_path = @DIR@/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
@USERS@
mail_location = maildir:@DIR@/mail/%u/Maildir
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u @DIR@/users
}
userdb {
  driver = static
  args = home=@DIR@/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = @PORT@
  }
  inet_listener imaps {
    port = 0
  }
}
"""
AS_ROOT = "mail_uid = dovecot\nmail_gid = dovecot\nfirst_valid_uid = 1\nfirst_valid_gid = 1"
AS_USER = """default_internal_user = @USER@
default_internal_group = @GROUP@
default_login_user = @USER@
first_valid_uid = 1
first_valid_gid = 1
service anvil {
  chroot =
}
service ipc {
  chroot =
}
service old-stats {
  chroot =
}
service imap-urlauth-login {
  chroot =
}
service imap-login {
  chroot =
}"""


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    maildir: Path
    uid: int
    gid: int

    def deliver(self, raw: bytes) -> None:
        """Put a message in the INBOX as a mail server would (Maildir, unseen)."""
        name = f"{time.time_ns()}.P{os.getpid()}.carebase"
        temporary = self.maildir / "tmp" / name
        temporary.write_bytes(raw)
        os.chown(temporary, self.uid, self.gid)
        os.rename(temporary, self.maildir / "new" / name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ready(process: subprocess.Popen, port: int, user: str, password: str, log: Path) -> None:
    # The port opens before authentication works, and a login succeeds even
    # when mail access is broken: log in and select the INBOX.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped: {log.read_text(errors='replace')}")
        try:
            imap = imaplib.IMAP4("127.0.0.1", port, timeout=5)
            try:
                imap.login(user, password)
                if imap.select("INBOX")[0] == "OK":
                    return
            finally:
                with contextlib.suppress(Exception):
                    imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
        time.sleep(0.02)
    raise RuntimeError(f"dovecot did not start: {log.read_text(errors='replace')}")


@contextlib.contextmanager
def imap_server(parent: Path, user: str = "pomoc") -> Iterator[ImapServer]:
    password = secrets.token_hex(8)
    dovecot = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not os.path.exists(dovecot):
        raise RuntimeError("Dovecot is missing: `make test` installs dovecot-imapd.")
    folder = Path(tempfile.mkdtemp(prefix="dovecot-", dir=parent)).resolve()
    process = None
    try:
        if os.geteuid() == 0:
            account = pwd.getpwnam("dovecot")
            uid, gid, users = account.pw_uid, account.pw_gid, AS_ROOT
            for path in [folder, *folder.parents]:  # the dovecot user must reach it
                mode = path.stat().st_mode
                os.chmod(path, stat.S_IMODE(mode) | stat.S_IXOTH)
        else:
            uid, gid = os.geteuid(), os.getegid()
            import grp

            users = AS_USER.replace("@USER@", pwd.getpwuid(uid).pw_name).replace(
                "@GROUP@", grp.getgrgid(gid).gr_name
            )
        (folder / "users").write_text(f"{user}:{{PLAIN}}{password}\n")
        os.chmod(folder / "users", 0o644)
        maildir = folder / "mail" / user / "Maildir"
        for path in (
            folder / "mail",
            folder / "mail" / user,
            maildir,
            *(maildir / d for d in ("tmp", "new", "cur")),
        ):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, uid, gid)
        port = _free_port()
        config = folder / "dovecot.conf"
        config.write_text(
            CONFIG.replace("@DIR@", str(folder))
            .replace("@PORT@", str(port))
            .replace("@USERS@", users)
        )
        process = subprocess.Popen(
            [dovecot, "-F", "-c", str(config)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _ready(process, port, user, password, folder / "dovecot.log")
        yield ImapServer("127.0.0.1", port, user, password, maildir, uid, gid)
    finally:
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        shutil.rmtree(folder, ignore_errors=True)
