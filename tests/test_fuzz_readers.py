"""Every reader survives seeded random mutations of a small valid file of its format.

A few mutants of each seed of :mod:`tests.fuzz_readers` (the same mutants on
every run): each is read, or refused by the project's own error in one line
naming the file; never another exception, a table that does not validate,
broken accounting, or a read longer than the time limit. The whole runs in
well under a minute; ``python3 tests/fuzz_readers.py --mutants 10000`` runs
many more.
"""

import pytest

from tests.fuzz_readers import FAILURES, fuzz, seeds

MUTANTS_PER_SEED = 60


@pytest.mark.parametrize("name", list(seeds()))
def test_a_reader_gives_a_table_or_a_named_error_for_every_mutant(tmp_path, name):
    tally = fuzz([name], MUTANTS_PER_SEED, seed=20251019, folder=tmp_path, timeout_s=20.0)
    assert tally.mutants == MUTANTS_PER_SEED
    assert {what: tally.outcomes[what] for what in FAILURES} == dict.fromkeys(FAILURES, 0), str(tally)
    assert tally.outcomes["accepted"] + tally.outcomes["refused"] == MUTANTS_PER_SEED
