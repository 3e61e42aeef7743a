"""The privacy policy users accept at registration; its text is on the /privacy page."""

PRIVACY_POLICY_VERSION = "2026-11-01"
