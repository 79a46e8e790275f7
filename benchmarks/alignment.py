"""How many gold spans align with pkuseg tokens, with and without the user dictionary.

python benchmarks/alignment.py [-v]      (same as `python -m pipeline corpus alignment`)
"""

import sys

from pipeline.corpus.alignment import print_table
from pipeline.training.data import measure_alignment

if __name__ == "__main__":
    print_table(*measure_alignment(), verbose="-v" in sys.argv[1:])
