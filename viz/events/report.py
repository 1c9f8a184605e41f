"""What a load did: read, kept, rejected and why, places not resolved.

Every rejected row is named by file, row and column with the reason, and
``rows_read == rows_kept + rows_rejected`` holds for every file.  Places
that could not be resolved are listed; their rows are kept with empty
coordinates, never dropped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problem:
    file: str
    row: int | None  # the row's line in a text file (header = line 1), or record number
    column: str | None
    reason: str
    value: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        val = f" (value {self.value!r})" if self.value not in (None, "") else ""
        return f"{where}: {self.reason}{val}"


@dataclass
class FileReport:
    file: str
    format: str = ""
    encoding: str = ""
    rows_read: int = 0
    rows_kept: int = 0
    rows_rejected: int = 0
    geocoded: int = 0
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unresolved: Counter[str] = field(default_factory=Counter)  # "place (CC)" -> rows

    def check(self) -> None:
        assert self.rows_read == self.rows_kept + self.rows_rejected, self


@dataclass
class LoadReport:
    files: list[FileReport] = field(default_factory=list)
    unreadable: list[Problem] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_kept(self) -> int:
        return sum(f.rows_kept for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def unresolved(self) -> Counter[str]:
        out: Counter[str] = Counter()
        for f in self.files:
            out.update(f.unresolved)
        return out

    @property
    def nothing_read(self) -> bool:
        return not self.files or self.rows_read == 0

    def summary(self, *, limit: int = 20) -> str:
        lines = []
        for p in self.unreadable:
            lines.append(f"could not read {p}")
        for f in self.files:
            enc = f", {f.encoding}" if f.encoding else ""
            lines.append(
                f"{f.file} ({f.format}{enc}): {f.rows_read} rows read, {f.rows_kept} kept, {f.rows_rejected} rejected"
                + (f", {f.geocoded} places geocoded" if f.geocoded else "")
            )
            for p in f.rejected[:limit]:
                lines.append(f"  rejected: {p}")
            if len(f.rejected) > limit:
                lines.append(f"  ... and {len(f.rejected) - limit} more rejected rows")
            for p in f.warnings[:limit]:
                lines.append(f"  warning: {p}")
            if len(f.warnings) > limit:
                lines.append(f"  ... and {len(f.warnings) - limit} more warnings")
            if f.unresolved:
                shown = ", ".join(f"{k} ({n} rows)" for k, n in f.unresolved.most_common(limit))
                more = f" and {len(f.unresolved) - limit} more" if len(f.unresolved) > limit else ""
                lines.append(f"  places not resolved (rows kept, no coordinates): {shown}{more}")
        lines.append(
            f"total: {self.rows_read} rows read, {self.rows_kept} kept, {self.rows_rejected} rejected; "
            f"{sum(self.unresolved.values())} rows with places not resolved; {len(self.unreadable)} files unreadable"
        )
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        def prob(p: Problem) -> dict[str, Any]:
            return {"file": p.file, "row": p.row, "column": p.column, "reason": p.reason, "value": p.value}

        return {
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "rows_rejected": self.rows_rejected,
            "unreadable": [prob(p) for p in self.unreadable],
            "files": [
                {
                    "file": f.file,
                    "format": f.format,
                    "encoding": f.encoding,
                    "rows_read": f.rows_read,
                    "rows_kept": f.rows_kept,
                    "rows_rejected": f.rows_rejected,
                    "geocoded": f.geocoded,
                    "rejected": [prob(p) for p in f.rejected],
                    "warnings": [prob(p) for p in f.warnings],
                    "unresolved": dict(f.unresolved),
                }
                for f in self.files
            ],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> LoadReport:
        """The report :meth:`to_dict` wrote (the dataset store keeps it beside the frame)."""

        def prob(p: dict[str, Any]) -> Problem:
            return Problem(p["file"], p.get("row"), p.get("column"), p["reason"], p.get("value"))

        out = cls(unreadable=[prob(p) for p in d.get("unreadable", [])])
        for f in d.get("files", []):
            out.files.append(
                FileReport(
                    file=f["file"],
                    format=f.get("format", ""),
                    encoding=f.get("encoding", ""),
                    rows_read=f["rows_read"],
                    rows_kept=f["rows_kept"],
                    rows_rejected=f["rows_rejected"],
                    geocoded=f.get("geocoded", 0),
                    rejected=[prob(p) for p in f.get("rejected", [])],
                    warnings=[prob(p) for p in f.get("warnings", [])],
                    unresolved=Counter(f.get("unresolved", {})),
                )
            )
        return out
