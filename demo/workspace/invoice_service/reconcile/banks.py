from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BankProfile:
    """How one bank lays out its statement CSV."""

    name: str
    date_column: str = "date"
    amount_column: str = "amount"
    reference_column: str = "reference"
    thousands_sep: str = ","
    date_format: str = "%Y-%m-%d"


PROFILES = {
    "default": BankProfile(name="default"),
    "northwind": BankProfile(
        name="Northwind Bank", date_column="Date", amount_column="Amount", date_format="%d/%m/%Y"
    ),
    "contoso": BankProfile(name="Contoso Credit Union", thousands_sep=""),
}
