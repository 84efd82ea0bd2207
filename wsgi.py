"""gunicorn entry point: `gunicorn wsgi:server`."""

from webapp import create_app

app = create_app()
server = app.server
