frappe.treeview_settings["Grid"] = {
	breadcrumb: "Grid",
	title: __("Grid"),
	get_tree_nodes: "wangge_app.grid.doctype.grid.grid.get_children",
	fields: [
		{ fieldtype: "Data", fieldname: "grid_name", label: __("Grid Name"), reqd: true },
		{ fieldtype: "Data", fieldname: "grid_code", label: __("Grid Code"), reqd: true },
		{
			fieldtype: "Select",
			fieldname: "grid_level",
			label: __("Level"),
			options: "District\nSub-district\nCommunity\nGrid\nMicro-grid",
			reqd: true,
		},
	],
	ignore_fields: ["parent_grid"],
};
