# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The district above the sample community, and a district manager: 城关区 → 八廓街道 → 幸福社区.

The community's staff keep seeing everything (they hold no User Permission on Grid, as on a site of
one community); the district manager sees every community of the district, personal data masked."""

import frappe

from wangge_app.demo import demo_email, make_user
from wangge_app.demo.grid import COMMUNITY_CODE
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.roles import DISTRICT_MANAGER

DISTRICT_CODE = "540102"
SUB_DISTRICT_CODE = "540102-001"


def make_district(factory: PersonFactory) -> dict:
	district = insert_area(DISTRICT_CODE, "城关区", "District")
	sub_district = insert_area(SUB_DISTRICT_CODE, "八廓街道", "Sub-district", district.name)
	community = frappe.get_doc("Grid", COMMUNITY_CODE)
	community.parent_grid = sub_district.name
	community.save()
	person = factory.person(min_age=38, max_age=55)
	manager = make_user(demo_email("district"), person.full_name, [DISTRICT_MANAGER], person.mobile)
	return {"district": district.name, "sub_district": sub_district.name, "district_manager": manager.name}


def insert_area(code: str, name: str, level: str, parent: str | None = None):
	return frappe.get_doc(
		{"doctype": "Grid", "grid_code": code, "grid_name": name, "grid_level": level, "parent_grid": parent}
	).insert()
