// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Resident", {
	refresh(frm) {
		// The masked copies are for readers without access to the personal data (permission level 1).
		frm.toggle_display(["id_number_masked", "mobile_masked"], !frm.perm[1]?.read);
	},
	household(frm) {
		if (!frm.doc.household) frm.set_value("grid", null);
	},
});
