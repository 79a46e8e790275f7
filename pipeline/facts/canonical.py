"""What a canonical-name resolution returns for each mention."""

from __future__ import annotations

from dataclasses import dataclass

WRITTEN, RESOLVED, UNRESOLVED = "written", "resolved", "unresolved"


@dataclass(frozen=True)
class Canonical:
    """A mention's canonical name and how it was found: "written" (the name as written is the
    fullest), "resolved" (another, fuller name of the same thing) or "unresolved" (a short form
    left as written because nothing in the article says what it stands for)."""

    name: str
    status: str


def outcome(written: str, canonical: str, found: bool) -> Canonical:
    """The Canonical of a mention written `written` and resolved to `canonical`."""
    if canonical != written:
        return Canonical(canonical, RESOLVED)
    return Canonical(written, WRITTEN if found else UNRESOLVED)
