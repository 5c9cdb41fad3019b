"""Array literals read back by PostgreSQL exactly as they were written."""

from datetime import date, datetime

from markupsafe import Markup

from odoo.tests import TransactionCase

from ..tools.sql_arrays import array_literal, column_literals, named_column_literals


class TestSqlArrays(TransactionCase):
    def read_back(self, values, pg_type):
        self.env.cr.execute(f"SELECT %s::{pg_type}[]", [array_literal(values)])
        return self.env.cr.fetchone()[0]

    def test_texts_survive_quotes_backslashes_separators_and_null_words(self):
        texts = [
            'say "hi"',
            "C:\\path\\",
            "a,b",
            "{braces}",
            "  spaced  ",
            "",
            "NULL",
            "Срочно: ответ ≤ 2 ч",
            "line\nbreak",
        ]
        self.assertEqual(self.read_back(texts, "varchar"), texts)
        self.assertEqual(self.read_back(texts, "text"), texts)

    def test_markup_is_written_as_its_text(self):
        body = Markup('<p class="x">a\\b</p>')
        self.assertEqual(self.read_back([body], "text"), [str(body)])

    def test_none_and_false_are_null_true_is_true(self):
        self.assertEqual(self.read_back([7, None, False, -3], "int"), [7, None, None, -3])
        self.assertEqual(self.read_back([True, None], "bool"), [True, None])

    def test_instants_keep_their_microseconds(self):
        instants = [datetime(2026, 3, 29, 0, 59, 59, 999999), datetime(2026, 1, 1), None]
        self.assertEqual(self.read_back(instants, "timestamp"), instants)
        self.assertEqual(self.read_back([date(2026, 2, 28)], "date"), [date(2026, 2, 28)])

    def test_floats_round_trip_exactly(self):
        floats = [0.1, 1 / 3, 1e-300, -2.5e17, float("inf")]
        self.assertEqual(self.read_back(floats, "float8"), floats)

    def test_an_unknown_type_is_refused_by_name(self):
        with self.assertRaisesRegex(TypeError, "for a dict"):
            array_literal([{}])

    def test_columns_are_transposed_rows(self):
        rows = [(1, "a"), (2, None)]
        self.assertEqual(column_literals(rows), ["{1,2}", '{"a",NULL}'])
        self.assertEqual(named_column_literals(rows), {"c0": "{1,2}", "c1": '{"a",NULL}'})
        self.env.cr.execute(
            "SELECT id, name FROM unnest(%(c0)s::int[], %(c1)s::varchar[]) AS row(id, name)",
            named_column_literals(rows),
        )
        self.assertEqual(self.env.cr.fetchall(), rows)
