import csv
import io
import unittest
from datetime import date
from decimal import Decimal

from invoice_service.export import COLUMNS, write_invoices
from invoice_service.export.csv_export import format_date
from invoice_service.models import Customer, Invoice, LineItem


def make_invoice(number="INV-0001", status="sent", issued_on=date(2026, 3, 2), due_on=date(2026, 4, 1)):
    return Invoice(
        number=number,
        customer=Customer("Northwind Traders"),
        status=status,
        issued_on=issued_on,
        due_on=due_on,
        lines=[LineItem("Consulting", 3, Decimal("120.00"))],
    )


def export(invoices):
    buf = io.StringIO()
    write_invoices(buf, invoices)
    return list(csv.DictReader(io.StringIO(buf.getvalue())))


class CsvExportTest(unittest.TestCase):
    def test_writes_header_and_one_row_per_invoice(self):
        rows = export([make_invoice(), make_invoice(number="INV-0002")])
        self.assertEqual(len(rows), 2)
        self.assertEqual(list(rows[0].keys()), COLUMNS)

    def test_days_to_pay_and_total(self):
        row = export([make_invoice()])[0]
        self.assertEqual(row["days_to_pay"], "30")
        self.assertEqual(row["total"], "360.00")

    def test_format_date_writes_iso_dates_and_empty_cells(self):
        self.assertEqual(format_date(date(2026, 3, 2)), "2026-03-02")
        self.assertEqual(format_date(None), "")

    def test_leaves_date_cells_empty_for_drafts(self):
        draft = make_invoice(number="INV-0042", status="draft", issued_on=None, due_on=None)
        row = export([draft])[0]
        self.assertEqual(row["issued_on"], "")
        self.assertEqual(row["due_on"], "")
        self.assertEqual(row["days_to_pay"], "")


if __name__ == "__main__":
    unittest.main()
