from services.web.app import create_app
from shared.service import load_settings, serve
from shared.settings import WebSettings

settings = load_settings(WebSettings, "web")
serve(create_app(settings), settings, "web")
