# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Plain text typed by residents and staff: trimmed, of a bounded length, and without markup.

Requests come from a guest page as well as the desk; what they hold is shown in the desk, on the
status page and in prints. Markup is refused rather than stripped, so that what is saved is what the
person wrote, and every page and print escapes it anyway."""

import re

import frappe
from frappe import _

# A tag, a comment or a doctype: "<" followed by a letter, "/" or "!".
MARKUP = re.compile(r"<\s*[a-zA-Z/!?]")


def plain_text(value, label: str, max_length: int, required: bool = False) -> str:
	"""`value` trimmed; stops with a translated message when it is missing, too long or holds markup."""
	if value is not None and not isinstance(value, str | int | float):
		frappe.throw(_("{0}: write plain text.").format(_(label)), title=_("Invalid Input"))
	text = ("" if value is None else str(value)).strip()
	if required and not text:
		frappe.throw(_("{0} is required.").format(_(label)), frappe.MandatoryError, title=_("Missing Input"))
	if len(text) > max_length:
		frappe.throw(
			_("{0} is too long: at most {1} characters, not {2}.").format(_(label), max_length, len(text)),
			title=_("Text Too Long"),
		)
	if MARKUP.search(text):
		frappe.throw(
			_("{0}: write plain text, without HTML tags or angle brackets around words.").format(_(label)),
			title=_("Invalid Input"),
		)
	return text
