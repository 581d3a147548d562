"""History rows stay as recorded on every write path, generated from the declaration (wangge_app/scopes.py
HISTORY), over HTTP against the served test site: for each history table, as the Community Manager
(who may change every record with history, in every state), a change of one field of a recorded row
(a stamped field where the table has one), the rows reordered, and a row removed, each sent by REST PUT
(v1 and v2), `frappe.client.save`, `savedocs`, `frappe.client.set_value` (of the row, and of the
record's table) and `apply_workflow` with the edits. Each is refused, or (a table only the app writes,
which Frappe puts back for the manager; `apply_workflow`, which reloads the record and may add its step
after the recorded rows) changes nothing.

The records are made by the builders of the unit test (wangge_app/tests/test_history_rows.py), which
gives each history table two rows."""

import json
from types import SimpleNamespace

import frappe
import pytest

from tests.http.test_history_rows import message_of
from tests.http.two_grids import PASSWORD, Client
from wangge_app.history import comparable_fields
from wangge_app.scopes import HISTORY
from wangge_app.test_utils import (
	make_community_tree,
	make_household,
	make_partner_department,
	make_user,
	scope_user_to_grid,
)
from wangge_app.tests import test_history_rows as unit

RECORD_BUILDERS = {
	"Dispute Case": unit.TestHistoryRows.make_dispute_case,
	"Resident Request": unit.TestHistoryRows.make_resident_request,
	"Safety Hazard": unit.TestHistoryRows.make_safety_hazard,
	"Assisted Service Request": unit.TestHistoryRows.make_assisted_service,
	"Party Member Household": unit.TestHistoryRows.make_party_member_household,
}


@pytest.fixture(scope="module")
def records():
	frappe.set_user("Administrator")
	for role, user in unit.ROLE_USERS.items():
		make_user(user, [role], first_name=role)
		frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
	manager = frappe.get_doc("User", unit.MANAGER)
	manager.new_password = PASSWORD
	manager.save(ignore_permissions=True)
	_community, grid, micro_grid = make_community_tree(workers=[unit.WORKER])
	scope_user_to_grid(unit.ROLE_USERS["Grid Party Branch Secretary"], grid.name)
	context = SimpleNamespace(
		micro_grid=micro_grid,
		households=[make_household(micro_grid.name).name for _ in range(4)],
		departments=[
			make_partner_department("历史测试 城关区交通警察大队").name,
			make_partner_department("历史测试 城关区住建局").name,
		],
		photos=[unit.make_photo("before.png"), unit.make_photo("after.png")],
	)
	made = {parent: build.__func__(context) for parent, build in RECORD_BUILDERS.items()}
	frappe.set_user("Administrator")
	frappe.db.commit()
	return made


@pytest.fixture(scope="module")
def manager(base_url, records):
	return Client(base_url, unit.MANAGER)


def stored_rows(child: str, parent_name: str) -> list[dict]:
	frappe.db.rollback()
	fields = [df.fieldname for df in comparable_fields(child)]
	return frappe.get_all(
		child,
		{"parent": parent_name, "parenttype": HISTORY[child].parent},
		["name", "idx", "owner", "creation", *fields],
		order_by="idx asc",
	)


def changed_field(child: str, rows: list[dict]) -> tuple[str, object]:
	"""A field of the first row and another value for it: a stamped field where the table has one."""
	history = HISTORY[child]
	fields = {df.fieldname: df for df in comparable_fields(child)}
	for fieldname in (*history.stamped_by, *history.stamped_at, *fields):
		df = fields[fieldname]
		value = unit.other_value(df, frappe._dict(rows[0]), frappe._dict(rows[1]))
		if value is not None and fieldname not in history.fill_once:
			return fieldname, str(value)
	raise AssertionError(f"{child}: no field to change")


def edits(child: str, doc: dict) -> dict:
	"""The record as sent, edited three ways."""
	table = HISTORY[child].table_field
	rows = doc[table]
	fieldname, value = changed_field(child, rows)
	return {
		f"change {fieldname}": {**doc, table: [{**rows[0], fieldname: value}, *rows[1:]]},
		"reorder": {**doc, table: list(reversed(rows))},
		"remove a row": {**doc, table: rows[1:]},
	}


def write_paths(client, child: str, sent: dict, original: dict):
	history = HISTORY[child]
	doctype, name, table = history.parent, sent["name"], history.table_field
	yield "PUT v1", client.resource("PUT", f"{doctype}/{name}", json={table: sent[table]})
	yield (
		"PUT v2",
		client.session.put(
			f"{client.base_url}/api/v2/document/{doctype}/{name}", json={table: sent[table]}, timeout=60
		),
	)
	yield "frappe.client.save", client.call("frappe.client.save", doc=sent)
	yield "savedocs", client.call("frappe.desk.form.save.savedocs", doc=sent, action="Save")
	yield (
		"set_value of the table",
		client.call("frappe.client.set_value", doctype=doctype, name=name, fieldname={table: sent[table]}),
	)
	first_sent = next((row for row in sent[table] if row["name"] == original[table][0]["name"]), None)
	if first_sent and first_sent != original[table][0]:
		changes = {key: value for key, value in first_sent.items() if original[table][0].get(key) != value}
		yield (
			"set_value of the row",
			client.call("frappe.client.set_value", doctype=child, name=first_sent["name"], fieldname=changes),
		)
	transitions = client.call("frappe.model.workflow.get_transitions", doc=original)
	actions = [row["action"] for row in (transitions.json().get("message") or [])]
	if actions:
		yield (
			"apply_workflow",
			client.call("frappe.model.workflow.apply_workflow", doc=sent, action=actions[0]),
		)


@pytest.mark.parametrize("child", sorted(HISTORY))
def test_history_rows_stay_on_every_write_path(records, manager, child):
	history = HISTORY[child]
	name = records[history.parent]
	before = stored_rows(child, name)
	assert len(before) >= 2
	response = manager.resource("GET", f"{history.parent}/{name}")
	assert response.status_code == 200, response.text
	original = response.json()["data"]
	for change, sent in edits(child, original).items():
		for path, response in write_paths(manager, child, json.loads(json.dumps(sent)), original):
			what = f"{child}: {change} by {path}"
			assert response.status_code < 500, f"{what}: {response.text[:500]}"
			stored = stored_rows(child, name)
			if path == "apply_workflow":
				# Frappe reloads the record before the transition: none of the edit is kept, and the
				# transition's own step (if it logs one) comes after the recorded rows.
				assert stored[: len(before)] == before, f"{what}: the stored rows changed"
				before = stored
				continue
			assert stored == before, f"{what}: the stored rows changed"
			if history.by_app:
				# A table only the app writes: Frappe puts it back for the manager.
				continue
			assert response.status_code == 417, f"{what} was not refused: {response.status_code}"
			assert "Recorded History" in response.text or "recorded" in message_of(response), what
