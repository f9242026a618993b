"""Benchmarks: the core alone, and the whole pipeline beside it on the same cores."""
