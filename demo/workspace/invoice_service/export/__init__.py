from .csv_export import COLUMNS, write_invoices

__all__ = ["COLUMNS", "write_invoices"]
