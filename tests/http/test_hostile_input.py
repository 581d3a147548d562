"""Hostile input for every whitelisted method of the app and its www page, over HTTP against the served
test site, as the user each is for (a partner merchant, a desk user) and as a guest.

Each gets HTML and script, SQL fragments, 100 kB of text, a number, a list, an object, JSON where a
string is expected, null, and parameters it does not know. Expected: a clean result, or a 4xx with a
message. Never a 500, never a record the user may not see, never the hostile markup written into a
page; and to merchants, who are outside the community, never the server's traceback.
"""

import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import frappe
import pytest

from tests.site_session import log_in
from wangge_app.test_utils import make_user

API = "/api/method/wangge_app."
HOSTILE_HTML = "<script>alert(1)</script><img src=x onerror=alert(2)>"
MARKUP = ("<script>alert(1)", "<img src=x", "onerror=alert(2)>")

HOSTILE = {
	"html": HOSTILE_HTML,
	"attribute": '"><script>alert(1)</script>',
	"sql": "' OR 1=1 --",
	"sql_like": "%' OR name LIKE '%",
	"long": "A" * 100_000,
	"number": 12345,
	"list": [HOSTILE_HTML, "' OR 1=1 --"],
	"object": {"name": ["like", "%"], "$ne": None},
	"json_string": json.dumps({"code": "2222-3333-4444", "member": "%", "doctype": "Resident"}),
	"null": None,
	"boolean": True,
}

# id: (path, HTTP method, who calls it, the parameter the hostile value goes into, other arguments)
ENDPOINTS = {
	"lookup_voucher": (API + "volunteer.merchant_portal.lookup_voucher", "POST", "merchant", "code", {}),
	"redeem_voucher": (API + "volunteer.merchant_portal.redeem_voucher", "POST", "merchant", "code", {}),
	# Takes no parameters: every one it gets is unknown to it.
	"get_recent_redemptions": (
		API + "volunteer.merchant_portal.get_recent_redemptions",
		"GET",
		"merchant",
		"code",
		{},
	),
	"get_points_balance[merchant]": (
		API + "volunteer.points.get_points_balance",
		"POST",
		"merchant",
		"member",
		{},
	),
	"get_points_balance[manager]": (
		API + "volunteer.points.get_points_balance",
		"POST",
		"manager",
		"member",
		{},
	),
	"get_coverage_card": (API + "party_building.coverage.get_coverage_card", "GET", "manager", "filters", {}),
	"get_total_points_earned": (
		API + "volunteer.dashboard.get_total_points_earned",
		"GET",
		"manager",
		"filters",
		{},
	),
	"get_average_activities_per_member": (
		API + "volunteer.dashboard.get_average_activities_per_member",
		"GET",
		"manager",
		"filters",
		{},
	),
	"grid_children[parent]": (
		API + "grid.doctype.grid.grid.get_children",
		"GET",
		"worker",
		"parent",
		{"doctype": "Grid"},
	),
	"grid_children[doctype]": (
		API + "grid.doctype.grid.grid.get_children",
		"GET",
		"worker",
		"doctype",
		{"parent": "G-1"},
	),
	"chase_request": (
		API + "resident_services.doctype.resident_request.resident_request.chase",
		"POST",
		"manager",
		"name",
		{},
	),
	"start_from_visit": (
		API + "resident_services.doctype.household_visit.household_visit.start_from_visit",
		"POST",
		"manager",
		"visit",
		{"doctype": "Resident Request"},
	),
	"get_in_grid_rate_this_year": (
		API
		+ "resident_services.report.resident_request_statistics.resident_request_statistics.get_in_grid_rate_this_year",
		"GET",
		"manager",
		"filters",
		{},
	),
	"merchant_page": ("/merchant", "GET", "merchant", "code", {}),
	"merchant_page[json]": ("/merchant", "POST", "merchant", "code", {}),
}
MERCHANT_ENDPOINTS = {
	"lookup_voucher",
	"redeem_voucher",
	"get_recent_redemptions",
	"merchant_page",
	"merchant_page[json]",
}

PASSWORD = "Wangge-Hostile-2026"
MANAGER = "hostile-manager@example.com"


def cases(values):
	for endpoint in ENDPOINTS:
		for value in values:
			yield pytest.param(endpoint, value, id=f"{endpoint}-{value}")


class Client:
	"""A browser session of one user, with the CSRF token the site's pages carry."""

	def __init__(self, base_url: str, user: str | None, password: str | None = None):
		self.base_url = base_url
		self.session = log_in(base_url, user, password, page="/merchant" if user else None)

	def send(self, endpoint: str, args: dict):
		"""Arguments as a JSON body, so numbers, lists and objects arrive as what they are."""
		path, method, _user, _parameter, _fixed = ENDPOINTS[endpoint]
		headers = {"Accept": "text/html"} if path == "/merchant" else {}
		if method == "GET" and path == "/merchant":
			# The page reads its query string; a QR code opens it that way.
			params = {key: v if isinstance(v, str) else json.dumps(v) for key, v in args.items()}
			return self.session.get(self.base_url + path, params=params, headers=headers, timeout=60)
		return self.session.request(method, self.base_url + path, json=args, headers=headers, timeout=60)


@pytest.fixture(scope="module")
def clients(base_url, merchant_portal):
	frappe.set_user("Administrator")
	make_user(MANAGER, ["Community Manager"], first_name="测试", new_password=PASSWORD)
	frappe.db.commit()
	users = merchant_portal.users
	return {
		"merchant": Client(base_url, users.clinic, merchant_portal.password),
		"worker": Client(base_url, users.worker, merchant_portal.password),
		"manager": Client(base_url, MANAGER, PASSWORD),
		"guest": Client(base_url, None),
	}


def other_merchants_data(merchant_portal) -> list[str]:
	"""What the clinic's users must never see: the tea house, its offer and voucher, the member's full name."""
	return ["阳光甜茶馆", "甜茶两壶", merchant_portal.tea_voucher.voucher_code, "次仁白玛"]


def messages_of(body: dict) -> list[str]:
	return [json.loads(m).get("message", "") for m in json.loads(body.get("_server_messages") or "[]")]


def assert_clean(response, endpoint: str, merchant_portal, *, merchant_facing: bool):
	"""A clean result or a 4xx with a message; no 500, no traceback to merchants, no markup echoed."""
	assert response.status_code < 500, response.text[:2000]
	text = response.text
	for other in other_merchants_data(merchant_portal) if merchant_facing else ():
		assert other not in text
	if ENDPOINTS[endpoint][0] == "/merchant":
		if response.status_code == 414:
			# 100 kB in a query string: the web server refuses the request line, as nginx would.
			assert len(response.request.url) > 65_000
			return
		assert response.status_code == 200 and "voucher-form" in text
		for markup in MARKUP:
			assert markup not in text
		return
	body = response.json()
	if merchant_facing:
		assert "Traceback" not in text and "exc" not in body, text[:2000]
	if response.status_code >= 400:
		messages = messages_of(body)
		# Frappe's own type check of a hinted parameter (FrappeTypeError) answers with its exception line only.
		assert messages or body.get("exception"), text[:2000]
		if merchant_facing:
			# In the merchant's language: the page shows it as it is.
			assert any(re.search(r"[\u4e00-\u9fff]", m) for m in messages), messages
		if body.get("exc_type") != "DoesNotExistError":
			# Frappe's own "{DocType} {name} not found" repeats the name it was given (as data in JSON,
			# which no page writes as markup); the app's messages never repeat the markup.
			for markup in MARKUP:
				assert not any(markup in m for m in messages), messages
	else:
		for markup in MARKUP:
			assert markup not in json.dumps(body.get("message"))


def send_as_intended_user(clients, endpoint, args):
	_path, _method, user, _parameter, fixed = ENDPOINTS[endpoint]
	return clients[user].send(endpoint, {**fixed, **args})


@pytest.mark.parametrize("endpoint, value", cases(HOSTILE))
def test_hostile_value(clients, merchant_portal, endpoint, value):
	parameter = ENDPOINTS[endpoint][3]
	response = send_as_intended_user(clients, endpoint, {parameter: HOSTILE[value]})
	assert_clean(response, endpoint, merchant_portal, merchant_facing=endpoint in MERCHANT_ENDPOINTS)
	if endpoint in ("lookup_voucher", "redeem_voucher"):
		# Nothing hostile is a voucher code: no voucher is found, let alone redeemed.
		assert response.status_code == 417
	if endpoint.startswith("get_points_balance"):
		# No balance for a member that is no member (an SQL fragment finds none, nor a list or object).
		assert response.status_code in (403, 404, 417)
	if endpoint.startswith("grid_children") and response.status_code == 200:
		# The worker is assigned to no grid: no hostile parent or doctype shows them any.
		assert response.json()["message"] == []


@pytest.mark.parametrize("endpoint, value", cases(["unknown_only", "unknown_extra"]))
def test_unknown_parameters(clients, merchant_portal, endpoint, value):
	"""Parameters an endpoint does not take, without (unknown_only) or beside (unknown_extra) its own.

	(Not `cmd`: Frappe sends any request whose arguments hold a `cmd` to that method, whatever the path,
	so `cmd` tests Frappe's methods, not these.)"""
	_path, _method, user, parameter, fixed = ENDPOINTS[endpoint]
	args = {"no_such_parameter": HOSTILE_HTML, "limit_page_length": 0, "ignore_permissions": 1}
	if value == "unknown_extra":
		args.update(fixed)
		args[parameter] = "2222-3333-4444" if parameter == "code" else "x"
	response = clients[user].send(endpoint, args)
	assert_clean(response, endpoint, merchant_portal, merchant_facing=endpoint in MERCHANT_ENDPOINTS)
	assert "id_number" not in response.text  # no list of residents


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if not e.startswith("merchant_page")])
def test_guest_is_refused_with_a_message(clients, merchant_portal, endpoint):
	parameter = ENDPOINTS[endpoint][3]
	response = clients["guest"].send(endpoint, {**ENDPOINTS[endpoint][4], parameter: HOSTILE_HTML})
	assert response.status_code == 403, response.text[:2000]
	assert response.json().get("exc_type") == "PermissionError"
	for markup in MARKUP:
		assert markup not in response.text


def test_guest_is_sent_from_the_merchant_page_to_login(clients):
	response = clients["guest"].session.get(
		clients["guest"].base_url + "/merchant",
		params={"code": HOSTILE["attribute"]},
		headers={"Accept": "text/html"},
		allow_redirects=False,
	)
	assert response.status_code in (301, 302)
	# The scanned code rides along to the merchant page after logging in, encoded, never as markup.
	location = response.headers["Location"]
	assert "<" not in location and '"' not in location, location
	login = urlsplit(location)
	assert login.path == "/login"
	assert parse_qs(login.query)["redirect-to"] == ["/merchant?" + urlencode({"code": HOSTILE["attribute"]})]


def test_finding_06_reflected_xss_merchant_page(clients, merchant_portal):
	"""Finding 6: /merchant?code="><script>…</script> was written into the code box unescaped."""
	merchant = clients["merchant"]
	payload = '"><script>alert(document.cookie)</script>'
	response = merchant.session.get(
		merchant.base_url + "/merchant", params={"code": payload}, headers={"Accept": "text/html"}
	)
	assert response.status_code == 200
	assert "<script>alert(document.cookie)</script>" not in response.text
	assert 'value="&#34;&gt;&lt;script&gt;alert(document.cookie)&lt;/script&gt;"' in response.text

	# A real code from a QR code still fills the box, and the page still looks it up.
	code = merchant_portal.tea_voucher.voucher_code
	response = merchant.session.get(
		merchant.base_url + "/merchant", params={"code": code}, headers={"Accept": "text/html"}
	)
	assert f'value="{code}"' in response.text

	# Lists, objects and overlong text from a JSON body leave the box empty.
	for value in (["<b>a</b>", "b"], {"a": 1}, "A" * 100_000):
		response = merchant.session.post(
			merchant.base_url + "/merchant", json={"code": value}, headers={"Accept": "text/html"}
		)
		assert response.status_code == 200
		assert 'aria-label="兑换券券码" value="" required' in response.text


def test_merchant_page_escapes_what_merchants_and_offers_hold(base_url, merchant_portal):
	"""The merchant's name and address, its offers and its redemptions are written as text."""
	from wangge_app.volunteer.test_utils import make_merchant, make_offer, make_redemption

	frappe.set_user("Administrator")
	user = "hostile-merchant@example.com"
	make_user(user, ["Partner Merchant"], first_name="测试", user_type="Website User", new_password=PASSWORD)
	merchant = make_merchant(users=[user])
	offer = make_offer(merchant.name, 1, item_name="洗牙")
	# Requested only (no points move), then marked used: it shows in the merchant's recent redemptions.
	voucher = make_redemption(merchant_portal.member, offer.name, issue=False)
	frappe.db.set_value(
		"Points Redemption", voucher.name, {"status": "Used", "redeemed_on": frappe.utils.now()}
	)
	frappe.db.set_value("Redemption Offer", offer.name, "item_name", HOSTILE_HTML + "[offer]")
	frappe.db.set_value("Points Redemption", voucher.name, "item_name", HOSTILE_HTML + "[redeemed]")
	frappe.db.set_value(
		"Partner Merchant",
		merchant.name,
		{"merchant_name": HOSTILE_HTML + "[name]", "address": HOSTILE_HTML + "[address]"},
	)
	frappe.db.commit()
	try:
		page = Client(base_url, user, PASSWORD).session.get(
			base_url + "/merchant", headers={"Accept": "text/html"}
		)
		escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
		for tag in ("name", "address", "offer", "redeemed"):
			assert f"{escaped}[{tag}]" in page.text
		for markup in MARKUP:
			assert markup not in page.text
	finally:
		frappe.db.delete("Points Redemption", {"name": voucher.name})
		frappe.db.delete("Redemption Offer", {"name": offer.name})
		frappe.db.delete("Partner Merchant User", {"parent": merchant.name})
		frappe.db.delete("Partner Merchant", {"name": merchant.name})
		frappe.db.commit()


def test_merchant_portal_errors_carry_no_traceback(clients):
	"""The portal's endpoints answer merchants with the message only, whatever System Settings say."""
	for code in ("", "<b>", ["a list"], "2222-3333-4444"):
		for endpoint in ("lookup_voucher", "redeem_voucher"):
			response = clients["merchant"].send(endpoint, {"code": code})
			assert response.status_code == 417, response.text[:2000]
			assert "Traceback" not in response.text and "exc" not in response.json()


@pytest.mark.parametrize(
	"user, endpoint, args",
	[
		("guest", "lookup_voucher", {"code": "2222-3333-4444"}),
		("merchant", "get_points_balance[merchant]", {"member": "the member"}),
		("manager", "get_points_balance[manager]", {"member": ["a list"]}),
	],
)
def test_errors_carry_no_traceback(clients, merchant_portal, user, endpoint, args):
	if args.get("member") == "the member":
		args = {"member": merchant_portal.member}  # one the merchant may not see: 403
	response = clients[user].send(endpoint, args)
	assert 400 <= response.status_code < 500
	assert "Traceback" not in response.text


@pytest.mark.parametrize("doctype", ["User", "Resident"])
def test_grid_tree_of_another_doctype(clients, doctype):
	response = clients["worker"].send("grid_children[doctype]", {"doctype": doctype, "parent": "x"})
	assert response.status_code < 500, response.text[:500]


def test_merchant_gets_no_community_figures(clients):
	response = clients["merchant"].send("get_coverage_card", {})
	assert response.status_code == 403
