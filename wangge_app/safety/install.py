# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Install data of the Safety module: the stock checklists (检查表) and the overdue alert.

Created when missing (on install, and by a patch on sites installed before), never changed
afterwards: a manager may edit a checklist's items, rename it or deactivate it, and updates (`migrate`)
keep those changes. They are not fixtures, which every migrate would import again."""

import frappe

from wangge_app.alerts import make_missed_due_time_notification

# name: (category, [(item, how to check, risk level if failed)])
STOCK_TEMPLATES = {
	"燃气安全检查表": (
		"Gas",
		[
			("燃气软管材质与使用年限", "是否为金属波纹管；橡胶软管是否超过两年、老化龟裂", "Significant"),
			("燃气阀门与自闭阀", "灶前阀、自闭阀是否完好，开关灵活", "Significant"),
			("燃气泄漏检测", "用检漏液检查接口、阀门有无漏气", "Major"),
			("通风条件", "厨房是否通风，燃气设备是否安装在卧室或密闭空间", "General"),
			("燃气报警器", "是否安装可燃气体报警器并能正常报警", "General"),
		],
	),
	"消防安全检查表": (
		"Fire",
		[
			("灭火器配置", "是否配置灭火器，压力是否在绿区、在有效期内", "General"),
			("疏散通道与安全出口", "通道、楼梯、出口是否畅通，无杂物堆放", "Significant"),
			("电动自行车停放充电", "是否在楼道、室内停放或充电，是否飞线充电", "Major"),
			("电气线路", "是否私拉乱接电线，插座是否超负荷", "Significant"),
			("烟感报警器", "经营场所、出租房是否安装独立式烟感报警器", "General"),
		],
	),
	"食品药品安全检查表": (
		"Food and Drugs",
		[
			("证照公示", "营业执照、食品经营许可证是否齐全并公示", "Significant"),
			("从业人员健康证", "从业人员是否持有效健康证明", "General"),
			("食品储存", "生熟分开，冷藏冷冻温度达标，无过期变质食品", "Significant"),
			("餐具消毒", "是否有消毒设施并按要求消毒", "General"),
			("药品经营与储存", "药品来源可追溯，处方药凭处方销售，无过期药品", "Major"),
		],
	),
	"生产安全检查表": (
		"Production Safety",
		[
			("安全管理制度与责任人", "是否明确安全负责人，有安全管理制度", "General"),
			("设备防护", "机械设备防护罩、急停装置是否完好", "Significant"),
			("危险化学品存放", "易燃易爆品是否专库专人管理，数量是否超限", "Major"),
			("三合一场所", "生产、仓储、住宿是否在同一空间", "Major"),
			("员工安全培训", "员工是否接受安全培训，会用消防器材", "General"),
		],
	),
}


def make_stock_inspection_templates() -> None:
	for name, (category, items) in STOCK_TEMPLATES.items():
		if frappe.db.exists("Inspection Template", name):
			continue
		frappe.get_doc(
			{
				"doctype": "Inspection Template",
				"template_name": name,
				"category": category,
				"items": [
					{"item": item, "guidance": guidance, "risk_level": risk_level}
					for item, guidance, risk_level in items
				],
			}
		).insert(ignore_permissions=True)


def after_install() -> None:
	make_stock_inspection_templates()
	make_missed_due_time_notification("Safety Hazard")
