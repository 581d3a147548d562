# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The departments the sample community works with (协办单位): where its dispute cases are
referred, and where residents' requests and safety hazards go that the community cannot settle.
Draws nothing from the PersonFactory, so adding it changed none of the other sample data."""

import frappe

# (name, type, what it handles)
DEPARTMENTS = (
	("城关区人民法院", "Court or Arbitration", "民事诉讼、司法确认"),
	("城关区劳动人事争议仲裁委员会", "Court or Arbitration", "劳动争议仲裁"),
	("城关区住房和城乡建设局", "Government Department", "住房、物业管理监督"),
	("城关区市场监督管理局", "Market Supervision", "消费纠纷、食品药品安全"),
	("城关区公安分局交通警察大队", "Public Security and Traffic Police", "道路交通、停车秩序"),
	("城关区城市管理和综合执法局", "Urban Management", "市容环境、占道经营、违章搭建"),
	("城关区消防救援大队", "Fire and Rescue", "消防安全检查、火灾隐患整改"),
	("拉萨市燃气公司", "Utility Company", "燃气管道、燃气表、燃气安全"),
	("国网拉萨供电公司", "Utility Company", "供电、线路"),
	("拉萨市自来水公司", "Utility Company", "供水、排水管网"),
	("幸福小区物业服务中心", "Property Management Company", "小区公共设施维修、保洁、停车管理"),
)


def make_partner_departments(factory=None) -> list[str]:
	for name, department_type, handles in DEPARTMENTS:
		if not frappe.db.exists("Partner Department", name):
			frappe.get_doc(
				{
					"doctype": "Partner Department",
					"department_name": name,
					"department_type": department_type,
					"handles": handles,
				}
			).insert()
	return [name for name, _, _ in DEPARTMENTS]
