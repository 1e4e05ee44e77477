from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "productops.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"

    def ready(self) -> None:
        from productops.accounts import password_notices

        password_notices.connect()
