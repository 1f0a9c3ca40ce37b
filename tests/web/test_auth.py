"""Users, tokens, sessions and roles: who may ask, and what they are told when they may not."""

from __future__ import annotations

import pytest
from zk_web import PASSWORD, Web

from zonekeeper.app.users import GRANTS, MAX_FAILURES, Directory, Permission, Role
from zonekeeper.errors import InputError


def test_without_credentials_the_api_answers_401_with_the_problem_list(web: Web) -> None:
    answer = web.client.get("/api/v1/zones/1/balance")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    body = answer.json()
    assert body["status"] == "refused"
    assert body["problems"][0]["code"] == "auth.unauthorized"


def test_an_unknown_or_revoked_token_is_401(web: Web) -> None:
    bad = {"Authorization": "Bearer zk_not-a-token"}
    assert web.client.get("/api/v1/zones/1/balance", headers=bad).status_code == 401
    headers = web.as_(Role.VIEWER)
    assert web.client.get("/api/v1/zones/1/balance", headers=headers).status_code == 200
    assert web.directory.revoke("viewer") == 1
    assert web.client.get("/api/v1/zones/1/balance", headers=headers).status_code == 401


def test_a_disabled_user_token_stops_working(web: Web) -> None:
    web.directory.disable("clerk")
    answer = web.client.get("/api/v1/zones/1/balance", headers=web.as_(Role.CLERK))
    assert answer.status_code == 401


def test_every_role_reads_the_balance(web: Web) -> None:
    for role in Role:
        answer = web.client.get("/api/v1/zones/1/balance?by=part", headers=web.as_(role))
        assert answer.status_code == 200, role
        assert answer.json() == []


def test_an_unknown_zone_is_404(web: Web) -> None:
    answer = web.client.get("/api/v1/zones/9/balance", headers=web.as_(Role.VIEWER))
    assert answer.status_code == 404
    assert answer.json()["problems"][0]["code"] == "books.no-zone"


def test_a_bad_parameter_is_422_with_the_problem_list(web: Web) -> None:
    answer = web.client.get("/api/v1/zones/1/balance?by=bin", headers=web.as_(Role.VIEWER))
    assert answer.status_code == 422
    [problem] = answer.json()["problems"]
    assert problem["code"] == "request.invalid" and problem["where"]["field"] == "query.by"


def test_roles_grant_what_the_issue_says() -> None:
    assert GRANTS[Role.VIEWER] == {Permission.READ}
    assert Permission.POST in GRANTS[Role.CLERK] and Permission.FILE not in GRANTS[Role.CLERK]
    assert Permission.FILE in GRANTS[Role.BROKER] and Permission.POST not in GRANTS[Role.BROKER]
    assert GRANTS[Role.COMPLIANCE] >= {Permission.POST, Permission.FILE, Permission.DRAWBACK,
                                       Permission.ADVISE}
    assert Permission.USERS not in GRANTS[Role.COMPLIANCE]
    assert GRANTS[Role.ADMIN] == set(Permission)


def test_passwords_and_tokens_are_never_stored_as_given(web: Web) -> None:
    from sqlalchemy import select

    from zonekeeper.store.schema import api_tokens, users

    with web.directory.engine.connect() as connection:
        hashes = [h for (h,) in connection.execute(select(users.c.password_hash))]
        token_hashes = [h for (h,) in connection.execute(select(api_tokens.c.token_hash))]
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)
    assert set(token_hashes).isdisjoint(web.tokens.values())


def test_a_user_name_taken_or_a_short_password_is_refused(web: Web) -> None:
    with pytest.raises(InputError) as taken:
        web.directory.add("viewer", Role.VIEWER, PASSWORD)
    assert taken.value.problems[0].code == "users.exists"
    with pytest.raises(InputError) as short:
        web.directory.add("new", Role.VIEWER, "short")
    assert short.value.problems[0].code == "users.password"
    with pytest.raises(InputError) as named:
        web.directory.add("a b", Role.VIEWER, PASSWORD)
    assert named.value.problems[0].code == "users.name"


def test_sign_in_is_throttled_after_repeated_failures(web: Web) -> None:
    directory: Directory = web.directory
    for _ in range(MAX_FAILURES):
        with pytest.raises(InputError) as wrong:
            directory.sign_in("clerk", "wrong password!")
        assert wrong.value.problems[0].code == "users.sign-in"
    with pytest.raises(InputError) as throttled:
        directory.sign_in("clerk", PASSWORD)  # the right password, too late
    assert throttled.value.problems[0].code == "users.throttled"
    actions = [e.action for e in directory.audit(name="clerk", limit=10)[0]]
    assert actions[0] == "sign-in.throttled" and actions.count("sign-in.refused") == MAX_FAILURES


def test_a_session_cookie_reads_and_unsafe_requests_need_the_csrf_token(web: Web) -> None:
    session = web.directory.sign_in("viewer", PASSWORD)
    assert session.token is not None
    web.client.cookies.set("zk_session", session.token)
    assert web.client.get("/api/v1/zones/1/balance").status_code == 200
    web.directory.sign_out(session.token)
    assert web.client.get("/api/v1/zones/1/balance").status_code == 401


def test_a_token_found_live_is_trusted_for_seconds_and_revocation_is_seen_at_once_here(
    web: Web,
) -> None:
    from zonekeeper.app.users import TOKEN_RECHECK

    directory = web.directory
    now = [100.0]
    directory.clock = lambda: now[0]
    token = web.tokens[Role.CLERK]
    assert directory.by_token(token) is not None
    other = Directory(directory.engine, clock=lambda: now[0])  # another worker's
    assert other.by_token(token) is not None
    directory.revoke("clerk")
    assert directory.by_token(token) is None  # this process: at once
    assert other.by_token(token) is not None  # another: trusted a little longer
    now[0] += TOKEN_RECHECK
    assert other.by_token(token) is None
