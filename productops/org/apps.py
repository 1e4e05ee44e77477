from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "productops.org"
    label = "org"
    verbose_name = "Organization"

    def ready(self) -> None:
        from productops.accounts.roles import register_person_lookup
        from productops.org.models import person_id_for_login

        register_person_lookup(person_id_for_login)

        # Single sign-on finds a login's person by e-mail; ops asks who is an admin (who
        # sees every job). Both sit below org and may not import it or accounts' roles.
        from productops.accounts.models import Role
        from productops.accounts.roles import role_of
        from productops.accounts.sign_on import register_person_by_email
        from productops.ops import visibility as ops_visibility
        from productops.org.models import Person

        register_person_by_email(
            lambda email: Person.objects.filter(email__iexact=email.strip()).first()
        )
        ops_visibility.register_admin_check(lambda user: role_of(user) == Role.ADMIN)
