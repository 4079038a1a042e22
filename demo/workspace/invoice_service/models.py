from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Optional


@dataclass
class Customer:
    name: str


@dataclass
class Line:
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
    lines: list[Line] = field(default_factory=list)

    def total_amount(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal("0.00"))
