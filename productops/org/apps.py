from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "productops.org"
    label = "org"
    verbose_name = "Organization"

    def ready(self) -> None:
        from productops.accounts.roles import register_person_lookup
        from productops.org.models import person_id_for_login

        register_person_lookup(person_id_for_login)
