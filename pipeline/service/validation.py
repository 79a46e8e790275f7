"""What a POST /tag body may be, and the 4xx answer for anything else: JSON {"text": str} or
{"texts": [str, ...]}, within the size limits. Each error says what was wrong and what to send."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Tuple

from ..text.encoding import problem

USAGE = 'send JSON {"text": "..."} or {"texts": ["...", ...]}'


@dataclass(frozen=True)
class Limits:
    max_chars: int = 100_000  # per text: a long article, not an archive
    max_texts: int = 256  # per request
    max_body: int = 8 * 1024 * 1024  # bytes of one request body

    def to_dict(self) -> Dict[str, int]:
        return asdict(self)


class RequestError(Exception):
    """A bad request: the HTTP status and a message for the caller."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def kind(value: Any) -> str:
    """A JSON value's type in words ("a number", "null", ...), for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return {str: "a string", list: "a list", dict: "an object"}.get(type(value), type(value).__name__)


def parse_tag_request(body: bytes, limits: Limits) -> Tuple[List[str], bool]:
    """The texts to tag and whether the caller sent one text (answered with one result, not a list)."""
    if not body.strip():
        raise RequestError(400, f"empty body: {USAGE}")
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise RequestError(400, f"the body is not UTF-8 ({err.reason} at byte {err.start})") from None
    except ValueError as err:
        raise RequestError(400, f"invalid JSON: {err}; {USAGE}") from None
    except RecursionError:
        raise RequestError(400, f"invalid JSON: nested too deeply to read; {USAGE}") from None
    if not isinstance(data, dict):
        raise RequestError(422, f"the body is {kind(data)}, not a JSON object; {USAGE}")
    fields = set(data)
    if fields not in ({"text"}, {"texts"}):
        unknown = sorted(fields - {"text", "texts"})
        what = f"unknown field(s) {', '.join(map(repr, unknown))}" if unknown else "give exactly one of text, texts"
        raise RequestError(422, f"{what}: {USAGE}")
    if "text" in data:
        _check_text(data["text"], '"text"', limits)
        return [data["text"]], True
    texts = data["texts"]
    if not isinstance(texts, list):
        raise RequestError(422, f'"texts" must be a list of strings, not {kind(texts)}')
    if len(texts) > limits.max_texts:
        raise RequestError(413, f'"texts" has {len(texts)} texts; the limit is {limits.max_texts} a request')
    for i, text in enumerate(texts):
        _check_text(text, f'"texts"[{i}]', limits)
    return texts, False


def _check_text(text: Any, where: str, limits: Limits) -> None:
    if not isinstance(text, str):
        raise RequestError(422, f"{where} must be a string, not {kind(text)}")
    what = problem(text)
    if what is not None:
        raise RequestError(422, f"{where}: {what}")
    if len(text) > limits.max_chars:
        raise RequestError(
            413, f"{where} has {len(text)} characters; the limit is {limits.max_chars} (split the text into paragraphs)"
        )
