"""What the command modules share: the typer apps, overrides, and turning a user's mistake into a
clear message (never a traceback)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Dict, Iterator, List, NoReturn

import typer
from wasabi import msg

HELP = "Tag Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations."
app = typer.Typer(help=HELP, no_args_is_help=True, add_completion=False)
corpus_app = typer.Typer(help="Validate, split, convert and measure the corpus.", no_args_is_help=True)
doccano_app = typer.Typer(
    help="Annotate in Doccano: run a server, push suggestions, pull corrections.", no_args_is_help=True
)
app.add_typer(corpus_app, name="corpus")
app.add_typer(doccano_app, name="doccano")


def fail(err: Exception) -> NoReturn:
    """Print the error as a message and exit with status 1."""
    msg.fail(str(err), exits=1)
    raise SystemExit(1)  # not reached: msg.fail exits


@contextmanager
def user_errors() -> Iterator[None]:
    """Expected failures (bad input, missing files, an unreachable server) become a message."""
    from ..corpus.records import CorpusError
    from ..doccano.client import DoccanoError
    from ..doccano.environment import ServerError
    from ..doccano.settings import SettingsError
    from ..io import DownloadError

    try:
        yield
    except (CorpusError, DoccanoError, ServerError, SettingsError, DownloadError, FileNotFoundError) as err:
        fail(err)


def parse_overrides(args: List[str]) -> Dict[str, object]:
    """spaCy-style `--section.key value` overrides from extra command-line arguments."""
    from spacy.cli._util import parse_config_overrides

    return parse_config_overrides(args)
