"""Which pages a long invoice list links to."""

from __future__ import annotations

import pytest

from services.web.invoice_pages import page_links


@pytest.mark.parametrize(
    ("current", "pages", "links"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 4000, [1, 2, 3, None, 4000]),
        (2000, 4000, [1, None, 1998, 1999, 2000, 2001, 2002, None, 4000]),
        (4000, 4000, [1, None, 3998, 3999, 4000]),
        (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),  # a gap of one page shows the page
    ],
)
def test_the_first_the_last_and_the_pages_around_the_current(
    current: int, pages: int, links: list[int | None]
) -> None:
    assert page_links(current, pages) == links
