"""Attacks over HTTP on the paths the Community Life, Safety and Resident Services modules opened or
share with the older ones: a grid worker of grid A, a grid worker with no grid, a community mediator
and a merchant's website user against the records of grid B (the fixtures of tests/http/conftest.py).

Each test fails while the leak is open.
"""

import datetime
import json
import time

import frappe
import pytest

from tests.http.two_grids import MERCHANT_X, MERCHANT_Y, WORKER_A, WORKER_B, text
from wangge_app.community_life.test_utils import make_community_activity, sign_up
from wangge_app.test_utils import unique_code

RUN_REPORT = "frappe.desk.query_report.run"
# Seconds the database waits when the guess is right: longer than any answer of the served site.
DELAY = 3


@pytest.fixture(scope="module")
def life(site):
	"""A community activity with the sign-up of grid A's resident."""
	frappe.set_user("Administrator")
	activity = make_community_activity(
		datetime.datetime(2027, 7, 6, 9), title=unique_code("攻击测试活动"), capacity=10
	)
	sign_up_a = sign_up(activity.name, site.resident_a.name)
	frappe.db.commit()
	yield frappe._dict(activity=activity.name, sign_up_a=sign_up_a.name)
	frappe.db.rollback()
	frappe.db.delete("Activity Sign-up", {"activity": activity.name})
	frappe.db.delete("Community Activity", {"name": activity.name})
	frappe.db.commit()


def id_number_oracle(resident) -> str:
	"""A report column's "field" that waits DELAY seconds only if the resident's ID number starts as
	guessed: asked digit by digit, the answer's delay spells out the number."""
	return f"sleep({DELAY} * (name = '{resident.name}' and id_number like '{resident.id_number[:10]}%'))"


def timed(call):
	started = time.monotonic()
	response = call()
	return response, time.monotonic() - started


def test_report_columns_of_linked_records_time_any_id_number(site, clients):
	"""query_report.run and export_query add `custom_columns` to any report the user may run (a JSON body
	keeps them a list): for a column with a `link_field` the engine reads its field of every record of
	its DocType with frappe.get_all and puts the field into SQL as given. A grid worker of A (through the
	community activity summary) or a mediator, who reads residents masked (through the case statistics),
	times grid B's resident's ID number."""
	column = {
		"doctype": "Resident",
		"fieldname": id_number_oracle(site.resident_b),
		"link_field": "month",
		"insert_after_index": 0,
	}
	for client, report in (
		(clients.worker, "Community Activity Summary"),
		(clients.mediator, "Dispute Case Statistics"),
	):
		for method, extra in (
			(RUN_REPORT, {}),
			("frappe.desk.query_report.export_query", {"file_format_type": "CSV", "visible_idx": []}),
		):
			response, seconds = timed(
				lambda client=client, report=report, method=method, extra=extra: client.session.post(
					f"{client.base_url}/api/method/{method}",
					json={"report_name": report, "filters": {}, "custom_columns": [column], **extra},
					timeout=60,
				)
			)
			assert seconds < DELAY, f"{method} waited on grid B's ID number ({seconds:.1f} s)"
			assert response.status_code == 403, text(response)[:300]


def test_saved_custom_report_columns_time_any_id_number(site, clients):
	"""query_report.save_report saves a custom report for anyone who may run the report it is based on,
	with the columns given; running it reads them as above."""
	client = clients.worker
	name = unique_code("活动统计自定义")
	column = {
		"doctype": "Resident",
		"fieldname": id_number_oracle(site.resident_b),
		"link_field": "month",
		"insert_after_index": 0,
	}
	saved = client.call(
		"frappe.desk.query_report.save_report",
		reference_report="Community Activity Summary",
		report_name=name,
		columns=json.dumps([column]),
		filters=json.dumps({}),
	)
	assert saved.status_code == 403, text(saved)[:300]
	frappe.db.rollback()
	assert not frappe.db.exists("Report", {"report_name": name})
	response, seconds = timed(lambda: client.call(RUN_REPORT, report_name=name, filters={}))
	assert seconds < DELAY and "sleep" not in text(response)
	frappe.db.delete("Report", {"report_name": name})
	frappe.db.commit()


def test_report_runs_but_refuses_columns_of_the_app_records(site, clients):
	"""The report itself still runs; even a plain field of the app's records is not added to it (the
	engine would read it from every grid)."""
	response = clients.worker.session.post(
		f"{clients.worker.base_url}/api/method/{RUN_REPORT}",
		json={"report_name": "Community Activity Summary", "filters": {}},
		timeout=60,
	)
	assert response.status_code == 200, text(response)[:300]
	refused = clients.worker.session.post(
		f"{clients.worker.base_url}/api/method/{RUN_REPORT}",
		json={
			"report_name": "Community Activity Summary",
			"filters": {},
			"custom_columns": [
				{
					"doctype": "Resident",
					"fieldname": "full_name",
					"link_field": "month",
					"insert_after_index": 0,
				}
			],
		},
		timeout=60,
	)
	assert refused.status_code == 403, text(refused)[:300]
	assert site.resident_b.full_name not in text(refused)


def print_html(client, doc: dict, print_format=None):
	response = client.call("frappe.www.printview.get_html_and_style", doc=doc, print_format=print_format)
	return response, text(response)


def test_print_of_a_sent_document_reads_other_grids_records(site, clients, life):
	"""The desk's print page sends the document to print (get_html_and_style with `doc` as JSON); the
	engine printed it as sent once the user could read a record of that name. Grid A's worker sent their
	own sign-up naming grid B's resident, or their own case naming B's household, and read B's resident's
	name (the link's title) and B's household's address (the registration form prints the addresses)."""
	client = clients.worker
	address_b = frappe.db.get_value("Household", site.household_b, "address")
	forged = [
		(
			{
				"doctype": "Activity Sign-up",
				"name": life.sign_up_a,
				"grid": site.micro_a,
				"activity": life.activity,
				"resident": site.resident_b.name,
			},
			None,
			site.resident_b.full_name,
		),
		(
			{
				"doctype": "Activity Sign-up",
				"__islocal": 1,
				"grid": site.micro_a,
				"resident": site.resident_b.name,
			},
			None,
			site.resident_b.full_name,
		),
		(
			{
				"doctype": "Dispute Case",
				"name": site.case_a,
				"grid": site.micro_a,
				"households": [{"household": site.household_b}],
			},
			"Dispute Registration Form",
			address_b,
		),
	]
	for doc, print_format, secret in forged:
		response, body = print_html(client, doc, print_format)
		assert secret not in body, f"grid A's worker printed grid B's data through a sent {doc['doctype']}"
		assert site.resident_b.full_name not in body and address_b not in body


def test_the_print_page_prints_the_stored_record(site, clients, life):
	"""The desk's print page still works: the document it sends prints as stored."""
	response, body = print_html(
		clients.worker, {"doctype": "Activity Sign-up", "name": life.sign_up_a, "grid": site.micro_a}
	)
	assert response.status_code == 200, body[:300]
	assert site.resident_a.full_name in body


def list_page(client, route: str, **params):
	"""A portal list page as a browser opens it; what the attacker learns: its status and its rows."""
	response = client.session.get(
		f"{client.base_url}/{route}",
		params={
			key: json.dumps(value) if isinstance(value, list) else value for key, value in params.items()
		},
		headers={"Accept": "text/html"},
		timeout=60,
	)
	return response.status_code, response.text


def test_portal_list_page_filters_by_unreadable_fields(site, clients):
	"""Frappe's portal list page (/list?doctype=…, or the DocType's name as the route) runs
	frappe.www.list.get, which the guard refuses only as a method: a page is no method call. Every
	argument naming a field is a filter: a mediator, who reads residents masked, tells grid B's
	resident's ID number prefix by prefix, and a merchant an unpresented voucher's code."""
	resident, voucher = site.resident_b, site.voucher_a_x
	for route, params in (("list", {"doctype": "Resident"}), ("resident", {})):
		right = list_page(
			clients.mediator,
			route,
			name=resident.name,
			id_number=["like", resident.id_number[:14] + "%"],
			**params,
		)
		wrong = list_page(clients.mediator, route, name=resident.name, id_number=["like", "X%"], **params)
		assert resident.full_name not in right[1], f"/{route}: a mediator filters residents by ID number"
		assert right[0] == wrong[0] and resident.name not in wrong[1]
	for route, params in (("list", {"doctype": "Points Redemption"}), ("Points Redemption", {})):
		right = list_page(
			clients.merchant,
			route,
			name=voucher.name,
			voucher_code=["like", voucher.voucher_code[:4] + "%"],
			**params,
		)
		wrong = list_page(clients.merchant, route, name=voucher.name, voucher_code=["like", "X%"], **params)
		assert voucher.name not in right[1], f"/{route}: a merchant guesses an unpresented voucher's code"
		assert site.member_name_a not in right[1], "the merchant's list rows show a member's full name"
		assert right[0] == wrong[0] and voucher.name not in wrong[1]


def test_pages_of_the_app_still_open(site, clients):
	"""The app's own pages are not list pages: the merchant portal and the public activities page open."""
	assert list_page(clients.merchant, "merchant")[0] == 200
	assert list_page(clients.mediator, "activities")[0] == 200


def open_workflow_actions(client) -> set[str]:
	response = client.resource(
		"GET",
		"Workflow Action",
		params={"fields": json.dumps(["reference_name"]), "limit_page_length": 0},
	)
	if response.status_code == 403:  # Frappe v15.41 gives a website user no Workflow Action list at all
		return set()
	assert response.status_code == 200, text(response)[:300]
	return {row["reference_name"] for row in response.json()["data"]}


def test_workflow_actions_list_other_grids_records(site, clients):
	"""Frappe's Workflow Action list (the open workflow actions) holds every record whose state the
	user's roles may change, of every grid and merchant: grid A's worker read grid B's cases and their
	states, merchant X's user the vouchers issued at merchant Y."""
	worker_sees = open_workflow_actions(clients.worker)
	assert site.case_a in worker_sees
	assert site.case_b not in worker_sees, "grid A's worker lists grid B's case"
	merchant_sees = open_workflow_actions(clients.merchant)
	assert not merchant_sees & {site.voucher_a_y.name, site.voucher_b_y.name}, "merchant X lists Y's vouchers"
	assert not merchant_sees & {site.case_a, site.case_b}
	action = frappe.db.get_value(
		"Workflow Action", {"reference_doctype": "Dispute Case", "reference_name": site.case_b}, "name"
	)
	if action:
		response = clients.worker.resource("GET", f"Workflow Action/{action}")
		assert site.case_b not in text(response)


def test_merchant_lists_every_user_with_their_phones(site, clients):
	"""Frappe lets every user list the users with their mobiles, phones and dates of birth: merchant X's
	website user read the community's staff and the other merchants' users."""
	response = clients.merchant.resource(
		"GET",
		"User",
		params={"fields": json.dumps(["name", "mobile_no", "birth_date"]), "limit_page_length": 0},
	)
	assert response.status_code == 200, text(response)[:300]
	assert [row["name"] for row in response.json()["data"]] == [MERCHANT_X]
	search = clients.merchant.call("frappe.desk.search.search_link", doctype="User", txt="attack")
	assert WORKER_A not in text(search) and MERCHANT_Y not in text(search)
	staff = clients.worker.call("frappe.desk.search.search_link", doctype="User", txt="attack")
	assert WORKER_B in text(staff), "staff still find each other, to assign work"
