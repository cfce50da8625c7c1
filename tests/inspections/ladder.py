"""Shared set-up of the escalation-ladder and rectification tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from projects.choices import ProjectStage
from tests import factories as f

YEAR = f.YEAR
# A day after the project's end: the project is overdue, its light red.
LATE = datetime.date(YEAR + 1, 1, 15)


def pdf_file(name="回复.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def fake_pdf(name="回复.pdf"):
    return SimpleUploadedFile(name, b"this is only text pretending to be a pdf")


def lagging_project(unit, **extra):
    """A project of YEAR still in implementation with no verified progress."""
    return f.ProjectFactory(lead_unit=unit, stage=ProjectStage.IMPLEMENT, **extra)
