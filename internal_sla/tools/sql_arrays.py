"""PostgreSQL array input text for set-based statements.

A Python list passed as a query parameter reaches PostgreSQL as ``ARRAY[v1, v2, …]``: the
client quotes every element and the server parses and plans an expression per element, which
for the thousands of rows of a batch insert costs more than the insert itself. One string in
PostgreSQL's array input syntax (``'{v1,v2,…}'``, cast in the query: ``%s::int[]``) is
quoted once by the client and read by ``array_in`` on the server.
"""

from datetime import date, datetime


def _quoted(text):
    # str's own replace: a Markup's would escape the backslashes it is given
    return '"' + str.replace(str.replace(text, "\\", "\\\\"), '"', '\\"') + '"'


def _null(_value):
    return "NULL"


def _boolean(value):
    # False is Odoo's empty value (an unset many2one, date or string): NULL, like the ORM
    return "t" if value else "NULL"


# subclasses first (bool is an int, datetime a date)
_WRITERS = (
    (bool, _boolean),
    (int, int.__repr__),
    (float, float.__repr__),
    (str, _quoted),
    (type(None), _null),
    (datetime, datetime.isoformat),
    (date, date.isoformat),
)
_EXACT = dict(_WRITERS)


def _element(value):
    for kind, write in _WRITERS:
        if isinstance(value, kind):  # a subclass (Markup is a str)
            _EXACT[type(value)] = write
            return write(value)
    raise TypeError(f"no PostgreSQL array element for a {type(value).__name__}")


def array_literal(values):
    """``'{…}'`` text of ``values`` (int, float, str, datetime, date, None; False is NULL)
    for a ``%s::<type>[]`` parameter. Naive datetimes are written as they are (UTC, as
    Odoo stores them) with their microseconds."""
    exact = _EXACT
    return (
        "{" + ",".join([(exact.get(type(value)) or _element)(value) for value in values]) + "}"
    )


def column_literals(rows):
    """The columns of ``rows`` (tuples of equal length) as array literals, first column
    first."""
    return [array_literal(column) for column in zip(*rows, strict=True)]


def named_column_literals(rows):
    """``{"c0": …, "c1": …}``: the column literals of ``rows`` as named parameters."""
    return {f"c{index}": column for index, column in enumerate(column_literals(rows))}
