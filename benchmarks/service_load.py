"""Load test of the service on loopback: requests/s and p50/p99 latency at 1, 4 and 16 concurrent
clients, each level bounded in requests and seconds, and how many requests failed.

    python benchmarks/service_load.py [--model models/default] [--requests 240] [--max-seconds 60]

Starts `python -m pipeline serve` on a free 127.0.0.1 port, sends one paragraph per POST /tag
(paragraphs of the corpus, in turn) from client threads with keep-alive connections, and stops
the service (by its PID) at the end. A request fails unless it gets 200 and a result for its text.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import threading
import time
import urllib.request
from typing import List
from urllib.parse import urlsplit

from service_process import running_service
from speed import corpus_paragraphs

from pipeline.api import model_path


def client(url: str, texts: List[str], start: int, stop_at: float, quota: List[int], out: dict) -> None:
    """Send requests until the shared quota or the time runs out; record latencies and failures."""
    where = urlsplit(url)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    i = start
    while time.monotonic() < stop_at:
        with out["lock"]:
            if quota[0] <= 0:
                break
            quota[0] -= 1
        text = texts[i % len(texts)]
        i += 1
        body = json.dumps({"text": text}, ensure_ascii=False).encode("utf-8")
        began = time.perf_counter()
        try:
            conn.request("POST", "/tag", body, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            answer = json.loads(resp.read())
            ok = resp.status == 200 and answer.get("text") == text
        except (OSError, http.client.HTTPException, ValueError):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
        with out["lock"]:
            out["latencies" if ok else "failures"].append(time.perf_counter() - began)
    conn.close()


def level(url: str, texts: List[str], clients: int, requests: int, max_seconds: float) -> dict:
    out = {"lock": threading.Lock(), "latencies": [], "failures": []}
    quota = [requests]
    start = time.perf_counter()
    stop_at = time.monotonic() + max_seconds
    threads = [threading.Thread(target=client, args=(url, texts, k * 97, stop_at, quota, out)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["seconds"] = time.perf_counter() - start
    return out


def percentile(values: List[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="pipeline directory (default models/default)")
    parser.add_argument("--requests", type=int, default=240, help="requests per concurrency level")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="time bound per level")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    texts = corpus_paragraphs()
    mean = sum(map(len, texts)) / len(texts)
    with running_service(model_path(args.model)) as service:
        print(f"service {service.url}; {len(texts)} distinct paragraphs, {mean:.0f} chars on average", flush=True)
        level(service.url, texts, 1, 10, 30)  # warm up
        for clients in args.concurrency:
            out = level(service.url, texts, clients, args.requests, args.max_seconds)
            done, failed = out["latencies"], out["failures"]
            ms = sorted(x * 1000 for x in done)
            print(
                f"{clients:>2} clients: {len(done) / out['seconds']:6.1f} requests/s, "
                f"p50 {percentile(ms, 50):6.1f} ms, p99 {percentile(ms, 99):6.1f} ms, "
                f"{len(done)} ok, {len(failed)} failed ({out['seconds']:.1f} s)",
                flush=True,
            )
        with urllib.request.urlopen(f"{service.url}/health") as resp:
            print(f"batching: {json.loads(resp.read())['batching']}")


if __name__ == "__main__":
    main()
