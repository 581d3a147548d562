# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Points redemption at partner merchants (积分兑换): voucher codes, who may see a merchant's data,
and the daily expiry of unused vouchers.

A Points Redemption moves through its workflow, Requested → Issued → Redeemed / Cancelled / Expired.
Issuing deducts the offer's points through the ledger writer (`points.make_points_entry`);
cancelling or expiring an issued voucher refunds them by reversing that entry
(`points.reverse_voucher_entries`, which never reverses an entry twice).
"""

import re
import secrets

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from wangge_app.permissions import get_user_merchant, is_merchant_user
from wangge_app.workflows import EXPIRED, ISSUED

# Redeemed at the merchant; the state is named "Used" because the ledger's entry type "Redeemed" (积分兑换)
# is another thing.
from wangge_app.workflows import USED as REDEEMED

OFFER = "Redemption Offer"
REDEMPTION = "Points Redemption"

# Vouchers that hold stock and count towards a member's limit.
HELD_STATES = (ISSUED, REDEEMED)

# No 0/O, 1/I/L: the code is read out and typed at a shop counter. 12 characters: 60 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
CODE_PATTERN = re.compile(f"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")


def new_voucher_code() -> str:
	"""A random, unguessable voucher code, shown in groups of four (e.g. 7KQM-3XRT-9PDA)."""
	while True:
		raw = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
		code = "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))
		if not frappe.db.exists(REDEMPTION, {"voucher_code": code}):
			return code


def normalize_voucher_code(code) -> str | None:
	"""The stored form of a code as typed or scanned (any case, spaces or dashes), or None if malformed."""
	raw = re.sub(r"[\s\-]", "", str(code or "")).upper()
	if not CODE_PATTERN.match(raw):
		return None
	return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def mask_name(full_name: str) -> str:
	"""A member's name as a merchant sees it: 次仁白玛 → 次*白玛, 罗布 → 罗*."""
	name = (full_name or "").strip()
	if len(name) <= 1:
		return name
	if len(name) == 2:
		return name[0] + "*"
	return name[0] + "*" + name[2:]


def has_website_permission(doc, ptype, user, verbose=False) -> bool:
	"""A merchant user may open (and print) from the website only the vouchers redeemed at their own
	merchant's counter: the print shows the code, and an unused voucher's code is the member's to present."""
	return (
		is_merchant_user(user)
		and doc.get("status") == REDEEMED
		and doc.get("merchant") == get_user_merchant(user)
	)


def expire_vouchers(today=None) -> list[str]:
	"""Daily: expire the issued vouchers whose validity has ended, refunding their points.

	Each voucher is expired through its workflow with its row locked, in its own savepoint, so one
	failure leaves the others done, and a second run finds nothing left to expire.
	"""
	today = getdate(today or nowdate())
	expired = []
	for name in frappe.get_all(
		REDEMPTION,
		filters={"status": ISSUED, "valid_until": ("<", today)},
		pluck="name",
		order_by="valid_until, name",
	):
		savepoint = "expire_voucher"
		frappe.db.savepoint(savepoint)
		try:
			if lock_voucher(name) != ISSUED:
				continue
			voucher = frappe.get_doc(REDEMPTION, name)
			move_voucher(voucher, EXPIRED, as_of=today)
			expired.append(name)
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(title=_("Points redemption: voucher {0} could not be expired").format(name))
	return expired


def move_voucher(voucher, state: str, as_of=None) -> None:
	"""Move a voucher to a state of its workflow where the user may not save it (a merchant's counter,
	the expiry job): the controller and the workflow still check the transition, and the timeline
	records it as `apply_workflow` does. `as_of` (a date or a moment) is when the transition counts
	as made, when that is not now: the expiry job expires as of the day it runs for."""
	voucher.flags.as_of = as_of
	try:
		voucher.status = state
		voucher.save(ignore_permissions=True)
	finally:
		voucher.flags.as_of = None
	voucher.add_comment("Workflow", _(state))


def lock_voucher(name: str) -> str:
	"""Lock the voucher's row for this transaction; return its current (committed) status."""
	return frappe.db.sql(f"select status from `tab{REDEMPTION}` where name = %s for update", name)[0][0]
