"""Where the project keeps its corpus, configs and built models.

Everything is resolved against the project root: $PIPELINE_HOME if set, else the checkout this
package lives in (a folder with setup.cfg and corpus/), else the current directory.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple, Optional


def project_root() -> Path:
    """The folder that holds corpus/, configs/ and models/."""
    env = os.environ.get("PIPELINE_HOME")
    if env:
        return Path(env).resolve()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "setup.cfg").exists() and (checkout / "corpus").is_dir():
        return checkout
    return Path.cwd()


def project_dir(name: str) -> Path:
    """A folder of the project: "corpus", "configs" or "models" (trained pipelines, git-ignored)."""
    return project_root() / name


class CorpusFiles(NamedTuple):
    dir: Path
    gold: Path  # confirmed annotations: the seeds and everything pulled back from Doccano
    unannotated: Path  # paragraphs of articles nobody has annotated yet (empty entities)
    splits: Path  # the train/dev assignment of every document
    build: Path  # generated training data (DocBins, user dictionary), git-ignored
    annotators: Path  # each annotator's confirmed versions of team projects, <project>/<user>.jsonl


def corpus() -> CorpusFiles:
    """The files of corpus/."""
    root = project_dir("corpus")
    return CorpusFiles(
        root, root / "gold.jsonl", root / "unannotated.jsonl", root / "splits.json", root / "build", root / "annotators"
    )


def guideline() -> Optional[Path]:
    """The labelling guideline, docs/ANNOTATION.md of the project root, else of the checkout this
    package lives in (None when neither has it, as in an installed package without the docs)."""
    for root in (project_root(), Path(__file__).resolve().parent.parent):
        path = root / "docs" / "ANNOTATION.md"
        if path.exists():
            return path
    return None


def pkuseg_dir() -> Path:
    """Cache of the converted pkuseg model (features.msgpack + weights.npz); $PIPELINE_PKUSEG_DIR overrides."""
    env = os.environ.get("PIPELINE_PKUSEG_DIR")
    return Path(env).resolve() if env else project_dir("models") / "pkuseg"
