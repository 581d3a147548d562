// Copyright (c) 2026, wangge_app contributors
// For license information, please see license.txt

frappe.ui.form.on("Service Station Log", {
	setup(frm) {
		// Only the services the station offers.
		frm.set_query("service", () => ({
			filters: { name: ["in", frm.offered_services || []] },
		}));
	},
	refresh(frm) {
		frm.trigger("station");
	},
	station(frm) {
		frm.offered_services = [];
		if (!frm.doc.station) return;
		frappe.db.get_doc("Party Mass Service Station", frm.doc.station).then((station) => {
			frm.offered_services = station.services.map((row) => row.service);
		});
	},
});
