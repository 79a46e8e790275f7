"""The report as an analyst sees it: opened in headless Chromium (Debian's), offline. Charts are
drawn, the facts table sorts and filters, every relation of a paragraph is an arc with an arrow,
the script raises no error and the page asks for nothing over the network."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from pipeline.cli import app

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture(scope="module")
def page(tagged_articles, tmp_path_factory):
    pytest.importorskip("playwright")
    from pipeline.report.browser import chromium_path, opened

    if chromium_path() is None:
        pytest.fail("no Chromium: apt-get install chromium (CI installs it in .ci/run)")
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", str(tagged_articles), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with opened(out) as page:
        page.screenshot(path=str(out.with_suffix(".png")), full_page=True)
        yield page


def test_charts_are_drawn(page):
    assert page.locator("svg.chart").count() == 3
    widths = page.eval_on_selector_all("svg.chart rect.bar", "rs => rs.map(r => r.getBBox().width)")
    assert len(widths) > 5 and min(widths) > 0


def test_the_facts_table_sorts(page):
    page.click("th[data-col='value']")
    first = page.eval_on_selector_all("#facts-table tbody tr td.num", "tds => tds.map(t => t.textContent)")
    values = [float(v.replace(",", "")) for v in first if v]
    assert len(values) > 3 and values == sorted(values)
    assert page.get_attribute("th[data-col='value']", "aria-sort") == "ascending"
    page.click("th[data-col='value']")
    again = [
        float(v.replace(",", ""))
        for v in page.eval_on_selector_all("#facts-table tbody tr td.num", "tds => tds.map(t => t.textContent)")
        if v
    ]
    assert again == sorted(again, reverse=True) and again[0] >= values[-1]


def test_the_facts_table_filters(page):
    total = page.text_content("#facts-count")
    page.select_option("#facts-kind", "LAUNCHED")
    page.wait_for_function("document.getElementById('facts-count').textContent.indexOf('facts') >= 0")
    tags = page.eval_on_selector_all("#facts-table tbody tr td:nth-child(2)", "tds => tds.map(t => t.textContent)")
    assert tags and set(tags) == {"LAUNCHED"}
    page.select_option("#facts-kind", "")
    page.fill("#facts-filter", "工委")
    page.wait_for_timeout(400)  # the filter waits for typing to pause
    rows = page.eval_on_selector_all("#facts-table tbody tr", "trs => trs.map(t => t.textContent)")
    assert rows and all("工委" in r for r in rows) and page.text_content("#facts-count") != total
    page.fill("#facts-filter", "")
    page.wait_for_timeout(400)


def test_paragraphs_are_drawn_with_relation_arcs(page):
    page.check("#para-only")
    page.wait_for_timeout(300)
    paragraphs = page.locator("#para-list .para")
    assert paragraphs.count() > 0
    arcs = page.locator("#para-list svg.arcs path.arc").count()
    arrows = page.locator("#para-list svg.arcs path.arrow").count()
    labels = page.eval_on_selector_all("#para-list svg.arcs text", "ts => ts.map(t => t.textContent)")
    assert arcs >= arrows > 0 and set(labels) <= {"LAUNCHED", "ACHIEVED"} and labels
    spans = page.eval_on_selector_all("#para-list .ent", "es => es.map(e => e.dataset.label)")
    assert {"ORG", "INITIATIVE", "OUTCOME"} <= set(spans)
    # an arc ends above its spans: its ends lie within the paragraph's box
    inside = page.evaluate(
        """() => [...document.querySelectorAll('#para-list .para-text')].every(box => {
             const b = box.getBoundingClientRect();
             return [...box.querySelectorAll('path.arc')].every(p => { const r = p.getBoundingClientRect();
               return r.left >= b.left - 1 && r.right <= b.right + 1; }); })"""
    )
    assert inside


def test_a_fact_links_to_its_paragraph(page):
    page.click("#facts-table tbody tr:first-child td:first-child a")
    assert page.locator("#para-list .para").count() == 1
    assert page.locator("#para-list .para.focus").count() == 1


def test_no_script_error_and_no_request(page):
    assert page.errors == []
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
