"""`productops report --out acme.html [--pdf acme.pdf] --as LOGIN [--scope S] [--start D]
[--end D]`: the org health report, for the whole org or one group, team or project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from productops.reports.actions import do_generate_health_report
from productops.reports.health import parse_period, parse_scope
from productops.reports.pdf import html_to_pdf
from productops.reports.render import render_document


class Command(BaseCommand):
    help = "Write the org health report as an HTML file and, with --pdf, a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="the HTML file to write")
        parser.add_argument("--pdf", default="", help="also write this PDF file")
        parser.add_argument("--as", dest="login", required=True, help="whose view to report")
        parser.add_argument("--org", default="", help="the organization's name for the cover")
        parser.add_argument(
            "--scope",
            default="org",
            help="org (the default), group:<team id>, team:<team id> or project:<KEY>",
        )
        parser.add_argument("--start", default="", help="the period's first day, YYYY-MM-DD")
        parser.add_argument("--end", default="", help="the period's last day, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=options["login"])
        except get_user_model().DoesNotExist:
            raise CommandError(
                f"No login named {options['login']!r}: pass an existing login with --as."
            ) from None
        try:
            start, end = parse_period(options["start"], options["end"])
            parse_scope(user, options["scope"])
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        report = do_generate_health_report(
            user, scope=options["scope"] or None, start=start, end=end
        ).report
        html = render_document(report, options["org"])
        try:
            Path(options["out"]).write_text(html, encoding="utf-8")
            if options["pdf"]:
                Path(options["pdf"]).write_bytes(html_to_pdf(html))
        except OSError as error:
            raise CommandError(f"Could not write the file: {error}. Check the path.") from None
        for finding in report["summary"]:
            self.stdout.write(f"- {finding['sentence']}")
        self.stdout.write(
            f"Wrote {options['out']}" + (f" and {options['pdf']}" if options["pdf"] else "")
        )
