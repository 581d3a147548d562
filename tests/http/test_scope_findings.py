"""Regression tests for the scoping findings of the security review (issue 10), over HTTP against
the served test site: engine endpoints that counted, searched or read child tables past the grid
and merchant scope (findings 1-3), links into another grid (4) and the scope gaps (11).

Two grids, A (with micro-grid A1) and B, each with a household, a resident, a dispute case, a
party member with points and a voucher; a grid worker of A, a grid worker with no grid, and two
merchants.
"""

import datetime
import json

import frappe
from frappe.utils import add_to_date, now_datetime

from tests.http.two_grids import MERCHANT_Y
from wangge_app.test_utils import (
	make_id_number,
)


def make_case(grid: str, parties: list[dict], **fields) -> dict:
	return {
		"doctype": "Dispute Case",
		"subject": "邻里噪音纠纷",
		"grid": grid,
		"category": "Neighbours",
		"case_source": "Grid Patrol",
		"tier": "Ordinary",
		"description": "楼上楼下因夜间噪音争执。",
		"discovered_at": str(add_to_date(now_datetime(), hours=-2)),
		"parties": parties,
		**fields,
	}


def message(response) -> dict:
	return response.json().get("message")


def test_finding_01_get_count_checks_permissions(site, clients):
	prefix = site.resident_b.id_number[:10]
	# A merchant may not count residents at all, whatever the filter.
	response = clients.merchant.call(
		"frappe.client.get_count", doctype="Resident", filters={"id_number": ["like", f"{prefix}%"]}
	)
	assert response.status_code == 403
	# A grid worker counts only their own grids' records.
	response = clients.worker.call(
		"frappe.client.get_count", doctype="Resident", filters={"name": site.resident_b.name}
	)
	assert response.status_code == 200 and message(response) == 0
	response = clients.worker.call(
		"frappe.client.get_count", doctype="Resident", filters={"name": site.resident_a.name}
	)
	assert message(response) == 1
	# Nor through the search box's query argument, which calls a whitelisted method by name.
	response = clients.worker.call(
		"frappe.desk.search.search_widget",
		doctype="Resident",
		txt=json.dumps({"name": site.resident_b.name}),
		query="frappe.client.get_count",
	)
	assert response.status_code == 403 and "values" not in response.json()
	# A child table cannot be counted outside its parent.
	response = clients.worker.call("frappe.client.get_count", doctype="Dispute Case Party")
	assert response.status_code == 403


def search(client, doctype: str, txt: str = "", **params):
	response = client.call(
		"frappe.desk.search.search_widget", doctype=doctype, txt=txt, page_length=100, **params
	)
	assert response.status_code == 200, response.text
	# Frappe v15.41 returns the rows as the method's answer; earlier releases as "values".
	body = response.json()
	return json.dumps(body.get("message", body.get("values")), ensure_ascii=False)


def test_finding_02_search_ignoring_user_permissions_stays_in_scope(site, clients):
	for ignore in (0, 1):
		found = search(
			clients.worker,
			"Resident",
			ignore_user_permissions=ignore,
			filter_fields=["full_name", "mobile", "id_number"],
		)
		assert site.resident_a.name in found and site.resident_a.mobile in found
		assert (
			site.resident_b.name not in found and "格桑" not in found and site.resident_b.mobile not in found
		)
		found = search(clients.worker, "Dispute Case", ignore_user_permissions=ignore)
		assert site.case_a in found and site.case_b not in found
		found = search(clients.merchant, "Points Redemption", ignore_user_permissions=ignore)
		assert (
			site.voucher_a_x.name in found
			and site.voucher_a_y.name not in found
			and site.voucher_b_y.name not in found
		)
	response = clients.worker.call(
		"frappe.desk.search.search_link",
		doctype="Household",
		txt="",
		ignore_user_permissions=1,
		page_length=100,
	)
	body = response.json()
	results = json.dumps(body.get("message", body.get("results")))  # v15.41: the method's answer
	assert site.household_a in results and site.household_b not in results


def child_rows(client, doctype: str, parent: str, fields: list[str]):
	return client.call(
		"frappe.client.get_list", doctype=doctype, parent=parent, fields=fields, limit_page_length=0
	)


def test_finding_03_child_tables_read_directly_stay_in_scope(site, clients):
	response = child_rows(
		clients.worker, "Dispute Case Party", "Dispute Case", ["parent", "party_name", "phone"]
	)
	rows = message(response)
	parents = {row["parent"] for row in rows}
	assert site.case_a in parents and site.case_b not in parents
	assert site.resident_b.mobile not in response.text and "格桑" not in response.text
	# The grid worker without a grid sees no row at all.
	assert message(child_rows(clients.idle, "Dispute Case Party", "Dispute Case", ["parent"])) == []
	# A merchant lists its own merchant's users only.
	response = child_rows(clients.merchant, "Partner Merchant User", "Partner Merchant", ["parent", "user"])
	assert {row["parent"] for row in message(response)} == {site.merchants[0]}
	assert MERCHANT_Y not in response.text
	# Read one row of another grid's case by its name.
	row = frappe.get_all("Dispute Case Party", {"parent": site.case_b}, pluck="name")[0]
	response = clients.worker.call(
		"frappe.client.get", doctype="Dispute Case Party", name=row, parent="Dispute Case"
	)
	assert response.status_code == 403 and "格桑" not in response.text


def test_finding_04_links_and_grid_stay_in_the_workers_grids(site, clients):
	before = frappe.db.count("Dispute Case")
	# A party from another grid: refused, and nothing of that resident comes back.
	case = make_case(site.micro_a, [{"party_role": "Applicant", "resident": site.resident_b.name}])
	response = clients.worker.resource("POST", "Dispute Case", data={"data": json.dumps(case)})
	assert response.status_code == 403, response.text
	assert "格桑" not in response.text and site.resident_b.mobile not in response.text
	# The grid left empty and worked out from another grid's household: refused.
	case = make_case(
		None,
		[{"party_role": "Applicant", "party_name": "某住户"}],
		households=[{"household": site.household_b}],
	)
	response = clients.worker.resource("POST", "Dispute Case", data={"data": json.dumps(case)})
	assert response.status_code == 403, response.text
	frappe.db.rollback()
	assert frappe.db.count("Dispute Case") == before
	# Moving an own case to another grid: refused, the case stays where it was.
	response = clients.worker.resource(
		"PUT", f"Dispute Case/{site.case_a}", data={"data": json.dumps({"grid": site.grid_b})}
	)
	assert response.status_code == 403, response.text
	assert frappe.db.get_value("Dispute Case", site.case_a, "grid") == site.micro_a
	# A resident registered in another grid's household: refused.
	resident = {
		"doctype": "Resident",
		"full_name": "测试",
		"id_number": make_id_number(datetime.date(1990, 1, 1)),
		"household": site.household_b,
	}
	response = clients.worker.resource("POST", "Resident", data={"data": json.dumps(resident)})
	assert response.status_code == 403, response.text
	assert not frappe.db.exists("Resident", {"full_name": "测试"})


def names(client, doctype: str) -> set[str]:
	response = client.call("frappe.client.get_list", doctype=doctype, limit_page_length=0)
	assert response.status_code == 200, response.text
	return {row["name"] for row in message(response)}


def test_finding_11_scope_gaps_are_closed(site, clients):
	# A grid worker sees the members, ledger entries and vouchers of their own grids only.
	assert site.member_a in names(clients.worker, "In-service Party Member")
	assert site.member_b not in names(clients.worker, "In-service Party Member")
	entries = frappe.get_all(
		"Volunteer Points Entry", {"member": ("in", (site.member_a, site.member_b))}, ["name", "member"]
	)
	visible = names(clients.worker, "Volunteer Points Entry")
	assert {e.name for e in entries if e.member == site.member_a} <= visible
	assert not {e.name for e in entries if e.member == site.member_b} & visible
	vouchers = names(clients.worker, "Points Redemption")
	assert {site.voucher_a_x.name, site.voucher_a_y.name} <= vouchers and not {
		site.voucher_b_x.name,
		site.voucher_b_y.name,
	} & vouchers
	# A grid worker with no grid sees none of them, nor members or activities without a grid.
	for doctype in (
		"In-service Party Member",
		"Volunteer Activity",
		"Volunteer Points Entry",
		"Points Redemption",
	):
		assert names(clients.idle, doctype) == set(), doctype
	# The coverage number card counts only the worker's grids.
	response = clients.idle.call("wangge_app.party_building.coverage.get_coverage_card")
	assert response.status_code == 200 and message(response)["value"] == 0


def test_finding_10_no_filtering_or_sorting_by_unreadable_fields(site, clients):
	"""A mediator reads residents community-wide but not their ID numbers or mobiles: nor may it
	ask questions about them (count, filter, sort, group, aggregate), on any path."""
	resident = site.resident_b
	refused = [
		clients.mediator.call(
			"frappe.client.get_count",
			doctype="Resident",
			filters={"id_number": ["like", resident.id_number[:10] + "%"]},
		),
		clients.mediator.call(
			"frappe.client.get_list", doctype="Resident", fields=["name", "id_number", "id_number"]
		),
		clients.mediator.resource(
			"GET", "Resident", params={"filters": json.dumps([["mobile", "=", resident.mobile]])}
		),
		clients.mediator.call(
			"frappe.desk.reportview.get", doctype="Resident", fields=["name"], order_by="date_of_birth desc"
		),
		clients.mediator.call(
			"frappe.desk.listview.get_group_by_count",
			doctype="Resident",
			current_filters=[],
			field="ethnicity",
		),
		clients.mediator.call(
			"frappe.desk.doctype.number_card.number_card.get_result",
			doc={
				"document_type": "Resident",
				"function": "Maximum",
				"aggregate_function_based_on": "id_number",
			},
			filters=[],
		),
		clients.mediator.call(
			"frappe.desk.search.search_widget", doctype="Resident", txt="", filter_fields=["mobile"]
		),
		# A merchant guessing the code of a voucher not yet presented, letter by letter.
		clients.merchant.resource(
			"GET",
			"Points Redemption",
			params={"filters": json.dumps([["voucher_code", "like", "2%"]])},
		),
	]
	for response in refused:
		assert response.status_code == 403, response.text[:300]
		assert resident.id_number not in response.text and resident.mobile not in response.text
	# What they may read, they may still filter by; and a grid worker by the ID numbers of their grids.
	response = clients.mediator.call(
		"frappe.client.get_count",
		doctype="Resident",
		filters={"full_name": site.resident_b.full_name, "name": site.resident_b.name},
	)
	assert response.status_code == 200 and message(response) == 1
	response = clients.worker.call(
		"frappe.client.get_count", doctype="Resident", filters={"id_number": site.resident_a.id_number}
	)
	assert response.status_code == 200 and message(response) == 1
