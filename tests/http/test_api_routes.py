"""Every route of the engine's REST API (Frappe v15.41: /api/…, /api/v1/…, /api/v2/…, and `cmd`) keeps
to the permission layer: a grid worker of grid A, a mediator and a merchant try each route on grid B's
records and on the engine methods the allowlist refuses, and learn nothing (issue 21: the guard knew
only /api/method/ and `cmd`; child-table rows were read past their parent record's scope)."""

import json
import re
from urllib.parse import quote

import frappe
import pytest
from frappe.api import API_URL_MAP

from tests.http.two_grids import MEDIATOR, PASSWORD, WORKER_A, Client, text

REFUSED = (401, 403, 404, 417)
PREFIXES = ("/api/method/", "/api/v1/method/", "/api/v2/method/")


def post(client: Client, path: str, **params):
	data = {
		key: json.dumps(value) if isinstance(value, list | dict) else value for key, value in params.items()
	}
	return client.session.post(client.base_url + path, data=data, timeout=60)


def get(client: Client, path: str, **params):
	params = {
		key: json.dumps(value) if isinstance(value, list | dict) else value for key, value in params.items()
	}
	return client.session.get(client.base_url + path, params=params, timeout=60)


def case_row(case: str, table: str) -> str:
	return frappe.db.get_value(table, {"parent": case, "parenttype": "Dispute Case"}, "name")


@pytest.mark.parametrize("prefix", PREFIXES)
def test_portal_list_method_tells_a_merchant_no_member_names(site, clients, prefix):
	response = post(clients.merchant, prefix + "frappe.www.list.get", doctype="In-service Party Member")
	assert response.status_code in REFUSED, text(response)
	for name in (site.member_name_a, site.member_name_b):
		assert name not in text(response)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_portal_list_method_is_no_id_number_oracle_for_a_mediator(site, clients, prefix):
	resident = site.resident_b
	response = post(
		clients.mediator, prefix + "frappe.www.list.get", doctype="Resident", id_number=resident.id_number
	)
	assert response.status_code in REFUSED, text(response)
	assert resident.name not in text(response)


@pytest.mark.parametrize("prefix", PREFIXES)
def test_next_record_does_not_compare_another_grids_id_numbers(site, clients, prefix):
	"""The form's ‹ › arrows (get_next) step from the worker's own record to the next of the worker's
	list only, and do not start from another grid's record (its ID number would be compared)."""

	def next_of(value):
		return post(
			clients.worker,
			prefix + "frappe.desk.form.utils.get_next",
			doctype="Resident",
			value=value,
			prev=0,
			sort_field="id_number",
			sort_order="desc",
			filters={"id_number": [">", "0"]},
		)

	own = next_of(site.resident_a.name)
	assert own.status_code == 200, text(own)
	assert site.resident_b.name not in text(own)
	other = next_of(site.resident_b.name)
	assert other.status_code in REFUSED, text(other)
	assert site.resident_a.name not in text(other)


def test_cmd_runs_through_the_same_allowlist(site, clients):
	response = clients.merchant.session.post(
		clients.worker.base_url + "/",
		data={"cmd": "frappe.www.list.get", "doctype": "In-service Party Member"},
		timeout=60,
	)
	assert response.status_code in REFUSED, text(response)
	assert site.member_name_b not in text(response)


def test_run_doc_method_does_not_take_another_grids_record(site, clients):
	document = frappe.get_doc("Resident", site.resident_b.name).as_dict(convert_dates_to_str=True)
	document["grid"] = site.micro_a
	v1 = post(clients.worker, "/api/method/run_doc_method", docs=document, method="get_title")
	v2 = post(clients.worker, "/api/v2/method/run_doc_method", document=document, method="get_title")
	for response in (v1, v2):
		assert response.status_code in REFUSED, text(response)
		assert site.resident_b.full_name not in text(response)


@pytest.mark.parametrize(
	"path",
	[
		"/api/resource/Resident",
		"/api/v1/resource/Resident",
		"/api/v2/document/Resident",
		"/api/v2/doctype/Resident/count",
	],
)
def test_mediator_cannot_filter_residents_by_id_number(site, clients, path):
	"""A mediator reads residents with ID numbers masked: no REST version counts or lists by them."""
	response = get(clients.mediator, path, filters=[["id_number", "=", site.resident_b.id_number]])
	assert response.status_code == 403, text(response)
	allowed = get(clients.mediator, path, filters=[["full_name", "=", site.resident_b.full_name]])
	assert allowed.status_code == 200, text(allowed)


CHILD_ROW_PATHS = [
	"/api/resource/{doctype}/{name}",
	"/api/v1/resource/{doctype}/{name}",
	"/api/v2/document/{doctype}/{name}",
	"/api/method/frappe.client.get?doctype={doctype}&name={name}&parent=Dispute%20Case",
	"/api/v2/method/frappe.client.get?doctype={doctype}&name={name}&parent=Dispute%20Case",
	"/api/method/frappe.desk.form.load.getdoc?doctype={doctype}&name={name}",
	"/api/v1/method/frappe.desk.form.load.getdoc?doctype={doctype}&name={name}",
]


@pytest.mark.parametrize("path", CHILD_ROW_PATHS)
def test_child_row_is_read_only_inside_its_parents_scope(site, clients, path):
	"""A dispute party row of grid B is not read by grid A's worker on any path; A's own row is."""
	row_b = case_row(site.case_b, "Dispute Case Party")
	row_a = case_row(site.case_a, "Dispute Case Party")
	url = clients.worker.base_url + path.format(doctype=quote("Dispute Case Party"), name=row_b)
	refused = clients.worker.session.get(url, timeout=60)
	assert refused.status_code in REFUSED, text(refused)
	assert site.resident_b.name not in text(refused)
	url = clients.worker.base_url + path.format(doctype=quote("Dispute Case Party"), name=row_a)
	read = clients.worker.session.get(url, timeout=60)
	assert read.status_code == 200, text(read)
	assert site.resident_a.name in text(read)


# Every route of the engine's URL map, with grid B's records and the engine methods the allowlist refuses


def method_arguments(doctype: str, name: str, document: dict) -> dict[str, dict]:
	"""The engine methods tried on each method route, each with the arguments it takes."""
	parent = {"parent": "Dispute Case"} if doctype == "Dispute Case Party" else {}
	return {
		"frappe.client.get": {"doctype": doctype, "name": name, **parent},
		"frappe.client.get_value": {
			"doctype": doctype,
			"fieldname": ["*"],
			"filters": {"name": name},
			**parent,
		},
		"frappe.client.get_list": {"doctype": doctype, "fields": ["*"], "filters": {"name": name}, **parent},
		"frappe.client.set_value": {
			"doctype": doctype,
			"name": name,
			"fieldname": "modified_by",
			"value": "x",
		},
		"frappe.www.list.get": {"doctype": doctype, "name": name},
		"frappe.desk.form.utils.get_next": {
			"doctype": doctype,
			"value": name,
			"prev": 1,
			"sort_field": "name",
			"sort_order": "asc",
			"filters": {"name": name},
		},
		"frappe.desk.form.load.getdoc": {"doctype": doctype, "name": name},
		"frappe.desk.reportview.get": {"doctype": doctype, "fields": ["*"], "filters": {"name": name}},
		"run_doc_method": {"docs": document, "document": document, "method": "get_title"},
	}


def route_requests(rule, doctype: str, name: str, document: dict):
	"""(verb, path, arguments) for a rule of the URL map, its variables filled with grid B's record."""
	path = rule.rule.replace("<doctype>", quote(doctype)).replace("<path:name>", quote(name))
	# A method route takes any verb in the map; whitelisted methods answer GET and POST.
	verbs = sorted((rule.methods or {"GET", "POST"}) - {"HEAD", "OPTIONS"})
	if re.search(r"<(path:)?method>", path):
		if "<doctype>" in rule.rule or "<path:name>" in rule.rule:
			calls = {method: {} for method in ("get_title", "load_from_db", "get_list")}
		else:
			calls = method_arguments(doctype, name, document)
		for method, arguments in calls.items():
			for verb in verbs:
				yield verb, re.sub(r"<(path:)?method>", method, path), arguments
		return
	if "/method/" in rule.rule:  # a fixed method: login, logout, ping, upload_file, run_doc_method
		arguments = method_arguments(doctype, name, document).get(path.rsplit("/", 1)[-1], {})
		if path.endswith("/upload_file"):
			arguments = {"doctype": doctype, "docname": name, "file_url": "/files/x.png"}
		for verb in verbs:
			yield verb, path, arguments
		return
	v2 = rule.rule.startswith("/api/v2/")
	fields = {
		key: value
		for key, value in document.items()
		if isinstance(value, str | int | float)
		and key not in ("name", "owner", "creation", "modified", "idx")
	}
	for verb in verbs:
		if verb == "GET":
			arguments = {"fields": ["*"], "filters": {"name": name}}
		elif verb == "DELETE":
			arguments = {}
		elif verb == "POST" and "<path:name>" in rule.rule:
			arguments = {"run_method": "get_title"}
		elif verb == "POST":  # a copy of B's record, as a new one
			arguments = fields if v2 else {"data": fields}
		else:  # PUT, PATCH
			arguments = {"full_name": "改写"} if v2 else {"data": {"full_name": "改写"}}
		yield verb, path, arguments


def test_every_engine_route_keeps_grid_b_from_grid_as_worker(site, clients):
	"""Each route of frappe.api.API_URL_MAP, each HTTP verb it takes, with grid B's resident, case and
	party row named in the path and in the arguments the engine reads: grid A's worker reads none of
	B's data, changes nothing of it, and causes no server error."""
	records = {
		"Resident": site.resident_b.name,
		"Dispute Case": site.case_b,
		"Dispute Case Party": case_row(site.case_b, "Dispute Case Party"),
	}
	before = {doctype: frappe.db.get_value(doctype, name, "modified") for doctype, name in records.items()}
	secrets = [site.resident_b.full_name, site.resident_b.id_number, site.resident_b.mobile]
	base_url = clients.worker.base_url
	tried = set()
	for rule in API_URL_MAP.iter_rules():
		for doctype, name in records.items():
			document = frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)
			for verb, path, arguments in route_requests(rule, doctype, name, document):
				encoded = {
					key: json.dumps(value) if isinstance(value, list | dict) else value
					for key, value in arguments.items()
				}
				# Logging out ends the session it is sent in: that route gets a session of its own.
				session = (
					Client(base_url, WORKER_A).session if path.endswith("/logout") else clients.worker.session
				)
				if verb == "GET":
					response = session.get(base_url + path, params=encoded, timeout=60)
				else:
					response = session.request(verb, base_url + path, data=encoded, timeout=60)
				tried.add(rule.rule)
				body = text(response)
				assert response.status_code < 500, f"{verb} {path}: {response.status_code} {body[:300]}"
				for secret in secrets:
					assert secret not in body, f"{verb} {path} shows grid B's {secret!r}: {body[:300]}"
	frappe.db.rollback()
	after = {doctype: frappe.db.get_value(doctype, name, "modified") for doctype, name in records.items()}
	assert after == before, "a route changed grid B's records"
	assert tried == {rule.rule for rule in API_URL_MAP.iter_rules()}


def test_the_mediator_is_refused_the_same_on_every_version(site, base_url):
	"""The control: the same refusal on /api/method and the versioned routes, not only on the first."""
	mediator = Client(base_url, MEDIATOR)
	worker = Client(base_url, WORKER_A)
	assert PASSWORD
	for prefix in PREFIXES:
		response = post(mediator, prefix + "frappe.www.list.get", doctype="Resident")
		assert response.status_code in REFUSED, (prefix, text(response))
		response = post(worker, prefix + "frappe.client.get_count", doctype="Resident")
		assert response.status_code == 200, (prefix, text(response))
