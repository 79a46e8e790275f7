"""Evaluation: span and relation P/R/F, relation scoring with gold or predicted entities, the
baselines, cross-validation by document, tokenisation alignment, and NER confidence."""
