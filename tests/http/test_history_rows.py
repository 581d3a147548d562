"""History rows stay as recorded (issue 23, findings 1, 5, 6 and 7), over HTTP against the served test
site, as a grid worker on records of their own grid (the attacker is a legitimate user of that grid):
a follow-up's "Not Satisfied", an acceptance check's time, the order of the checks and who took a
resident's original document cannot be rewritten, on any of the write paths (REST PUT,
`frappe.client.save`, `savedocs`, `frappe.client.set_value` of the row), and what depends on them
(closing the request, re-inspecting and closing the hazard) is still refused.

Declared in wangge_app/scopes.py (HISTORY), enforced by wangge_app/history.py."""

import json
import re

import frappe
import pytest
from frappe.utils import add_days, get_datetime, now_datetime, today

from tests.http.two_grids import PASSWORD, Client
from wangge_app import workflows as wf
from wangge_app.resident_services.test_utils import (
	make_request,
	random_id_number,
	resolve_in_grid,
	start_assisted_service,
)
from wangge_app.safety.test_utils import FIVE_IMPLEMENTATIONS, add_check, make_hazard, make_photo
from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_household,
	make_resident,
	make_user,
)

WORKER = "history-worker@example.com"
COLLEAGUE = "history-colleague@example.com"
CHANGED = "a recorded row cannot be changed"
MOVED = "recorded rows cannot be moved"


@pytest.fixture(scope="module")
def records():
	"""A grid worker's grid with a resolved request, two hazards being rectified and an assisted
	service in progress; committed for the served site."""
	frappe.set_user("Administrator")
	for user in (WORKER, COLLEAGUE):
		make_user(user, ["Grid Worker"], new_password=PASSWORD)
		frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
	_community, _grid, micro_grid = make_community_tree(workers=[WORKER, COLLEAGUE])
	household = make_household(micro_grid.name)
	elder = make_resident(household.name, full_name="格桑老人", id_number=random_id_number())
	photo = make_photo()

	request = resolve_in_grid(make_request(household=household.name), WORKER)

	# Finding 5: a check passed in an earlier round; the rectification went on, and needs a new check.
	stale = make_hazard(household.name, hazard_title="燃气软管老化（复查后继续整改）")
	apply_workflow_as(WORKER, stale, wf.ISSUE_NOTICE, **FIVE_IMPLEMENTATIONS)
	apply_workflow_as(WORKER, stale, wf.START_RECTIFICATION)
	add_check(stale, "Passed", photo, WORKER)
	apply_workflow_as(WORKER, stale, wf.RECORD_REINSPECTION)
	apply_workflow_as(WORKER, stale, wf.CONTINUE_RECTIFICATION)

	# Finding 6: a passed check, then a failed one: re-inspected, not to be closed.
	failed = make_hazard(household.name, hazard_title="灭火器过期")
	apply_workflow_as(WORKER, failed, wf.ISSUE_NOTICE, **FIVE_IMPLEMENTATIONS)
	apply_workflow_as(WORKER, failed, wf.START_RECTIFICATION)
	add_check(failed, "Passed", photo, WORKER)
	add_check(failed, "Failed", photo, WORKER, explanation="新灭火器未到位，仍为过期灭火器。")
	apply_workflow_as(WORKER, failed, wf.RECORD_REINSPECTION)

	# Finding 7: the grid worker took the household register.
	service = start_assisted_service(elder.name, WORKER)
	frappe.set_user(WORKER)
	service = frappe.get_doc("Assisted Service Request", service.name)
	service.append("custody_log", {"document": "户口簿", "action": "Taken"})
	service.save()
	frappe.set_user("Administrator")
	frappe.db.commit()
	return frappe._dict(
		request=request.name, stale=stale.name, failed=failed.name, service=service.name, photo=photo
	)


@pytest.fixture(scope="module")
def worker(base_url, records):
	return Client(base_url, WORKER)


def message_of(response) -> str:
	messages = json.loads(response.json().get("_server_messages") or "[]")
	return re.sub(r"<[^>]+>", "", " ".join(json.loads(message)["message"] for message in messages))


def stored(doctype: str, name: str):
	frappe.db.rollback()  # a fresh snapshot: the server's commits
	return frappe.get_doc(doctype, name)


def get(client, doctype: str, name: str) -> dict:
	response = client.resource("GET", f"{doctype}/{name}")
	assert response.status_code == 200, response.text
	return response.json()["data"]


def put(client, doctype: str, name: str, data: dict):
	return client.resource("PUT", f"{doctype}/{name}", json=data)


def act(client, doctype: str, name: str, action: str):
	return client.call("frappe.model.workflow.apply_workflow", doc=get(client, doctype, name), action=action)


def assert_refused(response, words: str):
	assert response.status_code == 417, response.text
	assert words in message_of(response), message_of(response)


def write_paths(client, doctype: str, doc: dict, table: str, row: dict, fieldname: str):
	"""The same change of one field of a recorded row, sent on every path that saves the record."""
	doc = {**doc, "doctype": doctype}
	yield "PUT", put(client, doctype, doc["name"], {table: doc[table]})
	yield "frappe.client.save", client.call("frappe.client.save", doc=doc)
	yield "savedocs", client.call("frappe.desk.form.save.savedocs", doc=doc, action="Save")
	yield (
		"set_value",
		client.call(
			"frappe.client.set_value",
			doctype=row["doctype"],
			name=row["name"],
			fieldname=fieldname,
			value=row[fieldname],
		),
	)


def test_finding_01_not_satisfied_cannot_be_rewritten(records, worker):
	request = records.request
	doc = get(worker, "Resident Request", request)
	follow_up = {
		"follow_up_date": today(),
		"follow_up_method": "Phone",
		"reached": 1,
		"contacted": 1,
		"resolved": 0,
		"satisfaction": "Not Satisfied",
	}
	response = put(worker, "Resident Request", request, {"follow_ups": [*doc["follow_ups"], follow_up]})
	assert response.status_code == 200, response.text
	assert act(worker, "Resident Request", request, wf.COMPLETE_FOLLOW_UP).status_code == 200
	response = act(worker, "Resident Request", request, wf.CLOSE_REQUEST)
	assert response.status_code != 200
	saved = stored("Resident Request", request)
	assert (saved.workflow_state, saved.satisfaction) == (wf.FOLLOWED_UP, "Not Satisfied")
	assert saved.follow_ups[-1].followed_up_by == WORKER

	# The resident's answer rewritten to "Satisfied", on every path: refused.
	doc = get(worker, "Resident Request", request)
	row = doc["follow_ups"][-1]
	row.update(satisfaction="Satisfied", resolved=1)
	for path, response in write_paths(worker, "Resident Request", doc, "follow_ups", row, "satisfaction"):
		assert response.status_code == 417, path
		assert_refused(response, CHANGED)
	saved = stored("Resident Request", request)
	assert (saved.satisfaction, saved.follow_ups[-1].satisfaction) == ("Not Satisfied", "Not Satisfied")
	# The request still cannot be closed.
	assert act(worker, "Resident Request", request, wf.CLOSE_REQUEST).status_code != 200
	assert stored("Resident Request", request).workflow_state == wf.FOLLOWED_UP


def test_finding_05_a_stale_check_cannot_be_made_recent(records, worker):
	hazard = records.stale
	response = act(worker, "Safety Hazard", hazard, wf.RECORD_REINSPECTION)
	assert response.status_code == 417 and "Record the acceptance check first" in message_of(response)

	# The old check's time rewritten to tomorrow, on every path: refused.
	doc = get(worker, "Safety Hazard", hazard)
	row = doc["acceptance_checks"][0]
	recorded_at = row["recorded_at"]
	row["recorded_at"] = f"{add_days(today(), 1)} 09:00:00"
	for path, response in write_paths(worker, "Safety Hazard", doc, "acceptance_checks", row, "recorded_at"):
		assert response.status_code == 417, path
		assert_refused(response, CHANGED)
	saved = stored("Safety Hazard", hazard)
	assert get_datetime(saved.acceptance_checks[0].recorded_at) == get_datetime(recorded_at)
	# Re-inspection still needs a new check, and the hazard cannot be closed.
	for action in (wf.RECORD_REINSPECTION, wf.CLOSE_HAZARD):
		assert act(worker, "Safety Hazard", hazard, action).status_code != 200, action
	assert stored("Safety Hazard", hazard).workflow_state == wf.RECTIFYING

	# Nor can a new check bring its own time: the server stamps it.
	doc = get(worker, "Safety Hazard", hazard)
	new = {
		"check_date": today(),
		"result": "Failed",
		"result_photo": records.photo,
		"explanation": "仍未整改",
		"recorded_at": "2001-01-01 09:00:00",
		"checked_by": COLLEAGUE,
	}
	response = put(worker, "Safety Hazard", hazard, {"acceptance_checks": [*doc["acceptance_checks"], new]})
	assert response.status_code == 200, response.text
	check = stored("Safety Hazard", hazard).acceptance_checks[-1]
	assert check.checked_by == WORKER
	assert get_datetime(check.recorded_at) > get_datetime(recorded_at)


def test_finding_06_checks_cannot_be_reordered(records, worker):
	hazard = records.failed
	response = act(worker, "Safety Hazard", hazard, wf.CLOSE_HAZARD)
	assert response.status_code == 417 and "only after an acceptance check has passed" in message_of(response)
	before = [(row.name, row.idx, row.result) for row in stored("Safety Hazard", hazard).acceptance_checks]
	assert [result for _name, _idx, result in before] == ["Passed", "Failed"]

	# The same rows in reverse order, as sent (their numbers kept) and renumbered: refused.
	doc = get(worker, "Safety Hazard", hazard)
	reversed_rows = list(reversed(doc["acceptance_checks"]))
	renumbered = [{**row, "idx": idx} for idx, row in enumerate(reversed_rows, start=1)]
	for rows in (reversed_rows, renumbered):
		assert_refused(put(worker, "Safety Hazard", hazard, {"acceptance_checks": rows}), MOVED)
		response = put(
			worker, "Safety Hazard", hazard, {"acceptance_checks": rows, "workflow_state": wf.HAZARD_CLOSED}
		)
		assert response.status_code != 200, response.text
	saved = stored("Safety Hazard", hazard)
	assert [(row.name, row.idx, row.result) for row in saved.acceptance_checks] == before
	# The latest check is the failed one, whatever the order sent: the hazard is not closed.
	assert saved.latest_check().result == "Failed"
	response = act(worker, "Safety Hazard", hazard, wf.CLOSE_HAZARD)
	assert response.status_code == 417 and "only after an acceptance check has passed" in message_of(response)
	assert stored("Safety Hazard", hazard).workflow_state == wf.REINSPECTED


def test_finding_07_who_took_a_document_cannot_be_rewritten(records, worker):
	service = records.service
	assert stored("Assisted Service Request", service).custody_log[0].handled_by == WORKER

	doc = get(worker, "Assisted Service Request", service)
	row = doc["custody_log"][0]
	row["handled_by"] = COLLEAGUE
	for path, response in write_paths(
		worker, "Assisted Service Request", doc, "custody_log", row, "handled_by"
	):
		assert response.status_code == 417, path
		assert_refused(response, CHANGED)
	# Nor removed, in the record or on its own.
	assert_refused(put(worker, "Assisted Service Request", service, {"custody_log": []}), "cannot be removed")
	response = worker.call(
		"frappe.client.set_value",
		doctype="Assisted Service Request",
		name=service,
		fieldname={"custody_log": []},
	)
	assert_refused(response, "cannot be removed")
	response = worker.resource("DELETE", f"Document Custody Log/{row['name']}")
	assert response.status_code in (403, 417), response.text
	saved = stored("Assisted Service Request", service)
	assert [(entry.document, entry.action, entry.handled_by) for entry in saved.custody_log] == [
		("户口簿", "Taken", WORKER)
	]

	# A new row names its handler: the server's, not the request's.
	doc = get(worker, "Assisted Service Request", service)
	new = {
		"document": "户口簿",
		"action": "Returned",
		"handled_by": COLLEAGUE,
		"action_time": str(now_datetime()),
	}
	response = put(worker, "Assisted Service Request", service, {"custody_log": [*doc["custody_log"], new]})
	assert response.status_code == 200, response.text
	saved = stored("Assisted Service Request", service)
	assert [(entry.action, entry.handled_by) for entry in saved.custody_log] == [
		("Taken", WORKER),
		("Returned", WORKER),
	]
	assert not saved.documents_out
