"""The web application and the REST API: one FastAPI server over the application layer.

Every page and endpoint runs the same use cases as the CLI (`zonekeeper.app`), with the same
output models, so `GET /api/v1/zones/{zone}/balance` and `zonekeeper balance --json` answer
alike. Who may do what is `zonekeeper.app.users` (roles and permissions); this package only
asks for credentials, checks them and maps refusals to HTTP statuses (`problems`).
"""
