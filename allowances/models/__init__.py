"""Models of the app, one module per area (imported here so Django finds them)."""
