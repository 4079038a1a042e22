"""Matching bank statement lines to invoices."""
