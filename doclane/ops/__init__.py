"""Running doclane: the local broker, supervisor, runner, status, bench, chaos, reports."""
