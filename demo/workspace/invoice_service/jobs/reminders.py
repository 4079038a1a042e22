from __future__ import annotations

from datetime import date
from typing import Iterable, Protocol

from invoice_service.models import Invoice

# Known issue: two overlapping runs can both see `reminded_on` empty and both send the email
# (see the failed repair in the Dejafix demo memory). The scheduler must not start a run while one is active.


class Mailer(Protocol):
    def send(self, to: str, subject: str, body: str) -> None: ...


def reminder_email(invoice: Invoice) -> tuple[str, str, str]:
    subject = f"{invoice.number} is overdue"
    body = f"Hello {invoice.customer.name},\n\ninvoice {invoice.number} was due on {invoice.due_on}."
    return invoice.customer.email, subject, body


def send_overdue_reminders(invoices: Iterable[Invoice], mailer: Mailer, today: date) -> int:
    """Emails every overdue invoice not reminded in the last 7 days; returns how many were sent."""
    sent = 0
    for invoice in _overdue(invoices, today):
        if invoice.reminded_on and (today - invoice.reminded_on).days < 7:
            continue
        mailer.send(*reminder_email(invoice))
        invoice.reminded_on = today
        sent += 1
    return sent


def _overdue(invoices: Iterable[Invoice], today: date) -> list[Invoice]:
    return [invoice for invoice in invoices if invoice.is_overdue(today)]
