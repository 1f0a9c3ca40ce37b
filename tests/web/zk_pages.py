"""The page tests' helpers: a browser's sign-in, the demo's master data and files."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from zk_web import PASSWORD, Web

from zonekeeper.app.books import open_books
from zonekeeper.app.users import Role
from zonekeeper.io import zone_files

HTML = {"accept": "text/html"}
DEMO = Path(str(resources.files("zonekeeper") / "data" / "demo"))
ADMISSIONS_FILE = DEMO / "admissions.csv"


def browser(web: Web, role: Role) -> str:
    """Sign `role`'s user in as a browser does (the session cookie on the client); the
    session's CSRF token, which every form sends back."""
    session = web.directory.sign_in(role.value, PASSWORD)
    assert session.token is not None
    web.client.cookies.set("zk_session", session.token)
    return session.csrf


def load_demo_parts(web: Web, zone: str = "1") -> None:
    """The demo's parts and bills of materials in `zone` (admissions name known parts)."""
    with open_books(web.context, zone) as ledger:
        ledger.load_master(
            parts=zone_files.parts_from(zone_files.read_parts(DEMO / "parts.csv")),
            boms=zone_files.boms_from(zone_files.read_boms(DEMO / "bom.csv")),
        )


def upload(web: Web, csrf: str, kind: str, name: str, content: bytes,
           zone: str = "1") -> tuple[int, str]:
    """Upload a file for its preview: the status and the page."""
    answer = web.client.post(
        f"/zones/{zone}/post", data={"kind": kind, "csrf": csrf},
        files={"file": (name, content, "text/csv")}, headers=HTML)
    return answer.status_code, answer.text


def post(web: Web, csrf: str, kind: str, name: str, content: bytes, zone: str = "1") -> str:
    """Preview and post a file (it must pass): the page after posting."""
    status, page = upload(web, csrf, kind, name, content, zone)
    assert status == 200, page
    [upload_id] = re.findall(r'name="upload" value="([^"]+)"', page)
    answer = web.client.post(f"/zones/{zone}/post/commit",
                             data={"upload": upload_id, "csrf": csrf}, headers=HTML)
    assert answer.status_code == 200, answer.text
    done: str = answer.text
    return done
