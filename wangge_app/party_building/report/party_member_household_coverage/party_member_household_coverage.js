// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.query_reports["Party Member Household Coverage"] = {
	filters: [
		{
			fieldname: "community",
			label: __("Community"),
			fieldtype: "Link",
			options: "Grid",
			get_query: () => ({ filters: { grid_level: "Community" } }),
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		return data && data.is_total_row ? `<b>${value}</b>` : value;
	},
};
