// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Resident", {
	household(frm) {
		if (!frm.doc.household) frm.set_value("grid", null);
	},
});
