"""Attacks over HTTP by low-privileged users (security review of wt-e): engine endpoints that read,
filter or write past the grid and merchant scope or past permission levels, and that the app's
guards (wangge_app/engine_guards.py, permissions.py) do not cover yet.

Two grids, A (with micro-grid A1) and B, each with a household, a resident and a dispute case (B's is
assigned to B's grid worker); two merchants X and Y with an issued, unpresented voucher of each grid's
party member. The attackers: a grid worker of A, a grid worker with no grid, a community mediator (ID
numbers and mobiles at permission level 1, masked for it) and merchant X's website user.

Each test fails while the leak is open; an answer that is refused (403) or that is the same whether
or not the secret matches closes it.
"""

import json

import frappe

from tests.http.two_grids import WORKER_A, WORKER_B, answer, text

GROUP_BY_COUNT = "frappe.desk.listview.get_group_by_count"
WORKFLOW_STATE_COUNT = "frappe.workflow.doctype.workflow.workflow.get_workflow_state_count"
CUSTOM_FIELD_DATA = "frappe.desk.query_report.get_data_for_custom_field"
NUMBER_CARD_RESULT = "frappe.desk.doctype.number_card.number_card.get_result"


def test_attack_01_custom_report_field_data_reads_every_grid(site, clients):
	"""frappe.desk.query_report.get_data_for_custom_field(doctype, field) checks the DocType's role
	permission only and reads with frappe.get_all: every record's value of the field, every grid."""
	secret = site.resident_b.id_number
	for client in (clients.worker, clients.idle):
		response = client.call(CUSTOM_FIELD_DATA, doctype="Resident", field="id_number")
		assert secret not in text(response), "a grid worker reads grid B's ID numbers"
		response = client.call(CUSTOM_FIELD_DATA, doctype="Resident", field="full_name")
		assert site.resident_b.full_name not in text(response), "a grid worker reads grid B's names"


def test_attack_02_workflow_state_count_reads_any_field_of_every_record(site, clients):
	"""get_workflow_state_count(doctype, workflow_state_field, states) groups by any field with
	frappe.get_all: the field's values of every record, whatever the scope or permission level; and
	`workflow_state_field` is not among the arguments the field guard checks."""
	resident = site.resident_b
	for client in (clients.mediator, clients.worker, clients.idle):
		for field in ("id_number", "mobile"):
			response = client.call(
				WORKFLOW_STATE_COUNT, doctype="Resident", workflow_state_field=field, states=[]
			)
			assert resident.id_number not in text(response) and resident.mobile not in text(response)
	# A merchant reads every voucher code, of its own unpresented vouchers (which it could then redeem
	# on /merchant without the member) and of other merchants', and members' full names.
	response = clients.merchant.call(
		WORKFLOW_STATE_COUNT, doctype="Points Redemption", workflow_state_field="voucher_code", states=[]
	)
	for key in ("voucher_a_x", "voucher_b_x", "voucher_a_y"):
		assert site[key].voucher_code not in text(response), f"the merchant reads the code of {key}"
	response = clients.merchant.call(
		WORKFLOW_STATE_COUNT, doctype="Points Redemption", workflow_state_field="member_name", states=[]
	)
	assert site.member_name_a not in text(response)


def test_attack_03_group_by_count_current_filters_are_not_guarded(site, clients):
	"""get_group_by_count takes its filters as `current_filters`, which the field guard does not read:
	a mediator counts residents by ID number prefix."""
	resident = site.resident_b

	def count(prefix):
		return answer(
			clients.mediator.call(
				GROUP_BY_COUNT,
				doctype="Resident",
				current_filters=[["id_number", "like", prefix + "%"], ["name", "=", resident.name]],
				field="gender",
			)
		)

	assert count(resident.id_number[:14]) == count("X"), "an ID number prefix is an oracle"


def test_attack_04_assigned_to_counts_ignore_every_permission(site, clients):
	"""get_group_by_count with field='assigned_to' builds its subquery with frappe.qb (no permission
	check, no scope, no field guard): anyone logged in learns who is assigned to grid B's case, and
	with filters on any field it answers yes/no questions about records outside their scope."""
	for client in (clients.merchant, clients.idle, clients.worker):
		response = client.call(
			GROUP_BY_COUNT,
			doctype="Dispute Case",
			current_filters=[["name", "=", site.case_b]],
			field="assigned_to",
		)
		assert WORKER_B not in text(response), "grid B's case assignment shows"


def test_attack_05_number_card_filters_are_checked_without_their_doctype(site, clients):
	"""number_card.get_result(doc, filters): the guard checks `filters` against form_dict's `doctype`,
	which this endpoint does not send (the DocType is inside `doc`); dict and 3-element filters name no
	DocType and pass unchecked: a mediator counts residents by ID number prefix."""
	resident = site.resident_b

	def count(prefix, filters_as_dict):
		condition = ["like", prefix + "%"]
		filters = (
			{"id_number": condition, "name": resident.name}
			if filters_as_dict
			else [
				["id_number", *condition],
				["name", "=", resident.name],
			]
		)
		return answer(
			clients.mediator.call(
				NUMBER_CARD_RESULT, doc={"document_type": "Resident", "function": "Count"}, filters=filters
			)
		)

	for as_dict in (True, False):
		assert count(resident.id_number[:14], as_dict) == count("X", as_dict), (
			"an ID number prefix is an oracle"
		)


def test_attack_06_calendar_field_map_filters_by_unreadable_fields(site, clients):
	"""frappe.desk.calendar.get_events turns `field_map`'s start and end into filters the guard never
	sees: a mediator lists residents whose ID number lies in a range (binary search)."""
	resident = site.resident_b

	def events(start, end):
		return answer(
			clients.mediator.call(
				"frappe.desk.calendar.get_events",
				doctype="Resident",
				start=start,
				end=end,
				field_map={"start": "id_number", "end": "id_number", "title": "full_name"},
				filters=[["name", "=", resident.name]],
			)
		)

	assert events(resident.id_number, resident.id_number) == events("X", "X"), (
		"an ID number range is an oracle"
	)


def test_attack_07_get_next_compares_by_unreadable_fields_of_any_grid(site, clients):
	"""frappe.desk.form.utils.get_next(doctype, value, prev, filters, sort_order, sort_field) reads
	`sort_field` of record `value` with frappe.get_value (no permission, any grid) and filters and sorts
	by it: whether a visible record lies before or after it is an oracle on that field."""

	def next_of(client, value, in_view, order):
		return answer(
			client.call(
				"frappe.desk.form.utils.get_next",
				doctype="Resident",
				value=value,
				prev=0,
				sort_order=order,
				sort_field="id_number",
				filters=[["name", "=", in_view]],
			)
		)

	# A mediator compares two residents' ID numbers; a grid worker compares grid B's with grid A's.
	for client, value, in_view in (
		(clients.mediator, site.resident_b.name, site.resident_a.name),
		(clients.worker, site.resident_b.name, site.resident_a.name),
	):
		assert next_of(client, value, in_view, "asc") == next_of(client, value, in_view, "desc"), (
			"the order of two ID numbers shows"
		)


def listed(client, doctype, **filters):
	return answer(
		client.call("frappe.www.list.get", doctype=doctype, **{k: json.dumps(v) for k, v in filters.items()})
	)


def test_attack_08_portal_list_arguments_filter_by_unreadable_fields(site, clients):
	"""frappe.www.list.get (allow_guest) turns every extra argument naming a field into a filter, which
	the guard does not read: a mediator filters residents by ID number, a merchant its unpresented
	vouchers by code, prefix by prefix."""
	resident, voucher = site.resident_b, site.voucher_a_x
	assert listed(
		clients.mediator, "Resident", name=resident.name, id_number=["like", resident.id_number[:14] + "%"]
	) == listed(clients.mediator, "Resident", name=resident.name, id_number=["like", "X%"]), (
		"a mediator filters residents by ID number"
	)
	assert listed(
		clients.merchant,
		"Points Redemption",
		name=voucher.name,
		voucher_code=["like", voucher.voucher_code[:4] + "%"],
	) == listed(clients.merchant, "Points Redemption", name=voucher.name, voucher_code=["like", "X%"]), (
		"a merchant guesses an unpresented voucher's code prefix by prefix"
	)


def test_attack_09_portal_list_rows_show_full_member_names(site, clients):
	"""The rows frappe.www.list.get renders read the whole document (frappe.get_doc), permission-level
	fields included: a merchant's voucher list shows the members' full names."""
	response = clients.merchant.call("frappe.www.list.get", doctype="Points Redemption")
	for name in (site.member_name_a, site.member_name_b):
		assert name not in text(response), "the merchant's list rows show a member's full name"


def case_b_after(site):
	frappe.db.rollback()
	return frappe.db.get_value("Dispute Case", site.case_b, ["_liked_by", "_user_tags"], as_dict=True)


def test_attack_10_grid_worker_likes_another_grids_case(site, clients):
	clients.worker.call("frappe.desk.like.toggle_like", doctype="Dispute Case", name=site.case_b, add="Yes")
	assert WORKER_A not in (case_b_after(site)._liked_by or ""), "grid A's worker likes grid B's case"


def test_attack_11_grid_worker_tags_another_grids_case(site, clients):
	clients.worker.call(
		"frappe.desk.doctype.tag.tag.add_tag", tag="attack", dt="Dispute Case", dn=site.case_b
	)
	assert "attack" not in (case_b_after(site)._user_tags or ""), "grid A's worker tags grid B's case"


def test_attack_12_grid_worker_attaches_files_to_another_grids_case(site, clients):
	clients.worker.session.post(
		clients.worker.base_url + "/api/method/upload_file",
		data={"doctype": "Dispute Case", "docname": site.case_b, "is_private": 1},
		files={"file": ("note.txt", b"planted by grid A")},
		timeout=60,
	)
	frappe.db.rollback()
	assert not frappe.db.exists(
		"File", {"attached_to_doctype": "Dispute Case", "attached_to_name": site.case_b, "owner": WORKER_A}
	), "grid A's worker attaches a file to grid B's case"
