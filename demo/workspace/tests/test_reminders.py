import unittest
from datetime import date

from invoice_service.jobs.reminders import send_overdue_reminders
from invoice_service.models import Customer, Invoice


class FakeMailer:
    def __init__(self):
        self.outbox = []

    def send(self, to, subject, body):
        self.outbox.append((to, subject))


def overdue_invoice(number="INV-0107"):
    customer = Customer("Pinecrest Dental", email="billing@pinecrest.example")
    return Invoice(number=number, customer=customer, status="sent", issued_on=date(2025, 12, 1), due_on=date(2025, 12, 31))


class RemindersTest(unittest.TestCase):
    def test_sends_one_reminder_per_overdue_invoice(self):
        mailer = FakeMailer()
        self.assertEqual(send_overdue_reminders([overdue_invoice()], mailer, today=date(2026, 1, 12)), 1)
        self.assertEqual(mailer.outbox, [("billing@pinecrest.example", "INV-0107 is overdue")])

    def test_reminder_not_repeated_within_a_week(self):
        mailer = FakeMailer()
        invoice = overdue_invoice()
        send_overdue_reminders([invoice], mailer, today=date(2026, 1, 12))
        send_overdue_reminders([invoice], mailer, today=date(2026, 1, 15))
        self.assertEqual(len(mailer.outbox), 1)


if __name__ == "__main__":
    unittest.main()
