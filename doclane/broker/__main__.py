import sys

from doclane.broker.cli import main

sys.exit(main())
