"""Speed and peak memory of `facts` on large tagged inputs.

    python benchmarks/facts_speed.py [--counts 100000 1000000] [--tagged FILE] [--format parquet]

The input of N paragraphs repeats real tagged corpus paragraphs: the corpus articles (the 27
excerpts and the 4 seed articles) tagged once by the default model (or the `tag -o` output given
with --tagged), copied over and over with distinct doc_ids, so every copy is a new document to
resolve. This measures facts, not tagging. Each N runs `python -m pipeline facts` in its own
subprocess, whose max RSS the parent reads (os.wait4) when it ends.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parent.parent


def tag_corpus(out: Path) -> Path:
    """The corpus articles tagged by the default model, as `tag -o` writes them."""
    articles = sorted((ROOT / "corpus" / "raw" / "articles").glob("*.txt")) + sorted(
        (ROOT / "corpus" / "raw" / "seeds").glob("*.txt")
    )
    cmd = [sys.executable, "-m", "pipeline", "tag", *map(str, articles), "-o", str(out)]
    subprocess.run(cmd, check=True, cwd=ROOT, stderr=subprocess.DEVNULL)
    return out


def repeated_input(tagged: Path, n: int, out: Path) -> Path:
    """`n` paragraphs: the tagged paragraphs again and again, the documents of each copy after
    the first renamed (000 -> 000~1)."""
    lines: List[dict] = [json.loads(line) for line in tagged.read_text(encoding="utf-8").splitlines() if line.strip()]
    with open(out, "w", encoding="utf-8") as f:
        written, copy = 0, 0
        while written < n:
            for row in lines[: n - written]:
                meta = {
                    **row["meta"],
                    "doc_id": f"{row['meta'].get('doc_id')}~{copy}" if copy else row["meta"].get("doc_id"),
                }
                f.write(json.dumps({**row, "meta": meta}, ensure_ascii=False) + "\n")
            written += min(len(lines), n - written)
            copy += 1
    return out


def measure(path: Path, output: Path) -> tuple:
    """(seconds, max RSS in MB, summary line) of one `facts` run in a subprocess."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "facts", str(path), "-o", str(output)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT,
    )  # fmt: skip
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"facts failed on {path}:\n{out}")
    return seconds, usage.ru_maxrss / 1024, out.strip().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--tagged", type=Path, help="`tag -o` output to repeat (default: the corpus tagged now)")
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="facts-bench-") as tmp:
        tagged = args.tagged or tag_corpus(Path(tmp) / "tagged.jsonl")
        base = sum(1 for line in open(tagged, encoding="utf-8") if line.strip())
        print(f"repeating {base} tagged paragraphs of {tagged}")
        print(f"{'paragraphs':>12}{'input MB':>10}{'seconds':>9}{'para/s':>10}{'facts/s':>10}{'peak RSS MB':>13}")
        for n in args.counts:
            path = repeated_input(Path(tagged), n, Path(tmp) / f"in-{n}.jsonl")
            output = Path(tmp) / f"facts-{n}.{args.format}"
            seconds, rss, line = measure(path, output)
            facts = int(line.split("✔ ")[1].split(" facts")[0].replace(",", ""))
            mb = path.stat().st_size / 1e6
            print(f"{n:>12,}{mb:>10.0f}{seconds:>9.1f}{n / seconds:>10,.0f}{facts / seconds:>10,.0f}{rss:>13,.0f}")
            print(f"    {line}")
            path.unlink()
            output.unlink()


if __name__ == "__main__":
    main()
