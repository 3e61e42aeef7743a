"""Run the notifier: `python -m services.notifier`."""

from __future__ import annotations

from services.notifier.app import create_app
from shared.service import load_settings, serve
from shared.settings import NotifierSettings


def main() -> None:
    settings = load_settings(NotifierSettings, "notifier")
    serve(create_app(settings), settings, "notifier")


if __name__ == "__main__":
    main()
