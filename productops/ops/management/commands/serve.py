"""`productops serve [ADDRESS:PORT] [--with-worker]`: serve productops with gunicorn.

productops serve                     # PRODUCTOPS_BIND, else 127.0.0.1:8000
productops serve 0.0.0.0:8000        # every IPv4 address (behind a proxy: keep 127.0.0.1)
productops serve --with-worker 8000  # also run `productops worker`, stopped with the server
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.ops.serve import (
    ServeConfig,
    ServeError,
    check_address_free,
    collect_static,
    serve,
)


class Command(BaseCommand):
    help = (
        "Serve productops with gunicorn (static files by WhiteNoise). SIGHUP restarts the "
        "workers gracefully, SIGTERM stops the server."
    )
    # The system checks run once here, not again in each gunicorn worker.
    requires_system_checks = "__all__"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "address",
            nargs="?",
            help="A port or ADDRESS:PORT (8000, 0.0.0.0:8000, [::1]:8000); default "
            "PRODUCTOPS_BIND, else 127.0.0.1:8000.",
        )
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run `productops worker` (background tasks) and stop it with the server.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            config = ServeConfig.from_environment(options["address"])
            check_address_free(config.address)
        except ServeError as error:
            raise CommandError(str(error)) from None
        # Hashed, compressed copies for WhiteNoise to serve with long cache headers.
        collect_static()
        self.stdout.write(
            f"productops on http://{config.address.bind}/ ({config.workers} workers, "
            f"{config.threads} threads each"
            + (", with the background worker)" if options["with_worker"] else ")")
        )
        self.stdout.flush()
        serve(config, with_worker=options["with_worker"])
