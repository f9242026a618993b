import sys

from doclane.ops.broker.cli import main

sys.exit(main())
