"""`python -m doclane`: the same command line as the `doclane` script."""

import sys

from doclane.cli import main

sys.exit(main())
