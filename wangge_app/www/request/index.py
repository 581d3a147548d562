# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""/request: the page a household contact card's QR code opens (no login, phone-sized, zh / bo)."""

import frappe
from frappe import _

from wangge_app.resident_services import request_portal
from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import (
	MAX_TOKEN_LENGTH,
	household_of_token,
)

no_cache = 1


def get_context(context):
	lang = request_portal.set_page_language(frappe.form_dict.get("_lang"))
	token = frappe.form_dict.get("card")
	token = token.strip() if isinstance(token, str) and len(token) <= MAX_TOKEN_LENGTH else ""
	household = household_of_token(token) if token else None
	context.lang = lang
	context.no_breadcrumbs = True
	context.title = _("Send a Request to Your Grid Worker")
	context.token = token if household else ""
	context.card = request_portal.card_details(household) if household else None
	context.invalid_card = _(request_portal.INVALID_CARD)
	if household:
		context.categories = request_portal.request_categories()
		context.best_times = [(value, _(value)) for value in request_portal.BEST_TIMES]
		context.submission_key = frappe.generate_hash(length=24)
		context.max_description = request_portal.MAX_PAGE_DESCRIPTION
	# Texts the page's script shows, in the page's language.
	context.script_texts = {
		"sending": _("Sending…"),
		"failed": _("Sending failed. Please try again."),
	}
	return context
