// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("In-service Party Member", {
	refresh(frm) {
		// The masked copies are for readers without access to the personal data (permission level 1).
		frm.toggle_display(["mobile_masked"], !frm.perm[1]?.read);
		if (frm.is_new()) return;
		frm.add_custom_button(__("Points Ledger"), () =>
			frappe.set_route("List", "Volunteer Points Entry", { member: frm.doc.name })
		);
		if (frappe.model.can_create("Points Adjustment")) {
			frm.add_custom_button(__("Points Adjustment"), () =>
				frappe.new_doc("Points Adjustment", { member: frm.doc.name })
			);
		}
	},
});
