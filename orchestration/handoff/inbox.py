"""The inbox: folders of raw files dropped for the operational loop (`handoff serve`).

A drop is a sub-folder of the inbox (HANDOFF_INBOX_DIR, default data/inbox) holding
`<raw table>.csv|.parquet` files and, written last, an empty `_READY` file. A folder without
`_READY` is still being written and waits. Folders whose name starts with `_` or `.` are the
inbox's own (`_loaded/`, `_rejected/`).

Each drop is appended to `raw` exactly once. The drop ledger is the load ledger `ops.loads`:
every file of a drop is recorded there with `source_label = 'inbox/<folder>'` and its checksum,
in the same transaction as its rows (`handoff.load`). A drop whose folder name and checksums are
already in the ledger is a repeat (a crash between the commit and the move, or the same folder
dropped twice) and is moved away without loading it again. A loaded drop moves to
`_loaded/<folder>`; a malformed one (unknown table, wrong columns, unreadable file) to
`_rejected/<folder>` with the reason in `REJECTED.txt`. Bad rows inside a good drop load and go
to quarantine in staging, as with `handoff load`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from handoff import settings
from handoff.load import LoadError, load
from handoff.load_ledger import LEDGER_TABLE
from handoff.raw_files import FORMATS, file_checksum, inspect_directory
from handoff.warehouse import connect, relation_exists

READY = "_READY"
LOADED = "_loaded"
REJECTED = "_rejected"
REASON_FILE = "REJECTED.txt"
LABEL_PREFIX = "inbox/"


def inbox_dir() -> Path:
    """HANDOFF_INBOX_DIR (relative to the working folder), or data/inbox."""
    configured = os.environ.get("HANDOFF_INBOX_DIR")
    path = Path(configured) if configured else settings.DATA_DIR / "inbox"
    return path if path.is_absolute() else (Path.cwd() / path).resolve()


@dataclass(frozen=True)
class Drop:
    name: str
    path: Path
    ready_at: float  # mtime of _READY (epoch seconds): when the drop was complete

    @property
    def label(self) -> str:
        """How the drop's files are labelled in ops.loads."""
        return LABEL_PREFIX + self.name


def _own_folder(path: Path) -> bool:
    return path.name.startswith(("_", "."))


def ready_drops(inbox: Path) -> list[Drop]:
    """Complete drops (with `_READY`), oldest first."""
    if not inbox.is_dir():
        return []
    drops = []
    for path in inbox.iterdir():
        ready = path / READY
        if path.is_dir() and not _own_folder(path) and ready.is_file():
            drops.append(Drop(path.name, path, ready.stat().st_mtime))
    return sorted(drops, key=lambda drop: (drop.ready_at, drop.name))


def waiting_drops(inbox: Path) -> list[str]:
    """Folders still being written (no `_READY` yet)."""
    if not inbox.is_dir():
        return []
    return sorted(
        path.name
        for path in inbox.iterdir()
        if path.is_dir() and not _own_folder(path) and not (path / READY).exists()
    )


def drop_problem(drop: Drop) -> str | None:
    """Why the drop cannot be loaded (file names, columns against the contract), else None.

    Reads headers only, never the warehouse: the sensor calls it on every evaluation.
    """
    try:
        inspect_directory(drop.path)
    except LoadError as error:
        return str(error)
    return None


def _free_destination(folder: Path, name: str) -> Path:
    """folder/name, or folder/name.<UTC time> when a drop of that name was moved there before."""
    folder.mkdir(parents=True, exist_ok=True)
    destination = folder / name
    if destination.exists():
        destination = folder / f"{name}.{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"
    return destination


def reject(inbox: Path, drop: Drop, reason: str) -> Path:
    """Move the drop to `_rejected/` with the reason next to its files; the new path."""
    destination = _free_destination(inbox / REJECTED, drop.name)
    drop.path.rename(destination)
    (destination / REASON_FILE).write_text(
        f"Rejected at {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC; nothing of it was loaded.\n"
        f"{reason}\n"
        "Fix the files, then move the folder back into the inbox (with its _READY file).\n"
    )
    return destination


def archive(inbox: Path, drop: Drop) -> Path:
    """Move a loaded drop to `_loaded/`; the new path."""
    destination = _free_destination(inbox / LOADED, drop.name)
    drop.path.rename(destination)
    return destination


def drop_checksums(drop: Drop) -> dict[str, str]:
    """file name -> checksum of every data file of the drop (as `ops.loads` records them)."""
    return {
        path.name: file_checksum(path)
        for path in sorted(drop.path.iterdir())
        if path.is_file() and path.suffix.lower() in FORMATS and not path.name.startswith(".")
    }


def already_loaded(database: Path, drop: Drop) -> bool:
    """Whether ops.loads holds this drop's folder name with exactly these files and checksums."""
    if not database.exists():
        return False
    with connect(database, read_only=True) as connection:
        if not relation_exists(connection, *LEDGER_TABLE.split(".")):
            return False
        rows = connection.execute(
            f"select file_name, checksum, load_id from {LEDGER_TABLE} where source_label = ?",
            [drop.label],
        ).fetchall()
    loads: dict[str, dict[str, str]] = {}
    for file_name, checksum, load_id in rows:
        loads.setdefault(load_id, {})[file_name] = checksum
    return drop_checksums(drop) in loads.values()


@dataclass
class IngestResult:
    """What one run did with its drops."""

    loaded: dict[str, dict[str, int]] = field(default_factory=dict)  # drop -> rows per table
    repeated: list[str] = field(default_factory=list)  # already in the ledger: not loaded again
    rejected: dict[str, str] = field(default_factory=dict)  # drop -> reason
    missing: list[str] = field(default_factory=list)  # no longer in the inbox

    @property
    def new_rows(self) -> int:
        return sum(sum(rows.values()) for rows in self.loaded.values())


def ingest(inbox: Path, names: list[str], database: Path) -> IngestResult:
    """Append each named drop to raw in its own transaction, then move it out of the inbox.

    A malformed drop is rejected and the others go on. Any other failure (the warehouse busy,
    a crash) leaves the drop in the inbox for the next run: a drop is either wholly in raw (and
    recorded in ops.loads) or not at all.
    """
    result = IngestResult()
    for name in names:
        path = inbox / name
        if not (path / READY).is_file():
            result.missing.append(name)
            continue
        drop = Drop(name, path, (path / READY).stat().st_mtime)
        if already_loaded(database, drop):
            archive(inbox, drop)
            result.repeated.append(name)
            continue
        try:
            loaded = load(path, database, append=True, source_label=drop.label)
        except LoadError as error:
            reject(inbox, drop, str(error))
            result.rejected[name] = str(error)
            continue
        archive(inbox, drop)
        result.loaded[name] = loaded.rows
    return result
