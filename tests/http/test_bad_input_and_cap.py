"""Bad input never answers 500, and a contact card's daily cap holds under concurrency (issue 23, findings
10 and 11), over HTTP against the served test site.

Finding 10: parallel submissions from one card each counted the card's requests before any of them was
saved, so all found room under the cap; the count and the insert are now serialised on the household's
row (request_portal.submit_request).

Finding 11: three requests answered 500. Beside their regression tests, every whitelisted method of the
app (enumerated from the code the site runs) and every Script Report of the app (through
frappe.desk.query_report.run) is fed malformed arguments and filters as logged-in staff of three roles;
no answer may be a 5xx."""

import importlib
import inspect
import json
import pkgutil
import re
import threading
from pathlib import Path

import frappe
import pytest
from frappe.utils import getdate

import wangge_app
from tests.http.test_request_page import Guest, messages
from tests.http.two_grids import PASSWORD, Client
from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import issue_token
from wangge_app.resident_services.request_portal import REQUESTS_PER_CARD_PER_DAY
from wangge_app.resident_services.test_utils import make_request, random_id_number
from wangge_app.test_utils import (
	make_community_tree,
	make_household,
	make_id_number,
	make_resident,
	make_user,
)

MANAGER = "bad-input-manager@example.com"
DISTRICT = "bad-input-district@example.com"
WORKER = "bad-input-worker@example.com"
SUBMIT_METHOD = "wangge_app.resident_services.request_portal.submit_request"
STAFF = {MANAGER: "Community Manager", DISTRICT: "District Manager", WORKER: "Grid Worker"}
PARALLEL_SUBMISSIONS = 14
CAP_REFUSAL = f"这张联络卡今天已提交 {REQUESTS_PER_CARD_PER_DAY} 条诉求，请直接给网格员打电话。"
# Malformed filters (and arguments): empty, not JSON, cut-off JSON, a number, a list of garbage, a dict of
# unknown fields.
MALFORMED = ["", "not json", "[", '{"a":', 123, ["garbage", 1, None, {"x": []}], {"no_such_field": "x"}]
# Values of the wrong kind for a report's declared filters.
GARBAGE = ["not a date", "[", -1, ["x", 1], {"a": 1}, "<b>x</b>", "9999-99-99"]


@pytest.fixture(scope="module")
def records():
	"""Staff of three roles, a grid with a household whose card is valid, an elderly resident with an
	assisted service, a resident request and a dispute case; committed for the served site."""
	frappe.set_user("Administrator")
	for user, role in STAFF.items():
		make_user(user, [role], new_password=PASSWORD, language="zh")
		frappe.db.set_value("User", user, "language", "zh")
		frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
	community, grid, micro_grid = make_community_tree(workers=[WORKER])
	household = make_household(micro_grid.name)
	elder = make_resident(
		household.name, full_name="次仁老人", id_number=make_id_number(getdate("1941-05-04"))
	)
	service = frappe.get_doc(
		{
			"doctype": "Assisted Service Request",
			"resident": elder.name,
			"service_type": "Pension Eligibility Certification",
			"mode": "At Home",
			"authoriser_name": "次仁老人",
			"authoriser_id_number": random_id_number(),
			"authorisation_scope": "代为办理养老金资格认证",
			"authorised_on": getdate(),
		}
	).insert()
	request = make_request(household=household.name)
	case = frappe.get_doc(
		{
			"doctype": "Dispute Case",
			"subject": "楼道堆物纠纷",
			"grid": micro_grid.name,
			"category": "Neighbours",
			"case_source": "Grid Patrol",
			"tier": "Ordinary",
			"description": "邻居在楼道堆放杂物。",
			"discovered_at": frappe.utils.add_to_date(frappe.utils.now_datetime(), hours=-3),
			"parties": [{"party_role": "Applicant", "resident": elder.name}],
		}
	).insert()
	data = frappe._dict(
		community=community.name,
		grid=grid.name,
		household=household.name,
		card=issue_token(household.name).token,
		service=service.name,
		resident_group=service.resident_group,
		request=request.name,
		case=case.name,
	)
	frappe.db.commit()
	yield data

	frappe.db.rollback()
	requests_made = frappe.get_all("Resident Request", {"household": household.name}, pluck="name")
	frappe.db.delete("ToDo", {"reference_name": ("in", [*requests_made, case.name, service.name])})
	for child in ("Resident Request Step", "Resident Request Overdue"):
		frappe.db.delete(child, {"parent": ("in", requests_made)})
	frappe.db.delete("Resident Request", {"name": ("in", requests_made)})
	for child in (
		"Dispute Case Party",
		"Dispute Case Step",
		"Dispute Case Household",
		"Dispute Case Handler",
		"Dispute Case Overdue",
	):
		frappe.db.delete(child, {"parent": case.name})
	frappe.db.delete("Dispute Case", {"name": case.name})
	frappe.db.delete("Document Custody Log", {"parent": service.name})
	frappe.db.delete("Assisted Service Request", {"name": service.name})
	frappe.db.delete("Contact Card Token", {"household": household.name})
	frappe.db.delete("Resident", {"household": household.name})
	frappe.db.delete("Household", {"name": household.name})
	frappe.db.commit()


@pytest.fixture(scope="module")
def staff(base_url, records):
	return {role: Client(base_url, user) for user, role in STAFF.items()}


def answer_text(response) -> str:
	"""The messages of a refusal, without markup."""
	return re.sub(r"<[^>]+>", "", messages(response))


def form_value(value):
	return json.dumps(value) if isinstance(value, list | dict) else value


def test_finding_10_card_cap_holds_under_parallel_submissions(base_url, records):
	first = Guest(base_url).submit(
		card=records.card, category="Public Facilities", description="路灯不亮。", submission_key="cap-0"
	)
	assert first.status_code == 200, first.text
	start = threading.Barrier(PARALLEL_SUBMISSIONS)
	responses = [None] * PARALLEL_SUBMISSIONS

	def submit(index: int):
		guest = Guest(base_url)  # an address of its own: the per-address limit is not what is tested
		start.wait()
		responses[index] = guest.submit(
			card=records.card,
			category="Public Facilities",
			description=f"第{index + 1}件事：楼道灯坏了。",
			submission_key=f"cap-{index + 1}",
		)

	threads = [threading.Thread(target=submit, args=(index,)) for index in range(PARALLEL_SUBMISSIONS)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()

	accepted = [response for response in responses if response.status_code == 200]
	refused = [response for response in responses if response.status_code != 200]
	assert len(accepted) == REQUESTS_PER_CARD_PER_DAY - 1, [r.status_code for r in responses]
	assert len({response.json()["message"]["tracking_code"] for response in accepted}) == len(accepted)
	assert len(refused) == PARALLEL_SUBMISSIONS - len(accepted)
	for response in refused:
		assert response.status_code == 417, response.text[:300]
		assert CAP_REFUSAL in answer_text(response)
	frappe.db.rollback()  # a fresh snapshot: the server's commits
	sent = {"household": records.household, "channel": "Contact Card QR Code"}
	assert frappe.db.count("Resident Request", sent) == REQUESTS_PER_CARD_PER_DAY


def test_finding_11_overview_figure_with_bad_filters(staff):
	manager = staff["Community Manager"]
	method = "wangge_app.overview.get_figure"
	for filters, status, expected in (
		("", 417, "请指定要显示的指标。"),
		("not json", 417, "filters 不是有效的 JSON。"),
		# Cut-off JSON is refused by the request guard, which reads every request's filters first.
		('{"indicator":', 403, "每个筛选条件须写明字段、运算符和值。"),
		(123, 417, "请指定要显示的指标。"),
		({"indicator": "<img src=x onerror=alert(1)>"}, 417, "不是一项指标。"),
	):
		response = manager.call(method, filters=form_value(filters))
		assert response.status_code == status, (filters, response.text[:300])
		assert expected in answer_text(response), (filters, answer_text(response))
		assert "<img" not in response.text
	response = manager.call(method, filters={"indicator": "Households Served by Central Households"})
	assert response.status_code == 200, response.text[:300]
	assert response.json()["message"]["fieldtype"] == "Percent"


def test_finding_11_child_table_rows_with_parent(staff):
	manager = staff["Community Manager"]
	arguments = {"doctype": "Resident Request Step", "fields": ["name", "parent"]}
	response = manager.call("frappe.desk.reportview.get", **arguments, parent="Resident Request")
	assert response.status_code == 417, response.text[:300]
	assert "请用 parent_doctype（而不是 parent）指定其上级单据类型" in answer_text(response)
	response = manager.call("frappe.desk.reportview.get", **arguments, no_such_argument="x")
	assert response.status_code == 417, response.text[:300]
	assert "不接受参数 no_such_argument" in answer_text(response)
	# Asked the way the engine reads it, the rows come.
	response = manager.call("frappe.desk.reportview.get", **arguments, parent_doctype="Resident Request")
	assert response.status_code == 200, response.text[:300]
	assert response.json()["message"]["keys"] == ["name", "parent"]


def test_finding_11_assisted_service_statistics_by_resident_category(staff, records):
	def run(role: str, group_by: str):
		return staff[role].call(
			"frappe.desk.query_report.run",
			report_name="Assisted Service Statistics",
			filters={"group_by": group_by, "grid": records.community},
		)

	# The resident category is personal data the District Manager does not read.
	response = run("District Manager", "Resident Category")
	assert response.status_code == 403, response.text[:300]
	assert "您不能按居民类别筛选、分组或排序。" in answer_text(response)
	by_service = run("District Manager", "Service")
	assert by_service.status_code == 200, by_service.text[:300]
	assert sum(row["services"] for row in by_service.json()["message"]["result"]) == 1
	by_category = run("Community Manager", "Resident Category")
	assert by_category.status_code == 200, by_category.text[:300]
	rows = {row["group_value"]: row["services"] for row in by_category.json()["message"]["result"]}
	assert rows == {records.resident_group: 1}


def whitelisted_methods() -> dict:
	"""Every function of the app decorated with frappe.whitelist, by the path a request names it by."""
	for module in pkgutil.walk_packages(wangge_app.__path__, "wangge_app."):
		parts = module.name.split(".")
		if parts[-1].startswith("test_") or {"tests", "patches"} & set(parts) or parts[-1] == "test_utils":
			continue
		importlib.import_module(module.name)
	return {
		f"{function.__module__}.{function.__name__}": function
		for function in frappe.whitelisted
		if function.__module__.startswith("wangge_app.")
	}


def malformed_calls(function) -> list[dict]:
	"""No argument at all; every argument malformed at once; each argument malformed, the others empty.
	A method taking any keyword arguments gets `filters` too."""
	parameters = inspect.signature(function).parameters.values()
	names = [p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
	if any(p.kind == p.VAR_KEYWORD for p in parameters) and "filters" not in names:
		names.append("filters")
	calls = [{}]
	for value in MALFORMED:
		calls.append(dict.fromkeys(names, value))
		calls += [{**dict.fromkeys(names, ""), name: value} for name in names]
	return calls


def test_malformed_arguments_to_every_whitelisted_method_never_answer_5xx(staff):
	methods = whitelisted_methods()
	# The enumeration found the app's methods, those named in the findings among them.
	assert {
		"wangge_app.overview.compute.get_figure",
		SUBMIT_METHOD,
		"wangge_app.engine_guards.getdoc",
	} <= set(methods)
	assert len(methods) >= 30, sorted(methods)
	failures = []
	for role, client in staff.items():
		for path, function in sorted(methods.items()):
			for arguments in malformed_calls(function):
				response = client.session.post(
					f"{client.base_url}/api/method/{path}",
					data={name: form_value(value) for name, value in arguments.items()},
					timeout=60,
				)
				if response.status_code >= 500:
					failures.append((role, path, arguments, response.status_code, response.text[:200]))
				if token := handed_out_csrf_token(response):
					# A method that hands the session its CSRF token (the field app's Today list) makes the
					# session's later posts need it, as the field app sends it: without, they would all be
					# refused as forged, unread by the methods they are meant to try.
					client.session.headers["X-Frappe-CSRF-Token"] = token
	assert failures == []


def handed_out_csrf_token(response) -> str | None:
	try:
		message = response.json().get("message")
	except ValueError:
		return None
	return message.get("csrf_token") if isinstance(message, dict) else None


def declared_filters(report) -> dict[str, list[str]]:
	"""The filters a report's page declares (its .js), with the values of those that are a choice."""
	module_path = Path(frappe.get_module_path(frappe.scrub(report.module)))
	name = frappe.scrub(report.name)
	script = (module_path / "report" / name / f"{name}.js").read_text()
	filters = {}
	for declaration in re.split(r"(?=fieldname:)", script)[1:]:
		fieldname = re.match(r'fieldname:\s*"(\w+)"', declaration).group(1)
		filters[fieldname] = re.findall(r'value:\s*"([^"]+)"', declaration)
	return filters


def test_malformed_filters_to_every_report_never_answer_5xx(staff):
	modules = frappe.get_all("Module Def", {"app_name": "wangge_app"}, pluck="name")
	reports = frappe.get_all(
		"Report", {"module": ("in", modules), "report_type": "Script Report"}, ["name", "module"]
	)
	assert "Assisted Service Statistics" in {report.name for report in reports}
	failures = []
	for report in reports:
		declared = declared_filters(report)
		assert declared, report.name
		filter_sets = list(MALFORMED)
		for value in GARBAGE:
			filter_sets.append(dict.fromkeys(declared, value))
			filter_sets += [{fieldname: value} for fieldname in declared]
		filter_sets += [{fieldname: value} for fieldname, values in declared.items() for value in values]
		for role, client in staff.items():
			for filters in filter_sets:
				response = client.call(
					"frappe.desk.query_report.run", report_name=report.name, filters=form_value(filters)
				)
				if response.status_code >= 500:
					failures.append((role, report.name, filters, response.status_code, response.text[:200]))
	assert failures == []


def test_malformed_engine_list_arguments_are_refused_with_a_message(staff):
	"""The guard's answers for reportview's list endpoints: text that is not JSON, an unknown argument."""
	worker = staff["Grid Worker"]
	for arguments in (
		{"doctype": "Resident", "fields": "not json"},
		{"doctype": "Resident", "fields": '["name"]', "filters": "[", "_lang": "zh"},
		{"doctype": "Resident", "fields": '["name"]', "docstatus": ""},
	):
		response = worker.session.post(
			f"{worker.base_url}/api/method/frappe.desk.reportview.get", data=arguments, timeout=60
		)
		assert 400 <= response.status_code < 500, (arguments, response.text[:300])
		assert answer_text(response), response.text[:300]
	# A method of the app called without the arguments it needs.
	response = worker.call("wangge_app.community_life.calendar.get_booking_events")
	assert response.status_code == 417, response.text[:300]
	assert "缺少参数：start, end。" in answer_text(response)
