"""A TestCase with a real SMTP server on loopback for the whole class."""

from __future__ import annotations

from django.test import TestCase

from tests.notify.mail_server import MailServer


class MailTestCase(TestCase):
    server: MailServer

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = MailServer().start()
        cls.addClassCleanup(cls.server.stop)

    def setUp(self) -> None:
        self.server.take()
        override = self.server.settings()
        override.enable()
        self.addCleanup(override.disable)
