"""Run the renderer: `python -m services.renderer`."""

from __future__ import annotations

from services.renderer.app import create_app
from shared.service import load_settings, serve
from shared.settings import RendererSettings


def main() -> None:
    settings = load_settings(RendererSettings, "renderer")
    serve(create_app(settings), settings, "renderer")


if __name__ == "__main__":
    main()
