"""Error pages: HTML in the house style for people, the JSON error shape under /api/."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


def _is_house_page(html: str) -> bool:
    return all(part in html for part in ('href="/static/notula.css"', 'href="/static/favicon.svg"', 'id="error"'))


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_an_unknown_page_is_a_404_page_naming_the_path(visitor):
    response = visitor.get("/dashboard/no-such-page")
    assert response.status_code == 404
    html = response.content.decode()
    assert _is_house_page(html) and "Page not found" in html
    assert "<code>/dashboard/no-such-page</code>" in html
    assert response["Content-Type"].startswith("text/html")


def test_an_error_is_a_500_page_that_gives_nothing_away(visitor):
    response = visitor.get("/fails")
    assert response.status_code == 500
    html = response.content.decode()
    assert _is_house_page(html) and "Something went wrong" in html
    assert "a bug" not in html and "Traceback" not in html


def test_forbidden_and_bad_requests_have_their_pages(visitor):
    forbidden = visitor.get("/forbidden")
    assert forbidden.status_code == 403 and _is_house_page(forbidden.content.decode())
    assert "Not allowed" in forbidden.content.decode()
    bad = visitor.get("/suspicious")
    assert bad.status_code == 400 and _is_house_page(bad.content.decode())
    assert "a forged header" not in bad.content.decode()


def test_a_form_without_its_csrf_token_gets_the_house_page():
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/dashboard/login/", {"username": "alice", "password": "secret"})
    assert response.status_code == 403
    html = response.content.decode()
    assert _is_house_page(html) and "The form was not accepted" in html
    assert 'href="/dashboard/login/"' in html


def test_the_api_still_answers_errors_in_json(visitor):
    missing = visitor.get("/api/v1/no-such-thing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    failed = visitor.get("/api/v1/fails")
    assert failed.status_code == 500
    assert failed.json()["error"] == {
        "code": "internal_error",
        "message": "Internal server error; the error was logged.",
        "fields": {},
    }


@pytest.mark.parametrize("asset", ["/static/notula.css", "/static/favicon.svg", "/static/dashboard/dashboard.css"])
def test_shared_and_dashboard_assets_are_served(visitor, asset):
    response = visitor.get(asset)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.strip()
