from __future__ import annotations

import csv
from datetime import date
from typing import IO, Iterable
from zoneinfo import ZoneInfo

from invoice_service.export.csv_export import format_date
from invoice_service.models import Payment

PAYMENT_COLUMNS = ["invoice", "customer", "paid_on", "method", "amount", "reference"]


def write_payments(out: IO[str], payments: Iterable[Payment]) -> int:
    """Writes the payments as CSV rows (with a header row); returns how many were written."""
    writer = csv.DictWriter(out, fieldnames=PAYMENT_COLUMNS)
    writer.writeheader()
    count = 0
    for payment in payments:
        writer.writerow(_payment_row(payment))
        count += 1
    return count


def _payment_row(payment: Payment) -> dict[str, str]:
    return {
        "invoice": payment.invoice.number,
        "customer": payment.invoice.customer.name,
        "paid_on": format_date(_local_date(payment)),
        "method": payment.method,
        "amount": str(payment.amount),
        "reference": payment.reference or "",
    }


def _local_date(payment: Payment) -> date:
    """The day the payment was made where the customer is, not the day in UTC."""
    tz = ZoneInfo(payment.invoice.customer.timezone or "UTC")
    return payment.paid_at.astimezone(tz).date()
