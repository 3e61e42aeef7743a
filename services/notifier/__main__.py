"""Run the notifier: `python -m services.notifier`."""

from __future__ import annotations

from services.notifier.app import create_app
from shared.service import serve
from shared.settings import NotifierSettings


def main() -> None:
    settings = NotifierSettings()
    serve(create_app(settings), settings, "notifier")


if __name__ == "__main__":
    main()
