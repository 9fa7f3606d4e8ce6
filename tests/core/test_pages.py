"""Every main page of the demo answers, in one piece: one heading, nothing of the page inside <head>."""

import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from demo_pages import PAGES


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.in_head_tags: list[str] = []
        self.h1 = 0
        self.title = ""

    def handle_starttag(self, tag, attrs):
        if "head" in self.stack and tag not in {"meta", "link", "script", "title", "noscript", "style"}:
            self.in_head_tags.append(tag)
        if "title" in self.stack:
            self.in_head_tags.append(f"title>{tag}")
        self.h1 += tag == "h1"
        if tag not in {"meta", "link", "input", "br", "img", "hr"}:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "title":
            self.title += data


@pytest.fixture
def demo_client(client, db):
    call_command("load_demo", stdout=io.StringIO())
    response = client.post("/accounts/login/", {"username": "convener", "password": "bangkok-8.7-demo"})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_main_page_is_whole(demo_client, language):
    demo_client.post("/i18n/setlang/", {"language": language, "next": "/"})
    broken = []
    for url in PAGES:
        response = demo_client.get(url)
        outline = Outline()
        outline.feed(response.content.decode())
        if (response.status_code, outline.in_head_tags, outline.h1) != (
            200,
            [],
            1,
        ) or not outline.title.strip().endswith("Target 8.7"):
            broken.append((url, response.status_code, outline.in_head_tags, outline.h1, outline.title.strip()))
    assert broken == []


def test_the_survey_file_page_is_whole(demo_client):
    csv = b"stratum,psu,weight,age,sex,area,econ_hours,chore_hours,hazardous\n" + b"".join(
        f"s{i % 2},p{i % 6},1.5,{5 + i % 13},{'female' if i % 3 else 'male'},urban,{i % 20},{i % 25},0\n".encode()
        for i in range(60)
    )
    response = demo_client.post("/indicators/estimate/", {"file": SimpleUploadedFile("survey.csv", csv)}, follow=True)
    outline = Outline()
    outline.feed(response.content.decode())
    assert response.status_code == 200
    assert (outline.in_head_tags, outline.h1) == ([], 1)
    assert "survey.csv" in outline.title
