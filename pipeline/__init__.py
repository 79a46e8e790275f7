"""A spaCy pipeline for Chinese Party-building news: ORG, INITIATIVE, OUTCOME and their relations.

The public API: `load`, `tag`, `tag_many` and the result types. Components, readers and
architectures are registered with spaCy by entry points (setup.cfg), so a saved pipeline loads
with plain `spacy.load`.
"""

from .api import load, tag, tag_many
from .results import TaggedRelation, TaggedSpan, TagResult

__version__ = "0.1.0"

__all__ = ["load", "tag", "tag_many", "TagResult", "TaggedSpan", "TaggedRelation", "__version__"]
