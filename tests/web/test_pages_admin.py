"""Users administration and the audit log."""

from __future__ import annotations

import re

from zk_pages import ADMISSIONS_FILE, HTML, browser, load_demo_parts, post
from zk_web import Web

from zonekeeper.app.users import Role


def test_only_an_administrator_manages_users(web: Web) -> None:
    for role in (Role.VIEWER, Role.CLERK, Role.BROKER, Role.COMPLIANCE):
        browser(web, role)
        answer = web.client.get("/admin/users", headers=HTML)
        assert answer.status_code == 403 and "admin" in answer.text, role
    browser(web, Role.ADMIN)
    page = web.client.get("/admin/users", headers=HTML).text
    for role in Role:
        assert f"<td>{role.value}</td>" in page


def test_an_administrator_adds_a_user_who_can_sign_in(web: Web) -> None:
    csrf = browser(web, Role.ADMIN)
    answer = web.client.post("/admin/users", headers=HTML, data={
        "csrf": csrf, "name": "ada", "role": "broker", "password": "long enough pass"})
    assert answer.status_code == 200 and "<td>ada</td><td>broker</td>" in answer.text
    assert web.directory.sign_in("ada", "long enough pass").user.role is Role.BROKER
    [entry] = [e for e in web.directory.audit()[0] if e.action == "user.add" and e.name]
    assert entry.name == "admin" and entry.detail == {"user": "ada", "role": "broker"}


def test_a_refused_user_is_shown_with_its_problems(web: Web) -> None:
    csrf = browser(web, Role.ADMIN)
    answer = web.client.post("/admin/users", headers=HTML, data={
        "csrf": csrf, "name": "bo", "role": "pilot", "password": "short"})
    assert answer.status_code == 422
    assert "users.role" in answer.text


def test_a_token_is_shown_once_works_and_is_revoked(web: Web) -> None:
    csrf = browser(web, Role.ADMIN)
    answer = web.client.post("/admin/users/viewer/token", headers=HTML, data={"csrf": csrf})
    [token] = re.findall(r'id="new-token">(zk_[^<]+)<', answer.text)
    bearer = {"Authorization": f"Bearer {token}"}
    assert web.client.get("/api/v1/zones/1/balance", headers=bearer).status_code == 200
    page = web.client.get("/admin/users", headers=HTML).text
    assert token not in page and f"zk_{token[3:11]}…" in page
    web.client.post("/admin/users/viewer/revoke", headers=HTML, data={"csrf": csrf})
    web.client.cookies.clear()
    assert web.client.get("/api/v1/zones/1/balance", headers=bearer).status_code == 401


def test_a_disabled_user_cannot_sign_in(web: Web) -> None:
    csrf = browser(web, Role.ADMIN)
    answer = web.client.post("/admin/users/clerk/disable", headers=HTML, data={"csrf": csrf})
    assert answer.status_code == 200 and "<td>clerk</td><td>clerk</td><td>disabled</td>" in (
        answer.text)
    web.client.cookies.clear()
    refused = web.client.post("/login", data={"name": "clerk", "password": "correct horse "
                                              "battery"})
    assert refused.status_code == 401


def test_viewers_read_the_audit_log_with_who_posted_which_events(web: Web) -> None:
    load_demo_parts(web)
    csrf = browser(web, Role.CLERK)
    post(web, csrf, "admission", "admissions.csv", ADMISSIONS_FILE.read_bytes())
    browser(web, Role.VIEWER)
    answer = web.client.get("/admin/audit", headers=HTML)
    assert answer.status_code == 200
    page = answer.text
    assert re.search(r"<td>clerk</td><td>post admission</td><td>1</td>"
                     r"<td>events: 6; file: admissions.csv;", page)
    posted = re.findall(r"<tr><td>1</td><td class=\"num\">(\d+)</td><td>admission</td>"
                        r"<td>2026-08-03</td><td>clerk</td></tr>", page)
    assert len(posted) == 6
    only = web.client.get("/admin/audit?name=admin", headers=HTML).text
    assert "post admission" not in only and "No event names a user." in only
