// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

const SIGN_UPS = "wangge_app.community_life.sign_ups";

frappe.ui.form.on("Activity Sign-up", {
	setup(frm) {
		frm.set_query("activity", () => ({ filters: { docstatus: 0, status: "Planned" } }));
	},
	refresh(frm) {
		if (frm.is_new() || !frm.perm[0] || !frm.perm[0].write) return;
		const call = (method, args) =>
			frappe.call(`${SIGN_UPS}.${method}`, args).then(() => frm.reload_doc());
		if (frm.doc.status === "Offered") {
			frm.add_custom_button(__("Accept Offered Place"), () => call("accept_offer", { sign_up: frm.doc.name }));
			frm.add_custom_button(__("Decline Offered Place"), () => call("decline_offer", { sign_up: frm.doc.name }));
		}
		if (frm.doc.status === "Signed Up" && !frm.doc.checked_in) {
			frm.add_custom_button(__("Check In"), () =>
				call("check_in", { activity: frm.doc.activity, resident: frm.doc.resident })
			);
		}
		if (["Signed Up", "Waiting", "Offered"].includes(frm.doc.status)) {
			frm.add_custom_button(__("Cancel Sign-up"), () =>
				frappe.confirm(__("Cancel this sign-up? The place goes to the next resident who waits."), () =>
					call("cancel_sign_up", { sign_up: frm.doc.name })
				)
			);
		}
	},
});
