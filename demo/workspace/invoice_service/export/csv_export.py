from __future__ import annotations

import csv
from datetime import date
from typing import Iterable, Optional, TextIO

from ..models import Invoice

COLUMNS = ["number", "customer", "status", "issued_on", "due_on", "days_to_pay", "total"]


def format_date(value: Optional[date]) -> str:
    return value.isoformat() if value else ""


def write_invoices(out: TextIO, invoices: Iterable[Invoice]) -> int:
    """Writes the invoices as CSV rows (with a header row); returns how many were written."""
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    count = 0
    for invoice in invoices:
        writer.writerow(_row_for(invoice))
        count += 1
    return count


def _row_for(invoice: Invoice) -> dict[str, object]:
    return {
        "number": invoice.number,
        "customer": invoice.customer.name,
        "status": invoice.status,
        "issued_on": format_date(invoice.issued_on),
        "due_on": format_date(invoice.due_on),
        "days_to_pay": (invoice.due_on - invoice.issued_on).days,
        "total": str(invoice.total_amount()),
    }
