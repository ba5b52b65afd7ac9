"""Who a browser is to `aoad-tui serve --web`: a random token in a cookie names it, as an SSH key
names a user; a browser linked to an SSH key (by a one-time code the app shows over SSH) is that
key's user from then on. Everything here is files under the server's root, written atomically,
readable by the server's account only; tokens and codes are stored as hashes, never as such."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import time
from pathlib import Path

from aoad_tui.serve.people import user_id

COOKIE = "aoad_tui"
TOKEN_BYTES = 32
BROWSERS = "browsers"  # a linked browser's file: the user id of the SSH key it was linked to
LINKS = "links"  # a code waiting to be typed: the user id that made it
CODE_LIFETIME = 5 * 60.0  # seconds a link code works
# Codes read aloud or copied by hand: no 0/O, 1/I/L. Eight of 31 letters is 39 bits: at the web
# listener's pace of link attempts, a guess in a code's five minutes is beyond reach.
CODE_LETTERS = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
_TOKEN = re.compile(r"\A[A-Za-z0-9_-]{43}\Z")  # secrets.token_urlsafe(32)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def valid_token(token: str | None) -> bool:
    return token is not None and _TOKEN.match(token) is not None


def browser_user(root: Path, token: str) -> str:
    """The user id a browser's token stands for: the SSH key's user it was linked to, else its own."""
    own = user_id(f"browser:{token}")
    with contextlib.suppress(OSError, UnicodeDecodeError):
        linked = (root / BROWSERS / own).read_text("ascii").strip()
        if re.fullmatch(r"[0-9a-f]{24}", linked):
            return linked
    return own


def _hashed(code: str) -> str:
    return hashlib.sha256(f"aoad-tui link {code}".encode()).hexdigest()


def normalized(code: str) -> str:
    """A code as typed (any case, with spaces or dashes) as it was made."""
    return re.sub(r"[\s-]", "", code).upper()


def make_code(root: Path, user: str, now: float | None = None) -> str:
    """A new one-time code that links a browser to `user` (an SSH key's user id), for CODE_LIFETIME."""
    code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
    _write(root / LINKS / _hashed(code), user)
    forget_expired(root, now)
    return f"{code[:4]}-{code[4:]}"


def link(root: Path, token: str, code: str, now: float | None = None) -> str | None:
    """Link the browser of `token` to the user whose code this is: that user id, or None when the
    code is unknown, used or expired. A code works once."""
    path = root / LINKS / _hashed(normalized(code))
    now = time.time() if now is None else now
    try:
        made = path.stat().st_mtime
        user = path.read_text("ascii").strip()
        path.unlink()
    except (OSError, UnicodeDecodeError):
        return None
    if now - made > CODE_LIFETIME or not re.fullmatch(r"[0-9a-f]{24}", user):
        return None
    _write(root / BROWSERS / user_id(f"browser:{token}"), user)
    return user


def forget_expired(root: Path, now: float | None = None) -> None:
    """Codes past their lifetime: gone (they would not work anyway)."""
    now = time.time() if now is None else now
    with contextlib.suppress(OSError):
        for path in (root / LINKS).iterdir():
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime > CODE_LIFETIME:
                    path.unlink()


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as file:
        file.write(text)
    os.replace(temporary, path)
