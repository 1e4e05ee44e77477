"""HTML to PDF, through WeasyPrint: the report's file, page numbers and all.

Page furniture (numbers, repeated table headers, page breaks) is asked for in the
HTML's own CSS (`@page`, `thead`), so the same HTML prints the same from a browser.
"""

from __future__ import annotations

import weasyprint


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """The PDF of `html`; `base_url` resolves its relative links (stylesheets, images)."""
    document = weasyprint.HTML(string=html, base_url=base_url)
    pdf = document.write_pdf()
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return pdf
