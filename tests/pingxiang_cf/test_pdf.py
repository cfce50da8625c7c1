import time

import pytest
from django.template import Context, Template

from pingxiang_cf.pdf import (
    PDF_BASE_URL,
    StaticOnlyFetcher,
    content_disposition,
    pdf_response,
    render_html_to_pdf,
    render_pdf,
    static_file_for,
)
from tests.pdfcheck import assert_cjk_font_embedded, pdf_fonts, pdf_text

OFFICIAL = """{% extends "pdf/base.html" %}
{% block doc_office %}中共萍乡市纪委惩防办{% endblock %}
{% block doc_number %}萍纪惩办通〔2011〕3号{% endblock %}
{% block doc_title %}关于2011年3月惩防体系项目进展情况的通报{% endblock %}
{% block content %}<p>{{ body }}</p>{% endblock %}
{% block doc_signer %}中共萍乡市纪委惩防办{% endblock %}
{% block doc_date %}2011年4月2日{% endblock %}
"""


def render_official(body: str) -> bytes:
    return render_html_to_pdf(Template(OFFICIAL).render(Context({"body": body})))


def test_official_document_reads_back_with_embedded_cjk_font():
    pdf = render_official("全市255个项目进展顺利。")
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    for expected in ("中共萍乡市纪委惩防办", "萍纪惩办通〔2011〕3号", "全市255个项目进展顺利"):
        assert expected in text
    assert "—1—" in text.replace(" ", "")  # the page number at the foot
    assert_cjk_font_embedded(pdf)
    assert all(font["embedded"] for font in pdf_fonts(pdf))


def test_user_text_is_escaped_not_interpreted():
    pdf = render_official('<img src="file:///etc/passwd">危险')
    assert '<img src="file:///etc/passwd">危险' in pdf_text(pdf).replace("\n", "")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.com/x.css",
        PDF_BASE_URL + "etc/passwd",
        PDF_BASE_URL + "static/../pingxiang_cf/settings.py",
        PDF_BASE_URL + "static/",
    ],
)
def test_fetcher_refuses_everything_but_static_files(url):
    assert static_file_for(url) is None
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)


def test_fetcher_serves_the_apps_static_files():
    response = StaticOnlyFetcher().fetch(PDF_BASE_URL + "static/pdf/document.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_a_remote_image_in_html_is_not_fetched(monkeypatch):
    fetched = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    pdf = render_html_to_pdf('<p>图</p><img src="http://169.254.169.254/latest/meta-data">')
    assert pdf.startswith(b"%PDF-")
    assert fetched == ["http://169.254.169.254/latest/meta-data"]


def test_render_pdf_renders_a_template_by_name():
    pdf = render_pdf("pdf/base.html", {})
    assert pdf.startswith(b"%PDF-")


def test_pdf_response_keeps_the_chinese_file_name():
    response = pdf_response(b"%PDF-1.7 x", "2011年3月通报.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert (
        "filename*=UTF-8''2011%E5%B9%B43%E6%9C%88%E9%80%9A%E6%8A%A5.pdf"
        in (response["Content-Disposition"])
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert content_disposition("通报.pdf", inline=True).startswith('inline; filename="')


def test_a_one_page_document_renders_fast_warm():
    render_official("预热")
    started = time.perf_counter()
    render_official("全市项目进展情况。" * 20)
    assert time.perf_counter() - started < 2.0
