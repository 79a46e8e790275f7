"""The service over real HTTP: a `python -m pipeline serve` process on a free 127.0.0.1 port,
with a briefly trained real pipeline."""

from __future__ import annotations

import json
import threading

import pytest

from pipeline import tag

from .running import call, running_service

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TEXTS = [
    "市直机关工委以“三航行动”为牵动,共举办“爱心扶贫大集市”18场。",
    "省交通运输厅开展“党建+交通”品牌创建,投入86.34万元。",
    "海口美兰机场海关旅检四科党支部开展志愿服务1300余次。",
    "全市各级党组织认真学习,参与党员近6000人次。",
    "标题\n\n省委直属机关工委共举办活动18场。\n",
    "",
]
LIMITS = ["--max-chars", "500", "--max-texts", "8", "--max-wait-ms", "20"]


@pytest.fixture(scope="module")
def service(tiny_model):
    with running_service(tiny_model, *LIMITS) as service:
        yield service
    # running_service stopped it with SIGTERM: a graceful shutdown and a normal exit, no traceback
    assert service.proc.returncode == 0 and "Service stopped" in service.output()
    assert "Traceback" not in service.output()


def expected(nlp, text):
    return json.loads(json.dumps(tag(text, nlp=nlp).to_dict(), ensure_ascii=False))


def same(got, want) -> bool:
    """Equal, scores within 1e-3 (a batch's make-up may move a float in its last digits)."""
    if isinstance(want, dict):
        return isinstance(got, dict) and got.keys() == want.keys() and all(same(got[k], want[k]) for k in want)
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(same, got, want))
    if isinstance(want, float) and isinstance(got, float):
        return abs(got - want) < 1e-3
    return got == want


def test_health_reports_the_model_and_limits(service, tiny_model):
    status, body = call(f"{service.url}/health")
    assert status == 200 and body["status"] == "ok"
    assert body["model"] == str(tiny_model.resolve()) and body["entity_labels"] == ["ORG", "INITIATIVE", "OUTCOME"]
    assert body["limits"]["max_chars"] == 500 and body["limits"]["max_texts"] == 8


@pytest.mark.parametrize("text", TEXTS)
def test_one_text_gives_what_tag_gives(service, tiny_nlp, text):
    status, body = call(f"{service.url}/tag", {"text": text})
    assert status == 200 and same(body, expected(tiny_nlp, text))


def test_a_list_of_texts_gives_a_list_in_order(service, tiny_nlp):
    status, body = call(f"{service.url}/tag", {"texts": TEXTS})
    assert status == 200 and same(body, [expected(tiny_nlp, t) for t in TEXTS])
    assert call(f"{service.url}/tag", {"texts": []}) == (200, [])


@pytest.mark.parametrize(
    "body, status, message",
    [
        (b"", 400, "empty body"),
        (b"  \n", 400, "empty body"),
        (b'{"text": "abc"', 400, "invalid JSON"),
        (b"\xff\xfe{}", 400, "not UTF-8"),
        (b'"just a string"', 422, "the body is a string, not a JSON object"),
        ({"text": 5}, 422, '"text" must be a string, not a number'),
        ({"text": None}, 422, '"text" must be a string, not null'),
        ({"texts": "abc"}, 422, '"texts" must be a list of strings, not a string'),
        ({"texts": ["好", {"a": 1}]}, 422, '"texts"[1] must be a string, not an object'),
        ({"txt": "好"}, 422, "unknown field(s) 'txt'"),
        ({"text": "好", "texts": ["好"]}, 422, "give exactly one of text, texts"),
        ({"text": "党" * 501}, 413, "has 501 characters; the limit is 500"),
        ({"texts": ["好"] * 9}, 413, "has 9 texts; the limit is 8"),
        (b"[" * 100_000 + b"]" * 100_000, 400, "invalid JSON: nested too deeply"),
        (b'{"text": "\\u7701\\ud800"}', 422, '"text": character 1 is U+D800, a lone surrogate'),
        (json.dumps({"texts": ["好", "\udfff好"]}).encode(), 422, '"texts"[1]: character 0 is U+DFFF'),
    ],
)
def test_bad_requests_get_a_clear_4xx(service, body, status, message):
    got_status, got = call(f"{service.url}/tag", body, method="POST")
    assert got_status == status and message in got["error"], got


@pytest.mark.parametrize(
    "path, method, status, message",
    [("/tag", "GET", 405, "GET is not allowed here"), ("/nothing", "GET", 404, "no such endpoint: /nothing")],
)
def test_wrong_routes_and_methods_get_json_errors(service, path, method, status, message):
    got_status, got = call(f"{service.url}{path}", method=method)
    assert got_status == status and message in got["error"]


def test_a_body_over_the_byte_limit_is_refused_before_it_is_read(service):
    import http.client
    from urllib.parse import urlsplit

    where = urlsplit(service.url)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=30)
    conn.putrequest("POST", "/tag")
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(9 * 1024 * 1024))
    conn.endheaders()  # the body is never sent: the answer comes from the announced length
    resp = conn.getresponse()
    assert resp.status == 413 and "the limit is" in json.loads(resp.read())["error"]
    conn.close()


def test_a_bad_text_between_good_ones_changes_nothing(service, tiny_nlp):
    """good -> bad (a lone surrogate, as a JSON escape) -> good: the same answers, and /health says ok."""
    good = {"texts": TEXTS[:3]}
    first = call(f"{service.url}/tag", good)
    assert first[0] == 200
    status, body = call(f"{service.url}/tag", b'{"texts": ["\\u7701\\u59d4", "\\u7701\\ud800\\u59d4"]}')
    assert status == 422 and '"texts"[1]: character 1 is U+D800' in body["error"]
    assert call(f"{service.url}/tag", good) == first
    assert call(f"{service.url}/health")[1]["status"] == "ok"


def _send_and_leave(url: str, body: bytes, whole: bool) -> None:
    """POST `body` (all of it, or half) on a raw socket, then close the connection unanswered."""
    import socket
    import time
    from urllib.parse import urlsplit

    where = urlsplit(url)
    head = f"POST /tag HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
    with socket.create_connection((where.hostname, where.port)) as sock:
        sock.sendall(head.encode() + (body if whole else body[: len(body) // 2]))
        time.sleep(0.3)


@pytest.fixture(scope="module")
def roomy_service(tiny_model):
    """A service with the default limits: requests big enough to keep the tagger busy."""
    with running_service(tiny_model, "--max-wait-ms", "20") as service:
        yield service
    assert "Traceback" not in service.output()


@pytest.mark.parametrize("whole", [True, False], ids=["after-the-body", "during-the-body"])
def test_a_client_that_leaves_costs_one_log_line_and_no_tagging(roomy_service, whole):
    service = roomy_service
    before = call(f"{service.url}/health")[1]["batching"]
    busy = threading.Thread(target=call, args=(f"{service.url}/tag", {"texts": [TEXTS[1] * 500] * 8}))
    busy.start()
    while call(f"{service.url}/health")[1]["batching"]["texts"] < before["texts"] + 8:
        pass  # until the tagger is busy with it: what comes next waits
    lines_before = len(service.output().splitlines())
    _send_and_leave(service.url, json.dumps({"texts": [TEXTS[0]] * 32}, ensure_ascii=False).encode(), whole)
    busy.join(120)
    assert call(f"{service.url}/tag", {"text": TEXTS[0]})[0] == 200
    after = call(f"{service.url}/health")[1]["batching"]
    assert after["gone"] == before["gone"] + 1
    assert after["tagged"] == before["tagged"] + 8 + 1  # the busy request and the last one: none of the 32
    new = service.output().splitlines()[lines_before:]
    assert len(new) == 1 and "left before its answer" in new[0], new
    assert ("32 text(s) dropped" if whole else "not read to the end") in new[0]


def test_concurrent_requests_are_batched_and_all_answered(service, tiny_nlp):
    want = {t: expected(tiny_nlp, t) for t in TEXTS}
    start = threading.Barrier(16)
    answers, failures = [], []

    def client(i: int) -> None:
        start.wait()
        for j in range(3):
            text = TEXTS[(i + j) % len(TEXTS)]
            status, body = call(f"{service.url}/tag", {"text": text})
            (answers if status == 200 and same(body, want[text]) else failures).append((text, status, body))

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures and len(answers) == 48
    batching = call(f"{service.url}/health")[1]["batching"]
    assert batching["largest_batch"] > 1 and batching["batches"] < batching["texts"]


def test_a_port_in_use_is_a_clear_error(tiny_model):
    import socket
    import subprocess
    import sys

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = subprocess.run(
            [sys.executable, "-m", "pipeline", "serve", "-m", str(tiny_model), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in out.stderr
    assert "Traceback" not in out.stderr + out.stdout


def test_sigterm_answers_every_request_in_flight_with_200_or_503(tiny_model):
    """Ten requests of 32 texts in flight, then SIGTERM: each is answered (tagged, or 503 for what
    could not be finished), the process exits normally, and the log has no traceback."""
    import signal

    with running_service(tiny_model, "--max-wait-ms", "20") as service:
        before = call(f"{service.url}/health")[1]["batching"]["texts"]
        answers = []

        def client(i: int) -> None:
            texts = [f"{i}-{j}" + TEXTS[0] * 15 for j in range(32)]
            answers.append(call(f"{service.url}/tag", {"texts": texts}, timeout=120))

        threads = [threading.Thread(target=client, args=(i,)) for i in range(10)]
        for t in threads:
            t.start()
        while call(f"{service.url}/health")[1]["batching"]["texts"] < before + 320:
            pass  # all ten are in
        service.proc.send_signal(signal.SIGTERM)
        for t in threads:
            t.join(120)
        assert service.proc.wait(60) == 0
    statuses = sorted(status for status, _ in answers)
    assert len(statuses) == 10 and set(statuses) <= {200, 503} and 503 in statuses, statuses
    assert all("stopping" in body["error"] for status, body in answers if status == 503)
    assert "Traceback" not in service.output() and "graceful shutdown exceeded" not in service.output()
