# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The merchant portal's endpoints (page: wangge_app/www/merchant.html).

A merchant user checks a voucher and marks it redeemed, for their own merchant only. Redeeming
locks the voucher's row first, so two taps (or two counters) on the same voucher at the same
moment give exactly one success; the other sees it already redeemed.
"""

import re
from urllib.parse import parse_qs, urlparse

import frappe
from frappe import _
from frappe.utils import format_datetime, formatdate, getdate, nowdate

from wangge_app import workflows as wf
from wangge_app.volunteer import redemption

RECENT_LIMIT = 20
# A code is 12 letters and digits (with dashes: 14); a scanned QR code holds the portal's URL with the
# code, a few dozen characters more. Anything longer is no voucher code and is not parsed at all.
MAX_CODE_LENGTH = 300


class VoucherError(frappe.ValidationError):
	pass


def current_merchant() -> str:
	"""The merchant the session user acts for; refuses guests and everyone else."""
	# Every endpoint starts here. Its errors go to merchants, who are outside the community: they carry
	# the message only, never the server's traceback (which System Settings' allow_error_traceback adds).
	frappe.local.flags.disable_traceback = True
	if frappe.session.user == "Guest":
		frappe.throw(_("Please log in to use the merchant portal."), frappe.PermissionError)
	merchant = redemption.get_user_merchant() if redemption.is_merchant_user() else None
	if not merchant:
		frappe.throw(
			_("Only users of a partner merchant can use the merchant portal."), frappe.PermissionError
		)
	return merchant


def parse_voucher_code(code) -> str:
	"""The voucher code typed, or read from the QR code (which holds the portal's URL with ?code=).

	The code comes straight from the request: anything but text (a number, a list, an object) is
	refused with a message, not turned into text, and overlong text is not parsed."""
	if code is not None and not isinstance(code, str):
		frappe.throw(
			_("A voucher code is text of 12 letters and digits, such as 7KQM-3XRT-9PDA."),
			VoucherError,
			title=_("Invalid Voucher Code"),
		)
	text = (code or "").strip()
	normalized = None
	if len(text) <= MAX_CODE_LENGTH:
		if "code=" in text:
			text = (parse_qs(urlparse(text).query).get("code") or [""])[0]
		normalized = redemption.normalize_voucher_code(text)
	if not normalized:
		frappe.throw(
			_("{0} is not a voucher code: a code has 12 letters and digits, such as 7KQM-3XRT-9PDA.").format(
				frappe.bold(re.sub(r"[<>&\"']", "", text)[:40] or _("(empty)"))
			),
			VoucherError,
			title=_("Invalid Voucher Code"),
		)
	return normalized


def find_voucher(code: str, merchant: str, lock: bool = False) -> dict:
	"""The voucher with this code, if it is this merchant's; refuses unknown and other merchants' codes."""
	row = frappe.db.sql(
		f"select name, merchant, status, redeemed_on from `tab{redemption.REDEMPTION}` where voucher_code = %s"
		+ (" for update" if lock else ""),
		code,
		as_dict=True,
	)
	if not row:
		frappe.throw(
			_("No voucher has the code {0}.").format(frappe.bold(code)),
			VoucherError,
			title=_("Unknown Voucher"),
		)
	if row[0].merchant != merchant:
		frappe.throw(
			_("Voucher {0} was issued for another merchant and cannot be used here.").format(
				frappe.bold(code)
			),
			VoucherError,
			title=_("Voucher of Another Merchant"),
		)
	return row[0]


def why_unusable(voucher) -> str | None:
	"""Why a voucher cannot be redeemed now, or None if it can."""
	code = frappe.bold(voucher.voucher_code)
	if voucher.status == redemption.REDEEMED:
		return _("Voucher {0} was already redeemed on {1}.").format(
			code, format_datetime(voucher.redeemed_on)
		)
	if voucher.status == wf.CANCELLED:
		return _("Voucher {0} was cancelled.").format(code)
	if voucher.status == redemption.EXPIRED or (
		voucher.status == redemption.ISSUED and getdate(voucher.valid_until) < getdate(nowdate())
	):
		return _("Voucher {0} expired on {1}.").format(code, formatdate(voucher.valid_until))
	if voucher.status != redemption.ISSUED:
		return _("Voucher {0} has not been issued yet.").format(code)
	return None


def voucher_summary(voucher) -> dict:
	"""What the counter sees: the offer, the member's masked name, validity, and whether it can be used."""
	reason = why_unusable(voucher)
	return {
		"voucher_code": voucher.voucher_code,
		"item_name": voucher.item_name,
		"points": voucher.points,
		"market_value": voucher.market_value,
		"member": redemption.mask_name(voucher.member_name),
		"status": voucher.status,
		"status_label": _(voucher.status),
		"valid_until": formatdate(voucher.valid_until),
		"redeemed_on": format_datetime(voucher.redeemed_on) if voucher.redeemed_on else None,
		"can_redeem": reason is None,
		"message": reason,
	}


# `code` has no type hint: Frappe would refuse a number or a list with an English type error, while
# parse_voucher_code checks it and answers the merchant in their language.
@frappe.whitelist(methods=["GET", "POST"])
def lookup_voucher(code=None) -> dict:
	merchant = current_merchant()
	found = find_voucher(parse_voucher_code(code), merchant)
	return voucher_summary(frappe.get_doc(redemption.REDEMPTION, found.name))


@frappe.whitelist(methods=["POST"])
def redeem_voucher(code=None) -> dict:
	merchant = current_merchant()
	# The locking read sees the latest committed status: a concurrent redeem waits here, then finds it used.
	found = find_voucher(parse_voucher_code(code), merchant, lock=True)
	voucher = frappe.get_doc(redemption.REDEMPTION, found.name)
	voucher.update({"status": found.status, "redeemed_on": found.redeemed_on})
	reason = why_unusable(voucher)
	if reason:
		frappe.throw(reason, VoucherError, title=_("Voucher Cannot Be Used"))
	# A merchant has no write permission on vouchers: presenting the code is what entitles the counter
	# to redeem it. The workflow still checks that the user's role may redeem, and the controller
	# records the user as `redeemed_by`.
	redemption.move_voucher(voucher, redemption.REDEEMED)
	return {"voucher": voucher_summary(voucher), "recent": recent_redemptions(merchant)}


@frappe.whitelist(methods=["GET"])
def get_recent_redemptions() -> list[dict]:
	return recent_redemptions(current_merchant())


def recent_redemptions(merchant: str, limit: int = RECENT_LIMIT) -> list[dict]:
	rows = frappe.get_all(
		redemption.REDEMPTION,
		filters={"merchant": merchant, "status": redemption.REDEEMED},
		fields=["voucher_code", "item_name", "member_name", "points", "redeemed_on"],
		order_by="redeemed_on desc",
		limit=limit,
		ignore_permissions=True,
	)
	return [
		{
			"voucher_code": row.voucher_code,
			"item_name": row.item_name,
			"member": redemption.mask_name(row.member_name),
			"points": row.points,
			"redeemed_on": format_datetime(row.redeemed_on, "yyyy-MM-dd HH:mm"),
		}
		for row in rows
	]


def active_offers(merchant: str) -> list[dict]:
	today = nowdate()
	return frappe.get_all(
		redemption.OFFER,
		filters={
			"merchant": merchant,
			"is_active": 1,
			"valid_from": ("<=", today),
			"valid_to": (">=", today),
		},
		fields=["item_name", "description", "points_required", "market_value", "valid_to"],
		order_by="points_required, item_name",
		ignore_permissions=True,
	)
