"""The HTTP API's documentation pages, offline: Swagger UI at /docs and ReDoc at /redoc, from the files the
`fastapi-offline` package ships (swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js), served at
/docs-assets/. FastAPI's own pages load these from a CDN, which leaves /docs blank on a machine without
network; here no page asks for anything outside the server (no CDN, no Google Fonts, no validator badge).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

ASSETS = "/docs-assets"
REDIRECT = "/docs/oauth2-redirect"
REDOC_JS = "/redoc/redoc.standalone.js"
# ReDoc's footer ("API docs by Redocly") loads its logo from a CDN; the served copy points it at a local image.
REDOC_LOGO = 'src:"https://cdn.redoc.ly/redoc/logo-mini.svg"'


def asset_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


@cache
def redoc_js() -> bytes:
    """redoc.standalone.js as shipped, with its one outside address (the footer logo) made local."""
    text = (asset_dir() / "redoc.standalone.js").read_text(encoding="utf-8")
    return text.replace(REDOC_LOGO, f'src:"{ASSETS}/favicon.png"').encode("utf-8")


def add_docs(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets on `app` (created with docs_url=None, redoc_url=None). Call it
    before anything is mounted at "/", which would otherwise answer these paths."""
    app.mount(ASSETS, StaticFiles(directory=asset_dir()), name="docs-assets")
    spec, title = app.openapi_url or "/openapi.json", app.title

    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(openapi_url=f"{root}{spec}", title=f"{title} · Swagger UI",
                                   swagger_js_url=f"{root}{ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{root}{ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{root}{ASSETS}/favicon.png",
                                   oauth2_redirect_url=f"{root}{REDIRECT}",
                                   swagger_ui_parameters={"validatorUrl": None})  # no badge from swagger.io

    async def redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(openapi_url=f"{root}{spec}", title=f"{title} · ReDoc",
                              redoc_js_url=f"{root}{REDOC_JS}",
                              redoc_favicon_url=f"{root}{ASSETS}/favicon.png", with_google_fonts=False)

    app.add_api_route("/docs", swagger, methods=["GET"], include_in_schema=False)
    app.add_api_route(REDIRECT, redirect, methods=["GET"], include_in_schema=False)
    async def redoc_script() -> Response:
        return Response(redoc_js(), media_type="text/javascript", headers={"Cache-Control": "public, max-age=3600"})

    app.add_api_route("/redoc", redoc, methods=["GET"], include_in_schema=False)
    app.add_api_route(REDOC_JS, redoc_script, methods=["GET"], include_in_schema=False)
