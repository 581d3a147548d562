# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Residents' sign-ups for community activities, with a waiting list.

Every change that takes or frees a place locks the activity's row first (`SELECT … FOR UPDATE`), so
sign-ups of one activity are decided one at a time and the places are never overbooked, however many
residents sign up at once. A place freed by a cancellation is offered to the resident who has waited
longest; they have the activity's *hours to accept*, after which the job `pass_on_lapsed_offers`
offers it to the next. Offered places count as taken until they are accepted, declined or lapse.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import cint, get_datetime, now_datetime

from wangge_app.community_life.inputs import name_argument

SIGN_UP = "Activity Sign-up"
ACTIVITY = "Community Activity"
SIGNED_UP = "Signed Up"
WAITING = "Waiting"
OFFERED = "Offered"
CANCELLED = "Cancelled"
OFFER_LAPSED = "Offer Lapsed"
# Sign-ups that hold a place, and those still in the activity at all.
HOLDING = (SIGNED_UP, OFFERED)
ACTIVE = (SIGNED_UP, OFFERED, WAITING)


def lock_activity(activity: str):
	"""Lock the activity's row for this transaction; return what deciding a place needs."""
	rows = frappe.db.sql(
		"""select name, title, docstatus, status, capacity, waiting_list, offer_hours
		from `tabCommunity Activity` where name = %s for update""",
		activity,
		as_dict=True,
	)
	if not rows:
		frappe.throw(_("The activity {0} does not exist.").format(frappe.bold(activity)))
	return rows[0]


def sign_ups_of(activity: str, statuses, resident: str | None = None) -> list:
	"""The activity's sign-ups in these statuses, in the order residents signed up (a locking read:
	it sees what other transactions committed before the activity's lock was ours)."""
	condition = "and resident = %(resident)s" if resident else ""
	return frappe.db.sql(
		f"""select name, resident, status, checked_in from `tab{SIGN_UP}`
		where activity = %(activity)s and status in %(statuses)s {condition}
		order by signed_up_at, creation, name
		for update""",
		{"activity": activity, "statuses": tuple(statuses), "resident": resident},
		as_dict=True,
	)


def count_holding_places(activity: str) -> int:
	return len(sign_ups_of(activity, HOLDING))


def decide_new_sign_up(doc, now=None) -> None:
	"""Called from the sign-up's validate, on insert: lock the activity and give the resident a place,
	a place on the waiting list, or a clear refusal."""
	activity = lock_activity(doc.activity)
	if activity.docstatus != 0 or activity.status != "Planned":
		frappe.throw(_("{0} is not open for sign-ups.").format(frappe.bold(activity.title)))
	if sign_ups_of(doc.activity, ACTIVE, doc.resident):
		frappe.throw(
			_("{0} has already signed up for {1}.").format(
				frappe.bold(doc.resident_name or doc.resident), frappe.bold(activity.title)
			),
			title=_("Already Signed Up"),
		)
	capacity = cint(activity.capacity)
	holding = count_holding_places(doc.activity)
	doc.signed_up_at = get_datetime(now) if now else now_datetime()
	if not capacity or holding < capacity:
		doc.status = SIGNED_UP
	elif activity.waiting_list:
		doc.status = WAITING
	else:
		frappe.throw(
			_("{0} is full: all {1} places are taken.").format(frappe.bold(activity.title), capacity),
			title=_("Activity Full"),
		)


def offer_free_places(activity: str, now=None) -> list[str]:
	"""Offer the activity's free places to those who waited longest (the activity is locked)."""
	details = lock_activity(activity)
	capacity = cint(details.capacity)
	if not capacity or not details.waiting_list:
		return []
	free = capacity - count_holding_places(activity)
	offered = []
	now = get_datetime(now) if now else now_datetime()
	expires = now + datetime.timedelta(hours=cint(details.offer_hours) or 24)
	for row in sign_ups_of(activity, (WAITING,))[: max(free, 0)]:
		set_sign_up(row.name, status=OFFERED, offer_expires_at=expires)
		offered.append(row.name)
	return offered


def set_sign_up(name: str, **values) -> None:
	"""Write fields that only this module changes (the status and its times, at a permission level no
	role writes), keeping the version history."""
	doc = frappe.get_doc(SIGN_UP, name)
	doc.update(values)
	doc.flags.ignore_permissions = True
	doc.flags.status_change = True
	doc.save()


def set_counts(activity_doc) -> None:
	"""The activity's signed-up, waiting and attended counts (kept on it for lists and the public page).
	A locking read, like every read here: it sees the sign-ups committed since this transaction began."""
	rows = frappe.db.sql(
		f"select status, checked_in from `tab{SIGN_UP}` where activity = %s for update",
		activity_doc.name,
		as_dict=True,
	)
	activity_doc.signed_up_count = sum(1 for row in rows if row.status == SIGNED_UP)
	activity_doc.waiting_count = sum(1 for row in rows if row.status in (WAITING, OFFERED))
	activity_doc.attended_count = sum(1 for row in rows if row.status == SIGNED_UP and row.checked_in)


def update_counts(activity: str) -> None:
	doc = frappe.get_doc(ACTIVITY, activity)
	set_counts(doc)
	frappe.db.set_value(
		ACTIVITY,
		activity,
		{
			"signed_up_count": doc.signed_up_count,
			"waiting_count": doc.waiting_count,
			"attended_count": doc.attended_count,
		},
		update_modified=False,
	)


def cancel_all(activity: str) -> None:
	"""The activity is called off: every sign-up still in it is cancelled."""
	for row in sign_ups_of(activity, ACTIVE):
		set_sign_up(row.name, status=CANCELLED, offer_expires_at=None)
	update_counts(activity)


def writable_sign_up(name: str):
	name_argument(name, "Activity Sign-up")
	if not frappe.has_permission(SIGN_UP, "write", doc=name):
		frappe.throw(
			_("You are not permitted to change the sign-up {0}.").format(frappe.bold(name)),
			frappe.PermissionError,
		)
	return frappe.get_doc(SIGN_UP, name)


# The whitelisted methods take the time from the server, never from the request (an offer's deadline
# is checked against it); the functions they call take `now` for the jobs and the tests.
@frappe.whitelist()
def cancel_sign_up(sign_up) -> str:
	return cancel(sign_up)


@frappe.whitelist()
def accept_offer(sign_up) -> str:
	return accept(sign_up)


@frappe.whitelist()
def decline_offer(sign_up) -> str:
	return decline(sign_up)


@frappe.whitelist()
def check_in(activity, resident) -> dict:
	return check_in_resident(activity, resident)


def cancel(sign_up: str, now=None) -> str:
	"""The resident no longer comes: the place goes to the first who waits."""
	doc = writable_sign_up(sign_up)
	lock_activity(doc.activity)
	status = frappe.db.get_value(SIGN_UP, doc.name, "status", for_update=True)
	if status not in ACTIVE:
		frappe.throw(_("This sign-up is no longer active."))
	set_sign_up(doc.name, status=CANCELLED, offer_expires_at=None)
	offer_free_places(doc.activity, now)
	update_counts(doc.activity)
	return CANCELLED


def accept(sign_up: str, now=None) -> str:
	"""The resident takes the place offered to them, if they do so before it lapses."""
	doc = writable_sign_up(sign_up)
	lock_activity(doc.activity)
	row = frappe.db.get_value(
		SIGN_UP, doc.name, ["status", "offer_expires_at"], as_dict=True, for_update=True
	)
	now = get_datetime(now) if now else now_datetime()
	if row.status != OFFERED:
		frappe.throw(_("No place is offered to this resident."))
	if row.offer_expires_at and now > get_datetime(row.offer_expires_at):
		frappe.throw(
			_("The offered place had to be accepted by {0}; it has passed on.").format(row.offer_expires_at)
		)
	set_sign_up(doc.name, status=SIGNED_UP, offer_expires_at=None)
	update_counts(doc.activity)
	return SIGNED_UP


def decline(sign_up: str, now=None) -> str:
	doc = writable_sign_up(sign_up)
	lock_activity(doc.activity)
	if frappe.db.get_value(SIGN_UP, doc.name, "status", for_update=True) != OFFERED:
		frappe.throw(_("No place is offered to this resident."))
	set_sign_up(doc.name, status=CANCELLED, offer_expires_at=None)
	offer_free_places(doc.activity, now)
	update_counts(doc.activity)
	return CANCELLED


def pass_on_lapsed_offers(now=None) -> list[str]:
	"""Scheduled: offers not accepted in time lapse and pass on to the next resident who waits.
	Returns the lapsed sign-ups."""
	now = get_datetime(now) if now else now_datetime()
	lapsed = []
	activities = frappe.get_all(
		SIGN_UP,
		filters={"status": OFFERED, "offer_expires_at": ("<", now)},
		pluck="activity",
		distinct=True,
		order_by="activity",
	)
	for activity in activities:
		lock_activity(activity)
		for row in frappe.db.sql(
			f"""select name, offer_expires_at from `tab{SIGN_UP}` where activity = %s and status = %s
			and offer_expires_at < %s for update""",
			(activity, OFFERED, now),
			as_dict=True,
		):
			set_sign_up(row.name, status=OFFER_LAPSED)
			lapsed.append(row.name)
		offer_free_places(activity, now)
		update_counts(activity)
	return lapsed


def check_in_resident(activity: str, resident: str, now=None) -> dict:
	"""Check a resident in at the activity. Only a resident with a place can; checking in twice counts once."""
	name_argument(activity, "Community Activity")
	name_argument(resident, "Resident")
	visible = frappe.get_list(
		SIGN_UP, filters={"activity": activity, "resident": resident}, pluck="name", limit=1
	)
	details = lock_activity(activity) if visible else None
	row = sign_ups_of(activity, (SIGNED_UP,), resident) if details else []
	if not row:
		# Named only when the user may see the resident's sign-up; never the text the request gave.
		name = frappe.db.get_value("Resident", resident, "full_name") if visible else None
		frappe.throw(
			_("{0} has no place at this activity and cannot be checked in.").format(frappe.bold(name))
			if name
			else _("This resident has no place at this activity and cannot be checked in."),
			title=_("Not Signed Up"),
		)
	row = row[0]
	if not frappe.has_permission(SIGN_UP, "write", doc=row.name):
		frappe.throw(_("You are not permitted to check this resident in."), frappe.PermissionError)
	if details.docstatus != 0 or details.status != "Planned":
		frappe.throw(_("{0} is not open for check-in.").format(frappe.bold(details.title)))
	if row.checked_in:
		return {"sign_up": row.name, "checked_in": True, "already": True}
	set_sign_up(row.name, checked_in=1, checked_in_at=get_datetime(now) if now else now_datetime())
	update_counts(activity)
	return {"sign_up": row.name, "checked_in": True, "already": False}
