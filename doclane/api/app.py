"""The FastAPI application: /v1 routes behind API keys, health, OpenAPI at /docs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from doclane.api.auth import ApiKeys, require_scope
from doclane.api.correcting import router as corrections_router
from doclane.api.documents import router as documents_router
from doclane.api.errors import ApiError
from doclane.api.limits import HeaderLimit
from doclane.api.metrics import REFUSALS
from doclane.api.page_routes import router as page_images_router
from doclane.api.pages import router as review_router
from doclane.api.reference import render_reference
from doclane.api.services import ApiServices
from doclane.settings import Settings


def create_app(settings: Settings, keys: ApiKeys) -> FastAPI:
    """The API for these settings; producer, ledger and store are opened at start-up."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.services = ApiServices.open(settings, keys)
        try:
            yield
        finally:
            app.state.services.close()

    app = FastAPI(
        title="doclane",
        version="1",
        summary="Submit business documents; read their type, fields and checks.",
        lifespan=lifespan,
        docs_url="/docs/swagger",  # /docs itself is the offline reference below
        redoc_url=None,
    )
    app.state.api_keys = keys
    app.add_middleware(HeaderLimit)
    app.include_router(documents_router)
    app.include_router(review_router)
    app.include_router(corrections_router)
    app.include_router(page_images_router)

    @app.exception_handler(ApiError)
    async def _refused(_request: Request, exc: ApiError) -> JSONResponse:
        REFUSALS.labels(exc.reason_code).inc()
        return JSONResponse(
            {"error": exc.reason_code, "detail": exc.message},
            status_code=exc.status_code,
            headers=exc.headers,
        )

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    async def _reference() -> HTMLResponse:
        return HTMLResponse(render_reference(app.openapi()))

    metrics_guard = [Depends(require_scope("query"))] if settings.metrics_auth else []

    @app.get("/metrics", include_in_schema=False, dependencies=metrics_guard)
    async def _metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/health/live", include_in_schema=False)
    async def _live() -> dict[str, bool]:
        return {"live": True}

    @app.get("/health/ready", include_in_schema=False)
    @app.get("/health", include_in_schema=False)
    async def _ready() -> dict[str, bool]:
        return {"ready": True}  # answered only after start-up reached the broker

    return app
