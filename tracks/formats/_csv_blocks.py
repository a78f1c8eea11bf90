"""The data lines of a CSV stream as frames: pyarrow while it can, pandas from there on.

Not a format: the registry skips modules whose name starts with ``_``.

The data lines are cut into blocks of about ``chunk_rows`` lines (the size in
bytes estimated from the first lines; a block ends at a line end, before its
last line if that line leaves a quote open), each parsed by pyarrow's CSV
reader on all cores, with the column types given: numbers as float64, text
as text, flags as booleans, and pandas' words for a missing value (``NA``,
``null``, ``nan``, ...) as missing. pyarrow reads every line as one row
(quotes are not special to it: a text field in quotes is unquoted
afterwards, as pandas does), so the line of every row is exact.

pyarrow is first told only the empty field is missing (checking every field
against all the words costs it 5 to 8% of its time): in text the other words
are found among the distinct values afterwards, a number column takes
``nan`` and ``NaN`` as NaN (what a missing number becomes), and a block
where a number or flag holds another of the words is parsed again with all
of them, as is the rest of the stream.

At the first block pyarrow refuses (a number column holding text, a flag
that is not ``true``/``false``/``1``/``0``, a line with too few or too many
fields, a quoted field holding the delimiter or a line end, a number in
quotes, text that is not UTF-8), pandas' C parser reads the rest of the
stream from the start of that block, in chunks, text as text, the rest as
pandas infers it, bytes that are not UTF-8 as Latin-1 (with a note): what
pandas reads is what the tabular readers always read, and a file pyarrow
reads whole gives the same values. From there the line of
a row is the line pandas started on plus the row's position (a quoted field
spanning lines shifts the rows after it).

Parsing runs in a thread, one block ahead of the caller, so that it overlaps
with the caller's work on the block before; the caller turns pyarrow's table
into a pandas frame, so that this too overlaps with parsing.
"""

import codecs
import io
import os
import queue
import re
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from tracks.errors import ReadError
from tracks.missing import MISSING_WORDS

_ARROW_TYPES = {
    "number": pa.float64(),
    "text": pa.string(),  # dictionary-encoded afterwards, over the whole block at once
    "flag": pa.bool_(),
}
_MISSING = pa.array(MISSING_WORDS)
_NEWLINE = b"\n"
_QUOTE = b'"'
_QUOTED = r'^"(?:[^"]|"")*"$'  # a field in quotes, whole
_PANDAS_LINE = re.compile(r"line (\d+)")


def csv_blocks(stream, path, names, header_line, kinds, *, delimiter=",", chunk_rows=1_000_000,
               report=None):
    """Parse the data lines of a CSV stream in chunks.

    Parameters
    ----------
    stream : binary file object
        Seekable, at the start of the first data line (just after the
        header line).
    path : pathlib.Path
        For messages.
    names : list of str
        The header's column names, in file order.
    header_line : int
        The 1-based line of the header.
    kinds : dict of str to str
        The columns to parse, in file order, each ``"number"``, ``"text"`` or
        ``"flag"``.
    delimiter : str, optional
    chunk_rows : int, optional
        About how many rows a chunk holds.
    report : tracks.report.TrackReadReport, optional
        Told when bytes that are not UTF-8 were read as Latin-1.

    Yields
    ------
    frame : pandas.DataFrame
        The columns of `kinds`. From pyarrow: numbers as float64, text as
        categoricals, flags as nullable booleans; from pandas: text as
        text (object), the others as pandas infers them.
    lines : numpy.ndarray of int64
        The file line of each row.

    Raises
    ------
    ReadError
        ``"{path}:{line}: ..."``: a header and no data rows, a line pandas
        cannot parse.
    """
    rows_done = 0
    parsed = _parsed(stream, path, names, header_line + 1, kinds, delimiter, chunk_rows, report)
    for frame, lines in _parsed_ahead(parsed):
        if isinstance(frame, pa.Table):  # made a frame here, while the next block is parsed
            frame = _frame(frame, kinds)
        rows_done += len(frame)
        yield frame, lines
    if rows_done == 0:
        raise ReadError(f"{path}:{header_line}: a header and no data rows")


def _parsed(stream, path, names, first_line, kinds, delimiter, chunk_rows, report):
    """``(table or frame, lines)`` of every chunk: pyarrow's tables, then pandas' frames to the end."""
    blocks = _blocks(stream, _block_bytes(stream, chunk_rows))
    n_text = sum(kind == "text" for kind in kinds.values())
    missing = [""]  # the words pyarrow takes as missing: all of them once a block needs it
    with ThreadPoolExecutor(max_workers=max(n_text, 1), thread_name_prefix="csv-text") as pool:
        for start, block in blocks:
            table = _arrow_table(block, names, kinds, delimiter, pool, missing)
            if table is None and len(missing) < len(MISSING_WORDS):
                missing = list(MISSING_WORDS)
                table = _arrow_table(block, names, kinds, delimiter, pool, missing)
            if table is None:
                break
            yield table, first_line + np.arange(table.num_rows, dtype=np.int64)
            first_line += table.num_rows
        else:
            return
    del block
    blocks.close()  # its buffer is freed before pandas reads on
    stream.seek(start)
    yield from _pandas_frames(stream, path, names, first_line, kinds, delimiter, chunk_rows, report)


# --- blocks of whole lines ------------------------------------------------------


def _block_bytes(stream, chunk_rows):
    """Bytes of about `chunk_rows` lines, judged from the lines at the stream's position."""
    at = stream.tell()
    sample = stream.read(1 << 16)
    stream.seek(at)
    return max(int(chunk_rows * len(sample) / max(sample.count(_NEWLINE), 1)), 1)


def _blocks(stream, block_bytes):
    """Yield ``(offset, block)``: blocks of whole lines (memoryviews) and where they start.

    The blocks share one buffer, of `block_bytes` or the file's size on disk
    if smaller (a small file takes little memory; a small gzipped file is
    read in blocks of its compressed size): a block is valid until the next
    is asked for. The first blocks are smaller (an eighth, a quarter, a
    half), so that the caller's work on them starts sooner. The last block
    is the rest of the stream, with or without a final line end.
    """
    offset = stream.tell()
    buffer = bytearray(min(block_bytes, _size_on_disk(stream) or block_bytes))
    size = max(len(buffer) // 8, 1)  # of the next block
    n_kept = 0  # bytes of an unfinished line at the start of the buffer
    while True:
        n_read = n_kept + _read_into(stream, memoryview(buffer)[n_kept:size])
        if n_read < size:  # the end of the stream
            if n_read:
                yield offset, memoryview(buffer)[:n_read]
            return
        cut = _cut(buffer, size)
        if cut == 0:  # a line longer than the block: a longer block
            if size == len(buffer):
                buffer = buffer + bytearray(len(buffer))
            size, n_kept = min(2 * size, len(buffer)), n_read
            continue
        yield offset, memoryview(buffer)[:cut]
        offset += cut
        n_kept = n_read - cut
        buffer[:n_kept] = buffer[cut:n_read]
        size = min(2 * size, len(buffer))


def _size_on_disk(stream):
    """The size of the file under `stream`, or None if it has none."""
    try:
        return max(os.fstat(stream.fileno()).st_size, 1)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None


def _cut(buffer, size):
    """Where the block ``buffer[:size]`` ends: after its last line end, or before its last line.

    A last line with an odd number of quotes leaves a quoted field open: the
    record goes on in the next block, where it starts whole (for pyarrow, or
    for pandas to read from its start).
    """
    cut = buffer.rfind(_NEWLINE, 0, size) + 1
    last_line = buffer.rfind(_NEWLINE, 0, max(cut - 1, 0)) + 1
    if last_line and buffer[last_line:cut].count(_QUOTE) % 2:
        return last_line
    return cut


def _read_into(stream, view):
    """Fill `view` from `stream` (less only at its end); how many bytes were read."""
    n_read = 0
    while n_read < len(view):
        got = stream.readinto(view[n_read:])
        if not got:
            break
        n_read += got
    return n_read


# --- pyarrow ------------------------------------------------------------------------


def _arrow_table(block, names, kinds, delimiter, pool, missing):
    """A block parsed by pyarrow, one row per line, text unquoted; None if pyarrow refuses it.

    pyarrow takes the words of `missing` as missing (in text, all of
    :data:`MISSING_WORDS` are, see :func:`_unquoted`). The text columns are
    unquoted at once, one a thread of `pool` (each takes one core: pyarrow's
    parse is over, its threads are idle).
    """
    try:
        table = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(block)),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=True, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, quote_char=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=list(kinds),
                column_types={name: _ARROW_TYPES[kind] for name, kind in kinds.items()},
                null_values=missing,
                strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    text = [name for name in table.column_names if kinds[name] == "text"]
    for name, unquoted in zip(text, pool.map(_unquoted, [table.column(name) for name in text])):
        if unquoted is None:
            return None
        table = table.set_column(table.column_names.index(name), name, unquoted)
    return table


def _unquoted(column):
    """A text column (as pyarrow parsed it, quotes kept) dictionary-encoded and unquoted; None if a quote is unclosed.

    The column is encoded once over all its chunks (cheaper than pyarrow's
    per-chunk dictionaries, unified afterwards). A field in quotes is
    unquoted (``""`` inside is one quote), as pandas does; a quote inside an
    unquoted field is kept; a missing word (:data:`MISSING_WORDS`), in
    quotes or not, is missing. The work is on the distinct values only.
    """
    coded = pc.dictionary_encode(column).combine_chunks()  # one dictionary for all chunks
    words = coded.dictionary
    quoted = pc.starts_with(words, '"')
    any_quoted = pc.any(quoted).as_py()
    if any_quoted:
        if not pc.all(pc.or_(pc.invert(quoted), pc.match_substring_regex(words, _QUOTED))).as_py():
            return None  # a quoted field spanning lines, or broken quoting: pandas decides
        unquoted = pc.replace_substring(pc.utf8_slice_codeunits(words, 1, -1), '""', '"')
        words = pc.if_else(quoted, unquoted, words)
    missing = pc.is_in(words, value_set=_MISSING)
    if not any_quoted and not pc.any(missing).as_py():
        return coded
    words = pc.if_else(missing, pa.scalar(None, pa.string()), words)
    recoded = words.dictionary_encode()
    return pa.DictionaryArray.from_arrays(pc.take(recoded.indices, coded.indices), recoded.dictionary)


def _frame(table, kinds):
    """A pandas frame of a table from :func:`_arrow_table`: float64, nullable booleans, categoricals."""
    columns = {}
    for name in table.column_names:
        column = table.column(name)
        if kinds[name] == "number":
            columns[name] = column.to_numpy()
        elif kinds[name] == "flag":
            known = pc.fill_null(column, False).to_numpy()
            columns[name] = pd.arrays.BooleanArray(known, column.is_null().to_numpy())
        else:
            coded = column.chunk(0)
            columns[name] = pd.Categorical.from_codes(
                pc.fill_null(coded.indices, -1).to_numpy(), categories=coded.dictionary.to_pandas(),
                validate=False)
    return pd.DataFrame(columns, copy=False)


# --- pandas -------------------------------------------------------------------------


def _pandas_frames(stream, path, names, first_line, kinds, delimiter, chunk_rows, report):
    """``(frame, lines)`` of the rest of the stream, parsed by pandas' C parser in chunks.

    Bytes that are not UTF-8 are read as Latin-1, with a note in `report`.
    """
    text = {name: object for name, kind in kinds.items() if kind == "text"}
    rows_done = 0
    try:
        reader = pd.read_csv(
            stream, header=None, names=names, usecols=list(kinds), dtype=text, sep=delimiter,
            chunksize=chunk_rows, skip_blank_lines=False, encoding="utf-8", engine="c",
            encoding_errors=_LATIN1_FALLBACK,
        )
        while True:
            latin1_before = _latin1_bytes[0]
            frame = next(reader, None)
            if frame is None:
                return
            if _latin1_bytes[0] != latin1_before and report is not None and not any(
                    note.startswith("not UTF-8") for note in report.notes):
                report.note(f"not UTF-8 (from line {first_line + rows_done} on): read as Latin-1")
            yield frame, first_line + rows_done + np.arange(len(frame), dtype=np.int64)
            rows_done += len(frame)
    except Exception as exc:  # named for the caller
        _raise_named(exc, path, first_line, rows_done, len(names))


def _latin1(error):
    """A codec error handler: bytes that are not UTF-8 read as Latin-1 (and counted)."""
    _latin1_bytes[0] += error.end - error.start
    return error.object[error.start:error.end].decode("latin-1"), error.end


_LATIN1_FALLBACK = "airwarden-latin-1"
_latin1_bytes = [0]  # bytes read as Latin-1 so far, by any reader
codecs.register_error(_LATIN1_FALLBACK, _latin1)


def _raise_named(exc, path, first_line, rows_done, n_names):
    """Raise a parser error as a one-line ReadError naming the file and line."""
    if "Number of passed names did not match" in str(exc):
        raise ReadError(
            f"{path}:{first_line + rows_done}: a line with more fields than the header's {n_names}"
        ) from None
    if isinstance(exc, pd.errors.ParserError):
        match = _PANDAS_LINE.search(str(exc))
        line = first_line - 1 + int(match.group(1)) if match else first_line + rows_done
        detail = " ".join(str(exc).split(". C error: ")[-1].split())
        raise ReadError(f"{path}:{line}: {detail}") from None
    if isinstance(exc, UnicodeDecodeError):
        raise ReadError(
            f"{path}: not UTF-8 text (after line {first_line - 1 + rows_done})") from None
    if isinstance(exc, ValueError) and str(exc).startswith(str(path)):
        raise ReadError(str(exc)) from None  # already names the file (a truncated gzip stream)
    detail = " ".join(str(exc).split())[:200] or type(exc).__name__
    raise ReadError(f"{path}: after line {first_line - 1 + rows_done}: {detail}") from None


# --- one block ahead ----------------------------------------------------------------


def _parsed_ahead(items_made):
    """The items of the generator `items_made`, the next one made in a thread while this one is used.

    pyarrow and pandas' tokenizer release the GIL, so parsing overlaps with
    the caller's work when a core is free. Two items at most are alive: the
    one in use and the next (being made, or made and waiting). An exception
    raised in the thread is raised here. (The warning filter set in the
    thread only silences pandas' mixed-type warning, a number column holding
    text, which the readers judge row by row.)
    """
    items = queue.Queue()
    free = threading.Semaphore(2)  # room for the items alive: the one in use and the next
    stop = threading.Event()
    done = object()

    def work():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", pd.errors.DtypeWarning)  # text in a number column
                while _acquire(free, stop):
                    item = next(items_made, done)
                    items.put(item)
                    if item is done:
                        return
        except Exception as exc:  # raised in the caller
            items.put(exc)

    worker = threading.Thread(target=work, daemon=True, name="csv-parser")
    worker.start()
    try:
        while (item := items.get()) is not done:
            if isinstance(item, Exception):
                raise item
            yield item
            del item
            free.release()
    finally:
        stop.set()
        free.release()
        worker.join()


def _acquire(free, stop):
    """Wait for room for one more item unless asked to stop; whether to go on."""
    while not stop.is_set():
        if free.acquire(timeout=0.1):
            return not stop.is_set()
    return False
