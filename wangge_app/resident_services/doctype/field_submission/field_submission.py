# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class FieldSubmission(Document):
	"""One key made on a grid worker's phone and the one record it made; written by
	`wangge_app.field.api.submit` only (no role creates or changes one)."""
