"""Where the project keeps its corpus, configs and built models.

Everything is resolved against the project root: $PIPELINE_HOME if set, else the checkout this
package lives in (a folder with setup.cfg and corpus/), else the current directory.
"""
from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder that holds corpus/, configs/ and models/."""
    env = os.environ.get("PIPELINE_HOME")
    if env:
        return Path(env).resolve()
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "setup.cfg").exists() and (checkout / "corpus").is_dir():
        return checkout
    return Path.cwd()


def corpus_dir() -> Path:
    return project_root() / "corpus"


def build_dir() -> Path:
    """Generated training data (DocBins, user dictionary): git-ignored."""
    return corpus_dir() / "build"


def models_dir() -> Path:
    return project_root() / "models"


def configs_dir() -> Path:
    return project_root() / "configs"


def pkuseg_dir() -> Path:
    """Cache of the converted pkuseg model (features.msgpack + weights.npz)."""
    env = os.environ.get("PIPELINE_PKUSEG_DIR")
    return Path(env).resolve() if env else models_dir() / "pkuseg"


def gold_path() -> Path:
    """Confirmed annotations: the seeds and everything pulled back from Doccano."""
    return corpus_dir() / "gold.jsonl"


def unannotated_path() -> Path:
    """Paragraphs of articles nobody has annotated yet (empty entities)."""
    return corpus_dir() / "unannotated.jsonl"


def splits_path() -> Path:
    return corpus_dir() / "splits.json"
