"""The grid worker's field app over HTTP against the served site: the submission endpoint makes each key
exactly one record (a replay, a double call, calls racing on several server workers), refuses a key of
another user, refuses and keeps a record for grid B's household; the page /field is for grid workers,
in Chinese; its service worker and manifest are served where the browser needs them."""

import re
import threading
import uuid
from pathlib import Path

import frappe
import pytest
import requests
from frappe.utils import getdate

from tests.http.two_grids import WORKER_A, WORKER_B, Client, text

SUBMIT = "wangge_app.field.api.submit"
RACERS = 6


def a_key() -> str:
	return str(uuid.uuid4())


def visit(household: str, marker: str) -> dict:
	return {
		"household": household,
		"visit_date": str(getdate()),
		"findings": f"入户走访，楼道堆放杂物。{marker}",
		"latitude": 29.6525,
		"longitude": 91.1721,
		"location_accuracy": 8,
	}


def visits_with(marker: str) -> list[str]:
	frappe.db.rollback()  # a fresh snapshot: the served site committed them
	return frappe.get_all("Household Visit", {"findings": ("like", f"%{marker}")}, pluck="name")


@pytest.fixture(scope="module")
def made(site):
	markers = []
	yield markers
	frappe.db.rollback()
	households = (site.household_a, site.household_b)
	names = frappe.get_all("Household Visit", {"household": ("in", households)}, pluck="name")
	frappe.db.delete(
		"File", {"attached_to_doctype": "Household Visit", "attached_to_name": ("in", names or [""])}
	)
	frappe.db.delete("Household Visit", {"name": ("in", names or [""])})
	frappe.db.delete("Field Submission", {"owner": ("in", (WORKER_A, WORKER_B))})
	frappe.db.commit()


def submit(client: Client, key: str, values: dict, doctype: str = "Household Visit"):
	return client.call(SUBMIT, client_key=key, doctype=doctype, values=values)


def test_a_replay_answers_the_same_record(site, clients, made):
	key, marker = a_key(), a_key()
	first = submit(clients.worker, key, visit(site.household_a, marker))
	assert first.status_code == 200, text(first)
	answer = first.json()["message"]
	assert answer["status"] == "Recorded" and answer["name"], answer
	again = submit(clients.worker, key, visit(site.household_a, marker))
	assert again.status_code == 200, text(again)
	assert again.json()["message"] == answer
	assert visits_with(marker) == [answer["name"]]
	stored = frappe.db.get_value(
		"Household Visit", answer["name"], ["latitude", "longitude", "grid"], as_dict=True
	)
	assert (stored.latitude, stored.longitude, stored.grid) == (29.6525, 91.1721, site.micro_a)


def test_calls_racing_with_one_key_make_one_record(site, multi_worker_url, made):
	"""Several calls with one key at once, on the server's several workers (as two tabs, a double tap and
	a retry might): one record, and every call answers it."""
	key, marker = a_key(), a_key()
	racers = [Client(multi_worker_url, WORKER_A) for _racer in range(RACERS)]
	start = threading.Barrier(RACERS)
	answers = [None] * RACERS
	values = visit(site.household_a, marker)  # here: the threads have no frappe.local

	def race(number):
		start.wait()
		answers[number] = submit(racers[number], key, values)

	threads = [threading.Thread(target=race, args=(number,)) for number in range(RACERS)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=120)
	assert all(response is not None and response.status_code == 200 for response in answers), [
		text(response) for response in answers if response is not None
	]
	names = {response.json()["message"]["name"] for response in answers}
	assert len(names) == 1 and None not in names, names
	assert visits_with(marker) == list(names)
	assert frappe.db.count("Field Submission", {"name": key}) == 1


def test_another_users_key_is_refused(site, base_url, clients, made):
	key = a_key()
	assert submit(clients.worker, key, visit(site.household_a, a_key())).status_code == 200
	worker_b = Client(base_url, WORKER_B)
	response = submit(worker_b, key, visit(site.household_b, a_key()))
	assert response.status_code == 403, text(response)
	assert "此提交编号属于其他用户" in text(response) or "another user" in text(response)


def test_grid_b_household_is_refused_and_the_refusal_kept(site, clients, made):
	key, marker = a_key(), a_key()
	response = submit(clients.worker, key, visit(site.household_b, marker))
	assert response.status_code == 200, text(response)
	answer = response.json()["message"]
	assert answer["status"] == "Refused" and answer["message"] and not answer["name"], answer
	assert visits_with(marker) == []
	# Asked again, the same refusal with its text: the phone shows it, nothing is made.
	assert submit(clients.worker, key, visit(site.household_a, marker)).json()["message"] == answer
	assert visits_with(marker) == []
	assert frappe.db.get_value("Field Submission", key, "error_message") == answer["message"]


def test_bad_calls_are_answered_with_a_message(site, clients, made):
	for key, doctype, values in (
		("short", "Household Visit", visit(site.household_a, "x")),
		(a_key(), "Dispute Case", visit(site.household_a, "x")),
		(a_key(), "Household Visit", {**visit(site.household_a, "x"), "visited_by": WORKER_B}),
		(a_key(), "Household Visit", "not json"),
	):
		response = submit(clients.worker, key, values, doctype)
		assert response.status_code == 417, (doctype, values, text(response))
		frappe.db.rollback()
		assert not frappe.db.exists("Field Submission", key)


def test_the_page_is_for_grid_workers_in_chinese(site, base_url, clients):
	page = clients.worker.session.get(base_url + "/field", headers={"Accept": "text/html"}, timeout=60)
	assert page.status_code == 200
	assert "网格员外勤" in page.text and 'capture="environment"' in page.text
	assert "/assets/wangge_app/field/field.js" in page.text
	other = clients.mediator.session.get(base_url + "/field", headers={"Accept": "text/html"}, timeout=60)
	assert "外勤应用仅供网格员使用" in other.text and "field.js" not in other.text
	guest_page = requests.get(base_url + "/field", allow_redirects=False, timeout=60)
	assert guest_page.status_code in (301, 302, 303, 307) and "/login" in guest_page.headers["Location"]


def test_service_worker_and_manifest_are_served(base_url):
	worker = requests.get(base_url + "/field-sw.js", timeout=60)
	assert worker.status_code == 200
	assert "javascript" in worker.headers["Content-Type"]
	assert 'const CACHE = "wangge-field-' in worker.text and "{{" not in worker.text
	manifest = requests.get(base_url + "/assets/wangge_app/field/manifest.json", timeout=60)
	assert manifest.status_code == 200 and manifest.json()["start_url"] == "/field"


def test_today_reads_through_the_permission_layer(site, base_url, made):
	# A session of its own: the Today list hands out the session's CSRF token, which later posts need.
	worker = Client(base_url, WORKER_A)
	found = worker.call("wangge_app.field.api.search_households", text="栋")
	assert found.status_code == 200, text(found)
	assert site.household_b not in {row["name"] for row in found.json()["message"]}
	response = worker.call("wangge_app.field.api.today")
	assert response.status_code == 200, text(response)
	today = response.json()["message"]
	households = {row["name"] for row in today["households"]}
	assert site.household_b not in households
	# Grid A's household is listed until it is visited (the tests above visit it today).
	frappe.db.rollback()
	visited = frappe.db.exists("Household Visit", {"household": site.household_a})
	assert (site.household_a in households) == (not visited)
	assert today["user"] == WORKER_A and today["csrf_token"]


HOSTILE = {
	"html": "<script>alert(1)</script><img src=x onerror=alert(2)>",
	"sql": "' OR 1=1 --",
	"long": "A" * 100_000,
	"number": 12345,
	"list": ["<script>alert(1)</script>", "' OR 1=1 --"],
	"object": {"name": ["like", "%"], "$ne": None},
	"null": None,
}


@pytest.mark.parametrize("argument", ["client_key", "doctype", "values", "photos", "findings"])
@pytest.mark.parametrize("hostile", sorted(HOSTILE))
def test_hostile_input_is_answered_without_a_server_error(site, clients, made, argument, hostile):
	arguments = {
		"client_key": a_key(),
		"doctype": "Household Visit",
		"values": visit(site.household_a, a_key()),
	}
	if argument == "findings":
		arguments["values"]["findings"] = HOSTILE[hostile]
	else:
		arguments[argument] = HOSTILE[hostile]
	response = clients.worker.call(
		SUBMIT, **{key: value for key, value in arguments.items() if value is not None}
	)
	assert response.status_code < 500, text(response)
	assert "<script>alert(1)" not in response.text
	if response.status_code == 200 and argument == "findings" and hostile == "html":
		assert response.json()["message"]["status"] == "Refused"
	search = clients.worker.call("wangge_app.field.api.search_households", text=HOSTILE[hostile])
	assert search.status_code < 500, text(search)


def test_the_field_app_never_parses_text_into_its_own_page():
	"""Refusals carry what someone typed; markup set on an element of the live page loads images and
	runs their handlers even while detached (found: the refusal's text was stripped that way). The
	script only empties elements with innerHTML and reads markup through DOMParser."""
	script = (Path(frappe.get_app_path("wangge_app")) / "public" / "field" / "field.js").read_text()
	assignments = re.findall(r"\.innerHTML\s*=\s*([^;]+);", script)
	assert assignments and all(value.strip() == '""' for value in assignments), assignments
	assert "DOMParser" in script
