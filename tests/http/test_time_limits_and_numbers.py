"""Time limits and document numbers stay as registered (issue 23, findings 2, 3, 4 and 9), over HTTP
against the served test site, as the grid worker of the records' grid and the community manager:
a request's grade and time of receipt and an issued hazard's deadline change only through the
manager's `change_due_input`, with a reason the record keeps; an overdue hazard stays overdue; a
deleted record's number is not given to the next one.

Declared in wangge_app/utils/due_times.py (DUE_INPUTS); numbering in wangge_app/naming.py."""

import json

import frappe
import pytest
from frappe.utils import add_days, add_to_date, get_datetime, getdate, now_datetime

from tests.http.test_history_rows import assert_refused, get, message_of, put, stored
from tests.http.two_grids import PASSWORD, Client
from wangge_app import workflows as wf
from wangge_app.resident_services.test_utils import make_request
from wangge_app.safety.test_utils import FIVE_IMPLEMENTATIONS, make_hazard
from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_household,
	make_user,
	scope_user_to_grid,
)

WORKER = "limits-http-worker@example.com"
MANAGER = "limits-http-manager@example.com"
FIXED = "fixed once registered"
CHANGE = "wangge_app.utils.due_times.change_due_input"


@pytest.fixture(scope="module")
def records():
	"""An emergency request, and a hazard whose notice went out twenty days ago and whose deadline was
	missed (marked as the overdue job marks it); committed for the served site."""
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], new_password=PASSWORD)
	make_user(MANAGER, ["Community Manager"], new_password=PASSWORD)
	for user in (WORKER, MANAGER):
		frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
	community, grid, micro_grid = make_community_tree(workers=[WORKER])
	scope_user_to_grid(MANAGER, community.name)
	household = make_household(micro_grid.name)
	request = make_request(grid.name, grade="Emergency")

	found = add_days(getdate(), -20)
	frappe.flags.current_date = found
	try:
		hazard = make_hazard(household.name, found_on=found, hazard_title="燃气管道锈蚀")
		apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **FIVE_IMPLEMENTATIONS)
	finally:
		frappe.flags.current_date = None
	frappe.get_doc("Safety Hazard", hazard.name).db_set(
		{"rectification_missed": 1, "is_overdue": 1}, update_modified=False
	)
	frappe.db.commit()
	return frappe._dict(request=request.name, hazard=hazard.name, grid=grid.name, household=household.name)


@pytest.fixture(scope="module")
def worker(base_url, records):
	return Client(base_url, WORKER)


@pytest.fixture(scope="module")
def manager(base_url, records):
	return Client(base_url, MANAGER)


def timeline(doctype: str, name: str) -> list[str]:
	frappe.db.rollback()
	return frappe.get_all(
		"Comment",
		{"reference_doctype": doctype, "reference_name": name, "comment_type": "Info"},
		pluck="content",
	)


def test_finding_02_regrading_does_not_lengthen_the_time_limit(records, worker, manager):
	request = records.request
	before = stored("Resident Request", request)
	for client in (worker, manager):
		assert_refused(put(client, "Resident Request", request, {"grade": "Complex"}), FIXED)
		response = client.call(
			"frappe.client.set_value",
			doctype="Resident Request",
			name=request,
			fieldname="grade",
			value="Complex",
		)
		assert_refused(response, FIXED)
	saved = stored("Resident Request", request)
	assert (saved.grade, saved.resolve_due_by) == ("Emergency", before.resolve_due_by)

	# The grid worker cannot use the manager's action; the manager can, with a reason.
	response = worker.call(
		CHANGE, doctype="Resident Request", name=request, fieldname="grade", value="Complex", reason="复杂"
	)
	assert response.status_code == 403, response.text
	response = manager.call(
		CHANGE, doctype="Resident Request", name=request, fieldname="grade", value="Complex", reason=""
	)
	assert response.status_code == 417 and "why the time limit changes" in message_of(response)
	response = manager.call(
		CHANGE,
		doctype="Resident Request",
		name=request,
		fieldname="grade",
		value="Complex",
		reason="需住建、供水两个部门协调",
	)
	assert response.status_code == 200, response.text
	saved = stored("Resident Request", request)
	assert saved.grade == "Complex"
	assert get_datetime(saved.resolve_due_by) > get_datetime(before.resolve_due_by)
	# The record keeps who, why, and both values: on the timeline and in its version history.
	(comment,) = timeline("Resident Request", request)
	assert "需住建、供水两个部门协调" in comment
	versions = frappe.get_all(
		"Version", {"ref_doctype": "Resident Request", "docname": request}, pluck="data"
	)
	changed = [change for data in versions for change in json.loads(data).get("changed", [])]
	assert ["grade", "Emergency", "Complex"] in changed


def test_finding_03_receipt_time_cannot_be_set_in_the_future(records, worker, manager):
	ahead = str(add_to_date(now_datetime(), days=10))
	before = stored("Resident Request", records.request)
	for client in (worker, manager):
		assert_refused(put(client, "Resident Request", records.request, {"received_at": ahead}), FIXED)
	response = manager.call(
		CHANGE,
		doctype="Resident Request",
		name=records.request,
		fieldname="received_at",
		value=ahead,
		reason="补录",
	)
	assert response.status_code == 417 and "cannot be in the future" in message_of(response)
	saved = stored("Resident Request", records.request)
	assert (saved.received_at, saved.resolve_due_by) == (before.received_at, before.resolve_due_by)

	# Nor does a new request start in the future.
	count = frappe.db.count("Resident Request", {"grid": records.grid})
	response = worker.resource(
		"POST",
		"Resident Request",
		json={
			"subject": "路灯不亮",
			"grid": records.grid,
			"channel": "Contact Card Call",
			"category": "Public Facilities",
			"received_at": ahead,
			"description": "小区南门路灯不亮。",
		},
	)
	assert response.status_code == 417 and "cannot be in the future" in message_of(response)
	frappe.db.rollback()
	assert frappe.db.count("Resident Request", {"grid": records.grid}) == count


def test_finding_04_an_overdue_hazard_keeps_its_overdue_marks(records, worker, manager):
	hazard = records.hazard
	later = str(add_days(getdate(), 7))
	assert_refused(put(worker, "Safety Hazard", hazard, {"rectification_deadline": later}), FIXED)
	saved = stored("Safety Hazard", hazard)
	assert (saved.is_overdue, saved.rectification_missed) == (1, 1)

	# The manager extends the deadline: the hazard stays overdue, and its second notice still needs
	# the delay explained.
	response = manager.call(
		CHANGE,
		doctype="Safety Hazard",
		name=hazard,
		fieldname="rectification_deadline",
		value=later,
		reason="住户外出务工，申请延期",
	)
	assert response.status_code == 200, response.text
	saved = stored("Safety Hazard", hazard)
	assert getdate(saved.rectification_deadline) == getdate(later)
	assert saved.is_overdue == 1
	response = worker.call(
		"frappe.model.workflow.apply_workflow",
		doc=get(worker, "Safety Hazard", hazard),
		action=wf.ISSUE_SECOND_NOTICE,
	)
	assert response.status_code == 417 and "Why the Deadline Was Missed" in message_of(response)
	assert stored("Safety Hazard", hazard).workflow_state == wf.NOTICE_ISSUED
	assert any("住户外出务工，申请延期" in comment for comment in timeline("Safety Hazard", hazard))


def test_finding_09_a_deleted_records_number_is_not_reused(records, manager):
	frappe.set_user("Administrator")
	first = make_hazard(records.household, hazard_title="楼道堆放杂物")
	frappe.db.commit()
	response = manager.resource("DELETE", f"Safety Hazard/{first.name}")
	assert response.status_code in (200, 202), response.text
	frappe.db.rollback()
	assert not frappe.db.exists("Safety Hazard", first.name)

	frappe.set_user("Administrator")
	second = make_hazard(records.household, hazard_title="电动车楼道充电")
	frappe.db.commit()
	assert second.name != first.name
	# Nothing of the deleted record follows the new one.
	for doctype, field in (("ToDo", "reference_name"), ("Version", "docname")):
		owner_field = "reference_type" if doctype == "ToDo" else "ref_doctype"
		assert not frappe.get_all(
			doctype, {owner_field: "Safety Hazard", field: second.name, "creation": ("<", second.creation)}
		)
