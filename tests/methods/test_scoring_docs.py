"""The examples in docs/scoring.md and the API docstrings run and print what they say."""

import doctest
from pathlib import Path

import ergopipe.methods.api

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"


def test_scoring_md_examples():
    result = doctest.testfile(str(DOC), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 7 and result.failed == 0


def test_api_docstring_examples():
    result = doctest.testmod(ergopipe.methods.api)
    assert result.attempted >= 1 and result.failed == 0
