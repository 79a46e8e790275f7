"""How many gold spans align with pkuseg tokens, with and without the user dictionary.

python benchmarks/alignment.py [-v]      (same as `python -m pipeline corpus alignment`)
"""

import sys

from pipeline.evaluation.alignment import measure, print_table

if __name__ == "__main__":
    print_table(measure(), verbose="-v" in sys.argv[1:])
