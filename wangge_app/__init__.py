"""Community grid governance (网格化治理) for Frappe."""

__version__ = "0.1.0"
