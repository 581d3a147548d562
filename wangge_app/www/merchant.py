# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""/merchant: the partner merchant's counter page — check a voucher and mark it redeemed."""

from urllib.parse import quote, urlencode

import frappe
from frappe import _

from wangge_app.scopes import PARTNER_MERCHANT
from wangge_app.volunteer import merchant_portal, redemption

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		# A voucher's QR code scanned before logging in keeps its code through the login page.
		code = requested_code()
		back_to = f"/merchant?{urlencode({'code': code})}" if code else "/merchant"
		frappe.local.flags.redirect_location = f"/login?redirect-to={quote(back_to, safe='/')}"
		raise frappe.Redirect
	context.no_breadcrumbs = True
	context.title = _("Merchant Portal")
	merchant = redemption.get_user_merchant() if redemption.is_merchant_user() else None
	context.merchant = None
	if not merchant:
		# Desk users and other website users see nothing of any merchant here.
		return context
	context.merchant = frappe.db.get_value(
		PARTNER_MERCHANT, merchant, ["name", "merchant_name", "category", "address"], as_dict=True
	)
	context.offers = merchant_portal.active_offers(merchant)
	context.recent = merchant_portal.recent_redemptions(merchant)
	context.code = requested_code()
	return context


def requested_code() -> str:
	"""The ?code= of a scanned QR code, to fill in the code box: text of a sensible length, or nothing.

	The page writes it with |e like every other value from the request or a record (see merchant.html);
	this only keeps lists, objects and overlong text out of the box."""
	code = frappe.form_dict.get("code")
	if not isinstance(code, str) or len(code) > merchant_portal.MAX_CODE_LENGTH:
		return ""
	return code.strip()
