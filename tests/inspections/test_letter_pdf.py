"""The supervision letter as a PDF, read back: its number, addressee,
items and deadline are there as text, in an embedded CJK font."""

import datetime

import pytest
from django.urls import reverse

from inspections.choices import LetterReason
from inspections.selectors import letter_document
from inspections.services import letters
from pingxiang_cf.pdf import render_pdf
from tests.inspections.ladder import lagging_project
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(tree, commission):
    project = lagging_project(tree["county_a"], name="廉政风险防控项目")
    return letters.letter_issue(
        actor=commission,
        unit=tree["county_a"],
        project=project,
        reason=LetterReason.LAGGING_PROJECT,
        issued_on=datetime.date(2012, 3, 5),
        reply_deadline=datetime.date(2012, 3, 20),
    )


def test_the_letter_pdf_reads_back_with_its_number_items_and_deadline(letter):
    pdf = render_pdf("pdf/letter.html", letter_document(letter))
    text = "".join(pdf_text(pdf).split())  # layout spaces removed
    assert "萍纪惩督〔2012〕1号" in text
    assert "关于加快推进“廉政风险防控项目”项目的督办函" in text
    assert "甲县:" in text
    assert "一、督办事由" in text and "二、督办事项" in text
    assert "2012年3月20日前" in text
    assert "中共萍乡市纪委惩防办" in text
    assert_cjk_font_embedded(pdf)


def test_the_pdf_is_downloaded_by_those_who_see_the_letter(client, letter, editor_a, editor_b):
    url = reverse("inspections:letter-pdf", args=[letter.code])
    client.force_login(editor_b)
    assert client.get(url).status_code == 404
    client.force_login(editor_a)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF-")
