"""A tiny invoicing service (Dejafix demo project)."""
