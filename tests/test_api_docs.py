"""The interactive API docs (/api/v1/docs/): local assets only, and working in a real browser
under the site's Content-Security-Policy."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_docs_load_nothing_from_another_host(api_client):
    response = api_client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script>" not in html and "<style>" not in html  # the CSP allows neither
    assets = re.findall(r"""(?:src|href)="(/static/[^"]+)""", html)
    assert len(assets) >= 4
    for asset in assets:
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset
    script = api_client.get("/api/v1/docs/?script=")
    assert script["Content-Type"] == "application/javascript"
    source = script.content.decode()
    assert 'url: "/api/v1/schema/"' in source
    # Swagger UI would otherwise send the schema to validator.swagger.io.
    assert '"validatorUrl": null' in source


@pytest.mark.browser
@pytest.mark.requires("chromium")
@pytest.mark.django_db(transaction=True)
def test_docs_render_every_endpoint_in_a_browser(live_server, browser):
    host = urlsplit(live_server.url).netloc
    page = browser.new_page()
    errors, elsewhere = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "request",
        lambda r: urlsplit(r.url).netloc not in (host, "") and elsewhere.append(r.url),
    )
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock", timeout=15_000)
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/events/{id}/" in summaries
    assert "/api/v1/export/" in summaries
    assert elsewhere == []
    assert errors == []
