"""Use-cases called by views and CLI commands; no request or session access here."""
