"""What the command modules share: the typer apps, overrides, and turning a user's mistake into a
clear message (never a traceback)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Dict, Iterator, List, NoReturn, Optional

import typer
from wasabi.util import COLORS, ICONS, color


class Messages:
    """spaCy's CLI messages (wasabi's icons and colours), one line each and never wrapped (a path
    or a file:line must stay whole to be found and copied: wasabi's Printer wraps at 80
    characters); failures go to stderr."""

    def _say(self, kind: str, text: str, err: bool = False) -> None:
        typer.echo(color(f"{ICONS[kind]} {text}", fg=COLORS[kind]), err=err)

    def good(self, text: str) -> None:
        self._say("good", text)

    def info(self, text: str) -> None:
        self._say("info", text)

    def warn(self, text: str) -> None:
        self._say("warn", text)

    def fail(self, text: str, exits: Optional[int] = None) -> None:
        self._say("fail", text, err=True)
        if exits is not None:
            raise SystemExit(exits)

    def divider(self, text: str) -> None:
        typer.echo(color(f"\n{'=' * 8} {text} {'=' * max(4, 70 - len(text))}", bold=True))


msg = Messages()
MAX_SHOWN = 50  # problems listed before "... and N more"
HELP = "Tag Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations."
app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False)
corpus_app = typer.Typer(help="Validate, split, convert and measure the corpus.", no_args_is_help=True)
doccano_app = typer.Typer(
    help="Annotate in Doccano: run a server, push suggestions, pull corrections.", no_args_is_help=True
)
app.add_typer(corpus_app, name="corpus")
app.add_typer(doccano_app, name="doccano")


def fail(err: Exception) -> NoReturn:
    """Print the error as a message (each problem of a CorpusError on a line of its own) and exit 1."""
    problems = getattr(err, "problems", None)
    if problems:
        msg.fail(f"{len(problems)} problem(s):")
        for problem in problems[:MAX_SHOWN]:
            typer.secho(f"  {problem}", fg="red", err=True)
        if len(problems) > MAX_SHOWN:
            typer.secho(f"  ... and {len(problems) - MAX_SHOWN} more", fg="red", err=True)
        raise SystemExit(1)
    msg.fail(str(err), exits=1)
    raise SystemExit(1)  # not reached: msg.fail exits


@contextmanager
def user_errors() -> Iterator[None]:
    """Expected failures (bad input, missing files, an unreachable server) become a message."""
    from ..corpus.records import CorpusError
    from ..distributed.cluster import ClusterError
    from ..doccano.client import DoccanoError
    from ..doccano.environment import ServerError
    from ..doccano.settings import SettingsError
    from ..downloads import DownloadError
    from ..evaluation.cv import FoldCountError, FoldError
    from ..io import OutputError
    from ..service.server import ServiceError

    try:
        yield
    except (
        CorpusError,
        ClusterError,
        DoccanoError,
        ServerError,
        SettingsError,
        DownloadError,
        OutputError,
        ServiceError,
        FoldError,
        FoldCountError,
        FileNotFoundError,
    ) as err:
        fail(err)


def parse_overrides(args: List[str]) -> Dict[str, object]:
    """spaCy-style `--section.key value` overrides from extra command-line arguments."""
    from spacy.cli._util import parse_config_overrides

    return parse_config_overrides(args)
