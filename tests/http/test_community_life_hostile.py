"""Hostile input for every whitelisted method of the Community Life module, over HTTP against the
served site, as a community manager (who may use them all) and as a guest: a clean result or a 4xx
with a message, never a 500, never the hostile markup repeated, nothing changed."""

import json

import frappe
import pytest

from tests.site_session import log_in
from wangge_app.test_utils import make_user

PASSWORD = "Wangge-Life-Hostile-2026"
MANAGER = "life-hostile-manager@example.com"
HOSTILE_HTML = "<script>alert(1)</script><img src=x onerror=alert(2)>"
MARKUP = ("<script>alert(1)", "<img src=x", "onerror=alert(2)>")
HOSTILE = {
	"html": HOSTILE_HTML,
	"sql": "' OR 1=1 --",
	"long": "A" * 100_000,
	"number": 12345,
	"list": [HOSTILE_HTML, "' OR 1=1 --"],
	"object": {"name": ["like", "%"]},
	"json_string": json.dumps({"name": "%", "doctype": "Resident"}),
	"null": None,
}
METHOD = "/api/method/wangge_app.community_life."
# id: (method, the parameter the hostile value goes into, other arguments)
ENDPOINTS = {
	"cancel_occurrence[booking]": (
		"doctype.space_booking.space_booking.cancel_occurrence",
		"booking",
		{"occurrence_date": "2027-01-05"},
	),
	"cancel_occurrence[date]": (
		"doctype.space_booking.space_booking.cancel_occurrence",
		"occurrence_date",
		{"booking": "SB-2027-00001"},
	),
	"move_occurrence[start]": (
		"doctype.space_booking.space_booking.move_occurrence",
		"start_time",
		{"booking": "SB-2027-00001", "occurrence_date": "2027-01-05", "end_time": "2027-01-05 10:00:00"},
	),
	"call_off": ("doctype.community_activity.community_activity.call_off", "activity", {}),
	"cancel_sign_up": ("sign_ups.cancel_sign_up", "sign_up", {}),
	"accept_offer": ("sign_ups.accept_offer", "sign_up", {}),
	"decline_offer": ("sign_ups.decline_offer", "sign_up", {}),
	"check_in[activity]": ("sign_ups.check_in", "activity", {"resident": "RES-00001"}),
	"check_in[resident]": ("sign_ups.check_in", "resident", {"activity": "CA-2027-0001"}),
	"get_eligible_residents": ("eligibility.get_eligible_residents", "activity", {}),
	"get_booking_events[start]": ("calendar.get_booking_events", "start", {"end": "2027-01-31 00:00:00"}),
	"get_booking_events[filters]": (
		"calendar.get_booking_events",
		"filters",
		{"start": "2027-01-01 00:00:00", "end": "2027-01-31 00:00:00"},
	),
	"move_booking_event": ("calendar.move_booking_event", "args", {}),
	"get_activity_events[end]": ("calendar.get_activity_events", "end", {"start": "2027-01-01 00:00:00"}),
	"get_activity_events[filters]": (
		"calendar.get_activity_events",
		"filters",
		{"start": "2027-01-01 00:00:00", "end": "2027-01-31 00:00:00"},
	),
}


@pytest.fixture(scope="module")
def sessions(base_url):
	frappe.set_user("Administrator")
	make_user(MANAGER, ["Community Manager"], new_password=PASSWORD)
	frappe.db.commit()
	return frappe._dict(
		base_url=base_url, manager=log_in(base_url, MANAGER, PASSWORD), guest=log_in(base_url, None)
	)


def send(session, base_url, endpoint, args):
	method, _parameter, fixed = ENDPOINTS[endpoint]
	return session.post(base_url + METHOD + method, json={**fixed, **args}, timeout=60)


def messages_of(body: dict) -> list[str]:
	return [json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")]


@pytest.mark.parametrize(
	"endpoint, value", [pytest.param(e, v, id=f"{e}-{v}") for e in ENDPOINTS for v in HOSTILE]
)
def test_hostile_value(sessions, endpoint, value):
	frappe.db.rollback()
	counts = {doctype: frappe.db.count(doctype) for doctype in ("Space Booking", "Activity Sign-up")}
	response = send(sessions.manager, sessions.base_url, endpoint, {ENDPOINTS[endpoint][1]: HOSTILE[value]})
	assert response.status_code < 500, response.text[:2000]
	body = response.json()
	if response.status_code >= 400:
		messages = messages_of(body)
		assert messages or body.get("exception"), response.text[:2000]
		if body.get("exc_type") != "DoesNotExistError":
			for markup in MARKUP:
				assert not any(markup in m for m in messages), messages
	else:
		for markup in MARKUP:
			assert markup not in json.dumps(body.get("message"))
	frappe.db.rollback()
	assert counts == {doctype: frappe.db.count(doctype) for doctype in counts}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_guest_is_refused(sessions, endpoint):
	response = send(sessions.guest, sessions.base_url, endpoint, {ENDPOINTS[endpoint][1]: HOSTILE_HTML})
	assert response.status_code == 403, response.text[:2000]
	assert response.json().get("exc_type") == "PermissionError"
