import unittest
from datetime import date
from decimal import Decimal

from invoice_service.reconcile.banks import PROFILES
from invoice_service.reconcile.statement_csv import parse_row


class StatementCsvTest(unittest.TestCase):
    def test_parse_row_default_profile(self):
        line = parse_row({"date": "2025-04-03", "amount": "1,250.00", "reference": "INV-0031"}, PROFILES["default"])
        self.assertEqual(line.amount, Decimal("1250.00"))
        self.assertEqual(line.booked_on, date(2025, 4, 3))

    def test_parse_row_reads_day_first_dates_for_northwind(self):
        row = {"Date": "03/04/2025", "Amount": "1,250.00", "reference": "INV-0031"}
        line = parse_row(row, PROFILES["northwind"])
        self.assertEqual(line.booked_on, date(2025, 4, 3))


if __name__ == "__main__":
    unittest.main()
