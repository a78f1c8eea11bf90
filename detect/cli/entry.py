"""Start the ``airwarden`` command line: the console script and ``python -m detect``.

:func:`run` imports the command group (:mod:`detect.cli.group`) inside its
own guard, so that Ctrl-C at any moment, even while the modules of a command
are being imported, ends the process with :data:`INTERRUPTED_EXIT` and one
line on stderr, never a traceback. This module, like the package
:mod:`detect.cli`, imports nothing of its own for the same reason.
"""

import _thread
import signal
import sys
import time

INTERRUPTED_EXIT = 130
"""Exit status after Ctrl-C: 128 + SIGINT, as shells report it."""

_swallowed_interrupts = []
"""One item for each Ctrl-C that Python had to swallow (see :func:`_interrupt_again`)."""

_ctrl_c_pressed = []
"""One item for each Ctrl-C pressed (see :func:`_ctrl_c`)."""

_ctrl_c_taken = []
"""One item once code has caught a Ctrl-C and acts on it (see :func:`take_ctrl_c`)."""

POST_AGAIN_AFTER_S = 1.0
"""How long a Ctrl-C may go untaken before it is raised again (see :func:`_post_again_until_taken`)."""


def interrupted():
    """Say on stderr that the command was interrupted and exit with :data:`INTERRUPTED_EXIT`.

    Raises
    ------
    SystemExit

    Examples
    --------
    >>> import contextlib, io
    >>> with contextlib.redirect_stderr(io.StringIO()) as stderr:
    ...     try:
    ...         interrupted()
    ...     except SystemExit as exit:
    ...         code = exit.code
    >>> code, stderr.getvalue().strip()
    (130, 'airwarden: interrupted')
    """
    take_ctrl_c()
    _ignore_ctrl_c()
    print("airwarden: interrupted", file=sys.stderr)
    raise SystemExit(INTERRUPTED_EXIT)


def take_ctrl_c():
    """Say that the Ctrl-C pressed is caught and acted on (events written, the command ending): not raised again.

    Called first by each handler of :class:`KeyboardInterrupt` that does
    more than end the command, and by :func:`interrupted`.
    """
    _ctrl_c_taken.append(True)


def run():
    """Run the ``airwarden`` command line on ``sys.argv``.

    Within a command, Ctrl-C is handled by the command group (see
    :class:`detect.cli.group.Group`); here it is handled while the command
    line is imported. A Ctrl-C that lands in a finalizer or a weakref
    callback (matplotlib's, while maps are drawn), where Python cannot
    raise it, is raised again in the code that runs next; an error that the
    swallowed Ctrl-C caused before it was raised again (numba's compiler,
    cut short inside a callback, fails) ends as an interruption too, not as
    a traceback, and so does any error once Ctrl-C was pressed (a Ctrl-C
    inside the import of a compiled module comes out as an ImportError). A
    Ctrl-C that code loses altogether is raised again each second until
    code takes it (:func:`take_ctrl_c`).
    Once the command is over, another Ctrl-C is ignored; after a Ctrl-C the
    process ends at once with its status (:func:`_exit_at_once`).

    Examples
    --------
    >>> import contextlib, io, sys
    >>> argv, sys.argv = sys.argv, ["airwarden", "--version"]
    >>> with contextlib.redirect_stdout(io.StringIO()) as stdout:
    ...     try:
    ...         run()
    ...     except SystemExit as exit:
    ...         code = exit.code
    >>> sys.argv = argv
    >>> code, stdout.getvalue().split()[-2]  # "<program>, version <number>"
    (0, 'version')
    """
    try:
        _run_guarded()
    except SystemExit as exit:
        if _ctrl_c_pressed and isinstance(exit.code, int):
            _exit_at_once(exit.code)
        raise


def _run_guarded():
    """:func:`run` itself: the command line inside the guard against Ctrl-C."""
    try:
        sys.unraisablehook = _interrupt_again
        signal.signal(signal.SIGINT, _ctrl_c)
        from detect.cli.group import main

        main()
    except KeyboardInterrupt:
        interrupted()
    except Exception:
        if _swallowed_interrupts or _ctrl_c_pressed:
            interrupted()
        raise
    finally:
        _ignore_ctrl_c()
        _forget_caught_interrupts()


def _exit_at_once(status: int):
    """End the process with `status` once the command is over, without the interpreter's clean-up.

    After Ctrl-C, objects that an interrupted compilation left half made
    (llvmlite's, while numba compiles) can crash the interpreter when they
    are finalized at exit. Every ``with`` block has been left by now (files
    written and closed, clusters shut down): only the standard streams and
    the log are left to flush.
    """
    import logging
    import os

    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


def _ignore_ctrl_c():
    """Ignore Ctrl-C from now on, even one already pending (which would be raised by the change itself)."""
    while True:
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            return
        except KeyboardInterrupt:
            continue


def _forget_caught_interrupts():
    """Keep ``python -m detect`` from ending by SIGINT after a Ctrl-C that was caught.

    CPython (3.11) remembers a KeyboardInterrupt that left code compiled
    from a string (``exec`` and ``eval`` of text: numba's generated code,
    dataclasses, named tuples), even when it was caught later, and after
    ``python -m`` kills the process with SIGINT instead of exiting with
    the status asked for. Running code from a string again, to its end,
    clears that memory.
    """
    exec("")


def _ctrl_c(signum, frame):
    """Python's own Ctrl-C handler, which also notes that Ctrl-C was pressed, and watches that it is taken."""
    if not _ctrl_c_pressed:
        _thread.start_new_thread(_post_again_until_taken, ())
    _ctrl_c_pressed.append(True)
    signal.default_int_handler(signum, frame)


def _post_again_until_taken():
    """Raise Ctrl-C again in the main thread each :data:`POST_AGAIN_AFTER_S` until code has taken it.

    Code that catches an error broadly can lose a Ctrl-C: a Ctrl-C while a
    compiled module initialises comes out of its import as an
    :class:`ImportError`, which a library importing an optional dependency
    skips; the command would go on (a paced replay, for hours).
    """
    while True:
        time.sleep(POST_AGAIN_AFTER_S)
        if _ctrl_c_taken or sys.is_finalizing():
            return
        _thread.interrupt_main()


def _interrupt_again(unraisable):
    """Post again to the main thread a Ctrl-C that Python had to swallow; report anything else as usual.

    It is posted from a thread of its own: posted from this hook, it would be
    raised at once inside the hook, which swallows it too. Once the
    interpreter is shutting down there is nothing left to interrupt. Once
    Ctrl-C was pressed, other errors in finalizers (objects left half made
    by the interruption, llvmlite's while numba compiles) are not reported:
    the command ends as interrupted.
    """
    if not issubclass(unraisable.exc_type, KeyboardInterrupt):
        if not _ctrl_c_pressed:
            sys.__unraisablehook__(unraisable)
        return
    _swallowed_interrupts.append(True)
    if not sys.is_finalizing():
        _thread.start_new_thread(_thread.interrupt_main, ())
