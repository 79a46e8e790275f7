"""Text that UTF-8 cannot encode: a lone surrogate (U+D800-U+DFFF), which a "\\ud800" JSON escape
or a broken decoder leaves in a Python string. spaCy's string store cannot hash it, nor can any
output be written with it, so it is refused where text comes in, saying where it is."""

from __future__ import annotations

from typing import Any, Optional


def unencodable(text: str) -> Optional[int]:
    """Index of the first character of `text` that UTF-8 cannot encode, or None."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        return err.start
    return None


def problem(text: str) -> Optional[str]:
    """What is wrong with `text`, in words, or None when UTF-8 can encode it."""
    at = unencodable(text)
    if at is None:
        return None
    return (
        f"character {at} is U+{ord(text[at]):04X}, a lone surrogate that UTF-8 cannot encode "
        "(a broken decoder or a \\ud800-style JSON escape); remove it or decode the source correctly"
    )


def check_text(text: str, where: str) -> None:
    """Raise ValueError naming `where` when UTF-8 cannot encode `text`."""
    what = problem(text)
    if what is not None:
        raise ValueError(f"{where}: {what}")


def value_problem(value: Any, where: str = "") -> Optional[str]:
    """The first string (key or value) inside a JSON value that UTF-8 cannot encode, named by its
    path ('meta.title', 'texts[2]'), with what is wrong; None if every string can be encoded."""
    if isinstance(value, str):
        what = problem(value)
        return None if what is None else f"'{where or 'the value'}': {what}"
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in children:
        if isinstance(key, str) and problem(key):
            return f"a key of '{where or 'the object'}': {problem(key)}"
        found = value_problem(item, f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}" if where else key)
        if found:
            return found
    return None
