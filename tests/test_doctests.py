"""The examples in docstrings are run, so they stay true."""

import doctest

import speechclean


def test_package_docstring_examples():
    failures, tried = doctest.testmod(speechclean)
    assert tried > 0 and failures == 0
