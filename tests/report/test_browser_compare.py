"""The page `evaluate` writes, opened in headless Chromium: gold and predicted drawn side by
side, what only one side has dashed. (Its own module: one Playwright session at a time.)"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_the_evaluate_page_draws_gold_and_predicted_side_by_side(tagged_articles, gold_records, tmp_path):
    from pipeline.corpus import read_records
    from pipeline.evaluation.render import render_html
    from pipeline.report.browser import opened

    predicted = {r.key: r for r in read_records(tagged_articles)}
    gold = [r for r in gold_records if r.key in predicted]
    out = render_html(gold, [predicted[r.key] for r in gold], tmp_path / "dev.html")
    with opened(out) as page:
        page.check("#para-only")
        page.wait_for_timeout(300)
        first = page.locator("#para-list .para").first
        assert [h.text_content() for h in first.locator("h3").all()] == ["gold", "predicted"]
        assert first.locator(".para-text").count() == 2
        assert (
            page.locator(
                "#para-list .ent.fp, #para-list .ent.fn, #para-list path.arc.fp, #para-list path.arc.fn"
            ).count()
            > 0
        )
        assert page.errors == []
