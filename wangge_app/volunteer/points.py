# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The volunteer points ledger (双积分).

Points are money-like, so they live in an append-only ledger, Volunteer Points Entry, as
ERPNext's Loyalty Point Entry and HRMS's Leave Ledger Entry do: a member's balance is the sum of
their entries, and a correction is a new entry, never an edit.

Every writer — Volunteer Activity, Points Adjustment, and the redemption of points at merchants —
goes through `make_points_entry`. It locks the member's row, writes the entry and updates the
balance kept on the member in the same transaction, so that a balance look-up is one primary-key
read however long the ledger grows, and concurrent writers cannot lose an update.
`check_kept_balances` recomputes the balances from the ledger to prove they still agree.
"""

import frappe
from frappe import _
from frappe.utils import cint, getdate, nowdate

MEMBER = "In-service Party Member"
ENTRY = "Volunteer Points Entry"
ACTIVITY = "Volunteer Activity"

EARNED = "Earned"
REDEEMED = "Redeemed"
REVERSAL = "Reversal"
ADJUSTMENT = "Adjustment"
EXPIRY = "Expiry"
ENTRY_TYPES = (EARNED, REDEEMED, REVERSAL, ADJUSTMENT, EXPIRY)


class NegativeBalanceError(frappe.ValidationError):
	pass


def make_points_entry(
	member: str,
	points: int,
	entry_type: str,
	voucher_type: str,
	voucher_no: str,
	posting_date=None,
	remarks: str | None = None,
	reversal_of: str | None = None,
):
	"""Append one entry to the ledger and update the member's kept balance; return the entry.

	Refuses an entry that would leave the member with a negative balance. The caller's
	transaction holds the member's row lock until it commits or rolls back.
	"""
	points = cint(points)
	if not points:
		frappe.throw(_("A points entry must add or deduct points."))
	if entry_type not in ENTRY_TYPES:
		frappe.throw(_("Unknown points entry type {0}.").format(entry_type))

	balance, activity_count, _full_name = check_balances_cover({member: points})[member]

	entry = frappe.get_doc(
		{
			"doctype": ENTRY,
			"member": member,
			"points": points,
			"entry_type": entry_type,
			"voucher_type": voucher_type,
			"voucher_no": voucher_no,
			"posting_date": getdate(posting_date or nowdate()),
			"remarks": remarks,
			"reversal_of": reversal_of,
		}
	)
	entry.flags.from_ledger = True
	entry.insert(ignore_permissions=True)

	frappe.db.sql(
		f"update `tab{MEMBER}` set points_balance = %s, activity_count = %s where name = %s",
		(balance + points, activity_count + activity_delta(entry_type, voucher_type), member),
	)
	return entry


def activity_delta(entry_type: str, voucher_type: str) -> int:
	"""How an entry changes the member's count of activities attended."""
	if voucher_type != ACTIVITY:
		return 0
	return {EARNED: 1, REVERSAL: -1}.get(entry_type, 0)


def reverse_voucher_entries(voucher_type: str, voucher_no: str, posting_date=None) -> list:
	"""Write a reversing entry for each entry of a voucher being cancelled; return them.

	Checked first for every member (see `check_reversible`): if any balance would go negative,
	nothing is written.
	"""
	entries = check_reversible(voucher_type, voucher_no)
	remarks = _("Reversal of {0} {1}").format(_(voucher_type), voucher_no)
	return [
		make_points_entry(
			entry.member,
			-entry.points,
			REVERSAL,
			voucher_type,
			voucher_no,
			posting_date=posting_date,
			remarks=remarks,
			reversal_of=entry.name,
		)
		for entry in entries
	]


def check_reversible(voucher_type: str, voucher_no: str) -> list:
	"""Lock the voucher's members and refuse if reversing its entries would overdraw any of them.

	Cancelling controllers call it in before_cancel, so a refusal leaves the voucher untouched.
	Returns the entries still to reverse.
	"""
	entries = frappe.get_all(
		ENTRY,
		filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "entry_type": ("!=", REVERSAL)},
		fields=["name", "member", "points"],
		order_by="member, creation",
	)
	reversed_already = set(
		frappe.get_all(
			ENTRY,
			filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "entry_type": REVERSAL},
			pluck="reversal_of",
		)
	)
	entries = [entry for entry in entries if entry.name not in reversed_already]
	change = {}
	for entry in entries:
		change[entry.member] = change.get(entry.member, 0) - entry.points
	check_balances_cover(
		change,
		_("Points from {0} were already spent, so it cannot be cancelled:").format(frappe.bold(voucher_no)),
	)
	return entries


def check_balances_cover(change: dict[str, int], message: str | None = None) -> dict[str, tuple]:
	"""Lock the members (in name order, as every writer does, so writers cannot deadlock) and refuse
	if applying `change` (member -> points) would leave any of them with a negative balance.

	Returns each member's locked (balance, activity count, full name)."""
	locked, short = {}, []
	for member in sorted(change):
		balance, _count, full_name = locked[member] = lock_member(member)
		if balance + change[member] < 0:
			short.append(
				_("{0} has {1} points; deducting {2} would leave a negative balance.").format(
					frappe.bold(full_name), balance, -change[member]
				)
			)
	if short:
		frappe.throw(
			" ".join(([message] if message else []) + short),
			NegativeBalanceError,
			title=_("Not Enough Points"),
		)
	return locked


def lock_member(member: str) -> tuple[int, int, str]:
	"""Lock the member's row for this transaction; return (balance, activity count, name)."""
	row = frappe.db.sql(
		f"select points_balance, activity_count, full_name from `tab{MEMBER}` where name = %s for update",
		member,
	)
	if not row:
		frappe.throw(
			_("In-service party member {0} does not exist.").format(member), frappe.DoesNotExistError
		)
	balance, activity_count, full_name = row[0]
	return cint(balance), cint(activity_count), full_name


def get_kept_balance(member: str) -> int:
	"""The kept balance: one primary-key read, however long the ledger."""
	row = frappe.db.sql(f"select points_balance from `tab{MEMBER}` where name = %s", member)
	return cint(row[0][0]) if row else 0


def sum_ledger_balance(member: str) -> int:
	"""The balance as the sum over the ledger (what the kept balance must always equal)."""
	return cint(frappe.db.sql(f"select sum(points) from `tab{ENTRY}` where member = %s", member)[0][0])


@frappe.whitelist()
def get_points_balance(member=None) -> int:
	"""A member's points balance (the kept one: a primary-key read)."""
	# No type hint: Frappe's own type check answers a wrong type with no message.
	if not member or not isinstance(member, str):
		frappe.throw(_("Choose the member whose points balance you want to see."))
	if not frappe.has_permission(MEMBER, "read", doc=member):
		frappe.throw(
			_("You are not permitted to see the points of {0}.").format(member), frappe.PermissionError
		)
	return get_kept_balance(member)


def check_kept_balances(members: list[str] | None = None) -> list[dict]:
	"""Recompute balances and activity counts from the ledger; return the members where they differ."""
	condition = "where m.name in %(members)s" if members else ""
	return frappe.db.sql(
		f"""
		select m.name as member, m.points_balance as kept_balance, coalesce(l.balance, 0) as ledger_balance,
			m.activity_count as kept_activity_count, coalesce(l.activities, 0) as ledger_activity_count
		from `tab{MEMBER}` m
		left join (
			select member, sum(points) as balance,
				sum(case when voucher_type = %(activity)s and entry_type = %(earned)s then 1
					when voucher_type = %(activity)s and entry_type = %(reversal)s then -1 else 0 end) as activities
			from `tab{ENTRY}` group by member
		) l on l.member = m.name
		{condition}
		having kept_balance != ledger_balance or kept_activity_count != ledger_activity_count
		""",
		{"members": tuple(members or ()), "activity": ACTIVITY, "earned": EARNED, "reversal": REVERSAL},
		as_dict=True,
	)


def report_kept_balance_mismatches() -> None:
	"""Daily: log an error if a kept balance no longer equals its ledger (it never should)."""
	mismatches = check_kept_balances()
	if mismatches:
		frappe.log_error(
			title=_("Volunteer points: kept balances differ from the ledger"),
			message=frappe.as_json(mismatches),
		)


def get_points_statement(member: str, from_date=None, to_date=None) -> dict:
	"""The member's entries in date order with the running balance, and the period's totals."""
	opening = 0
	if from_date:
		opening = cint(
			frappe.db.sql(
				f"select sum(points) from `tab{ENTRY}` where member = %s and posting_date < %s",
				(member, getdate(from_date)),
			)[0][0]
		)
	filters = {"member": member}
	if from_date and to_date:
		filters["posting_date"] = ("between", (getdate(from_date), getdate(to_date)))
	elif from_date:
		filters["posting_date"] = (">=", getdate(from_date))
	elif to_date:
		filters["posting_date"] = ("<=", getdate(to_date))
	entries = frappe.get_all(
		ENTRY,
		filters=filters,
		fields=["name", "posting_date", "entry_type", "points", "voucher_type", "voucher_no", "remarks"],
		order_by="posting_date, creation, name",
	)
	titles = _voucher_titles(entries)
	balance = opening
	for entry in entries:
		balance += entry.points
		entry.balance = balance
		entry.description = titles.get((entry.voucher_type, entry.voucher_no)) or entry.remarks or ""
	return {
		"opening_balance": opening,
		"entries": entries,
		"points_in": sum(entry.points for entry in entries if entry.points > 0),
		"points_out": -sum(entry.points for entry in entries if entry.points < 0),
		"closing_balance": balance,
	}


def _voucher_titles(entries) -> dict:
	activities = {entry.voucher_no for entry in entries if entry.voucher_type == ACTIVITY}
	if not activities:
		return {}
	rows = frappe.get_all(ACTIVITY, filters={"name": ("in", list(activities))}, fields=["name", "title"])
	return {(ACTIVITY, row.name): row.title for row in rows}
