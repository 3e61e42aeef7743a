"""The API benchmark's baseline: the least an aiohttp + asyncpg endpoint can do, one INSERT.

python -m bench.minimal   (with PORTAL_PORT and PORTAL_DATABASE_URL set, as for a service)

It reads them from the environment itself: importing the services' settings would make the
least an endpoint can do carry pydantic.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import asyncpg
from aiohttp import web

POOL = web.AppKey("pool", asyncpg.Pool)


async def insert(request: web.Request) -> web.Response:
    body = await request.read()
    async with request.app[POOL].acquire() as conn:
        row_id = await conn.fetchval(
            "INSERT INTO drafts (id, body) VALUES ($1, $2) RETURNING id", uuid.uuid4(), body
        )
    return web.json_response({"id": str(row_id)}, status=201)


async def health(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


def create_app(dsn: str) -> web.Application:
    app = web.Application()

    async def pool(app: web.Application) -> AsyncIterator[None]:
        app[POOL] = await asyncpg.create_pool(dsn, min_size=2, max_size=10)
        async with app[POOL].acquire() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS drafts (id uuid PRIMARY KEY, body bytea NOT NULL)"
            )
        yield
        await app[POOL].close()

    app.cleanup_ctx.append(pool)
    app.router.add_post("/drafts", insert)
    app.router.add_get("/healthz", health)
    return app


if __name__ == "__main__":
    web.run_app(
        create_app(os.environ["PORTAL_DATABASE_URL"]),
        host="127.0.0.1",
        port=int(os.environ["PORTAL_PORT"]),
        print=None,
        access_log=None,
    )
