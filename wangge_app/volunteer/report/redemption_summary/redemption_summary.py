# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Redeemed vouchers per month, merchant and offer: how many, the points spent and their value in yuan."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from wangge_app.permissions import scope_conditions
from wangge_app.utils.report_filters import checked_filters
from wangge_app.volunteer.redemption import REDEEMED, REDEMPTION


def execute(filters=None):
	filters = checked_filters(filters, dates=("from_date", "to_date"), names=("merchant",))
	return get_columns(), get_data(filters)


def get_columns():
	return [
		{"fieldname": "month", "label": _("Month"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "merchant",
			"label": _("Merchant"),
			"fieldtype": "Link",
			"options": "Partner Merchant",
			"width": 200,
		},
		{
			"fieldname": "offer",
			"label": _("Redemption Offer"),
			"fieldtype": "Link",
			"options": "Redemption Offer",
			"width": 110,
		},
		{"fieldname": "item_name", "label": _("Item"), "fieldtype": "Data", "width": 200},
		{"fieldname": "vouchers", "label": _("Vouchers Redeemed"), "fieldtype": "Int", "width": 110},
		{"fieldname": "points", "label": _("Points Redeemed"), "fieldtype": "Int", "width": 110},
		{"fieldname": "value", "label": _("Value (Yuan)"), "fieldtype": "Currency", "width": 130},
	]


def get_data(filters) -> list[dict]:
	conditions, values = ["status = %(redeemed)s"], {"redeemed": REDEEMED}
	if filters.from_date:
		conditions.append("redeemed_on >= %(from_date)s")
		values["from_date"] = getdate(filters.from_date)
	if filters.to_date:
		conditions.append("redeemed_on < %(to_date)s")
		values["to_date"] = add_days(getdate(filters.to_date), 1)
	if filters.merchant:
		conditions.append("merchant = %(merchant)s")
		values["merchant"] = filters.merchant
	# The vouchers of the members the user may see (a community's staff: their community's).
	if scope := scope_conditions(REDEMPTION):
		conditions.append(scope)
	return frappe.db.sql(
		f"""
		select date_format(redeemed_on, '%%Y-%%m') as month, merchant, offer, item_name,
			count(*) as vouchers, sum(points) as points, sum(market_value) as value
		from `tab{REDEMPTION}`
		where {" and ".join(conditions)}
		group by month, merchant, offer, item_name
		order by month, merchant, offer
		""",
		values,
		as_dict=True,
	)
