// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

// The overview's charts (wangge_app/overview.py TRENDS): months and values labelled in the user's
// language, counted within the user's scope.
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Monthly Trend"] = {
	method: "wangge_app.overview.get_trend",
	filters: [],
};
