"""Dispute cases over Frappe's REST API, against the served test site, as a grid worker of the case's
grid: the workflow cannot be bypassed with plain saves (security issue 10, finding 8)."""

import re

import frappe
import pytest
import requests
from frappe.model.workflow import apply_workflow
from frappe.utils import add_to_date, get_datetime, now_datetime

from wangge_app.overdue import mark_missed_due_times_of
from wangge_app.test_utils import make_community_tree, make_user

WORKER = "rest-dc-worker@example.com"


class Rest:
	"""A REST client acting as `user`, with an API key and secret made for it."""

	def __init__(self, base_url: str, user: str):
		self.base_url = base_url
		self.session = requests.Session()
		key, secret = frappe.generate_hash(length=15), frappe.generate_hash(length=15)
		frappe.db.set_value("User", user, "api_key", key)
		doc = frappe.get_doc("User", user)
		doc.api_secret = secret
		doc.save(ignore_permissions=True)
		frappe.db.commit()
		self.session.headers.update({"Authorization": f"token {key}:{secret}", "Accept": "application/json"})

	def get(self, doctype: str, name: str):
		return self.session.get(f"{self.base_url}/api/resource/{doctype}/{name}", timeout=60)

	def put(self, doctype: str, name: str, data: dict):
		return self.session.put(f"{self.base_url}/api/resource/{doctype}/{name}", json=data, timeout=60)


def message_of(response) -> str:
	messages = frappe.parse_json(response.json().get("_server_messages", "[]"))
	return re.sub(r"<[^>]+>", "", " ".join(frappe.parse_json(m)["message"] for m in messages))


def saved(name: str) -> dict:
	"""The case as committed, with the stamps a worker must not touch."""
	frappe.db.rollback()  # a fresh snapshot, to see the server's commits
	case = frappe.get_doc("Dispute Case", name)
	return {
		"tier": case.tier,
		"workflow_state": case.workflow_state,
		"description": case.description,
		"arrived_at": case.arrived_at,
		"escalated_at": case.escalated_at,
		"settled_at": case.settled_at,
		"closed_at": case.closed_at,
		"is_overdue": case.is_overdue,
		"due_times": (case.arrival_due_by, case.settlement_due_by, case.follow_up_due_by, case.next_due_by),
		"missed": (case.arrival_missed, case.settlement_missed, case.follow_up_missed),
		"step_log": [(row.name, row.step, row.step_time) for row in case.step_log],
		"overdue_log": [(row.name, row.target, row.due_at) for row in case.overdue_log],
	}


@pytest.fixture(scope="module")
def major_case():
	"""A Major case in a grid worker's grid, three days old, on site, that missed its arrival target;
	committed for the served site and removed afterwards."""
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], first_name="网格员 格桑")
	frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
	_community, grid, _micro = make_community_tree(workers=[WORKER])
	discovered_at = add_to_date(now_datetime(), days=-3).replace(microsecond=0)
	case = frappe.get_doc(
		{
			"doctype": "Dispute Case",
			"subject": "建筑工地欠薪纠纷",
			"grid": grid.name,
			"category": "Labour",
			"case_source": "Resident Report",
			"discovered_at": discovered_at,
			"tier": "Major",
			"description": "二十余名务工人员讨要工资，聚集在工地门口。",
			"parties": [
				{"party_role": "Applicant", "party_name": "务工人员代表 多吉"},
				{"party_role": "Respondent", "party_name": "拉萨某建筑劳务有限公司"},
			],
		}
	).insert()
	assert mark_missed_due_times_of("Dispute Case", add_to_date(discovered_at, days=1))
	frappe.set_user(WORKER)
	apply_workflow(frappe.get_doc("Dispute Case", case.name), "Arrive On Site")
	frappe.set_user("Administrator")
	frappe.db.commit()
	yield case.name

	frappe.db.rollback()
	for child in (
		"Dispute Case Party",
		"Dispute Case Step",
		"Dispute Case Overdue",
		"Dispute Case Household",
	):
		frappe.db.delete(child, {"parent": case.name})
	frappe.db.delete("ToDo", {"reference_type": "Dispute Case", "reference_name": case.name})
	frappe.db.delete("Notification Log", {"document_type": "Dispute Case", "document_name": case.name})
	frappe.db.delete("Dispute Case", {"name": case.name})
	frappe.db.commit()


def test_finding_08_workflow_bypass(base_url, major_case):
	worker = Rest(base_url, WORKER)
	before = saved(major_case)
	assert before["tier"] == "Major" and before["workflow_state"] == "On Site"
	assert before["is_overdue"] == 1 and [row[1] for row in before["overdue_log"]] == ["Arrival on Site"]
	assert before["arrived_at"] and [row[1] for row in before["step_log"]] == ["Discovery", "Arrival on Site"]
	# The worker reads the stamps, and sees the case as the server keeps it.
	read = worker.get("Dispute Case", major_case)
	assert read.status_code == 200, read.text
	assert read.json()["data"]["is_overdue"] == 1 and len(read.json()["data"]["overdue_log"]) == 1

	# Lowering the tier (so that the grid worker could close the case) is refused.
	response = worker.put("Dispute Case", major_case, {"tier": "Ordinary"})
	assert response.status_code == 417, response.text
	assert "only escalation and referral raise it" in message_of(response)
	assert saved(major_case) == before

	# The stamps are the server's: a PUT that erases the missed target and rewrites the times and the
	# step log changes none of them (Frappe puts fields the user may not write back).
	earlier = add_to_date(get_datetime(before["arrived_at"]), days=-2)
	response = worker.put(
		"Dispute Case",
		major_case,
		{
			"is_overdue": 0,
			"arrival_missed": 0,
			"settlement_due_by": str(add_to_date(now_datetime(), days=365)),
			"next_due_by": None,
			"overdue_log": [],
			"arrived_at": str(earlier),
			"escalated_at": str(earlier),
			"settled_at": str(earlier),
			"closed_at": str(earlier),
			"step_log": [{"step": "Discovery", "step_time": str(earlier), "note": "改写"}],
		},
	)
	assert response.status_code == 200, response.text
	assert saved(major_case) == before
	data = response.json()["data"]
	# Frappe v15.41 leaves empty fields out of REST answers.
	assert data["is_overdue"] == 1 and len(data["overdue_log"]) == 1 and data.get("closed_at") is None

	# A transition that carries other edits is refused as a whole.
	response = worker.put(
		"Dispute Case",
		major_case,
		{"workflow_state": "Joint Handling", "description": "双方已和解，无需调解。"},
	)
	assert response.status_code == 417, response.text
	assert "Save your changes to Facts of the Dispute first" in message_of(response)
	assert saved(major_case) == before
	# So is a skipped step, even alone.
	response = worker.put("Dispute Case", major_case, {"workflow_state": "Case Closed"})
	assert response.status_code == 417, response.text
	assert saved(major_case) == before

	# The transition alone goes through, and the server stamps it.
	response = worker.put("Dispute Case", major_case, {"workflow_state": "Joint Handling"})
	assert response.status_code == 200, response.text
	after = saved(major_case)
	assert (after["workflow_state"], after["tier"], after["description"]) == (
		"Joint Handling",
		"Major",
		before["description"],
	)
	assert after["step_log"][:2] == before["step_log"]
	assert [row[1] for row in after["step_log"]] == ["Discovery", "Arrival on Site", "Joint Handling"]
	assert after["step_log"][2][2] > add_to_date(now_datetime(), minutes=-5)
	assert (after["overdue_log"], after["is_overdue"]) == (before["overdue_log"], 1)
