"""One client for API tests: personal access tokens made once per login, requests sent
through Django's test client with `Authorization: Bearer`.

    api = ApiClient()                        # in setUpTestData, or a fixture
    api.get("priya", "/coaching/communities", query={"page": 2})
    api.post(cast.hana_user, "/strategy/objectives", json={"title": "Grow"})
    api.get(None, "/org/people")             # anonymous: no header at all

`who` is a username, a `User`, or None for an anonymous call. Paths are relative to
`/api` (a full `/api/...` path works too). The client keeps no cookies between calls, so
a session never stands in for a token.

Build it where the data lives: a token made in `setUpTestData` lasts for the whole class
(the tokens are rows, rolled back with the class's data).
"""

from __future__ import annotations

import json as jsonlib
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.test import Client

from productops.accounts.actions import do_create_token

Who = str | User | None


class ApiClient:
    def __init__(self, prefix: str = "/api") -> None:
        self.prefix = prefix.rstrip("/")
        self._tokens: dict[int, str] = {}

    def token(self, who: str | User) -> str:
        """The raw token of this login, made on first use."""
        user = who if isinstance(who, User) else User.objects.get(username=who)
        if user.pk not in self._tokens:
            self._tokens[user.pk] = do_create_token(user, "test script")[1]
        return self._tokens[user.pk]

    def url(self, path: str) -> str:
        if path.startswith(self.prefix + "/") or path == self.prefix:
            return path
        return f"{self.prefix}/{path.lstrip('/')}"

    def headers(self, who: Who) -> dict[str, str]:
        return {} if who is None else {"Authorization": f"Bearer {self.token(who)}"}

    def request(
        self,
        method: str,
        who: Who,
        path: str,
        *,
        json: Any = None,
        query: dict[str, Any] | None = None,
    ) -> Any:
        client = Client()  # fresh each call: no cookies, no session
        send = getattr(client, method.lower())
        if method.upper() in {"GET", "HEAD"}:
            return send(self.url(path), query or {}, headers=self.headers(who))
        url = self.url(path)
        if query:
            url = f"{url}?{urlencode(query, doseq=True)}"
        body = "" if json is None else jsonlib.dumps(json)
        return send(url, body, content_type="application/json", headers=self.headers(who))

    def get(self, who: Who, path: str, *, query: dict[str, Any] | None = None) -> Any:
        return self.request("GET", who, path, query=query)

    def head(self, who: Who, path: str, *, query: dict[str, Any] | None = None) -> Any:
        return self.request("HEAD", who, path, query=query)

    def post(self, who: Who, path: str, *, json: Any = None) -> Any:
        return self.request("POST", who, path, json=json)

    def put(self, who: Who, path: str, *, json: Any = None) -> Any:
        return self.request("PUT", who, path, json=json)

    def patch(self, who: Who, path: str, *, json: Any = None) -> Any:
        return self.request("PATCH", who, path, json=json)

    def delete(self, who: Who, path: str, *, json: Any = None) -> Any:
        return self.request("DELETE", who, path, json=json)
