"""The renderer's error messages, for the services that call it and the people they show them to."""

from shared.i18n import Catalog

MESSAGES: Catalog = {
    "internal.unauthorized": {
        "sv": "Den interna nyckeln saknas eller är fel.",
        "en": "The internal key is missing or wrong.",
    },
    "preview.unrenderable": {
        "sv": "Fakturan kunde inte visas: {reason}",
        "en": "The invoice could not be rendered: {reason}",
    },
}
