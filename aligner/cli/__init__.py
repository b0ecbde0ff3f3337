"""The thin Typer layer: the app, its use cases and options."""
