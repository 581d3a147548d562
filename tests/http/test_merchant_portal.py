"""The merchant portal over HTTP, against the served test site: as a merchant, as another merchant,
as a desk user who is no merchant and as a guest; and two redeems of one voucher at the same moment."""

import re
import threading

import frappe
import pytest

from tests.site_session import log_in

LOOKUP = "/api/method/wangge_app.volunteer.merchant_portal.lookup_voucher"
REDEEM = "/api/method/wangge_app.volunteer.merchant_portal.redeem_voucher"


class Portal:
	"""A logged-in browser session on /merchant, calling its endpoints as the page's script does."""

	def __init__(self, base_url: str, user: str | None, password: str | None = None):
		self.base_url = base_url
		self.session = log_in(base_url, user, password, page="/merchant")
		self.page = self.session.page
		self.login = getattr(self.session, "login", None)

	def call(self, path: str, code: str):
		return self.session.post(self.base_url + path, json={"code": code}, timeout=60)


def message_of(response) -> str:
	"""The text of the error the page would show."""
	body = response.json()
	messages = [
		frappe.parse_json(m)["message"] for m in frappe.parse_json(body.get("_server_messages", "[]"))
	]
	return re.sub(r"<[^>]+>", "", " ".join(messages))


def status_of(name: str) -> str:
	frappe.db.rollback()  # a fresh snapshot, to see the server's commits
	return frappe.db.get_value("Points Redemption", name, "status")


def test_guest_is_sent_to_login_and_refused_by_the_endpoints(base_url, merchant_portal):
	guest = Portal(base_url, None)
	assert "/login" in guest.page.url
	assert "幸福口腔诊所" not in guest.page.text
	voucher = merchant_portal.tea_voucher.voucher_code
	for path in (LOOKUP, REDEEM):
		response = guest.session.post(base_url + path, json={"code": voucher})
		assert response.status_code == 403
	assert status_of(merchant_portal.tea_voucher.name) == "Issued"


def test_merchant_checks_and_redeems_own_voucher(base_url, merchant_portal):
	voucher = merchant_portal.voucher()
	frappe.db.commit()
	portal = Portal(base_url, merchant_portal.users.clinic, merchant_portal.password)
	assert portal.login.json()["home_page"] == "/merchant"  # a merchant lands on the portal
	assert portal.page.status_code == 200
	page = portal.page.text
	assert "幸福口腔诊所" in page and "专业洗牙" in page and "5 积分" in page
	assert "阳光甜茶馆" not in page and "甜茶两壶" not in page
	assert 'name="viewport"' in page

	# Typed in lower case without dashes, or scanned from the QR code (the portal URL with the code).
	response = portal.call(LOOKUP, voucher.voucher_code.lower().replace("-", ""))
	assert response.status_code == 200, response.text
	found = response.json()["message"]
	assert found["member"] == "次*白玛" and "次仁白玛" not in response.text
	assert (found["item_name"], found["points"], found["can_redeem"]) == ("专业洗牙", 5, True)
	assert portal.call(LOOKUP, f"{base_url}/merchant?code={voucher.voucher_code}").status_code == 200

	response = portal.call(REDEEM, voucher.voucher_code)
	assert response.status_code == 200, response.text
	result = response.json()["message"]
	assert result["voucher"]["status"] == "Used"
	assert result["recent"][0]["voucher_code"] == voucher.voucher_code
	assert status_of(voucher.name) == "Used"
	assert (
		frappe.db.get_value("Points Redemption", voucher.name, "redeemed_by") == merchant_portal.users.clinic
	)
	# The voucher's timeline shows the transition, as for one made with the workflow's buttons.
	timeline = frappe.get_all(
		"Comment",
		{
			"reference_doctype": "Points Redemption",
			"reference_name": voucher.name,
			"comment_type": "Workflow",
		},
		["content", "owner"],
	)
	assert [row.content for row in timeline if row.owner == merchant_portal.users.clinic] == ["已核销"]

	again = portal.call(REDEEM, voucher.voucher_code)
	assert again.status_code == 417 and "已核销" in message_of(again)
	assert (
		voucher.voucher_code
		in Portal(base_url, merchant_portal.users.clinic, merchant_portal.password).page.text
	)  # recent list


@pytest.mark.parametrize(
	"code, message",
	[
		("12345", "不是兑换券券码"),
		("<script>", "不是兑换券券码"),
		("2222-3333-4444", "没有券码为"),
	],
)
def test_malformed_and_unknown_codes(base_url, merchant_portal, code, message):
	response = Portal(base_url, merchant_portal.users.clinic, merchant_portal.password).call(LOOKUP, code)
	assert response.status_code == 417
	assert message in message_of(response)


def test_cancelled_and_expired_vouchers(base_url, merchant_portal):
	portal = Portal(base_url, merchant_portal.users.clinic, merchant_portal.password)
	for voucher, text in ((merchant_portal.cancelled, "已取消"), (merchant_portal.expired, "已过期")):
		found = portal.call(LOOKUP, voucher.voucher_code).json()["message"]
		assert found["can_redeem"] is False and text in found["message"]
		response = portal.call(REDEEM, voucher.voucher_code)
		assert response.status_code == 417 and text in message_of(response)
		assert status_of(voucher.name) == voucher.status


def test_other_merchant_sees_nothing_of_this_merchant(base_url, merchant_portal):
	portal = Portal(base_url, merchant_portal.users.teahouse, merchant_portal.password)
	assert "阳光甜茶馆" in portal.page.text and "甜茶两壶" in portal.page.text
	assert "幸福口腔诊所" not in portal.page.text and "专业洗牙" not in portal.page.text
	voucher = merchant_portal.voucher()
	frappe.db.commit()
	for path in (LOOKUP, REDEEM):
		response = portal.call(path, voucher.voucher_code)
		assert response.status_code == 417
		assert "其他商家" in message_of(response)
		assert "专业洗牙" not in response.text and "次" not in message_of(response)
	assert status_of(voucher.name) == "Issued"
	# Nor through Frappe's own REST API.
	listed = portal.session.get(base_url + "/api/resource/Points Redemption", params={"fields": '["name"]'})
	assert voucher.name not in listed.text
	assert portal.session.get(base_url + f"/api/resource/Points Redemption/{voucher.name}").status_code == 403


def test_desk_user_who_is_no_merchant_sees_nothing(base_url, merchant_portal):
	portal = Portal(base_url, merchant_portal.users.worker, merchant_portal.password)
	assert portal.page.status_code == 200
	assert "不是合作商家账号" in portal.page.text
	assert "幸福口腔诊所" not in portal.page.text and "阳光甜茶馆" not in portal.page.text
	response = portal.call(LOOKUP, merchant_portal.tea_voucher.voucher_code)
	assert response.status_code == 403 and "甜茶" not in response.text


def test_two_counters_redeeming_one_voucher_at_once_give_exactly_one_success(base_url, merchant_portal):
	counters = [
		Portal(base_url, merchant_portal.users.clinic, merchant_portal.password),
		Portal(base_url, merchant_portal.users.clinic_counter, merchant_portal.password),
	]
	for _round in range(5):
		voucher = merchant_portal.voucher()
		frappe.db.commit()
		balance = frappe.db.get_value("In-service Party Member", merchant_portal.member, "points_balance")
		start = threading.Barrier(len(counters))
		results = [None] * len(counters)

		def redeem(index):
			start.wait()
			results[index] = counters[index].call(REDEEM, voucher.voucher_code)

		threads = [threading.Thread(target=redeem, args=(i,)) for i in range(len(counters))]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join()
		codes = sorted(response.status_code for response in results)
		assert codes == [200, 417], [response.text for response in results]
		refused = next(response for response in results if response.status_code == 417)
		assert "已核销" in message_of(refused)
		assert status_of(voucher.name) == "Used"
		assert (
			frappe.db.get_value("In-service Party Member", merchant_portal.member, "points_balance")
			== balance
		)
