"""Tools for development and tests; never deployed with the services."""
