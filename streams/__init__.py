"""The topology for Faust's own command line: `faust -A streams.app worker -l info`.

The code lives in `doclane.streaming`; `doclane worker` and `doclane run` are the
usual way to start workers.
"""
