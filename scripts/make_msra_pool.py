"""Write the annotation pool of MSRA news sentences that carry the genre's material.

    python scripts/make_msra_pool.py            # -> corpus/pool/msra.jsonl

From the official MSRA NER train part (People's Daily news, cached by `python -m pipeline setup`),
a sentence is kept when it names a Party or government organ (an MSRA ORG ending in 委, 厅, 局,
部, 办, 政府, 党组, 支部, 党委, 工委, 总工会, 团委, 妇联, 法院 or 检察院) together with at least one
of: a quoted name (“…”, 2 to 20 characters), a campaign head word (活动, 行动, 工程, 计划, 竞赛,
评选, 教育, 运动, 制度, 建设, 工作, 战略, 服务) and a quantity the OUTCOME rules find (a number
with its measure word); and is 20 to 200 characters long. The default model ranks them at push. Each is a record with doc_id msra-<sentence index> and para 0, no annotations:
what `doccano push POOL -p NAME --limit N` draws from, least confident first.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.corpus.msra import load_sentences  # noqa: E402
from pipeline.io import write_jsonl  # noqa: E402
from pipeline.text.quantities import find_outcomes  # noqa: E402

# Party and government organs: the genre's organisations (MSRA's ORG also names firms, museums, schools).
ORGAN = re.compile(r"(委|厅|局|部|办|政府|党组|支部|党委|工委|总工会|团委|妇联|法院|检察院)$")
QUOTED = re.compile(r"“[^”]{2,20}”")
CAMPAIGN_HEAD = re.compile(r"活动|行动|工程|计划|竞赛|大赛|评选|教育|运动|制度|建设|工作|战略|服务")


def keep(text: str, orgs) -> bool:
    if not 20 <= len(text) <= 200 or not any(ORGAN.search(text[a:b]) for a, b in orgs):
        return False
    signals = [bool(QUOTED.search(text)), bool(CAMPAIGN_HEAD.search(text)), bool(find_outcomes(text))]
    return any(signals)


def main() -> None:
    out = ROOT / "corpus" / "pool" / "msra.jsonl"
    rows = (
        {"text": text, "entities": [], "relations": [], "meta": {"doc_id": f"msra-{i}", "para": 0}}
        for i, (text, orgs) in enumerate(load_sentences(part="train"))
        if keep(text, orgs)
    )
    n = write_jsonl(out, rows)
    print(f"{n} sentences -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
