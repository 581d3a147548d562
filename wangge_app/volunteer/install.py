# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Install data of the Volunteer module.

The eight standing kinds of service ("8" of "8+N") are created once, on install (and by a patch
on sites installed before): not as fixtures, because a community sets its own default points
and fixtures would reset them on every migrate.
"""

import frappe

# (name, default points per participation, description)
STANDARD_SERVICE_TYPES = (
	("政策宣传", 2, "宣讲党的政策、法律法规和惠民政策。"),
	("交通疏导", 2, "在路口、学校和市场周边协助疏导交通。"),
	("环境绿化", 2, "植树护绿、清扫街巷、垃圾分类宣传。"),
	("治安巡逻", 2, "参与社区治安巡逻和安全隐患排查。"),
	("关爱帮扶", 3, "走访慰问独居老人、困难家庭和残疾人。"),
	("文明创建", 1, "参与文明城市创建和移风易俗宣传。"),
	("文体活动", 1, "组织和服务社区文化体育活动。"),
	("便民服务", 2, "义诊、义剪、家电维修等便民服务。"),
)


def make_standard_service_types() -> None:
	for name, default_points, description in STANDARD_SERVICE_TYPES:
		if frappe.db.exists("Volunteer Service Type", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Volunteer Service Type",
				"service_type_name": name,
				"default_points": default_points,
				"max_points_per_participant": default_points,
				"is_standard": 1,
				"description": description,
			}
		).insert(ignore_permissions=True)


def set_max_points_per_participant() -> None:
	"""Service types saved before the limit existed: the limit is their default points."""
	frappe.db.sql(
		"""update `tabVolunteer Service Type` set max_points_per_participant = default_points
		where ifnull(max_points_per_participant, 0) = 0"""
	)


def after_install() -> None:
	make_standard_service_types()
