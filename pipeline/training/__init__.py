"""Training: the data built from corpus/ (DocBins, user dictionary), the readers the configs name,
spaCy's trainer, and the relation threshold."""
