"""About, methodology, licence and the human sitemap, in three languages, linked from every
page's footer; the data licence in the API and its downloads."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

PAGES = ["about", "methodology", "licence", "sitemap-page", "corrections"]


@pytest.mark.parametrize(
    ("prefix", "headings"),
    [
        ("", ["About ruiraq", "Methodology", "Licence", "Sitemap"]),
        ("/ru", ["О проекте ruiraq", "Методология", "Лицензия", "Карта сайта"]),
        ("/ar", ["عن ruiraq", "المنهجية", "الترخيص", "خريطة الموقع"]),
    ],
)
def test_the_process_pages_in_three_languages(client, prefix, headings):
    for name, heading in zip(
        ["about", "methodology", "licence", "sitemap-page"], headings, strict=True
    ):
        with translation.override("en"):
            path = prefix + reverse(name)
        response = client.get(path)
        assert response.status_code == 200, name
        assert f">{heading}</h1>" in response.content.decode(), name


def test_about_names_the_editors_address_from_the_settings(client, settings):
    settings.EDITORS_EMAIL = "desk@example.org"
    page = client.get(reverse("about")).content.decode()
    assert 'href="mailto:desk@example.org"' in page


def test_the_licence_page_names_the_configured_licence(client, settings):
    page = client.get(reverse("licence")).content.decode()
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "CC BY 4.0" in page


def test_methodology_has_the_corrections_policy_anchor(client):
    page = client.get(reverse("methodology")).content.decode()
    assert 'id="corrections"' in page
    for topic in ("Sources", "Quotes", "Stances", "Fuzzy dates", "Review", "Corrections policy"):
        assert f">{topic}</h2>" in page


@pytest.mark.parametrize("path", ["/", "/events/", "/ru/actors/", "/ar/search/", "/about/"])
def test_every_page_footer_links_the_process_pages(client, path):
    page = client.get(path).content.decode()
    footer = page[page.index('<footer class="site-footer">') :]
    language = path[1:3] if path.startswith(("/ru/", "/ar/")) else "en"
    with translation.override(language):
        for name in PAGES:
            assert f'href="{reverse(name)}"' in footer, name
    # The footer's sitemap is the page for people, not the XML for crawlers.
    assert 'href="/sitemap.xml"' not in footer


def test_the_html_sitemap_lists_sections_and_topics(client):
    factories.topic(name="Energy", slug="energy")
    page = client.get(reverse("sitemap-page")).content.decode()
    for name in ("articles:event-list", "actors:list", "timeline", "network", "corrections"):
        assert f'href="{reverse(name)}"' in page
    assert "?topic=energy" in page and 'href="/sitemap.xml"' in page


def test_the_api_root_names_the_licence(api_client):
    response = api_client.get("/api/v1/")
    data = response.json()
    assert data["licence"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
        "page_url": "http://testserver/licence/",
    }
    assert data["corrections"] == "http://testserver/api/v1/corrections/"
    assert '<https://creativecommons.org/licenses/by/4.0/>; rel="license"' in response["Link"]


def test_every_api_response_carries_the_licence_beside_its_page_links(api_client):
    for n in range(3):
        factories.event(title=f"Event {n}")
    response = api_client.get("/api/v1/events/", {"page_size": 1})
    link = response["Link"]
    assert 'rel="next"' in link
    assert link.count('rel="license"') == 1
    csv = api_client.get("/api/v1/events/", {"format": "csv"})
    assert 'rel="license"' in csv["Link"]
    missing = api_client.get("/api/v1/events/999999/")
    assert missing.status_code == 404 and 'rel="license"' in missing["Link"]


def test_the_export_states_its_licence_once(api_client):
    response = api_client.get("/api/v1/export/")
    b"".join(response.streaming_content)
    assert response["Link"].count('rel="license"') == 1


def test_a_bad_editors_email_stops_start_up(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from ruiraq.settings import env_email

    monkeypatch.setenv("EDITORS_EMAIL", "not-an-address")
    with pytest.raises(ImproperlyConfigured):
        env_email("EDITORS_EMAIL", "editors@example.org")
    monkeypatch.setenv("EDITORS_EMAIL", "desk@example.org")
    assert env_email("EDITORS_EMAIL", "editors@example.org") == "desk@example.org"
