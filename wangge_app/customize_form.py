# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Customize Form in the manager's language.

The desk shows a field's label translated on every form, but Customize Form (its table and its form
builder) shows the label as stored, in English, so a Chinese-speaking manager customising a form meets
"Building" where the form says 楼栋, and the descriptions likewise. Here labels and descriptions are
loaded as the desk shows them, and one the manager left as it was shown is stored as it was, so that
saving makes no Property Setter for it (and the form still follows the app's translations); one the
manager changed is stored as typed, as Frappe stores any change. Frappe's `override_doctype_class` hook names this class.
"""

import frappe
from frappe import _
from frappe.custom.doctype.customize_form.customize_form import CustomizeForm

# The texts of a field that the desk translates when it draws the form.
SHOWN_TRANSLATED = ("label", "description")


def as_shown(text: str | None, doctype: str) -> str | None:
	"""A label or description as the desk shows it on the doctype's form (translated, the doctype as context)."""
	return _(text, context=doctype) if text else text


class CustomizeFormInUserLanguage(CustomizeForm):
	@frappe.whitelist()
	def fetch_to_customize(self):
		super().fetch_to_customize()
		if not self.doc_type:
			return
		for row in self.get("fields"):
			for property in SHOWN_TRANSLATED:
				row.set(property, as_shown(row.get(property), self.doc_type))

	@frappe.whitelist()
	def save_customization(self):
		if self.doc_type:
			self.store_texts_left_as_shown()
		return super().save_customization()

	def store_texts_left_as_shown(self):
		meta = frappe.get_meta(self.doc_type, cached=False)
		for row in self.get("fields"):
			stored = meta.get_field(row.fieldname)
			if not stored:
				continue
			for property in SHOWN_TRANSLATED:
				stored_text = stored.get(property)
				if stored_text and row.get(property) == as_shown(stored_text, self.doc_type):
					row.set(property, stored_text)
