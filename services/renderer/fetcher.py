"""The only way WeasyPrint may load anything: `data:` URLs and the renderer's own assets.

An invoice is built from what suppliers typed. Autoescaping keeps their text from becoming markup,
and this fetcher is the second wall: should markup ever slip through, `file:///etc/passwd`,
`http://169.254.169.254/…` or a `<link rel="attachment">` stops the rendering instead of
reading a file or reaching the network from inside our hosts.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

ASSETS = Path(__file__).parent / "assets"


# WeasyPrint has no type hints, hence the ignore.
class AssetsOnly(URLFetcher):  # type: ignore[misc]
    """Hands WeasyPrint `data:` URLs and files inside `assets`; anything else aborts the render."""

    def __init__(self, assets: Path = ASSETS) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=True)
        self.assets = assets.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self.asset(url)
        if path is None:
            # Fatal, so WeasyPrint aborts rather than warn and draw the page without it.
            raise FatalURLFetchingError(f"refused to fetch {url[:200]!r}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}
        )

    def asset(self, url: str) -> Path | None:
        """The file `url` names when it is a local file inside the assets, else None."""
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        # resolve() follows symlinks and "..", so nothing outside the folder passes.
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.assets) or not path.is_file():
            return None
        return path
