"""
CSV that cannot attack a spreadsheet: the one rule for every CSV ruiraq writes (the API's
``?format=csv`` and the admin's export) and reads back (the admin's import).

A spreadsheet runs a cell beginning with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
TAB or CR before one hides it; a published title is written by whoever the source quoted, so
such a cell could run a formula on a reader's machine. The OWASP rule: such a cell is
written with a single quote in front, which spreadsheets show as text (and hide).

So that an export imports back unchanged, a cell that begins with a quote already followed
by one of those characters gets a second quote, and reading removes exactly one: ``=1+1`` is
written ``'=1+1``, ``'=1+1`` is written ``''=1+1``, and both read back as they were. JSON is
never touched: it is not opened by spreadsheets, and a verbatim quote stays verbatim there.
"""

#: What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_QUOTE = "'"


def _needs_quote(text):
    return text.startswith(FORMULA_STARTS) or (
        text.startswith(_QUOTE) and text.lstrip(_QUOTE).startswith(FORMULA_STARTS)
    )


def neutralise(text):
    """``text`` as a CSV cell a spreadsheet shows as text, never runs."""
    return _QUOTE + text if _needs_quote(text) else text


def restore(text):
    """The value ``neutralise`` wrote ``text`` for: exactly one quote less where it added one."""
    if text.startswith(_QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text
