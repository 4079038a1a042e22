import unittest
from decimal import Decimal

from invoice_service.models import Customer, Invoice, LineItem


def make_invoice(lines, tax_rate=0.0):
    return Invoice(number="INV-0001", customer=Customer("Test Customer"), lines=lines, tax_rate=tax_rate)


class ModelsTest(unittest.TestCase):
    def test_total_amount_adds_tax(self):
        invoice = make_invoice([LineItem("Setup fee", quantity=1, unit_price=Decimal("100.00"))], tax_rate=0.2)
        self.assertEqual(invoice.total_amount(), Decimal("120.00"))

    def test_tax_rounds_half_up_to_the_cent(self):
        invoice = make_invoice([LineItem("Consulting hour", quantity=1, unit_price=Decimal("10.00"))], tax_rate=0.0725)
        # 10.00 * 7.25 % = 0.725, which rounds up to 0.73; float rounding gave 0.72.
        self.assertEqual(invoice.total_amount(), Decimal("10.73"))


if __name__ == "__main__":
    unittest.main()
