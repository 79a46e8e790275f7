"""Text rules of the guideline shared by components, training and evaluation: quotations and
titles, OUTCOME quantities and their values, token splitting, longest-match word lists."""
