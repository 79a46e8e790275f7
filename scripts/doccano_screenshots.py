"""What a team member meets in Doccano's annotation page, in a real browser: screenshots into docs/.

    python scripts/doccano_screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]

Needs `pip install -e ".[browser]"` (Playwright's Python package), a Chromium (Debian's
/usr/bin/chromium; Playwright's own browser download is never used) and fonts with Chinese
characters and 𠮷 (`apt-get install fonts-noto-cjk`; without them the page shows empty boxes).
Starts a throw-away Doccano 1.8.4 server on a free loopback port (credentials generated here),
pushes a team of two (alice, bob) with hand-made suggestions through `push --annotators`, then
logs in as alice in headless Chromium and saves:

  doccano-projects.png    the projects alice sees: her queue only
  doccano-queue.png       her first paragraph: her progress (her share), the label chips with their keys
  doccano-shortcut.png    after pressing 2: INITIATIVE selected by its key
  doccano-guideline.png   Show Guideline: docs/ANNOTATION.md
  doccano-astral.png      a paragraph starting with 𠮷 (the text alone): the suggestions drawn on their characters
  doccano-confirmed.png   after Enter (confirm): her progress moves by one of her share

It prints what the page showed (progress, chips, the number of paragraphs listed) as it goes.
"""

import argparse
import os
import secrets
import sys
import tempfile
from pathlib import Path

from pipeline.corpus import Entity, Record, Relation
from pipeline.doccano import lifecycle as server
from pipeline.doccano.client import connect, queue_name
from pipeline.doccano.push import push
from pipeline.doccano.settings import DoccanoSettings
from pipeline.doccano.team import Team, password_env
from pipeline.report.browser import FLAGS

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPHS = [
    (
        "市直机关工委以“三航行动”为牵动,共举办“爱心扶贫大集市”18场。",
        [("ORG", "市直机关工委"), ("INITIATIVE", "三航行动"), ("OUTCOME", "18场")],
    ),
    (
        "𠮷安县委组织部开展“党建+扶贫”行动,帮扶群众3000余名。",
        [("ORG", "𠮷安县委组织部"), ("INITIATIVE", "党建+扶贫"), ("OUTCOME", "3000余名")],
    ),
    (
        "省交通运输厅开展“党建+交通”品牌创建,投入86.34万元。",
        [("ORG", "省交通运输厅"), ("INITIATIVE", "党建+交通"), ("OUTCOME", "86.34万元")],
    ),
    (
        "海口美兰机场海关旅检四科党支部开展志愿服务1300余次。",
        [("ORG", "海口美兰机场海关旅检四科党支部"), ("OUTCOME", "1300余次")],
    ),
    ("全市各级党组织认真学习,参与党员近6000人次。", [("OUTCOME", "近6000人次")]),
    (
        "省委直属机关工委共举办“爱心扶贫大集市”18场。",
        [("ORG", "省委直属机关工委"), ("INITIATIVE", "爱心扶贫大集市"), ("OUTCOME", "18场")],
    ),
]


def suggestions() -> list:
    """The paragraphs with hand-made suggestions: ORG -LAUNCHED-> INITIATIVE -ACHIEVED-> OUTCOME."""
    records = []
    for i, (text, spans) in enumerate(PARAGRAPHS):
        ents = [Entity(k, label, text.index(s), text.index(s) + len(s)) for k, (label, s) in enumerate(spans, 1)]
        labels = [e.label for e in ents]
        rels = []
        if labels[:2] == ["ORG", "INITIATIVE"]:
            rels.append(Relation(1, 1, 2, "LAUNCHED"))
        if "INITIATIVE" in labels and "OUTCOME" in labels:
            rels.append(
                Relation(len(rels) + 1, labels.index("INITIATIVE") + 1, labels.index("OUTCOME") + 1, "ACHIEVED")
            )
        records.append(Record(text, ents, rels, {"doc_id": "screens", "para": i}))
    return records


def shoot(url: str, name: str, password: str, queue: str, out: Path, chromium: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 860}, locale="en-US")
        try:
            _walk(page, url, name, password, queue, out)
        except Exception:
            page.screenshot(path=str(out / "doccano-failed.png"))
            print(f"failed at {page.url}; the page is in {out / 'doccano-failed.png'}")
            raise
        finally:
            browser.close()


def go(page, annotate: str, n: int) -> None:
    """To her n-th paragraph, inside the page's own router (as its pagination does)."""
    page.evaluate("url => window.$nuxt.$router.push(url)", f"/projects/{annotate}?page={n}&q=&isChecked=&ordering=")
    page.get_by_text("Label Types").wait_for()
    page.wait_for_timeout(1500)


def _walk(page, url: str, name: str, password: str, queue: str, out: Path) -> None:
    """Log in as the annotator and take each screenshot, printing what the page showed."""
    page.goto(f"{url}/auth")
    page.get_by_label("Username").fill(name)
    page.get_by_label("Password").fill(password)
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects**")
    page.get_by_text(queue).first.wait_for()
    rows = page.locator("tbody tr").all_inner_texts()
    print(f"projects listed for {name}: {rows}")
    page.screenshot(path=str(out / "doccano-projects.png"))
    page.get_by_text(queue).first.click()
    page.wait_for_url("**/projects/*")
    page.wait_for_timeout(2500)  # the project loads before Start Annotation knows where to go
    page.get_by_text("Start Annotation").click()
    page.wait_for_url("**/sequence-labeling**")
    annotate = page.url.split("/projects/")[1].split("?")[0]
    page.get_by_text("Label Types").wait_for()
    page.wait_for_timeout(1500)
    print("progress:", " ".join(page.locator(".v-card", has_text="Progress").first.inner_text().split()))
    print("label chips:", " ".join(page.locator(".v-chip-group").first.inner_text().split()))
    page.screenshot(path=str(out / "doccano-queue.png"))
    page.locator("body").click(position={"x": 5, "y": 500})
    page.keyboard.press("2")
    page.wait_for_timeout(500)
    selected = page.locator(".v-chip--active").all_inner_texts()
    print("selected after pressing 2:", selected)
    page.screenshot(path=str(out / "doccano-shortcut.png"))
    page.locator(".toolbar-control .v-btn-toggle button").nth(3).click()
    page.get_by_text("Annotation guideline: organisations").wait_for()
    page.wait_for_timeout(500)
    page.screenshot(path=str(out / "doccano-guideline.png"))
    page.get_by_role("button", name="Close").click()
    page.wait_for_timeout(500)
    for n in range(1, 10):  # the paragraph with 𠮷, wherever her queue has it
        go(page, annotate, n)
        page.get_by_text("Label Types").wait_for()
        page.wait_for_timeout(1000)
        if "𠮷" in page.locator(".annotation-text").inner_text():
            page.locator(".annotation-text").screenshot(path=str(out / "doccano-astral.png"))
            print(f"the paragraph with 𠮷 is her paragraph {n}")
            break
    go(page, annotate, 1)
    page.locator("body").click(position={"x": 5, "y": 500})
    page.keyboard.press("Enter")
    page.wait_for_timeout(2500)  # the page confirms, then fetches her progress again
    print("progress after Enter:", " ".join(page.locator(".v-card", has_text="Progress").first.inner_text().split()))
    page.screenshot(path=str(out / "doccano-confirmed.png"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    names = ("alice", "bob")
    for name in names:
        os.environ[password_env(name)] = secrets.token_urlsafe(16)
    os.environ["DOCCANO_USERNAME"] = "lead"
    os.environ["DOCCANO_PASSWORD"] = secrets.token_urlsafe(16)
    with tempfile.TemporaryDirectory(prefix="doccano-screens-") as tmp:
        state_file = Path(tmp) / "server.json"
        state = server.start(home=Path(tmp) / "data", state_file=state_file)
        try:
            settings = DoccanoSettings(state.url, os.environ["DOCCANO_USERNAME"], os.environ["DOCCANO_PASSWORD"])
            client, records = connect(settings), suggestions()
            # the paragraph with 𠮷 to alice alone, then the others shared out between alice and bob
            push(records[1:2], "round1", client=client, team=Team(names[:1], 1), settings=settings)
            summary = push(records, "round1", client=client, team=Team(names, 1), settings=settings)
            print(f"pushed {summary.uploaded} more paragraphs; assigned {summary.assigned}")
            shoot(
                state.url,
                "alice",
                os.environ[password_env("alice")],
                queue_name("round1", "alice"),
                args.out,
                args.chromium,
            )
        finally:
            server.stop(state_file)
    print(f"screenshots in {args.out}")


if __name__ == "__main__":
    sys.exit(main())
