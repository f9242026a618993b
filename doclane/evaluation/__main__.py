"""`python -m doclane.evaluation`."""

import sys

from doclane.evaluation.cli import main

if __name__ == "__main__":
    sys.exit(main())
