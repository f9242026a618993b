"""`python -m doclane.ops.bench`: what `make bench` and `make bench-core` run."""

from doclane.ops.bench.pipeline import main

main()
