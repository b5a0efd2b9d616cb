"""Puts the desk on the application: its pages, its stylesheet, and how its refusals are answered.
Installed before the public site, whose pages answer every other address under a language."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from idm_desktop.server.desk import accounts, auth, catalog, pages, queue
from idm_desktop.server.desk.site import STATIC_DIR, DeskNotFound, FormRefused, SignInNeeded, context, render


def install(app: FastAPI) -> None:
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(queue.router)
    app.include_router(catalog.router)
    app.include_router(accounts.router)
    app.include_router(pages.not_found_router)  # last: any other address under /{lang}/desk/
    app.mount("/desk-static", StaticFiles(directory=STATIC_DIR), name="desk-static")

    @app.exception_handler(SignInNeeded)
    async def _sign_in(_request: Request, err: SignInNeeded) -> Response:
        query = {"then": err.then, **({"expired": "1"} if err.expired else {})}
        return RedirectResponse(f"/{err.lang}/desk/sign-in?{urlencode(query)}", status_code=303,
                                headers={"Cache-Control": "no-store"})

    @app.exception_handler(DeskNotFound)
    async def _not_found(request: Request, err: DeskNotFound) -> Response:
        return render("message.html", context(request, err.lang, kind="not_found"), 404)

    @app.exception_handler(FormRefused)
    async def _refused(request: Request, err: FormRefused) -> Response:
        return render("message.html", context(request, err.lang, kind="refused"), 403)
