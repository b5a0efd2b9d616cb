"""page_extent: the fractional page figure of the editor's gauge, from the same layout as the
PDF, never hiding a page the PDF has."""

from __future__ import annotations

import math

import pytest

from idm_desktop.export import count_pages, page_extent, render_pdf
from tests.export import export_samples as samples


@pytest.mark.parametrize("paragraphs", [0, 1, 5, 9, 16, 22, 30])
def test_the_extent_rounds_up_to_the_exact_page_count(paragraphs: int) -> None:
    ctx = samples.context("en", {"context": samples.paragraphs("en", paragraphs)})
    extent = page_extent(ctx)
    assert math.ceil(extent) == count_pages(ctx) == render_pdf(ctx).page_count
    assert count_pages(ctx) - 1 < extent <= count_pages(ctx)


def test_the_extent_grows_with_the_text() -> None:
    extents = [page_extent(samples.context("fr", {"context": samples.paragraphs("fr", n)}))
               for n in range(0, 30, 3)]
    assert extents == sorted(extents)
    assert len(set(extents)) == len(extents)


def test_a_heading_alone_fills_a_little_of_one_page() -> None:
    extent = page_extent(samples.context("en", {}))
    assert 0.05 < extent < 0.3


def test_the_last_page_s_fill_is_its_share_of_the_text_frame() -> None:
    # One paragraph more moves the figure by the paragraph's share of a page, whatever the page.
    one = page_extent(samples.context("en", {"context": samples.paragraphs("en", 1)}))
    none = page_extent(samples.context("en", {}))
    step = one - none
    assert 0.05 < step < 0.2
    three_pages = samples.three_page_body()
    extent = page_extent(samples.context("en", three_pages))
    assert 2.0 < extent <= 3.0
    assert count_pages(samples.context("en", three_pages)) == 3


def test_letter_pages_hold_a_little_less() -> None:
    body = {"context": samples.paragraphs("en", 12)}
    assert page_extent(samples.context("en", body, page_format="LETTER")) > page_extent(
        samples.context("en", body))
