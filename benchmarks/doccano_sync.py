"""Push and pull rates against a real Doccano server, beside a raw bulk import/export.

    python benchmarks/doccano_sync.py [--n 1000]

Starts a throw-away server on a free loopback port (credentials generated here and passed in the
environment), makes N synthetic paragraphs (~500 chars, 15 spans, 5 relations each), and times in
the same run: a raw bulk import of the file (doccano-client upload), `push` of the same records
into another project (validation, key listing, upload), a raw export of confirmed examples, and
`pull` (export + validation + conversion to corpus records).
"""

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

from pipeline.corpus import Entity, Record, Relation
from pipeline.doccano import lifecycle as server
from pipeline.doccano.client import connect, ensure_project, find_project, list_keyed_examples
from pipeline.doccano.pull import pull
from pipeline.doccano.push import push
from pipeline.doccano.settings import DoccanoSettings
from pipeline.doccano.transfer import import_rows

SENTENCE = "第{i}机关工委以“活动品牌{i}”为牵动,统筹推进党建和业务工作深度融合,全年共举办各类主题活动{n}场。"
FILLER = "各级党组织认真贯彻落实上级部署要求,持续深化理论武装,不断夯实基层基础,推动工作取得新成效。"


def synthetic(n: int) -> list:
    records = []
    for k in range(n):
        text, ents, rels = "", [], []
        for i in range(5):
            sent = SENTENCE.format(i=i + 1, n=10 + k % 90)
            base = len(text)
            org = sent.index("机关工委") - 1
            ini = sent.index("“") + 1
            out = sent.index("场。") - len(str(10 + k % 90))
            e = len(ents)
            ents += [
                Entity(e + 1, "ORG", base + org, base + org + 5),
                Entity(e + 2, "INITIATIVE", base + ini, base + ini + 5),
                Entity(e + 3, "OUTCOME", base + out, base + out + len(str(10 + k % 90)) + 1),
            ]
            if i < 3:
                rels.append(Relation(len(rels) + 1, e + 1, e + 2, "LAUNCHED"))
            if i < 2:
                rels.append(Relation(len(rels) + 1, e + 2, e + 3, "ACHIEVED"))
            text += sent + FILLER
        records.append(Record(text, ents, rels, {"doc_id": f"synthetic{k // 10:04d}", "para": k % 10}))
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    args = parser.parse_args()
    records = synthetic(args.n)
    print(
        f"{len(records)} paragraphs, {sum(len(r.text) for r in records) // len(records)} chars, "
        f"{sum(len(r.entities) for r in records) // len(records)} spans, {sum(len(r.relations) for r in records) // len(records)} relations each"
    )
    with tempfile.TemporaryDirectory(prefix="doccano-bench-") as tmp:
        os.environ.setdefault("DOCCANO_USERNAME", "bench")
        os.environ.setdefault("DOCCANO_PASSWORD", secrets.token_urlsafe(16))
        state_file = Path(tmp) / "server.json"
        t = time.perf_counter()
        state = server.start(home=Path(tmp) / "data", state_file=state_file)
        print(f"server start: {time.perf_counter() - t:.1f} s at {state.url}")
        try:
            settings = DoccanoSettings(state.url, os.environ["DOCCANO_USERNAME"], os.environ["DOCCANO_PASSWORD"])
            client = connect(settings)
            raw = ensure_project(client, "raw-import")
            path = Path(tmp) / "raw.jsonl"
            path.write_text(
                "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in import_rows(records)), encoding="utf-8"
            )
            t = time.perf_counter()
            client.upload(raw.id, [str(path)], task="RelationExtraction", format="JSONL")
            raw_s = time.perf_counter() - t
            t = time.perf_counter()
            push(records, "pushed", client=client)
            push_s = time.perf_counter() - t
            proj = find_project(client, "pushed")
            assert client.count_examples(proj.id) == len(records)
            t = time.perf_counter()
            for exs in list_keyed_examples(client, proj.id).values():
                client.update_example_state(proj.id, exs[0].id)
            confirm_s = time.perf_counter() - t
            t = time.perf_counter()
            client.download(proj.id, "JSONL", only_approved=True, dir_name=tmp)
            export_s = time.perf_counter() - t
            t = time.perf_counter()
            result = pull("pushed", Path(tmp) / "unused.jsonl", output=Path(tmp) / "pulled.jsonl", client=client)
            pull_s = time.perf_counter() - t
            assert result.pulled == len(records)
        finally:
            server.stop(state_file)
    n = len(records)
    print(f"raw bulk import:   {n / raw_s:7.1f} docs/s ({raw_s:.1f} s)")
    print(f"push:              {n / push_s:7.1f} docs/s ({push_s:.1f} s)   ratio push/raw import {raw_s / push_s:.2f}")
    print(f"(confirming {n} examples through the API, not part of pull: {confirm_s:.1f} s)")
    print(f"raw export:        {n / export_s:7.1f} docs/s ({export_s:.1f} s)")
    print(
        f"pull:              {n / pull_s:7.1f} docs/s ({pull_s:.1f} s)   ratio pull/raw export {export_s / pull_s:.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
