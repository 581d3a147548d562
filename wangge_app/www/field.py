# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""/field: the grid worker's field app on the phone (see wangge_app/field/api.py for what it reads
and records, public/field/ for the page's script, and www/field-sw.js for its service worker).

The page is a shell: it names no record and no user, so that the service worker may keep it for
opening offline; the data comes from the field app's endpoints, as the user, and the phone's copy of it
lives in IndexedDB until the worker logs out."""

from urllib.parse import quote

import frappe
from frappe import _

from wangge_app.field.api import FORM_DEFAULTS, is_grid_worker, select_options

no_cache = 1
# The field app speaks Chinese, whatever the user's desk language.
FIELD_LANGUAGE = "zh"


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = f"/login?redirect-to={quote('/field', safe='/')}"
		raise frappe.Redirect
	frappe.local.lang = FIELD_LANGUAGE
	context.no_breadcrumbs = True
	context.title = _("Grid Worker Field App")
	context.shell_stamp = frappe.generate_hash(length=12)
	context.allowed = is_grid_worker()
	if not context.allowed:
		return context
	context.options = field_options()
	context.defaults = FORM_DEFAULTS
	return context


def field_options() -> dict:
	"""The quick forms' choices as {value, label} pairs, labelled in Chinese: site-wide catalogues and
	the DocTypes' own options, nothing of a grid."""

	def labelled(values):
		return [{"value": value, "label": _(value)} for value in values]

	return {
		"visit_purposes": labelled(
			[
				purpose
				for purpose in select_options("Household Visit", "purpose")
				if purpose != "For a Request"
			]
		),
		"request_categories": labelled(frappe.get_all("Request Category", pluck="name", order_by="name asc")),
		"request_grades": labelled(frappe.get_all("Request Grade", pluck="name", order_by="name asc")),
		"hazard_categories": labelled(select_options("Safety Hazard", "category")),
		"risk_levels": labelled(select_options("Safety Hazard", "risk_level")),
		"states": {state: _(state) for state in frappe.get_all("Workflow State", pluck="name")},
	}
