"""Opening track files: folders to files, gzip by its magic bytes, the head, sanity checks.

A file is gzipped if it starts with the gzip magic bytes (``1f 8b``),
whatever its name; it is then read decompressed, and a truncated or corrupt
gzip stream raises :class:`ReadError` naming the file, also when the damage
is found late in a big file. An empty file, or a text file with NUL bytes in
its first 64 KiB (binary garbage), is refused naming the file and line.
"""

import gzip
import os
import zlib
from contextlib import contextmanager
from pathlib import Path

from tracks.errors import ReadError

HEAD_BYTES = 64 * 1024
"""How much of a file (decompressed) the format sniffers see."""

GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of every gzip file."""

PARQUET_MAGIC = b"PAR1"
"""The first four bytes of a Parquet file: the one binary format read."""


def file_bytes(path, kind):
    """The bytes of the file at `path`; a missing, folder or unreadable path raises ReadError naming it.

    Parameters
    ----------
    path : pathlib.Path
    kind : str
        What the file should be, for the message on a folder: ``"a CSV file"``.

    Examples
    --------
    >>> file_bytes(Path("/"), "a CSV file")
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: /: is a directory, not a CSV file
    """
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a directory, not {kind}") from None
    except OSError as exc:
        raise ReadError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc


def file_text(path, kind):
    """The UTF-8 text of the file at `path` (a byte-order mark dropped); ReadError naming it otherwise.

    Parameters
    ----------
    path : pathlib.Path
    kind : str
        What the file should be, for the messages: ``"an activation CSV file"``.

    Examples
    --------
    >>> import tempfile
    >>> latin = Path(tempfile.mkdtemp()) / "zones.json"
    >>> _ = latin.write_bytes(b"caf\\xe9")
    >>> file_text(latin, "a JSON geozone file")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: ...zones.json: not UTF-8 text (byte 0xe9); not a JSON geozone file
    """
    raw = file_bytes(path, kind)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); not {kind}") from None


def expand_paths(paths):
    """The files to read: a path, a list of paths, folders expanded.

    Parameters
    ----------
    paths : str, os.PathLike or iterable of them
        As for :func:`listed_paths`.

    Returns
    -------
    list of pathlib.Path
        In the order given, each folder's files sorted.

    Raises
    ------
    ReadError
        As :func:`listed_paths`.

    Examples
    --------
    >>> expand_paths([])
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: no file to read
    """
    return [path for path, _ in listed_paths(paths)]


def listed_paths(paths):
    """The files to read, each with whether it was found in a folder rather than named.

    Parameters
    ----------
    paths : str, os.PathLike or iterable of them
        Files and folders. A folder stands for the files below it, at any
        depth, sorted by path; names starting with ``.`` (hidden files and
        folders) are skipped. A symbolic link in a folder whose target is
        missing, or that loops, is refused (not skipped unsaid).

    Returns
    -------
    list of (pathlib.Path, bool)
        In the order given, each folder's files sorted; True for a file
        found in a folder.

    Raises
    ------
    ReadError
        If a path does not exist, a folder holds no file or a broken link,
        or no path is given.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name in ("b.csv", "a.csv", ".hidden"):
    ...     _ = (folder / name).write_text("x")
    >>> [(path.name, in_folder) for path, in_folder in listed_paths([folder / "b.csv", folder])]
    [('b.csv', False), ('a.csv', True), ('b.csv', True)]
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            shown = [
                found
                for found in path.rglob("*")
                if not any(part.startswith(".") for part in found.relative_to(path).parts)
            ]
            broken = [found for found in shown if found.is_symlink() and not found.exists()]
            if broken:
                raise ReadError(
                    f"{broken[0]}: a symbolic link to nothing (its target is missing, or it loops); "
                    f"remove it, or read the files of {path} one by one"
                )
            inside = sorted(found for found in shown if found.is_file())
            if not inside:
                raise ReadError(f"{path}: the folder holds no file to read")
            files.extend((found, True) for found in inside)
        elif path.exists():
            files.append((path, False))
        else:
            raise ReadError(f"{path}: no such file or folder")
    if not files:
        raise ReadError("no file to read")
    return files


@contextmanager
def open_track_file(path):
    """Open a file for reading, decompressed if gzipped, and read its head.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Yields
    ------
    stream : binary file object
        At the start of the (decompressed) content. Errors of a truncated
        or corrupt gzip stream raise :class:`ReadError` naming the file.
    head : bytes
        The first :data:`HEAD_BYTES` bytes of the content.

    Raises
    ------
    ReadError
        ``"{path}: ..."`` if the file cannot be opened, is empty (also once
        decompressed), or its gzip stream is truncated or corrupt.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "fixes.csv.gz"
    >>> _ = path.write_bytes(gzip.compress(b"time,lat,lon\\n1,59.8,26.3\\n"))
    >>> with open_track_file(path) as (stream, head):
    ...     head, stream.readline()
    (b'time,lat,lon\\n1,59.8,26.3\\n', b'time,lat,lon\\n')
    """
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise ReadError(f"{path}: cannot open the file ({exc.strerror or exc})") from None
    with raw:
        magic = raw.read(2)
        raw.seek(0)
        stream = _NamedGzipFile(path, raw) if magic == GZIP_MAGIC else raw
        head = stream.read(HEAD_BYTES)
        if not head.strip():
            zipped = " (once decompressed)" if stream is not raw else ""
            raise ReadError(f"{path}:1: the file is empty{zipped}")
        stream.seek(0)
        yield stream, head


def is_empty_file(path) -> bool:
    """Whether the file at `path` holds no byte: in a folder, no recording (an ``__init__.py``, an hour with no data).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "__init__.py"
    >>> _ = path.write_bytes(b"")
    >>> is_empty_file(path)
    True
    """
    return Path(path).stat().st_size == 0


def check_text(head, path):
    """Refuse binary garbage: NUL bytes in the head of a file that is not Parquet.

    Parameters
    ----------
    head : bytes
        The first bytes of the (decompressed) file.
    path : pathlib.Path
        For the message.

    Raises
    ------
    ReadError
        ``"{path}:{line}: binary data ..."`` naming the line of the first NUL.

    Examples
    --------
    >>> check_text(b"time,lat\\n1,\\x00", Path("x.csv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    tracks.errors.ReadError: x.csv:2: binary data (a NUL byte), not a text track format (or text in UTF-16: ...)
    """
    if head.startswith(PARQUET_MAGIC):
        return
    nul_at = head.find(b"\x00")
    if nul_at >= 0:
        line = head.count(b"\n", 0, nul_at) + 1
        raise ReadError(
            f"{path}:{line}: binary data (a NUL byte), "
            "not a text track format (or text in UTF-16: save it as UTF-8)"
        )


class _NamedGzipFile(gzip.GzipFile):
    """A gzip reader whose stream errors are ValueErrors naming the file."""

    def __init__(self, path, fileobj):
        super().__init__(fileobj=fileobj, mode="rb")
        self._path = path

    def _named(self, method, *args):
        try:
            return method(*args)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise ReadError(
                f"{self._path}: truncated or corrupt gzip data ({exc})"
            ) from None

    def read(self, size=-1):
        return self._named(super().read, size)

    def read1(self, size=-1):
        return self._named(super().read1, size)

    def readinto(self, buffer):
        return self._named(super().readinto, buffer)

    def readline(self, size=-1):
        return self._named(super().readline, size)

    def peek(self, n):
        return self._named(super().peek, n)

    def seek(self, offset, whence=0):
        return self._named(super().seek, offset, whence)
