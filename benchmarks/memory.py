"""Peak memory of streaming: pipeline.tag_many over N short texts from a generator, each N in its
own subprocess, whose max RSS the parent reads (os.wait4) when it ends.

    python benchmarks/memory.py [--model models/default] [--counts 0 1000 1000000] [--batch-size 64]

N = 0 is the model alone (loaded, nothing tagged). The texts are all different (a running number
in each), so anything kept per text (strings, lexemes, results) would show as growth.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from typing import List

CHILD = """
import sys, time
import pipeline
nlp = pipeline.load(sys.argv[1] or None)
n, batch_size = int(sys.argv[2]), int(sys.argv[3])
shapes = ["市直机关工委开展“三航行动”{}场。", "省交通运输厅投入{}万元。", "党员{}人次参加学习。", "区委办公室召开会议{}次。"]
texts = (shapes[i % 4].format(i) for i in range(n))
start, count, spans = time.perf_counter(), 0, 0
for result in pipeline.tag_many(texts, nlp=nlp, batch_size=batch_size):
    count, spans = count + 1, spans + len(result.spans)
print(count, spans, f"{time.perf_counter() - start:.1f}", flush=True)
"""


def run_child(code: str, args: List[str], stdin: str = ""):
    """(what `python -c code args...` printed, its max RSS in MB); its input is `stdin`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    proc.stdin.write(stdin)
    proc.stdin.close()
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"the child {args} failed with exit code {proc.returncode}")
    return out, usage.ru_maxrss / 1024


def measure(model: str, n: int, batch_size: int):
    """(texts tagged, spans, seconds tagging, max RSS in MB) of one child process."""
    out, rss = run_child(CHILD, [model, str(n), str(batch_size)])
    count, spans, seconds = out.split()
    return int(count), int(spans), float(seconds), rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="", help="pipeline directory (default models/default)")
    parser.add_argument("--counts", type=int, nargs="+", default=[0, 1_000, 1_000_000])
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    rows = []
    for n in args.counts:
        wall = time.perf_counter()
        count, spans, seconds, rss = measure(args.model, n, args.batch_size)
        rows.append((n, rss))
        rate = f"{count / seconds:,.0f} texts/s" if seconds else "-"
        print(
            f"N={n:>9,}: peak RSS {rss:7.1f} MB  ({count:,} results, {spans:,} spans, {seconds:.1f} s tagging, {rate}; {time.perf_counter() - wall:.0f} s in all)",
            flush=True,
        )
    if len(rows) > 1:
        (small_n, small), (big_n, big) = rows[-2], rows[-1]
        print(f"growth from N={small_n:,} to N={big_n:,}: {big - small:+.1f} MB (the bound: within 100 MB)")


if __name__ == "__main__":
    main()
