from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from invoice_service.reconcile.banks import BankProfile


@dataclass
class StatementLine:
    booked_on: date
    amount: Decimal
    reference: str


def parse_row(row: dict[str, str], profile: BankProfile) -> StatementLine:
    """One statement line, read with the column layout of the bank's profile."""
    reference = row.get(profile.reference_column, "").strip()
    amount = Decimal(row[profile.amount_column].replace(profile.thousands_sep, ""))
    booked_on = datetime.strptime(row[profile.date_column].strip(), profile.date_format).date()
    return StatementLine(booked_on=booked_on, amount=amount, reference=reference)


def read_statement(fh: IO[str], profile: BankProfile) -> list[StatementLine]:
    return [parse_row(row, profile) for row in csv.DictReader(fh)]
