from services.identity.app import create_app
from shared.service import serve
from shared.settings import IdentitySettings

settings = IdentitySettings()
serve(create_app(settings), settings, "identity")
