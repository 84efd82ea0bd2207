"""Callbacks, registered on an app by `register(app)`; nothing here imports the app object."""
