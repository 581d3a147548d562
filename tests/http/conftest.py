"""Fixtures of the HTTP tests of the permission layer: two grids and two merchants on the served
test site (`site`), and logged-in users to attack them with (`clients`); see two_grids.py."""

import frappe
import pytest
from frappe.utils import add_to_date, now_datetime

from tests.http.two_grids import (
	IDLE_WORKER,
	MEDIATOR,
	MERCHANT_X,
	MERCHANT_Y,
	PASSWORD,
	WORKER_A,
	WORKER_B,
	Client,
	random_id_number,
)
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_resident, make_user
from wangge_app.volunteer.test_utils import (
	make_adjustment,
	make_merchant,
	make_offer,
	make_party_member,
	make_redemption,
	make_work_unit,
)


@pytest.fixture(scope="module")
def site():
	frappe.set_user("Administrator")
	for user in (WORKER_A, WORKER_B, IDLE_WORKER):
		make_user(user, ["Grid Worker"], new_password=PASSWORD)
	make_user(MEDIATOR, ["Community Mediator"], new_password=PASSWORD)
	for merchant_user in (MERCHANT_X, MERCHANT_Y):
		make_user(merchant_user, ["Partner Merchant"], user_type="Website User", new_password=PASSWORD)
	frappe.db.delete("Partner Merchant User", {"user": ("in", (MERCHANT_X, MERCHANT_Y))})
	community, grid_a, micro_a = make_community_tree(workers=[WORKER_A])
	grid_b = make_grid("Grid", community.name, workers=[WORKER_B])
	data = frappe._dict(grid_a=grid_a.name, micro_a=micro_a.name, grid_b=grid_b.name)
	for key, grid, name, mobile in (
		("a", micro_a.name, "央金卓嘎", "13908933301"),
		("b", grid_b.name, "格桑曲珍", "13908933302"),
	):
		household = make_household(grid)
		resident = make_resident(household.name, full_name=name, mobile=mobile, id_number=random_id_number())
		case = frappe.get_doc(
			{
				"doctype": "Dispute Case",
				"subject": "邻里噪音纠纷",
				"grid": grid,
				"category": "Neighbours",
				"case_source": "Grid Patrol",
				"tier": "Ordinary",
				"description": "楼上楼下因夜间噪音争执。",
				"discovered_at": str(add_to_date(now_datetime(), hours=-2)),
				"parties": [{"party_role": "Applicant", "resident": resident.name}],
			}
		).insert()
		data[f"household_{key}"] = household.name
		data[f"resident_{key}"] = resident
		data[f"case_{key}"] = case.name
	from frappe.desk.form.assign_to import add as assign

	assign({"assign_to": [WORKER_B], "doctype": "Dispute Case", "name": data.case_b, "description": "回访"})
	work_unit = make_work_unit()
	merchant_x = make_merchant(users=[MERCHANT_X])
	merchant_y = make_merchant(users=[MERCHANT_Y])
	offer_x = make_offer(merchant_x.name, 1, item_name="图书一本")
	offer_y = make_offer(merchant_y.name, 1, item_name="甜茶一壶")
	for key, grid, name in (("a", grid_a.name, "边巴次仁攻"), ("b", grid_b.name, "洛桑旺堆攻")):
		member = make_party_member(work_unit.name, full_name=name, grid=grid)
		make_adjustment(member.name, 10)
		data[f"member_{key}"] = member.name
		data[f"member_name_{key}"] = name
		data[f"voucher_{key}_x"] = make_redemption(member.name, offer_x.name)
		data[f"voucher_{key}_y"] = make_redemption(member.name, offer_y.name)
	data.merchants = (merchant_x.name, merchant_y.name)
	data.work_unit = work_unit.name
	frappe.db.commit()
	yield data

	frappe.db.rollback()
	members = (data.member_a, data.member_b)
	for doctype, filters in (
		("File", {"attached_to_name": ("in", (data.case_a, data.case_b))}),
		("ToDo", {"reference_name": ("in", (data.case_a, data.case_b))}),
		("Points Redemption", {"member": ("in", members)}),
		("Volunteer Points Entry", {"member": ("in", members)}),
		("Points Adjustment", {"member": ("in", members)}),
		("In-service Party Member", {"name": ("in", members)}),
		("Redemption Offer", {"merchant": ("in", data.merchants)}),
		("Partner Merchant User", {"parent": ("in", data.merchants)}),
		("Partner Merchant", {"name": ("in", data.merchants)}),
		("Work Unit", {"name": data.work_unit}),
	):
		frappe.db.delete(doctype, filters)
	frappe.db.commit()


@pytest.fixture(scope="module")
def clients(base_url, site):
	return frappe._dict(
		worker=Client(base_url, WORKER_A),
		idle=Client(base_url, IDLE_WORKER),
		mediator=Client(base_url, MEDIATOR),
		merchant=Client(base_url, MERCHANT_X),
	)
