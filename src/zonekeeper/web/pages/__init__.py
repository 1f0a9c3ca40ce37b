"""The HTML application's pages: server-rendered, each behind a role check (`web.auth`)."""
