"""What a reader did with each row of a file: read, accepted, rejected by reason."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tracks.errors import ReadError

FIRST_LINES_KEPT = 5
"""How many line numbers of rejected rows a report keeps per reason."""

SUSPECT_NOTE = "flagged suspect: {jump} fix(es) at impossible jumps, {frozen} frozen"
"""The note of a file's suspect fixes, by reason."""

_SUSPECT_COUNTS = re.compile(r"^flagged suspect: (\d+) fix\(es\) at impossible jumps, (\d+) frozen$")


@dataclass
class TrackReadReport:
    """What :func:`read_tracks_csv` did with each row of a file.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    rows_read : int
        Data rows in the file (non-blank lines after the header).
    rows_accepted : int
        Rows in the returned table; ``rows_accepted + rows_rejected ==
        rows_read``.
    reordered : int
        Accepted rows that came earlier in time than a previous row of the
        same track; the table is sorted, so they are not lost.
    rejected : dict of str to int
        Rejected rows by reason (keys from :data:`REJECT_REASONS`).
    first_rejected_lines : dict of str to list of int
        The file lines of the first (up to 5) rejected rows, by reason.
    notes : list of str
        Everything else a person should know (naive times read as UTC,
        unknown columns kept, ...).

    Examples
    --------
    >>> report = TrackReadReport(Path("fixes.csv"), rows_read=9, rows_accepted=7)
    >>> report.reject("missing lon/lat", [4, 8])
    >>> report.note("times without a zone read as UTC")
    >>> print(report)
    fixes.csv: 9 rows read, 7 accepted, 2 rejected, 0 reordered
      rejected 2: missing lon/lat (line 4, 8)
      note: times without a zone read as UTC
    """

    path: Path
    rows_read: int = 0
    rows_accepted: int = 0
    reordered: int = 0
    rejected: dict = field(default_factory=dict)
    first_rejected_lines: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)

    @property
    def rows_rejected(self):
        """Rows rejected, all reasons together.

        Examples
        --------
        >>> TrackReadReport(Path("fixes.csv"), rejected={"missing lon/lat": 2, "bad time": 1}).rows_rejected
        3
        """
        return sum(self.rejected.values())

    def reject(self, reason, lines, count=None):
        """Count rows rejected for `reason`, remembering their first lines.

        Parameters
        ----------
        reason : str
            Why the rows were rejected, in words a person understands.
        lines : array_like of int
            The 1-based file lines (or record numbers) of the rejected rows,
            in file order; with `count`, of the first of them only.
        count : int, optional
            How many rows were rejected (default: as many as `lines`).

        Examples
        --------
        >>> report = TrackReadReport(Path("fixes.csv"))
        >>> report.reject("bad time", [3, 4, 5, 6, 7, 8])
        >>> report.reject("bad time", [20], count=4)  # four more, the first on line 20
        >>> report.rejected, report.first_rejected_lines
        ({'bad time': 10}, {'bad time': [3, 4, 5, 6, 7]})
        """
        lines = np.asarray(lines, dtype=np.int64).ravel()
        count = lines.size if count is None else count
        if count == 0:
            return
        self.rejected[reason] = self.rejected.get(reason, 0) + int(count)
        kept = self.first_rejected_lines.setdefault(reason, [])
        kept.extend(lines[: max(FIRST_LINES_KEPT - len(kept), 0)].tolist())

    def refuse_rejected(self):
        """Raise for the first rejected row, if any (strict mode).

        Raises
        ------
        ReadError
            ``"{path}:{line}: rejected ({reason}); {count} row(s) rejected for
            this reason (strict mode)"``.

        Examples
        --------
        >>> report = TrackReadReport(Path("fixes.csv"))
        >>> report.refuse_rejected()  # nothing rejected: no error
        >>> report.reject("bad time", [3, 9])
        >>> report.refuse_rejected()
        Traceback (most recent call last):
        ...
        tracks.errors.ReadError: fixes.csv:3: rejected (bad time); 2 row(s) rejected for this reason (strict mode)
        """
        for reason, count in self.rejected.items():
            raise ReadError(
                f"{self.path}:{self.first_rejected_lines[reason][0]}: rejected ({reason}); "
                f"{count} row(s) rejected for this reason (strict mode)"
            )

    def note(self, text):
        """Record something a person should know about the file.

        Examples
        --------
        >>> report = TrackReadReport(Path("fixes.csv"))
        >>> report.note("unknown column 'squawk' kept")
        >>> report.notes
        ["unknown column 'squawk' kept"]
        """
        self.notes.append(text)

    def add(self, other):
        """Count in this report the rows `other` tells of: the same file, its rows read in parts.

        Counts add up, the first rejected lines of both are kept (the first
        of them by line), the notes of `other` not told here already are added, and the
        suspect fixes of both are told in one note.

        Examples
        --------
        >>> whole = TrackReadReport(Path("sv.csv"), rows_read=9, rows_accepted=4)
        >>> whole.reject("missing lon/lat", [7])
        >>> whole.note(SUSPECT_NOTE.format(jump=1, frozen=0))
        >>> part = TrackReadReport(Path("sv.csv"), rows_accepted=3, reordered=1)
        >>> part.reject("missing lon/lat", [2, 8])
        >>> part.note(SUSPECT_NOTE.format(jump=2, frozen=1))
        >>> whole.add(part)
        >>> print(whole)
        sv.csv: 9 rows read, 7 accepted, 3 rejected, 1 reordered
          rejected 3: missing lon/lat (line 2, 7, 8)
          note: flagged suspect: 3 fix(es) at impossible jumps, 1 frozen
        """
        self.rows_read += other.rows_read
        self.rows_accepted += other.rows_accepted
        self.reordered += other.reordered
        for reason, count in other.rejected.items():
            self.rejected[reason] = self.rejected.get(reason, 0) + count
            lines = self.first_rejected_lines.get(reason, []) + other.first_rejected_lines.get(reason, [])
            self.first_rejected_lines[reason] = sorted(lines)[:FIRST_LINES_KEPT]
        suspect = [0, 0]
        notes = []
        for mine, note in [(True, note) for note in self.notes] + [(False, note) for note in other.notes]:
            counts = _SUSPECT_COUNTS.match(note)
            if counts:
                suspect = [suspect[0] + int(counts[1]), suspect[1] + int(counts[2])]
            elif mine or note not in self.notes:
                notes.append(note)
        if any(suspect):
            notes.append(SUSPECT_NOTE.format(jump=suspect[0], frozen=suspect[1]))
        self.notes = notes

    def __str__(self):
        lines = [
            f"{self.path}: {self.rows_read} rows read, {self.rows_accepted} accepted, "
            f"{self.rows_rejected} rejected, {self.reordered} reordered"
        ]
        for reason, count in self.rejected.items():
            shown = ", ".join(map(str, self.first_rejected_lines[reason]))
            more = ", ..." if count > len(self.first_rejected_lines[reason]) else ""
            lines.append(f"  rejected {count}: {reason} (line {shown}{more})")
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)
