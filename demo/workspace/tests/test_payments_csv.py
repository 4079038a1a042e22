import unittest
from datetime import datetime, timezone
from decimal import Decimal

from invoice_service.export.payments_csv import _payment_row
from invoice_service.models import Customer, Invoice, Payment


def make_payment(customer=None, paid_at=datetime(2025, 3, 10, 12, 0, tzinfo=timezone.utc), reference=None):
    invoice = Invoice(number="INV-0093", customer=customer or Customer("Pinecrest Dental"), status="paid")
    return Payment(invoice=invoice, paid_at=paid_at, amount=Decimal("480.00"), reference=reference)


class PaymentsCsvTest(unittest.TestCase):
    def test_payment_rows_include_reference(self):
        row = _payment_row(make_payment(reference="SEPA-7781"))
        self.assertEqual(row["reference"], "SEPA-7781")

    def test_paid_on_uses_the_customers_time_zone(self):
        customer = Customer("Pinecrest Dental", timezone="America/New_York")
        # 21:30 on 31 March in New York is already 1 April in UTC.
        paid_at = datetime(2025, 4, 1, 1, 30, tzinfo=timezone.utc)
        row = _payment_row(make_payment(customer=customer, paid_at=paid_at))
        self.assertEqual(row["paid_on"], "2025-03-31")


if __name__ == "__main__":
    unittest.main()
