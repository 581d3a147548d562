# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""/request/status: where a request stands, for its tracking code; nothing personal (no login, zh / bo)."""

import frappe
from frappe import _

from wangge_app.resident_services import request_portal

no_cache = 1


def get_context(context):
	context.lang = request_portal.set_page_language(frappe.form_dict.get("_lang"))
	context.no_breadcrumbs = True
	context.title = _("Progress of Your Request")
	code = frappe.form_dict.get("code")
	context.code = code.strip()[:20] if isinstance(code, str) else ""
	context.result = None
	context.error = None
	if context.code:
		try:
			request_portal.check_lookup_rate()
		except frappe.TooManyRequestsError:
			frappe.clear_messages()
			context.error = _(
				"You hit the rate limit because of too many requests. Please try after sometime."
			)
			return context
		context.result = request_portal.request_status(context.code)
		if not context.result:
			context.error = _("No request has this tracking code. Check the code and try again.")
	return context
