# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The request page behind each contact card's QR code (/request) and the status page (/request/status).

Guests use them: a resident scans the card, picks a category, writes what they need and sends it;
the request is created for the card's household, assigned to its grid worker, and the resident gets
a tracking code. The status page shows, for a tracking code, where the request stands, and nothing
personal: no name, phone, address or text of the request.

What guards them: a card token is signed and revocable (contact_card_token.py); submissions are
rate-limited per address (Frappe's rate_limit) and per card (a daily cap); status look-ups per
address; every text is bounded and refused when it holds markup; the pages escape what they show.
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import add_to_date, cint, format_date, now_datetime

from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import household_of_token
from wangge_app.resident_services.doctype.resident_request.resident_request import (
	MAX_DESCRIPTION,
	RESIDENT_REQUEST,
	DuplicateRequestError,
	normalize_tracking_code,
)
from wangge_app.resident_services.text import plain_text
from wangge_app.utils.validation import checked_mobile
from wangge_app.workflows import (
	ACKNOWLEDGED,
	COORDINATING,
	FOLLOWED_UP,
	RECEIVED,
	REQUEST_CLOSED,
	RESOLVED,
	VISITED,
	WHISTLE_BLOWN,
)

LANGUAGES = ("zh", "bo")
# What a resident may write on the page (the desk allows more).
MAX_PAGE_DESCRIPTION = min(1000, MAX_DESCRIPTION)
BEST_TIMES = ("Any Time", "Morning", "Afternoon", "Evening")
# Per address: submissions and status look-ups an hour.
SUBMISSIONS_PER_HOUR = 20
LOOKUPS_PER_HOUR = 120
# Per card: requests a day.
REQUESTS_PER_CARD_PER_DAY = 10
INVALID_CARD = "This contact card's code is not valid: it may have been replaced by a new card. Call your grid worker or the community hotline."

# What the status page says of each state: received, being handled, resolved, closed.
PUBLIC_STATES = {
	RECEIVED: "Received, waiting for your grid worker",
	ACKNOWLEDGED: "Being handled",
	VISITED: "Being handled",
	COORDINATING: "Being handled",
	WHISTLE_BLOWN: "Being handled with the departments concerned",
	RESOLVED: "Resolved, waiting for your feedback",
	FOLLOWED_UP: "Resolved",
	REQUEST_CLOSED: "Closed",
}


def set_page_language(lang=None) -> str:
	"""Chinese unless Tibetan is asked for (the pages come in these two)."""
	lang = lang if lang in LANGUAGES else frappe.local.lang
	frappe.local.lang = lang if lang in LANGUAGES else "zh"
	return frappe.local.lang


def request_categories() -> list[dict]:
	"""The enabled categories, as (value, label in the page's language)."""
	return [
		{"value": name, "label": _(name)}
		for name in frappe.get_all(
			"Request Category", {"disabled": 0}, pluck="name", order_by="creation asc, name asc"
		)
	]


def card_details(household: str) -> dict:
	"""What the page shows of the card: its grid and community, as the printed card does."""
	grid = frappe.db.get_value("Household", household, "grid")
	card = frappe.get_cached_doc("Grid", grid).get_contact_card_details()
	return {"grid_path": card["grid_path"], "community": card["community"] or ""}


# xss_safe: Frappe would strip markup from a guest's input before this method sees it, saving a mangled
# text; plain_text refuses markup instead, with a message, and the pages escape what they show.
@frappe.whitelist(allow_guest=True, methods=["POST"], xss_safe=True)
@rate_limit(limit=SUBMISSIONS_PER_HOUR, seconds=60 * 60)
def submit_request(
	card=None, category=None, description=None, phone=None, best_time=None, submission_key=None, lang=None
) -> dict:
	"""Create a request for the card's household; return its tracking code.

	The same submission key (a double tap), or the same text from the same card within a day (the form
	sent again), gives back the request already made instead of a second one."""
	set_page_language(lang)
	household = household_of_token(card)
	if not household:
		frappe.throw(_(INVALID_CARD), frappe.PermissionError, title=_("Card Not Valid"))
	if not isinstance(category, str) or not frappe.db.get_value(
		"Request Category", {"name": category, "disabled": 0}
	):
		frappe.throw(_("Choose what your request is about."), title=_("Invalid Input"))
	description = plain_text(description, "What the Resident Asks", MAX_PAGE_DESCRIPTION, required=True)
	phone = plain_text(phone, "Requester Phone", 20)
	phone = checked_mobile(phone) if phone else None
	if best_time not in (None, "", *BEST_TIMES):
		frappe.throw(_("Choose the best time to call from the list."), title=_("Invalid Input"))
	submission_key = plain_text(submission_key, "Submission Key", 64)

	# Submissions from one card wait for each other from here to the insert: counted side by side,
	# parallel ones would each find room under the daily cap. Nothing is written yet; the lock starts a
	# new transaction, so that what is read after it (a snapshot taken at the first plain read) includes
	# the requests of the submissions that held it before.
	frappe.db.rollback()
	frappe.db.get_value("Household", household, "name", for_update=True)
	existing = earlier_submission(household, description, submission_key)
	if existing:
		return tracking_answer(existing)
	if sent_today(household) >= REQUESTS_PER_CARD_PER_DAY:
		frappe.throw(
			_("This card has sent {0} requests today. Please call your grid worker instead.").format(
				REQUESTS_PER_CARD_PER_DAY
			),
			title=_("Too Many Requests"),
		)
	try:
		request = frappe.get_doc(
			{
				"doctype": RESIDENT_REQUEST,
				"channel": "Contact Card QR Code",
				"household": household,
				"grid": frappe.db.get_value("Household", household, "grid"),
				"category": category,
				"subject": subject_of(description),
				"description": description,
				"requester_phone": phone,
				"best_time_to_call": best_time or None,
				"submission_key": submission_key or None,
			}
		)
		request.flags.ignore_permissions = True
		request.insert()
	except (DuplicateRequestError, frappe.UniqueValidationError):
		# The same submission key arrived twice at once: the first one made the request.
		frappe.db.rollback()
		existing = earlier_submission(household, description, submission_key)
		if not existing:
			raise
		return tracking_answer(existing)
	return tracking_answer(request.name)


def earlier_submission(household: str, description: str, submission_key: str) -> str | None:
	if submission_key:
		name = frappe.db.get_value(
			RESIDENT_REQUEST, {"submission_key": submission_key, "household": household}, "name"
		)
		if name:
			return name
	return frappe.db.get_value(
		RESIDENT_REQUEST,
		{
			"household": household,
			"channel": "Contact Card QR Code",
			"description": description,
			"creation": (">", add_to_date(now_datetime(), days=-1)),
		},
		"name",
	)


def sent_today(household: str) -> int:
	"""Requests the household's card sent in the last 24 hours."""
	return frappe.db.count(
		RESIDENT_REQUEST,
		{
			"household": household,
			"channel": "Contact Card QR Code",
			"creation": (">", add_to_date(now_datetime(), days=-1)),
		},
	)


def subject_of(description: str) -> str:
	first_line = description.splitlines()[0].strip()
	return first_line if len(first_line) <= 30 else first_line[:30] + "…"


def tracking_answer(name: str) -> dict:
	code = frappe.db.get_value(RESIDENT_REQUEST, name, "tracking_code")
	return {"tracking_code": code, "status_url": f"/request/status?code={code}"}


def check_lookup_rate() -> None:
	"""Status look-ups per address and hour, counted as Frappe's rate_limit counts."""
	key = f"rl:request-status:{frappe.local.request_ip or 'unknown'}"
	if not frappe.cache.get(key):
		frappe.cache.setex(key, 60 * 60, 0)
	if cint(frappe.cache.incrby(key, 1)) > LOOKUPS_PER_HOUR:
		frappe.throw(
			_("You hit the rate limit because of too many requests. Please try after sometime."),
			frappe.TooManyRequestsError,
		)


def request_status(code) -> dict | None:
	"""Where the request with this tracking code stands, with nothing personal; None when there is none."""
	code = normalize_tracking_code(code)
	if not code:
		return None
	request = frappe.db.get_value(
		RESIDENT_REQUEST,
		{"tracking_code": code},
		["workflow_state", "category", "received_at", "acknowledged_at", "resolved_at", "closed_at"],
		as_dict=True,
	)
	if not request:
		return None
	steps = [
		(_("Received"), request.received_at),
		(_("Your grid worker contacted you"), request.acknowledged_at),
		(_("Resolved"), request.resolved_at),
		(_("Closed"), request.closed_at),
	]
	return {
		"tracking_code": code,
		"status": _(PUBLIC_STATES.get(request.workflow_state, "Being handled")),
		"category": _(request.category),
		"steps": [{"label": label, "date": format_date(at, "yyyy-mm-dd")} for label, at in steps if at],
	}
