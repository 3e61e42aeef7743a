from services.web.app import create_app
from shared.service import serve
from shared.settings import WebSettings

settings = WebSettings()
serve(create_app(settings), settings, "web")
