"""Layout: title, blank line, one paragraph a line, one final newline."""

import pytest

from speechclean.stages.layout import lay_out

CASES = [
    ("标题\n正文一。\n正文二。", True, "标题\n\n正文一。\n正文二。\n"),
    ("正文一。\n\n正文二。", False, "正文一。\n正文二。\n"),
    ("  正文一。  \n", False, "正文一。\n"),
    # A title with nothing under it: no blank line, or the file would end in "\n\n".
    ("标题", True, "标题\n"),
    ("", True, ""),
    ("\n\n", False, ""),
]


@pytest.mark.parametrize("text, has_title, expected", CASES)
def test_lay_out(text, has_title, expected):
    assert lay_out(text, has_title) == expected
