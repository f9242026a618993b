"""Entry point of `python -m doclane.samples`."""

from doclane.samples.cli import main

raise SystemExit(main())
