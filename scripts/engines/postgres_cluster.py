"""A throwaway PostgreSQL server for CI and tests: its own cluster in a folder, on loopback.

    python scripts/engines/postgres_cluster.py start DIR   # prints the HANDOFF_PG_* exports
    python scripts/engines/postgres_cluster.py stop DIR    # stops it and removes DIR

It never touches the machine's own clusters (Debian's 15/main): `initdb` makes a new one in
DIR, listening on 127.0.0.1 only, on a free port, without a Unix socket. The database is made
the way docs/engines.md asks for a warehouse: byte-order collation "C" (text sorts as on
DuckDB), UTF-8, session time zone UTC, a password-protected login role. Durability is off
(fsync), which is fine for a server that lives as long as a test run. Run as root, the server
runs as the `postgres` user the Debian package creates (PostgreSQL refuses to run as root).
Needs the server binaries: `apt-get install -y postgresql`.
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROLE = "handoff"
DATABASE = "handoff"


class ClusterError(RuntimeError):
    """The server could not be set up; the message says what to do."""


@dataclass(frozen=True)
class Server:
    root: Path
    port: int
    password: str

    def environment(self) -> dict[str, str]:
        """The HANDOFF_PG_* variables profiles.yml's postgres output reads."""
        return {
            "HANDOFF_PG_HOST": "127.0.0.1",
            "HANDOFF_PG_PORT": str(self.port),
            "HANDOFF_PG_USER": ROLE,
            "HANDOFF_PG_PASSWORD": self.password,
            "HANDOFF_PG_DATABASE": DATABASE,
        }


def server_binaries() -> Path:
    """The newest installed PostgreSQL server's bin folder (initdb, pg_ctl)."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ClusterError("no PostgreSQL server binaries (initdb): apt-get install -y postgresql")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses root: run its programs as `postgres` then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(path, account.pw_uid, account.pw_gid)


def _run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def start(root: Path, attempts: int = 3) -> Server:
    """A new cluster in root (new or empty), started, with the role and database.

    Every folder above root must be enterable by the server's user (`postgres` under root).
    """
    binaries = server_binaries()
    root.mkdir(parents=True, mode=0o700, exist_ok=True)
    _give_to_server_user(root)
    password = secrets.token_urlsafe(18)
    password_file = root / "password"
    password_file.write_text(password + "\n")
    _give_to_server_user(password_file)
    data = root / "data"
    _run(
        _as_server_user(
            [
                str(binaries / "initdb"),
                "--pgdata",
                str(data),
                "--username",
                ROLE,
                f"--pwfile={password_file}",
                "--auth=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            ]
        )
    )
    password_file.unlink()
    for attempt in range(attempts):
        port = free_port()
        options = (
            f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories='' "
            "-c timezone=UTC -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        try:
            _run(
                _as_server_user(
                    [
                        str(binaries / "pg_ctl"),
                        "--pgdata",
                        str(data),
                        "--log",
                        str(root / "server.log"),
                        "--wait",
                        "--options",
                        options,
                        "start",
                    ]
                )
            )
            break
        except ClusterError:
            if attempt == attempts - 1:  # another process took the port each time
                raise
            time.sleep(0.5)
    server = Server(root=root, port=port, password=password)
    _create_database(server)
    (root / "port").write_text(str(port))
    return server


def _create_database(server: Server) -> None:
    import psycopg2

    connection = psycopg2.connect(
        host="127.0.0.1", port=server.port, user=ROLE, password=server.password, dbname="postgres"
    )
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"alter role {ROLE} set timezone to 'UTC'")
            cursor.execute(
                f"create database {DATABASE} owner {ROLE} template template0 encoding 'UTF8' "
                "lc_collate 'C' lc_ctype 'C'"
            )
    finally:
        connection.close()


def stop(root: Path) -> None:
    """Stop the cluster in root (if it runs) and remove root."""
    data = root / "data"
    if (data / "postmaster.pid").exists():
        command = [str(server_binaries() / "pg_ctl"), "--pgdata", str(data), "-m", "fast", "stop"]
        subprocess.run(_as_server_user(command), capture_output=True, check=False)
    shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop"))
    parser.add_argument("root", type=Path)
    args = parser.parse_args(argv)
    try:
        if args.action == "start":
            server = start(args.root.resolve())
            for name, value in server.environment().items():
                print(f"export {name}={value}")
        else:
            stop(args.root.resolve())
    except ClusterError as error:
        print(f"postgres_cluster: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
