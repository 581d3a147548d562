// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Safety Inspection Coverage"] = {
	filters: [
		{
			fieldname: "grid",
			label: __("Grid"),
			fieldtype: "Link",
			options: "Grid",
		},
		{
			fieldname: "from_date",
			label: __("Due From"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("Due To"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), 1),
		},
	],
};
