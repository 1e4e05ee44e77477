"""A killed server or import leaves no upload files and a log entry that says it did not
finish (finding L7)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from productops.backlog.actions import do_mark_unfinished_imports, import_tracker
from productops.backlog.models import ImportStatus, Item, TrackerImport
from productops.imports.uploads import clean_stale_uploads, prepare_upload_folder, upload_folder
from tests.cast import build_cast

pytestmark = pytest.mark.django_db


def jira_csv(path: Path, issues: int) -> Path:
    with path.open("w", encoding="utf-8") as out:
        out.write("Issue key,Summary,Status\n")
        for number in range(1, issues + 1):
            out.write(f"BIG-{number},Issue number {number},Done\n")
    return path


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_an_import_stopped_halfway_is_logged_as_not_finished(tmp_path: Path) -> None:
    export = jira_csv(tmp_path / "big.csv", 1200)

    def stop(done: int, total: int | None) -> None:
        assert TrackerImport.objects.get().status == ImportStatus.RUNNING  # written first
        raise KeyboardInterrupt  # Ctrl-C halfway

    with pytest.raises(KeyboardInterrupt):
        import_tracker([export], format="jira-csv", progress=stop)

    run = TrackerImport.objects.get()
    assert run.status == ImportStatus.UNFINISHED and run.get_status_display() == "did not finish"
    assert "stopped before the end" in run.errors[0]["reason"]
    assert not Item.objects.exists()


def test_a_run_whose_process_is_gone_is_marked_when_the_imports_are_shown() -> None:
    cast = build_cast()
    gone = TrackerImport.objects.create(
        format="jira-json", status=ImportStatus.RUNNING, host=socket.gethostname(), pid=dead_pid()
    )
    alive = TrackerImport.objects.create(
        format="jira-json", status=ImportStatus.RUNNING, host=socket.gethostname(), pid=os.getpid()
    )
    elsewhere_old = TrackerImport.objects.create(
        format="jira-csv",
        status=ImportStatus.RUNNING,
        host="another-machine",
        pid=1,
        started_at=timezone.now() - timedelta(hours=7),
    )
    client = Client()
    client.force_login(cast.hana_user)

    page = client.get(reverse("backlog:import"))

    assert "did not finish" in page.content.decode()
    statuses = dict(TrackerImport.objects.values_list("pk", "status"))
    assert statuses[gone.pk] == statuses[elsewhere_old.pk] == ImportStatus.UNFINISHED
    assert statuses[alive.pk] == ImportStatus.RUNNING
    assert do_mark_unfinished_imports() == 0  # marked once


def test_a_killed_import_command_is_on_record_as_not_finished(tmp_path: Path) -> None:
    """SIGKILL a real `productops import-tracker` halfway through a large export."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["PRODUCTOPS_DATA_DIR"] = str(tmp_path / "data")
    command = [sys.executable, "-m", "productops"]
    subprocess.run([*command, "migrate", "-v", "0"], env=env, check=True, timeout=300)
    export = jira_csv(tmp_path / "huge.csv", 60_000)
    database = tmp_path / "data" / "productops.sqlite3"

    def runs() -> list[tuple[str, int | None]]:
        with sqlite3.connect(database, timeout=30) as db:
            return db.execute("SELECT status, pid FROM backlog_trackerimport").fetchall()

    process = subprocess.Popen(
        [*command, "import-tracker", "--format", "jira-csv", str(export)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not runs() and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        assert runs() == [("running", process.pid)], "the log row is written when the run starts"
        time.sleep(1)  # well into reading and writing the 60,000 issues
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()

    marked = subprocess.run(
        [
            *command,
            "shell",
            "-c",
            "from productops.backlog.actions import do_mark_unfinished_imports as m; print(m())",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert marked.stdout.strip().splitlines()[-1] == "1"
    assert runs() == [("unfinished", process.pid)]
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM backlog_item").fetchone() == (0,)


def test_stale_upload_files_are_removed_and_fresh_ones_kept(tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    with override_settings(FILE_UPLOAD_TEMP_DIR=str(folder)):
        assert upload_folder() == folder and folder.is_dir()
        old = folder / "tmpab12.upload.json"
        old.write_bytes(b"x" * 1000)
        fresh = folder / "tmpcd34.upload.csv"
        fresh.write_bytes(b"y")
        old_import = folder / "productops-import-1234"
        old_import.mkdir()
        (old_import / "page-1.json").write_text("[]")
        hours_ago = time.time() - 2 * 3600
        for path in (old, old_import / "page-1.json", old_import):
            os.utime(path, (hours_ago, hours_ago))

        prepare_upload_folder()  # what each process start runs

        assert sorted(p.name for p in folder.iterdir()) == [fresh.name]
        assert clean_stale_uploads() == 0


def test_without_an_upload_folder_setting_the_system_temp_dir_is_left_alone() -> None:
    with override_settings(FILE_UPLOAD_TEMP_DIR=None):
        assert upload_folder() is None
        assert clean_stale_uploads() == 0
