"""A spaCy pipeline for Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations."""
from __future__ import annotations

from . import extensions, tokenizer  # noqa: F401  importing them registers the Doc extensions and fixes pkuseg's matcher

__version__ = "0.1.0"

from .api import TaggedRelation, TaggedSpan, TagResult, load, tag, tag_many  # noqa: E402

__all__ = ["load", "tag", "tag_many", "TagResult", "TaggedSpan", "TaggedRelation", "__version__"]
