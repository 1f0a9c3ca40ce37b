"""Schemathesis over the whole OpenAPI document, as an admin (every route open to them):
no answer is a server error and none breaks the schema its route publishes (status code,
content type, body). A handful of examples per route keeps it well under a minute."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from zk_api import ADMISSIONS, csv_upload, with_parts
from zk_web import Web

from zonekeeper.app.users import Role

# No server error, and every answer as its route publishes it. Not "positive data accepted":
# a schema cannot say which HTS numbers, dates or files are good; the API refuses those with
# its problem list (422), which is part of the published answer.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]


@pytest.fixture
def admin(web: Web, tmp_path: Path) -> Web:
    with_parts(web, tmp_path)
    answer = web.client.post("/api/v1/zones/1/admissions", files=csv_upload("a.csv", ADMISSIONS),
                             headers=web.as_(Role.CLERK))
    assert answer.status_code == 200
    return web


def test_the_api_keeps_its_schema(admin: Web) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", admin.client.app)
    headers = admin.as_(Role.ADMIN)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14

    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
