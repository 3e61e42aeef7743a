"""Reading a PDF back the way a person would: its text, with poppler's pdftotext."""

from __future__ import annotations

import subprocess


def pdf_text(pdf: bytes) -> str:
    """The text of every page, pages separated by a form feed."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def pages(pdf: bytes) -> list[str]:
    """Each page's text with its whitespace collapsed, so words wrapped in a cell still match."""
    return [" ".join(page.split()) for page in pdf_text(pdf).split("\f") if page.strip()]


def flat_text(pdf: bytes) -> str:
    return " ".join(pages(pdf))
