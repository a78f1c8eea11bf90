"""The words that mean "unknown" in a text file's field: one list for every CSV reader.

A field is missing when, without the spaces around it, it is empty or one of
:data:`MISSING_WORDS` in any case (``N/A``, ``n/a``, ``NULL``, ``Null``,
``NaN``, ``none``, ``#N/A``, ...). A missing altitude or speed is NaN; a
missing position or time rejects its row.
"""

import numpy as np
import pandas as pd

MISSING_WORDS = (
    "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
    "<NA>", "N/A", "NA", "NAN", "NULL", "NaN", "None", "n/a", "nan", "none", "null",
)
"""Field values read as missing as they are written: pandas' default ``na_values``, and ``NAN`` and ``none``.

Parsers given this list exactly (pandas' ``na_values``, pyarrow's
``null_values``) miss other cases of the words; :func:`missing_text`
catches them.
"""

_FOLDED = frozenset(word.casefold() for word in MISSING_WORDS)


def missing_text(text: pd.Series) -> np.ndarray:
    """Where fields of text are missing: NA, or a missing word in any case, spaces around it or not.

    Parameters
    ----------
    text : pandas.Series
        Fields as text (any string or object dtype).

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> missing_text(pd.Series(["N/A", " null ", "Null", "-", "12.5", None, ""])).tolist()
    [True, True, True, False, False, True, True]
    """
    folded = text.astype("string").str.strip().str.casefold()
    return (folded.isna() | folded.isin(_FOLDED)).to_numpy(dtype=bool)
