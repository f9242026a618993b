"""`faust -A streams.app worker`: the doclane topology as a Faust app module.

The app is built from the environment (`doclane.settings`) on first access to
`streams.app.app`, not at import, so importing this module starts nothing.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from doclane.settings import Settings
    from doclane.streaming.app import Topology

    app = Topology(Settings.from_env()).app
    globals()["app"] = app
    return app
