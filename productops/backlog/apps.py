from django.apps import AppConfig


class BacklogConfig(AppConfig):
    name = "productops.backlog"
    label = "backlog"
    verbose_name = "Backlog and roadmap diagnostics"

    def ready(self) -> None:
        # Tracker exports are the large uploads: once per process start, the upload
        # folder is created and what a killed server or import left in it is removed.
        from productops.imports.uploads import prepare_upload_folder

        prepare_upload_folder()

        from productops.backlog import reminders

        reminders.register()
