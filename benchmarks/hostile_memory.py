"""Peak memory and time of one text without any punctuation (a paragraph that never ends), through
the API (pipeline.tag in a child process, whose max RSS the parent reads with os.wait4) and through
the service (one POST /tag to a fresh `python -m pipeline serve`, whose peak RSS is read from
/proc/PID/status, VmHWM).

    python benchmarks/hostile_memory.py [--model models/default] [--sizes 1000 10000 100000]

Two texts: "corpus" is the corpus's paragraphs with every punctuation mark and space removed;
"dense" repeats a name-dense clause (an ORG, an INITIATIVE and an OUTCOME every 19 characters),
the worst case for the relation candidates. Size 0 is the model alone (loaded, nothing tagged).
"""

from __future__ import annotations

import argparse
import json
import re
import time
import urllib.request
from pathlib import Path

DENSE = "市直机关工委开展三航行动举办活动18场"
CHILD = """
import sys, time
import pipeline
nlp = pipeline.load(sys.argv[1] or None)
text = sys.stdin.read()
start = time.perf_counter()
result = pipeline.tag(text, nlp=nlp) if text else None
print(f"{time.perf_counter() - start:.2f}", len(result.spans) if result else 0, len(result.relations) if result else 0)
"""


def hostile_text(kind: str, size: int) -> str:
    """`size` characters of the kind asked for, without a punctuation mark or a space."""
    if kind == "dense":
        base = DENSE
    else:
        from pipeline.corpus import read_records
        from pipeline.paths import corpus

        base = re.sub(r"[\W_]+", "", "".join(r.text for r in read_records(corpus().gold)))
    return (base * (size // len(base) + 1))[:size]


def through_api(model: str, text: str):
    """(seconds, spans, relations, peak RSS in MB) of pipeline.tag(text) in a child process."""
    from memory import run_child  # benchmarks/memory.py

    out, rss = run_child(CHILD, [model], stdin=text)
    seconds, spans, relations = out.split()
    return float(seconds), int(spans), int(relations), rss


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set) of a running process, in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def through_service(model: Path, text: str):
    """(seconds, spans, relations, peak RSS in MB) of one POST /tag to a fresh service."""
    from service_process import running_service

    with running_service(model) as service:
        start = time.perf_counter()
        spans = relations = 0
        if text:
            body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
            request = urllib.request.Request(f"{service.url}/tag", data=body, method="POST")
            with urllib.request.urlopen(request, timeout=3600) as resp:
                result = json.loads(resp.read())
            spans, relations = len(result["spans"]), len(result["relations"])
        seconds = time.perf_counter() - start
        return seconds, spans, relations, peak_rss_mb(service.proc.pid)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="", help="pipeline directory (default models/default)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[0, 1_000, 10_000, 100_000])
    parser.add_argument("--kinds", nargs="+", default=["corpus", "dense"], choices=["corpus", "dense"])
    args = parser.parse_args()
    from pipeline.api import model_path

    model = model_path(args.model or None)
    print("| text | characters | API time | API peak RSS | service time | service peak RSS | spans | relations |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in args.kinds:
        for size in args.sizes:
            text = hostile_text(kind, size)
            api_s, spans, relations, api_rss = through_api(str(model), text)
            svc_s, _, _, svc_rss = through_service(model, text)
            print(
                f"| {kind} | {size:,} | {api_s:.1f} s | {api_rss:,.0f} MB | {svc_s:.1f} s | {svc_rss:,.0f} MB "
                f"| {spans:,} | {relations:,} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
