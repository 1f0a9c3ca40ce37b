"""The web tests' helpers: the `Web` handle the `web` fixture (conftest) gives a test."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient

from zonekeeper.app.context import Context
from zonekeeper.app.users import Directory, Role

PASSWORD = "correct horse battery"

@dataclass
class Web:
    client: TestClient
    directory: Directory
    context: Context
    tokens: dict[Role, str]

    def as_(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}
