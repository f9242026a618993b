"""The HTTP ingest API: upload documents, ask for their status, result and stage events.

`create_app` builds the FastAPI application; `doclane api` (or `python -m
doclane.api`) serves it with uvicorn, and `doclane run` starts it beside the
workers and the sink. Uploads become `DocumentSubmitted` records on the
ingest topic (large ones by claim-check); status and results come from
ClickHouse through the sink's query port.
"""
