"""Every API route x every role (and no credentials): 401 without credentials, 403 for a
role without the route's permission, else an answer (2xx, or 422 for input it refuses).
The routes are walked from the application, so a new route without a row here fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from zk_api import ADMISSIONS, csv_upload, with_parts
from zk_web import Web

from zonekeeper.app.users import GRANTS, Permission, Role

R, P, D = Permission.READ, Permission.POST, Permission.DRAWBACK
ROWS = [{"admission_no": "A-9", "line": 1, "date": "2026-08-03", "part": "W", "quantity": 1,
         "value": "1", "status": "N"}]
QUOTE = {"hts": "8414.30.80.60", "origin": "CN", "value": "800", "date": "2026-03-01"}
DRAWBACK = {"files": {"imports": ("i.csv", b"entry_no\n", "text/csv"),
                      "exports": ("e.csv", b"export_ref\n", "text/csv")}}
ZONE = "/api/v1/zones/{zone}"

# (method, route path) -> (permission, the URL asked, the request's other arguments)
MATRIX: dict[tuple[str, str], tuple[Permission, str, dict[str, Any]]] = {
    ("GET", "/api/v1/zones"): (R, "/api/v1/zones", {}),
    ("GET", f"{ZONE}/balance"): (R, "/api/v1/zones/1/balance", {}),
    ("GET", f"{ZONE}/lots/{{lot}}/history"): (R, "/api/v1/zones/1/lots/A-1/1/history", {}),
    ("GET", f"{ZONE}/verify"): (R, "/api/v1/zones/1/verify", {}),
    ("GET", f"{ZONE}/alerts"): (R, "/api/v1/zones/1/alerts?as_of=2026-09-01", {}),
    ("GET", f"{ZONE}/entries/weekly/{{week}}"): (R, "/api/v1/zones/1/entries/weekly/2026-W32", {}),
    ("GET", f"{ZONE}/entries/weekly/{{week}}.pdf"): (
        R, "/api/v1/zones/1/entries/weekly/2026-W32.pdf", {}),
    ("GET", f"{ZONE}/entries/weekly/{{week}}.csv"): (
        R, "/api/v1/zones/1/entries/weekly/2026-W32.csv", {}),
    ("POST", "/api/v1/duty/quote"): (R, "/api/v1/duty/quote", {"json": QUOTE}),
    **{("POST", f"{ZONE}/{kind}"): (P, f"/api/v1/zones/1/{kind}?dry_run=true", {"json": ROWS})
       for kind in ("admissions", "production", "shipments", "counts")},
    ("POST", "/api/v1/drawback/plan"): (D, "/api/v1/drawback/plan", DRAWBACK),
}


def api_routes(web: Web) -> set[tuple[str, str]]:
    """Every (method, path) under /api/v1, as the application publishes them (FastAPI keeps
    an included router's routes behind it, so the OpenAPI document is the one list)."""
    paths = web.client.get("/openapi.json").json()["paths"]
    return {(method.upper(), path) for path, methods in paths.items()
            if path.startswith("/api/v1") for method in methods}  # fmt: skip


@pytest.fixture
def books(web: Web, tmp_path: Path) -> Web:
    with_parts(web, tmp_path)
    answer = web.client.post("/api/v1/zones/1/admissions", files=csv_upload("a.csv", ADMISSIONS),
                             headers=web.as_(Role.CLERK))
    assert answer.status_code == 200
    return web


def test_every_api_route_has_a_row(web: Web) -> None:
    assert api_routes(web) == set(MATRIX)


def test_every_route_by_every_role(books: Web) -> None:
    wrong = []
    for (method, _path), (permission, url, kwargs) in sorted(MATRIX.items()):
        for role in [None, *Role]:
            headers = {} if role is None else books.as_(role)
            answer = books.client.request(method, url, headers=headers, **kwargs)
            if role is None:
                expected: set[int] = {401}
            elif permission not in GRANTS[role]:
                expected = {403}
            else:
                expected = {200, 201, 422}
            if answer.status_code not in expected:
                wrong.append((method, url, role, answer.status_code, answer.text[:200]))
            elif answer.status_code in (401, 403):
                code = answer.json()["problems"][0]["code"]
                assert code == ("auth.unauthorized" if role is None else "auth.forbidden")
    assert wrong == []


def test_the_matrix_says_what_the_roles_grant() -> None:
    """The table's permissions, role by role: a viewer reads and quotes, a clerk posts, a
    broker neither posts nor plans drawback, compliance and admin do all of it."""
    may_post = {r for r in Role if P in GRANTS[r]}
    may_plan = {r for r in Role if D in GRANTS[r]}
    assert may_post == {Role.CLERK, Role.COMPLIANCE, Role.ADMIN}
    assert Role.VIEWER not in may_plan and Role.CLERK not in may_plan
    assert {Role.COMPLIANCE, Role.ADMIN} <= may_plan
