"""Second round of attacks over HTTP (security review of wt-h): paths the engine-endpoint allowlist and
the field guard (wangge_app/engine_guards.py) do not see, and permission-level data copied into fields
that other roles read.

Reuses the fixture of test_attacks.py (grids A and B, a resident, household and case in each; a grid
worker of A, a grid worker with no grid, a community mediator, merchant X's website user), and adds a
central household of grid A serving a household whose phone is personal data (permission level 1 on
Household), with a community party committee member and grid A's party branch secretary reading it.

Each test fails while the leak is open.
"""

import json

import frappe
import pytest

from tests.http.test_attacks import CUSTOM_FIELD_DATA
from tests.http.two_grids import PASSWORD, Client, answer, text
from wangge_app.test_utils import (
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	scope_user_to_grid,
)

COMMITTEE = "attack-party-committee@example.com"
SECRETARY = "attack-branch-secretary@example.com"
SERVED_PHONE = "13908933377"
MEMBER_MOBILE = "13908933366"


@pytest.fixture(scope="module")
def central(site):
	frappe.set_user("Administrator")
	make_user(COMMITTEE, ["Community Party Committee"], new_password=PASSWORD)
	make_user(SECRETARY, ["Grid Party Branch Secretary"], new_password=PASSWORD)
	scope_user_to_grid(SECRETARY, site.grid_a)
	member_household = make_household(site.micro_a)
	member = make_resident(
		member_household.name, full_name="次仁党员攻", is_party_member=1, mobile=MEMBER_MOBILE
	)
	served = make_household(site.micro_a, phone=SERVED_PHONE)
	doc = make_party_member_household(member.name, [served.name])
	frappe.db.commit()
	yield frappe._dict(name=doc.name, served=served.name)
	frappe.db.rollback()
	frappe.db.delete("Party Member Household", {"name": doc.name})
	frappe.db.delete("Served Household", {"parent": doc.name})
	frappe.db.commit()


def test_attack_13_cmd_form_field_runs_another_method_than_the_guard_checks(site, clients):
	"""Frappe runs `cmd` from the form whatever the URL says (frappe.app checks form_dict.cmd before
	/api/), but the guard takes the method from the URL path: POST /api/method/<an allowed method> with
	cmd=<an engine method refused for the app's DocTypes> runs the refused method, e.g.
	get_data_for_custom_field, which reads every grid's records with frappe.get_all."""
	secret = site.resident_b.id_number
	for client in (clients.worker, clients.idle):
		response = client.session.post(
			client.base_url + "/api/method/frappe.client.get_value",
			data={"cmd": CUSTOM_FIELD_DATA, "doctype": "Resident", "field": "id_number"},
			timeout=60,
		)
		assert secret not in text(response), "a grid worker reads grid B's ID numbers"


def test_attack_14_served_households_copy_the_household_phone_unmasked(site, central, base_url):
	"""Served Household.phone is fetched from Household.phone (permission level 1, masked for party
	officers) into a permission-level-0 field: the party committee and a branch secretary read
	ordinary households' phones in full."""
	leaks = []
	for user in (COMMITTEE, SECRETARY):
		client = Client(base_url, user)
		response = client.session.get(
			f"{base_url}/api/resource/Party Member Household/{central.name}", timeout=60
		)
		assert response.status_code == 200, text(response)
		if SERVED_PHONE in text(response):
			leaks.append(user)
	assert not leaks, f"{leaks} read a served household's phone in full"


def test_held_mediator_reads_residents_masked(site, clients):
	"""A mediator reading a resident by REST, the form and print sees only the masked ID and mobile."""
	resident = site.resident_b
	client = clients.mediator
	responses = [
		client.session.get(f"{client.base_url}/api/resource/Resident/{resident.name}", timeout=60),
		client.call("frappe.desk.form.load.getdoc", doctype="Resident", name=resident.name),
		client.session.get(
			f"{client.base_url}/printview",
			params={"doctype": "Resident", "name": resident.name, "format": "Standard"},
			timeout=60,
		),
		client.call(
			"frappe.www.printview.get_html_and_style",
			doc="Resident",
			name=resident.name,
			print_format="Standard",
		),
		client.session.get(
			f"{client.base_url}/api/resource/Resident",
			params={"fields": '["*"]', "filters": f'[["name", "=", "{resident.name}"]]'},
			timeout=60,
		),
		client.call(
			"frappe.desk.reportview.get",
			doctype="Dispute Case",
			fields=["`tabDispute Case`.`name`", "`tabResident`.`id_number`"],
		),
	]
	for response in responses:
		assert resident.id_number not in text(response) and resident.mobile not in text(response)


def test_held_worker_reportview_child_columns_stay_in_scope(site, clients):
	"""reportview.get with child-table columns, childnames, grouping and SQL in fields keeps to grid A."""
	client = clients.worker
	for fields, extra in (
		(
			[
				"`tabDispute Case`.`name`",
				"`tabDispute Case Party`.`phone`",
				"`tabDispute Case Party`.`party_name`",
			],
			{},
		),
		(["`tabDispute Case`.`name`", "`tabDispute Case Party`.`phone`"], {"with_childnames": 1}),
		(["`tabDispute Case`.`name`"], {"group_by": "`tabDispute Case`.`grid`"}),
		(["(select group_concat(mobile) from `tabResident`) as m"], {}),
		(["`tabDispute Case`.`name`"], {"order_by": "(select mobile from `tabResident` limit 1)"}),
	):
		response = client.call("frappe.desk.reportview.get", doctype="Dispute Case", fields=fields, **extra)
		assert site.resident_b.mobile not in text(response) and site.case_b not in text(response), (
			fields,
			extra,
			text(response)[:300],
		)


@pytest.fixture(scope="module")
def case_b_file(site):
	frappe.set_user("Administrator")
	doc = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "attack-case-b-parties-id.txt",
			"attached_to_doctype": "Dispute Case",
			"attached_to_name": site.case_b,
			"is_private": 1,
			"content": ("当事人身份证号 " + site.resident_b.id_number).encode(),
		}
	).insert()
	frappe.db.commit()
	yield doc.file_url
	frappe.db.rollback()
	frappe.db.delete("File", {"file_url": doc.file_url})
	frappe.db.commit()


def test_attack_15_private_attachment_of_another_grid_by_copying_its_url(site, clients, case_b_file):
	"""upload_file with file_url (no file, no DocType: the guard sees nothing) makes a File the
	attacker owns pointing at the same private file; /private/files/ serves a path when any File with
	that URL is the user's, so grid A's worker (or the merchant) reads an attachment of grid B's case."""
	leaks = []
	for who, client in (("grid A's worker", clients.worker), ("merchant X", clients.merchant)):
		client.session.post(
			client.base_url + "/api/method/upload_file",
			data={"file_url": case_b_file, "is_private": 1},
			timeout=60,
		)
		response = client.session.get(client.base_url + case_b_file, timeout=60)
		if site.resident_b.id_number in response.text:
			leaks.append(who)
	assert not leaks, f"grid B's private attachment is served to {leaks}"


def test_attack_16_number_card_aggregate_is_a_subquery(site, clients):
	"""number_card.get_result puts `aggregate_function_based_on` into the select list as
	`max(<it>) as result`. The engine's sanitizer lets a parenthesised subquery through when it
	contains no dot (extract_tables skips it, the keyword check looks only at a leading "("), and
	the field guard checks the subquery's words against the card's DocType only (`mobile` is no
	Dispute Case field). A mediator reads a resident's full mobile and ID number, a grid worker
	another grid's."""
	resident = site.resident_b

	def card(client, document_type, expression):
		return client.call(
			"frappe.desk.doctype.number_card.number_card.get_result",
			doc={
				"document_type": document_type,
				"function": "Maximum",
				"aggregate_function_based_on": (
					f"(select {expression} from `tabResident` where name='{resident.name}' and abs(1))"
				),
			},
			filters=[],
		)

	leaks = []
	for who, client, document_type in (
		("mediator", clients.mediator, "Dispute Case"),
		("grid A's worker", clients.worker, "Resident"),
	):
		if resident.mobile in text(card(client, document_type, "mobile")):
			leaks.append((who, "mobile"))
		if resident.id_number[6:17] in text(card(client, document_type, "substr(id_number from 7 for 11)")):
			leaks.append((who, "ID number"))
	# A grid worker without a grid, through a community-wide DocType.
	if resident.mobile in text(card(clients.idle, "Work Unit", "mobile")):
		leaks.append(("grid worker with no grid", "mobile"))
	# Merchant X reads the code of merchant Y's unpresented voucher (4 characters at a time, as a number).
	voucher = site.voucher_a_y
	response = clients.merchant.call(
		"frappe.desk.doctype.number_card.number_card.get_result",
		doc={
			"document_type": "Partner Merchant",
			"function": "Maximum",
			"aggregate_function_based_on": (
				"(select conv(hex(substr(voucher_code, 1, 4)), 16, 10)"
				f" from `tabPoints Redemption` where name='{voucher.name}' and abs(1))"
			),
		},
		filters=[],
	)
	if str(int(voucher.voucher_code[:4].encode().hex(), 16)) in text(response):
		leaks.append(("merchant X", "merchant Y's voucher code"))
	assert not leaks, f"a number card reads other scopes' personal data and codes: {leaks}"


def test_attack_17_filters_with_leading_white_space_pass_the_field_guard(site, clients):
	"""The field guard parses `filters` as JSON only when the text starts with "[" or "{"; the engine
	parses it with json.loads, which skips leading white space. " [[...]]" names no field to the guard:
	a mediator filters residents by ID number, a merchant vouchers by their (unpresented) codes."""
	resident, voucher = site.resident_b, site.voucher_a_x

	def count(client, doctype, name, field, prefix):
		filters = " " + json.dumps([[field, "like", prefix + "%"], ["name", "=", name]])
		return answer(client.call("frappe.client.get_count", doctype=doctype, filters=filters))

	leaks = []
	for who, client, doctype, name, field, secret in (
		("mediator", clients.mediator, "Resident", resident.name, "id_number", resident.id_number[:14]),
		("mediator", clients.mediator, "Resident", resident.name, "mobile", resident.mobile[:8]),
		(
			"merchant X",
			clients.merchant,
			"Points Redemption",
			voucher.name,
			"voucher_code",
			voucher.voucher_code[:4],
		),
	):
		if count(client, doctype, name, field, secret) != count(client, doctype, name, field, "X"):
			leaks.append((who, field))
	assert not leaks, f"a prefix of an unreadable field is an oracle: {leaks}"


def test_attack_18_a_filter_given_as_text_is_raw_sql(site, clients):
	"""The engine appends a filter that is a plain string to the WHERE clause as it is
	(DatabaseQuery.build_filter_conditions); the field guard takes the whole string for a field name,
	finds no such field and lets it pass. A mediator filters by ID number, and a grid worker of A asks
	yes/no questions about grid B's residents through a subquery."""
	resident = site.resident_b

	def count(client, condition):
		return answer(client.call("frappe.client.get_count", doctype="Resident", filters=[condition]))

	leaks = []
	by_name = f"`tabResident`.`name` = '{resident.name}'"
	if count(
		clients.mediator, f"{by_name} and `tabResident`.`id_number` like '{resident.id_number[:14]}%'"
	) != count(clients.mediator, f"{by_name} and `tabResident`.`id_number` like 'X%'"):
		leaks.append("the mediator filters by ID number")
	subquery = f"(select substr(r.id_number, 1, 14) from `tabResident` r where r.name = '{resident.name}')"
	if count(clients.worker, f"{subquery} = '{resident.id_number[:14]}'") != count(
		clients.worker, f"{subquery} = 'X'"
	):
		leaks.append("grid A's worker tests grid B's ID numbers")
	assert not leaks, leaks


def test_held_rest_list_fields_refuse_the_number_card_subquery(site, clients):
	"""The subquery of attack 16 in `fields` of /api/resource: frappe.client.get_list validates its
	fields (reportview.validate_args) and refuses it, unlike number_card.get_result."""
	resident = site.resident_b
	field = f"max((select mobile from `tabResident` where name='{resident.name}' and abs(1))) as m"
	leaks = []
	for who, client, doctype in (
		("mediator", clients.mediator, "Dispute Case"),
		("grid A's worker", clients.worker, "Household"),
		("grid worker with no grid", clients.idle, "Work Unit"),
	):
		response = client.session.get(
			f"{client.base_url}/api/resource/{doctype}", params={"fields": json.dumps([field])}, timeout=60
		)
		if resident.mobile in text(response):
			leaks.append(who)
	assert not leaks, f"grid B's resident's mobile is listed to {leaks}"


def test_held_guest_reads_nothing(site, base_url):
	"""A guest gets no resident, case or card."""
	import requests

	guest = requests.Session()
	guest.headers["Accept"] = "application/json"
	resident = site.resident_b
	responses = [
		guest.get(f"{base_url}/api/resource/Resident/{resident.name}", timeout=60),
		guest.get(f"{base_url}/api/resource/Resident", params={"fields": '["*"]'}, timeout=60),
		guest.get(f"{base_url}/printview", params={"doctype": "Resident", "name": resident.name}, timeout=60),
		guest.post(
			f"{base_url}/api/method/frappe.client.get_value",
			data={"cmd": CUSTOM_FIELD_DATA, "doctype": "Resident", "field": "mobile"},
			timeout=60,
		),
		guest.post(f"{base_url}/api/method/frappe.www.list.get", data={"doctype": "Resident"}, timeout=60),
	]
	for response in responses:
		assert resident.mobile not in text(response) and resident.full_name not in text(response)
