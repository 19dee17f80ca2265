"""gunicorn, embedded, so that `compassion serve` needs no separate configuration."""

from typing import Any

from gunicorn.app.base import BaseApplication


class CompassionServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from compassion.wsgi import application

        return application


def run_gunicorn(host: str, port: int, workers: int) -> None:
    CompassionServer(
        {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "timeout": 60,
        }
    ).run()
