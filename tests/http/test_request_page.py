"""The request page behind a contact card's QR code, as a guest over HTTP: a valid card creates a request
for its household, assigned to the grid worker, with a tracking code; a forged or revoked card, a flood
from one address and hostile input are refused with a clear message and nothing saved; the status page
shows where the request stands and nothing personal; both pages in Chinese and Tibetan."""

import json
import random

import frappe
import pytest
import requests

from tests.http.two_grids import random_id_number
from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import issue_token
from wangge_app.resident_services.request_portal import SUBMISSIONS_PER_HOUR
from wangge_app.test_utils import make_community_tree, make_household, make_resident, make_user

SUBMIT = "/api/method/wangge_app.resident_services.request_portal.submit_request"
WORKER = "request-page-worker@example.com"
HOSTILE_HTML = "<script>alert(1)</script><img src=x onerror=alert(2)>"
MARKUP = ("<script>alert(1)", "<img src=x", "onerror=alert(2)>")
TITLE_ZH = "向网格员反映诉求"
TITLE_BO = "དྲ་མིག་ལས་བྱེད་པར་རེ་འདུན་འབུལ་བ།"


def an_address() -> str:
	"""An address of its own for each test (the site counts submissions per address, for an hour)."""
	return f"198.51.{random.randrange(256)}.{random.randrange(1, 255)}"


class Guest:
	def __init__(self, base_url: str):
		self.base_url = base_url
		self.session = requests.Session()
		self.session.headers.update({"Accept": "application/json", "X-Forwarded-For": an_address()})

	def submit(self, **args):
		# As the page sends it: the page's language also for the messages of the rate limit.
		args.setdefault("_lang", args.get("lang") or "zh")
		return self.session.post(self.base_url + SUBMIT, json=args, timeout=60)

	def page(self, path: str, **params):
		return self.session.get(
			self.base_url + path, params=params, headers={"Accept": "text/html"}, timeout=60
		)


@pytest.fixture(scope="module")
def cards():
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], first_name="卓玛")
	frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
	community, grid, micro_grid = make_community_tree(workers=[WORKER])
	households = [
		make_household(micro_grid.name, building="9", room=f"{room}") for room in (101, 102, 103, 104)
	]
	resident = make_resident(
		households[0].name, full_name="扎西卓玛", mobile="13908901234", id_number=random_id_number()
	)
	data = frappe._dict(
		grid=grid.name,
		micro_grid=micro_grid.name,
		households=[household.name for household in households],
		address=households[0].address,
		resident=resident,
		tokens=[issue_token(household.name).token for household in households],
	)
	frappe.db.commit()
	yield data
	frappe.db.rollback()
	names = frappe.get_all("Resident Request", {"household": ("in", data.households)}, pluck="name")
	frappe.db.delete("ToDo", {"reference_type": "Resident Request", "reference_name": ("in", names or [""])})
	for child in ("Resident Request Step", "Resident Request Overdue"):
		frappe.db.delete(child, {"parent": ("in", names or [""])})
	frappe.db.delete("Resident Request", {"name": ("in", names or [""])})
	frappe.db.delete("Contact Card Token", {"household": ("in", data.households)})
	frappe.db.delete("Resident", {"household": ("in", data.households)})
	frappe.db.delete("Household", {"name": ("in", data.households)})
	frappe.db.commit()


def requests_of(household: str) -> list[dict]:
	frappe.db.rollback()
	return frappe.get_all(
		"Resident Request",
		{"household": household},
		["name", "tracking_code", "grid", "channel", "description", "requester_phone", "workflow_state"],
	)


def messages(response) -> str:
	body = response.json()
	return " ".join(
		json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")
	)


def test_the_card_opens_a_phone_sized_page_in_chinese_and_tibetan(base_url, cards):
	guest = Guest(base_url)
	page = guest.page("/request", card=cards.tokens[0])
	assert page.status_code == 200
	assert TITLE_ZH in page.text and 'id="request-form"' in page.text
	assert "width=device-width" in page.text
	assert "公共设施" in page.text  # a category, in Chinese
	# The household's address and the resident are not shown: a card can be read by anyone.
	assert cards.address not in page.text and "扎西卓玛" not in page.text
	tibetan = guest.page("/request", card=cards.tokens[0], _lang="bo")
	assert TITLE_BO in tibetan.text and TITLE_ZH not in tibetan.text
	assert "སྤྱི་སྤྱོད་སྒྲིག་ཆས།" in tibetan.text  # Public Facilities
	assert 'lang="bo"' in tibetan.text


def test_a_forged_card_shows_no_form(base_url, cards):
	token_id, signature = cards.tokens[0].split(".")
	for forged in (f"{token_id}.{signature[:-2]}AA", "x" * 500, HOSTILE_HTML):
		page = Guest(base_url).page("/request", card=forged)
		assert page.status_code == 200
		assert 'id="card-error"' in page.text and 'id="request-form"' not in page.text
		for markup in MARKUP:
			assert markup not in page.text


def test_a_valid_card_creates_an_assigned_request_with_a_tracking_code(base_url, cards):
	household = cards.households[0]
	response = Guest(base_url).submit(
		card=cards.tokens[0],
		category="Public Facilities",
		description="楼道灯坏了一个星期。",
		phone="139 0890 5566",
		best_time="Evening",
		submission_key="page-key-1",
	)
	assert response.status_code == 200, response.text
	code = response.json()["message"]["tracking_code"]
	(request,) = requests_of(household)
	assert request.tracking_code == code
	assert (request.grid, request.channel, request.workflow_state) == (
		cards.micro_grid,
		"Contact Card QR Code",
		"Received",
	)
	assert request.requester_phone == "13908905566"
	# The micro-grid has no worker: the request goes to the worker of its grid.
	assert frappe.get_all(
		"ToDo", {"reference_type": "Resident Request", "reference_name": request.name}, pluck="allocated_to"
	) == [WORKER]


def test_a_double_tap_or_a_resubmission_makes_one_request(base_url, cards):
	household, token = cards.households[1], cards.tokens[1]
	guest = Guest(base_url)
	args = dict(card=token, category="Neighbours", description="楼上装修太吵。", submission_key="page-key-2")
	first, second = guest.submit(**args), guest.submit(**args)
	# The page reloaded gets a new key; the same text from the same card is still the same request.
	third = Guest(base_url).submit(**{**args, "submission_key": "page-key-3"})
	codes = {response.json()["message"]["tracking_code"] for response in (first, second, third)}
	assert len(codes) == 1
	assert len(requests_of(household)) == 1


def test_a_revoked_card_is_refused_and_nothing_saved(base_url, cards):
	household = cards.households[2]
	old = cards.tokens[2]
	frappe.set_user("Administrator")
	new = issue_token(household).token
	frappe.db.commit()
	response = Guest(base_url).submit(card=old, category="Other", description="旧卡")
	assert response.status_code == 403
	assert "不能" in messages(response) or "无效" in messages(response)
	assert requests_of(household) == []
	page = Guest(base_url).page("/request", card=old)
	assert 'id="card-error"' in page.text
	assert Guest(base_url).submit(card=new, category="Other", description="新卡").status_code == 200
	cards.tokens[2] = new


def test_errors_come_in_the_pages_language(base_url, cards):
	response = Guest(base_url).submit(card="forged.token", category="Other", description="x", lang="bo")
	assert response.status_code == 403
	assert "བྱང་བུ" in messages(response)
	response = Guest(base_url).submit(card=cards.tokens[3], category="Other", description=" ", lang="bo")
	assert response.status_code == 417 and "ངེས་པར་དུ་འབྲི་དགོས" in messages(response)


# value: whether it may be accepted as text (it is then stored exactly as sent)
HOSTILE = {
	"html": (HOSTILE_HTML, False),
	"attribute": ('"><script>alert(1)</script>', False),
	"long": ("诉" * 100_000, False),
	"list": ([HOSTILE_HTML, "' OR 1=1 --"], False),
	"object": ({"name": ["like", "%"]}, False),
	"sql": ("' OR 1=1 --", True),
}
FIELDS = ("card", "category", "description", "phone", "best_time", "submission_key")
# Fields where any text is an acceptable value: description, and the submission key the page sets.
TEXT_FIELDS = {"description", "submission_key"}


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_input_is_refused(base_url, cards, field, value):
	household, token = cards.households[3], cards.tokens[3]
	hostile, text_ok = HOSTILE[value]
	before = len(requests_of(household))
	args = dict(
		card=token,
		category="Other",
		description=f"测试{field}{value}",
		submission_key=f"hostile-{field}-{value}",
	)
	args[field] = hostile
	response = Guest(base_url).submit(**args)
	assert response.status_code < 500, response.text[:500]
	for markup in MARKUP:
		assert markup not in response.text
	assert "Traceback" not in response.text
	if text_ok and field in TEXT_FIELDS:
		assert response.status_code == 200, response.text[:500]
		assert args["description"] in {request.description for request in requests_of(household)}
		return
	assert 400 <= response.status_code < 500, response.text[:500]
	assert messages(response), response.text[:500]
	assert len(requests_of(household)) == before


def test_a_flood_from_one_address_is_refused(base_url, cards):
	household, token = cards.households[3], cards.tokens[3]
	guest = Guest(base_url)
	for _ in range(SUBMISSIONS_PER_HOUR):
		response = guest.submit(card=token, category="Other", description="")
		assert response.status_code == 417
	before = len(requests_of(household))
	response = guest.submit(
		card=token, category="Other", description="第二十一次提交", submission_key="flood"
	)
	assert response.status_code in (417, 429)
	assert "频繁" in messages(response)
	assert len(requests_of(household)) == before
	# Another address is not held up.
	assert Guest(base_url).submit(card=token, category="Other", description="另一个地址").status_code == 200


def test_the_submit_method_takes_posts_only(base_url, cards):
	response = requests.get(
		base_url + SUBMIT,
		params={"card": cards.tokens[3], "category": "Other", "description": "GET 提交"},
		headers={"Accept": "application/json", "X-Forwarded-For": an_address()},
		timeout=60,
	)
	assert 400 <= response.status_code < 500
	assert all(r.description != "GET 提交" for r in requests_of(cards.households[3]))


def test_the_status_page_shows_progress_and_nothing_personal(base_url, cards):
	household = cards.households[0]
	(request,) = requests_of(household)
	page = Guest(base_url).page("/request/status", code=request.tracking_code.lower())
	assert page.status_code == 200
	assert 'id="status"' in page.text and "已受理，等待网格员联系" in page.text
	assert "公共设施" in page.text
	# The look-up button: 查询, not Frappe's 校验 (a checksum) for "Check".
	assert ">查询</button>" in page.text
	for personal in (
		"楼道灯坏了",
		"13908905566",
		"139****5566",
		cards.address,
		"扎西卓玛",
		request.name,
		household,
	):
		assert personal not in page.text
	tibetan = Guest(base_url).page("/request/status", code=request.tracking_code, _lang="bo")
	assert "བླངས་ཟིན།" in tibetan.text
	unknown = Guest(base_url).page("/request/status", code="ABCDEFGHJK")
	assert 'id="status-error"' in unknown.text and 'id="status"' not in unknown.text
	hostile = Guest(base_url).page("/request/status", code=HOSTILE_HTML)
	assert hostile.status_code == 200
	for markup in MARKUP:
		assert markup not in hostile.text
