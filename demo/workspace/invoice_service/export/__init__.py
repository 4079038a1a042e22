from .csv_export import COLUMNS, write_invoices
from .payments_csv import PAYMENT_COLUMNS, write_payments

__all__ = ["COLUMNS", "write_invoices", "PAYMENT_COLUMNS", "write_payments"]
