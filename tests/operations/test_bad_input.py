"""Garbage to every URL pattern and method, as every demo role and anonymously: never a server error (5xx)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

from dugnad.demo.accounts import DEMO_USERS
from tests.demo_database import demo_database

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow(seconds=120)]

SRC = Path(__file__).resolve().parents[2] / "src" / "dugnad"
#: One value of each kind that has made views fail before: not a number, too large, NUL, markup, very long …
HUGE = "99999999999999999999999"
GARBAGE = ["abc", HUGE, "-1", "1.5e400", "", "\x00", "²", "<script>alert(1)</script>",
           "../../etc/passwd", "x" * 5000]
#: Objects whose ids stand in for each path parameter (looked up by model name, wherever the model lives).
PATH_MODELS = {"submission_id": "Submission", "round_id": "Round", "pk": "Publication", "action_id": "Action",
               "part_id": "ActionPartner", "milestone_id": "Milestone", "template_id": "ActionTemplate",
               "commitment_id": "Commitment", "network_id": "Network", "invitation_id": "Invitation",
               "case_id": "PracticeCase", "snapshot_id": "Snapshot", "question_id": "SurveyQuestion"}
STRING_VALUES = {"code": "4601", "key": "chapter:opening", "app_label": "units"}


@dataclass(frozen=True)
class Route:
    """One URL pattern: its route with placeholders and the names of its parameters."""

    route: str
    params: tuple[str, ...]
    is_api: bool
    is_admin: bool


def routes() -> list[Route]:
    """Every URL pattern of the project, from the resolver."""
    found = []

    def walk(patterns, prefix: str) -> None:
        for p in patterns:
            text = prefix + str(p.pattern).lstrip("^").rstrip("$")
            if isinstance(p, URLResolver):
                walk(p.url_patterns, text)
            elif isinstance(p, URLPattern):
                text = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)
                text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text).replace("\\", "")
                found.append(Route(text, tuple(re.findall(r"\{(\w+)\}", text)), text.startswith("api/"),
                                   text.startswith("admin/")))

    walk(get_resolver().url_patterns, "")
    return found


def parameter_names() -> set[str]:
    """Names the web and API read: request.GET/POST keys in the code and form field names in the templates."""
    names = set()
    for path in list((SRC / "web").rglob("*.py")) + list((SRC / "api").rglob("*.py")):
        code = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"(?:GET|POST)\.(?:get|getlist)\(\s*\"([^\"]+)\"", code))
        names |= set(re.findall(r"_param\(request\.(?:GET|POST),\s*\"([^\"]+)\"", code))
    for path in SRC.rglob("templates/**/*.html"):
        names |= set(re.findall(r"name=\"([a-z_]\w*)\"", path.read_text(encoding="utf-8")))
    names -= {"csrfmiddlewaretoken"}
    assert {"indicator", "question", "version", "unit", "units", "mal"} <= names
    return names


def api_field_names() -> set[str]:
    """Every property name in the API's request schemas."""
    from dugnad.api.main import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    return {name for schema in schemas.values() for name in schema.get("properties", {})}


def sample_ids() -> dict[str, list[str]]:
    """For each path parameter: an existing object's id (when there is one) and garbage."""
    by_name = {m.__name__: m for m in apps.get_models()}
    ids = {}
    for param, model_name in PATH_MODELS.items():
        first = by_name[model_name].objects.order_by("pk").values_list("pk", flat=True).first()
        ids[param] = [str(first or 1), HUGE]
    return ids


def urls_of(route: Route, ids: dict[str, list[str]]) -> list[str]:
    """Concrete URLs of a route: real ids, an id too large for any column, and (for the API) text where a number goes."""
    values = {p: ids.get(p, [STRING_VALUES.get(p, "abc")]) + (["abc"] if route.is_api and p in ids else [])
              for p in route.params}
    if not values:
        return ["/" + route.route]
    urls = []
    for index in range(max(len(v) for v in values.values())):
        url = "/" + route.route.format(**{p: v[min(index, len(v) - 1)] for p, v in values.items()})
        try:
            resolve(url.split("?")[0])
        except Resolver404:
            continue
        urls.append(url)
    return urls


def api_methods(url: str) -> list[str]:
    """The methods a django-ninja path declares (all write methods when they cannot be read)."""
    try:
        view = resolve(url).func.__closure__[0].cell_contents
        return sorted({m for operation in view.operations for m in operation.methods})
    except (AttributeError, IndexError, TypeError):
        return ["GET", "POST", "PUT", "PATCH", "DELETE"]


def send(client: Client, method: str, url: str, route: Route, names: set[str], api_names: set[str], garbage: str):
    """One request with every known parameter (query and form, or JSON body) set to the garbage value."""
    query = dict.fromkeys(names, garbage)
    if route.is_api:
        body = "{" + garbage if garbage in ("", "abc") else json.dumps(dict.fromkeys(api_names, garbage))
        return client.generic(method, f"{url}?q={garbage[:100]}&unit={garbage[:100]}&year={garbage[:100]}", body,
                              content_type="application/json")
    if method == "GET":
        return client.get(url, query)
    return client.post(url, {**query, "units": [garbage, "1"]})


def plan(route: Route, url: str) -> list[tuple[str | None, str, list[str]]]:
    """Who sends which garbage with which methods: the administrator (who reaches every view's parsing) sends it
    all; every other role and anonymous visitors send text where numbers go."""
    if route.is_admin:
        return [("admin", "GET", ["abc", HUGE, "\x00"])]
    methods = api_methods(url) if route.is_api else ["GET", "POST"]
    users = [username for username, _role, _unit in DEMO_USERS if username != "admin"]
    return [(who, method, values) for method in methods
            for who, values in [("admin", GARBAGE), *((u, ["abc"]) for u in users), (None, ["abc"])]]


def test_no_url_answers_garbage_with_a_server_error():
    demo_database()
    names, api_names, ids = parameter_names(), api_field_names(), sample_ids()
    clients = {None: Client(raise_request_exception=False)}
    for username, _role, _unit in DEMO_USERS:
        clients[username] = Client(raise_request_exception=False)
        clients[username].force_login(get_user_model().objects.get(username=username))
    failures, sent = [], 0
    for route in routes():
        for url in urls_of(route, ids):
            for who, method, values in plan(route, url):
                for value in values:
                    response = send(clients[who], method, url, route, names, api_names, value)
                    sent += 1
                    if response.status_code >= 500:
                        failures.append(f"{method} {url} as {who or 'anonymous'} with {value[:20]!r}: "
                                        f"{response.status_code}")
                    if "_auth_user_id" not in clients[who].session and who is not None:  # signed out by logout/
                        clients[who].force_login(get_user_model().objects.get(username=who))
    assert sent > 3000
    assert failures == []
