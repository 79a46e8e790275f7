"""Size of the `report` page and how long headless Chromium takes to open it.

    python benchmarks/report_size.py [--counts 1000 10000] [--tagged FILE] [--screenshot docs/report.png]

The input of N paragraphs repeats the corpus articles tagged by the default model (as
benchmarks/facts_speed.py builds it). For each N: the seconds `report` takes, the page's size,
and the seconds from navigation until the page's script has drawn the first page of the table and
of the paragraphs (body[data-ready]), in Debian's Chromium through Playwright, offline. With
--screenshot, the first N's page is photographed: the top, the table and the first paragraphs
with relations.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from facts_speed import ROOT, repeated_input, tag_corpus


def open_seconds(page_path: Path, repeats: int = 3) -> float:
    """The fastest of `repeats` opens: navigation until the script has drawn (body[data-ready])."""
    from pipeline.report.browser import opened

    best = float("inf")
    for _ in range(repeats):
        with opened(page_path) as page:
            best = min(best, float(page.get_attribute("body", "data-ready-ms")) / 1000)
    return best


def screenshot(page_path: Path, out: Path) -> None:
    """The report as a person first sees it, then its first paragraphs with relations drawn."""
    from pipeline.report.browser import opened

    with opened(page_path, width=1400, height=1400) as page:
        page.screenshot(path=str(out))
        page.check("#para-only")
        page.wait_for_timeout(300)
        clip = page.evaluate(
            """() => { const top = document.getElementById('paragraphs').getBoundingClientRect();
                 const last = document.querySelectorAll('#para-list .para')[3].getBoundingClientRect();
                 return {x: top.left, y: top.top + window.scrollY, width: top.width, height: last.bottom - top.top + 8}; }"""
        )
        page.screenshot(path=str(out.with_name(out.stem + "-paragraphs.png")), clip=clip, full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1_000, 10_000])
    parser.add_argument("--tagged", type=Path, help="`tag -o` output to repeat (default: the corpus tagged now)")
    parser.add_argument("--screenshot", type=Path, help="write a screenshot of the first report here (PNG)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-bench-") as tmp:
        tagged = args.tagged or tag_corpus(Path(tmp) / "tagged.jsonl")
        print(f"{'paragraphs':>12}{'report s':>10}{'page MB':>9}{'chromium open s':>17}")
        for i, n in enumerate(args.counts):
            path = repeated_input(Path(tagged), n, Path(tmp) / f"in-{n}.jsonl")
            page_path = Path(tmp) / f"report-{n}.html"
            start = time.perf_counter()
            cmd = [sys.executable, "-m", "pipeline", "report", str(path), "-o", str(page_path)]
            subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds = time.perf_counter() - start
            size = page_path.stat().st_size / 1e6
            print(f"{n:>12,}{seconds:>10.1f}{size:>9.1f}{open_seconds(page_path):>17.2f}")
            if args.screenshot and i == 0:
                screenshot(page_path, args.screenshot)


if __name__ == "__main__":
    main()
