"""Who a browser is to `aoad-tui serve --web` (aoad_tui/serve/browsers.py): its own user until a
one-time code links it to an SSH key's; a code works once, for five minutes, however it is typed."""

from __future__ import annotations

import time
from pathlib import Path

from aoad_tui.serve import browsers
from aoad_tui.serve.people import user_id

KEY_USER = user_id("SHA256:a-key")


def test_a_browser_is_its_own_user_until_linked_then_the_key_s(tmp_path: Path) -> None:
    root = tmp_path
    token, other = browsers.new_token(), browsers.new_token()
    assert browsers.valid_token(token) and not browsers.valid_token("x" * 43 + "!")
    own = browsers.browser_user(root, token)
    assert own != KEY_USER and own != browsers.browser_user(root, other)
    code = browsers.make_code(root, KEY_USER)
    assert browsers.link(root, token, code.lower().replace("-", " ")) == KEY_USER  # as typed by hand
    assert browsers.browser_user(root, token) == KEY_USER
    assert browsers.browser_user(root, other) != KEY_USER
    assert browsers.link(root, other, code) is None  # once only


def test_a_code_past_five_minutes_or_never_made_links_nothing(tmp_path: Path) -> None:
    token = browsers.new_token()
    code = browsers.make_code(tmp_path, KEY_USER)
    later = time.time() + browsers.CODE_LIFETIME + 1
    assert browsers.link(tmp_path, token, code, now=later) is None
    assert browsers.link(tmp_path, token, "ABCD-EFGH") is None
    assert browsers.browser_user(tmp_path, token) != KEY_USER


def test_a_linked_browser_s_file_that_is_not_a_user_id_is_ignored(tmp_path: Path) -> None:
    token = browsers.new_token()
    code = browsers.make_code(tmp_path, KEY_USER)
    assert browsers.link(tmp_path, token, code) == KEY_USER
    [linked] = (tmp_path / browsers.BROWSERS).iterdir()
    linked.write_text("../../etc")  # someone else's doing: the browser is its own user again
    assert browsers.browser_user(tmp_path, token) == user_id(f"browser:{token}")
    assert oct(linked.parent.stat().st_mode & 0o777) == oct(0o700)
