"""Fill the masked member name (what a merchant may read) on the vouchers written before it existed."""

import frappe

from wangge_app.volunteer.redemption import REDEMPTION, mask_name


def execute():
	for name, member_name in frappe.get_all(
		REDEMPTION,
		filters={"member_name_masked": ("is", "not set")},
		fields=["name", "member_name"],
		as_list=True,
	):
		frappe.db.set_value(
			REDEMPTION, name, "member_name_masked", mask_name(member_name), update_modified=False
		)
