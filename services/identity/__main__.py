from services.identity.app import create_app
from shared.service import load_settings, serve
from shared.settings import IdentitySettings

settings = load_settings(IdentitySettings, "identity")
serve(create_app(settings), settings, "identity")
