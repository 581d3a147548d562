# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Points redemption at 幸福社区's 25 partner merchants (retail, dining, medical), with a year of
redemptions.

Every voucher goes through its document and workflow transitions, dated through
`redemption.move_voucher`, so its points leave and come back through the ledger writer: the history
is consistent with the ledger and the kept balances by construction (and checked at the end). A member only spends points they had
a year ago, so no running balance in their statement ever dips below zero.
"""

import datetime

import frappe
from frappe.utils import add_days, getdate

from wangge_app import workflows as wf
from wangge_app.demo import demo_email, make_user
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.roles import PARTNER_MERCHANT as MERCHANT_ROLE
from wangge_app.scopes import PARTNER_MERCHANT
from wangge_app.volunteer import points, redemption
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE

HISTORY_DAYS = 365
VOUCHERS = 320
# (merchant, category, address, agreement start, agreement end, offers: (item, points, value in yuan,
# description, total quantity, per-member limit))
# fmt: off
MERCHANTS = (
	("拉萨康宁健康体检中心", "Medical", "城关区北京中路45号", "2024-03-01", "2027-12-31", (
		("免费健康体检套餐", 20, 1200, "含血常规、肝肾功能、心电图、腹部B超等18项", 60, 1),
		("中医体质辨识", 4, 150, "", 0, 2),
	)),
	("雪域口腔诊所", "Medical", "城关区金珠西路8号", "2024-03-01", "2027-12-31", (
		("专业洗牙", 5, 300, "超声波洁牙及抛光一次", 0, 2),
		("儿童窝沟封闭", 6, 200, "", 0, 1),
	)),
	("幸福社区卫生服务站", "Medical", "幸福社区综合服务中心一楼", "2024-01-01", "2027-12-31", (
		("上门测血压血糖（四次）", 3, 120, "", 0, 0),
	)),
	("圣城眼镜店", "Medical", "城关区宇拓路16号", "2024-05-01", "2027-04-30", (
		("免费验光配镜架", 8, 380, "", 0, 1),
	)),
	("藏医院门诊部药浴中心", "Medical", "城关区娘热路2号", "2024-06-01", "2027-05-31", (
		("藏药浴体验", 10, 480, "", 40, 1),
	)),
	("吉祥超市", "Retail", "幸福小区东门", "2024-03-01", "2027-12-31", (
		("食用油一桶（5升）", 3, 89, "", 0, 0),
		("大米一袋（10公斤）", 3, 78, "", 0, 0),
	)),
	("雪莲花生活超市", "Retail", "城关区林廓北路21号", "2024-03-01", "2027-12-31", (
		("生活用品礼包", 4, 120, "洗衣液、牙膏、毛巾", 0, 0),
	)),
	("高原牧场酸奶店", "Retail", "幸福小区商业街3号", "2024-04-01", "2027-03-31", (
		("牦牛酸奶月卡", 5, 150, "每天一杯，共30天", 0, 1),
	)),
	("新华书店城关分店", "Retail", "城关区宇拓路5号", "2024-03-01", "2027-12-31", (
		("图书购书卡", 4, 100, "", 0, 0),
	)),
	("珠峰电器维修部", "Other", "幸福小区商业街9号", "2024-04-01", "2027-12-31", (
		("家电上门检修一次", 3, 80, "", 0, 0),
	)),
	("格桑家政服务公司", "Other", "城关区藏大东路17号", "2024-06-01", "2027-05-31", (
		("家庭保洁（4小时）", 6, 200, "", 0, 2),
	)),
	("拉萨河畔洗衣店", "Other", "幸福小区商业街12号", "2024-05-01", "2026-12-31", (
		("藏装干洗一套", 2, 60, "", 0, 0),
	)),
	("布达拉理发店", "Other", "幸福小区西门", "2024-03-01", "2027-12-31", (
		("理发一次", 1, 30, "", 0, 0),
	)),
	("日光城照相馆", "Other", "城关区朵森格路33号", "2024-07-01", "2027-06-30", (
		("全家福拍摄", 8, 398, "", 20, 1),
	)),
	("阳光甜茶馆", "Dining", "幸福小区商业街1号", "2024-03-01", "2027-12-31", (
		("甜茶两壶配藏面", 2, 40, "", 0, 0),
	)),
	("玛吉阿米藏餐厅", "Dining", "城关区八廓街东南角", "2024-03-01", "2027-12-31", (
		("藏式套餐双人份", 6, 220, "", 0, 2),
	)),
	("央宗糌粑坊", "Dining", "幸福小区商业街6号", "2024-04-01", "2027-12-31", (
		("青稞糌粑（2公斤）", 2, 50, "", 0, 0),
	)),
	("雪域酥油茶馆", "Dining", "城关区北京东路52号", "2024-05-01", "2027-12-31", (
		("酥油茶套餐", 2, 45, "", 0, 0),
	)),
	("清真牛肉面馆", "Dining", "城关区林廓东路10号", "2024-03-01", "2027-12-31", (
		("牛肉面两碗", 1, 36, "", 0, 0),
	)),
	("川味小厨", "Dining", "幸福小区商业街15号", "2024-06-01", "2027-12-31", (
		("家常菜套餐", 4, 128, "", 0, 0),
	)),
	("德吉面包房", "Dining", "城关区江苏路18号", "2024-06-01", "2027-12-31", (
		("生日蛋糕（8寸）", 5, 168, "", 0, 1),
	)),
	("拉萨老茶馆", "Dining", "城关区丹杰林路7号", "2024-03-01", "2025-12-31", (
		("藏历新年茶点", 2, 60, "", 0, 0),
	)),
	("布宫广场鲜花店", "Retail", "城关区北京中路88号", "2024-08-01", "2027-07-31", (
		("鲜花一束", 3, 99, "", 0, 0),
	)),
	("青稞文化用品店", "Retail", "幸福小区商业街20号", "2024-08-01", "2027-12-31", (
		("学生文具礼包", 2, 58, "", 0, 0),
	)),
	("圣地健身中心", "Other", "城关区金珠中路66号", "2024-09-01", "2027-08-31", (
		("健身月卡", 8, 300, "", 30, 1),
	)),
)
# fmt: on
# A Losar (藏历新年) promotion that ended; its unused vouchers expired and were refunded.
SEASONAL_OFFER = ("吉祥超市", "藏历新年礼包", 6, 198, "2026-02-01", "2026-03-15")


def make_points_redemption(factory: PersonFactory) -> dict:
	rng = factory.rng
	today = factory.today
	merchants = make_merchants(factory)
	offers = make_offers()
	history = make_history(rng, offers, merchants, today)
	# Whatever has ended is switched off once its history is written.
	for name, *_rest, end, _offers in MERCHANTS:
		if getdate(end) < today:
			frappe.db.set_value(PARTNER_MERCHANT, name, "is_active", 0)
	frappe.db.set_value(redemption.OFFER, {"valid_to": ("<", today)}, "is_active", 0)
	mismatches = points.check_kept_balances()
	if mismatches:
		frappe.throw(f"Sample redemptions: kept balances differ from the ledger: {mismatches[:5]}")
	return {"merchants": len(merchants), "offers": len(offers), **history}


def make_merchants(factory: PersonFactory) -> dict[str, str]:
	"""The merchants with one website user each (merchant@ for the health check centre); returns
	merchant -> user."""
	users = {}
	for number, (name, category, address, start, end, _offers) in enumerate(MERCHANTS, start=1):
		contact = factory.person(min_age=28, max_age=60)
		user = demo_email("merchant") if number == 1 else demo_email(f"merchant{number:02d}")
		if not frappe.db.exists("User", user):
			make_user(user, contact.full_name, [MERCHANT_ROLE], contact.mobile, user_type="Website User")
		frappe.get_doc(
			{
				"doctype": PARTNER_MERCHANT,
				"merchant_name": name,
				"category": category,
				"address": address,
				"contact_person": contact.full_name,
				"contact_phone": contact.mobile,
				"agreement_start": start,
				"agreement_end": end,
				"users": [{"user": user}],
			}
		).insert()
		users[name] = user
	return users


def make_offers() -> list[dict]:
	offers = []
	for name, _category, _address, start, end, items in MERCHANTS:
		for item, points_required, value, description, quantity, limit in items:
			offer = frappe.get_doc(
				{
					"doctype": redemption.OFFER,
					"merchant": name,
					"item_name": item,
					"description": description,
					"points_required": points_required,
					"market_value": value,
					"valid_from": start,
					"valid_to": end,
					"total_quantity": quantity,
					"per_member_limit": limit,
				}
			).insert()
			offers.append(offer.as_dict())
	merchant, item, points_required, value, start, end = SEASONAL_OFFER
	offer = frappe.get_doc(
		{
			"doctype": redemption.OFFER,
			"merchant": merchant,
			"item_name": item,
			"points_required": points_required,
			"market_value": value,
			"valid_from": start,
			"valid_to": end,
		}
	).insert()
	offers.append(offer.as_dict())
	return offers


def make_history(rng, offers: list[dict], merchant_users: dict[str, str], today: datetime.date) -> dict:
	"""A year of vouchers through the workflow: most used, some cancelled, unused ones expired, and
	a few still issued or requested."""
	start = add_days(today, -HISTORY_DAYS)
	# What each member can spend: what they had a year ago, and never more than they have now.
	budget = {
		row.member: min(row.points_then, row.points_now)
		for row in frappe.db.sql(
			f"""select e.member, sum(e.points) as points_then, m.points_balance as points_now
			from `tab{points.ENTRY}` e join `tab{points.MEMBER}` m on m.name = e.member
			where e.posting_date < %s and m.status = %s group by e.member having points_then > 0""",
			(start, ACTIVE),
			as_dict=True,
		)
	}
	members = sorted(budget)
	counts = {"Used": 0, "Cancelled": 0, "Expired": 0, "Issued": 0, "Requested": 0}
	held = {}  # (member, offer) -> vouchers held, for the per-member limits
	stock = {}
	for _number in range(VOUCHERS):
		offer = rng.choice(offers)
		window_start = max(getdate(offer.valid_from), start)
		window_end = min(getdate(offer.valid_to), add_days(today, -1))
		if window_end < window_start:
			continue
		member = rng.choice(members)
		key = (member, offer.name)
		if (
			budget[member] < offer.points_required
			or (offer.per_member_limit and held.get(key, 0) >= offer.per_member_limit)
			or (offer.total_quantity and stock.get(offer.name, 0) >= offer.total_quantity)
		):
			continue
		issued_on = datetime.datetime.combine(
			add_days(window_start, rng.randrange((window_end - window_start).days + 1)),
			datetime.time(rng.randint(9, 18), rng.choice((0, 15, 30, 45))),
		)
		voucher = frappe.get_doc(
			{"doctype": redemption.REDEMPTION, "member": member, "offer": offer.name}
		).insert()
		# Requested two hours before it was issued: dated after the fact, as the request is saved now.
		voucher.db_set("requested_on", issued_on - datetime.timedelta(hours=2), update_modified=False)
		if issued_on.date() > add_days(today, -3) and rng.random() < 0.5:
			counts["Requested"] += 1
			continue
		transition(voucher, redemption.ISSUED, issued_on)
		budget[member] -= offer.points_required
		held[key] = held.get(key, 0) + 1
		stock[offer.name] = stock.get(offer.name, 0) + 1

		roll = rng.random()
		used_on = issued_on + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 3))
		if getdate(voucher.valid_until) < today and roll < 0.15:
			transition(
				voucher,
				redemption.EXPIRED,
				datetime.datetime.combine(add_days(voucher.valid_until, 1), datetime.time(1)),
			)
			budget[member] += offer.points_required
			held[key] -= 1
			stock[offer.name] -= 1
		elif roll < 0.08:
			transition(
				voucher, wf.CANCELLED, min(used_on, datetime.datetime.combine(today, datetime.time(9)))
			)
			budget[member] += offer.points_required
			held[key] -= 1
			stock[offer.name] -= 1
		elif used_on.date() < today and used_on.date() <= getdate(voucher.valid_until):
			frappe.set_user(merchant_users[offer.merchant])
			try:
				# As the portal does: the counter that has the code redeems; a merchant may not save vouchers.
				transition(voucher, redemption.REDEEMED, used_on)
			finally:
				frappe.set_user("Administrator")
		counts[voucher.status] += 1
	# Outstanding vouchers past their validity wait for the daily job, which runs now.
	counts["Expired"] += len(redemption.expire_vouchers(today))
	counts["Issued"] = frappe.db.count(redemption.REDEMPTION, {"status": redemption.ISSUED})
	return {
		"vouchers": frappe.db.count(redemption.REDEMPTION),
		**{status.lower(): n for status, n in counts.items()},
	}


def transition(voucher, status: str, as_of) -> None:
	"""Move the voucher through its workflow as of a past moment, by the path the counter and the
	expiry job take (Frappe checks the transition)."""
	redemption.move_voucher(voucher, status, as_of=as_of)
