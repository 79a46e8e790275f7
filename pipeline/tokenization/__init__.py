"""Tokenisation: the pkuseg model set-up, spaCy's Chinese tokenizer with a correct user-dictionary
matcher, and the corpus lexicon that serves as its user dictionary."""
