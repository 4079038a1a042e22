from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

CENTS = Decimal("0.01")


@dataclass
class Customer:
    name: str
    timezone: str = "UTC"
    email: str = ""


@dataclass
class LineItem:
    description: str
    quantity: int
    unit_price: Decimal


@dataclass
class Invoice:
    number: str
    customer: Customer
    status: str = "draft"
    issued_on: Optional[date] = None  # drafts have no issue date yet
    due_on: Optional[date] = None
    lines: list[LineItem] = field(default_factory=list)
    tax_rate: float = 0.0
    reminded_on: Optional[date] = None

    def total_amount(self) -> Decimal:
        subtotal = sum((line.unit_price * line.quantity for line in self.lines), Decimal("0.00"))
        tax = (subtotal * Decimal(str(self.tax_rate))).quantize(CENTS, rounding=ROUND_HALF_UP)
        return subtotal + tax

    def is_overdue(self, today: date) -> bool:
        return self.status == "sent" and self.due_on is not None and self.due_on < today


@dataclass
class Payment:
    invoice: Invoice
    paid_at: datetime  # timezone-aware, as the payment provider reports it
    amount: Decimal
    method: str = "card"
    reference: Optional[str] = None
