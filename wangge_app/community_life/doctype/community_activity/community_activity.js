// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Community Activity", {
	setup(frm) {
		frm.set_query("space", () => ({ filters: { is_active: 1, bookable_for_activities: 1 } }));
		frm.set_query("member", "volunteers", () => ({ filters: { status: "In Service" } }));
	},
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.docstatus === 0 && frm.doc.status === "Planned") {
			frm.add_custom_button(__("Eligible Residents"), () => show_eligible_residents(frm));
			if (frm.perm[0] && frm.perm[0].write) {
				frm.add_custom_button(__("Call Off"), () =>
					frappe.confirm(__("Call off this activity? Its sign-ups are cancelled."), () =>
						frappe
							.call("wangge_app.community_life.doctype.community_activity.community_activity.call_off", {
								activity: frm.doc.name,
							})
							.then(() => frm.reload_doc())
					)
				);
			}
		}
	},
});

function show_eligible_residents(frm) {
	frappe
		.call("wangge_app.community_life.eligibility.get_eligible_residents", { activity: frm.doc.name })
		.then(({ message }) => {
			const rows = (message || [])
				.map(
					(row) =>
						`<tr><td>${frappe.utils.escape_html(row.full_name)}</td><td>${row.age ?? ""}</td>` +
						`<td>${row.living_alone ? __("Living alone") : ""}</td></tr>`
				)
				.join("");
			frappe.msgprint({
				title: __("Eligible Residents"),
				message: rows
					? `<table class="table table-bordered"><tbody>${rows}</tbody></table>`
					: __("No eligible resident who has not signed up."),
				wide: true,
			});
		});
}
