"""`file`: JSON lines, one file per feed (`<feed>.jsonl`), the embedded default.

A row is written once: keys already in the file are accepted without writing again, so a run
killed between writing and logging never duplicates a line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, ClassVar, Literal

from handoff import settings as project_settings
from handoff.delivery.feeds import Row, dumps, key_column, row_key
from handoff.delivery.outcomes import BatchResult, TransientError
from handoff.delivery.targets.base import RepDirectory, Target, TargetSettings
from handoff.spreadsheet import inert_row


class FileSettings(TargetSettings):
    type: Literal["file"] = "file"
    directory: str = "data/deliveries"
    batch_size: int = 1000

    def build(self, name: str, environ) -> FileTarget:
        return FileTarget(name, self)


def write_rows(handle: IO[str], rows: list[Row]) -> None:
    """The one place rows become file content: formula-looking text made inert (OWASP)."""
    handle.write("".join(dumps(inert_row(row)) + "\n" for row in rows))


class FileTarget(Target):
    kind: ClassVar[str] = "file"
    settings: FileSettings

    def __init__(self, name: str, settings: FileSettings):
        super().__init__(name, settings)
        folder = Path(settings.directory)
        self.directory = folder if folder.is_absolute() else project_settings.PROJECT_DIR / folder
        self._written: dict[str, set[str]] = {}

    def path(self, feed: str) -> Path:
        return self.directory / f"{feed}.jsonl"

    def open(self, directory: RepDirectory) -> None:
        self._written.clear()

    def _keys_in_file(self, feed: str) -> set[str]:
        if feed not in self._written:
            keys: set[str] = set()
            path, column = self.path(feed), key_column(feed)
            if path.exists():
                with path.open() as handle:
                    for line in handle:
                        if line.strip():
                            keys.add(str(json.loads(line)[column]))
            self._written[feed] = keys
        return self._written[feed]

    def send(self, feed: str, rows: list[Row], batch_key: str) -> BatchResult:
        written = self._keys_in_file(feed)
        new_rows = [row for row in rows if row_key(feed, row) not in written]
        if new_rows:
            try:
                self.directory.mkdir(parents=True, exist_ok=True)
                with self.path(feed).open("a") as handle:
                    write_rows(handle, new_rows)
            except OSError as error:
                raise TransientError(f"cannot write {self.path(feed).name}: {error}") from None
            written.update(row_key(feed, row) for row in new_rows)
        return BatchResult.all_accepted([row_key(feed, row) for row in rows], self.path(feed).name)
