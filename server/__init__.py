"""The composition root: ASGI app, settings, auth, middleware, routes and CLI."""
