"""Read and prepare sites of the bench for the tests in tests/bench, one process per site.

Run with the bench's Python from its sites folder (see conftest.run_site_tool), so that the app is
imported as the command line imports it (the upgrade test points PYTHONPATH at an older app):

    python tests/bench/site_tools.py SITE snapshot            print the site's contents as JSON
    python tests/bench/site_tools.py SITE add-private-file    attach a private file to a Grid
    python tests/bench/site_tools.py SITE contact-card-address    a contact card's QR address

It imports nothing from the app when it starts: the same script reads a site of any version of it
(contact-card-address, for the current app's demo, looks the app up when it runs).
"""

import hashlib
import json
import os
import sys

import frappe

PRIVATE_FILE_NAME = "grid-contacts.txt"
PRIVATE_FILE_CONTENT = "网格员联系表：一网格 卓玛 13908907788\n".encode()


def snapshot() -> dict:
	"""Row counts of every DocType with a table, the points ledger and the private files."""
	doctypes = frappe.get_all(
		"DocType", filters={"issingle": 0, "is_virtual": 0}, fields=["name", "module"], order_by="name"
	)
	counts = {}
	for doctype in doctypes:
		if frappe.db.table_exists(doctype.name):
			counts[doctype.name] = frappe.db.count(doctype.name)
	app_modules = frappe.get_all("Module Def", filters={"app_name": "wangge_app"}, pluck="name")
	ledger = frappe.db.sql(
		"select member, sum(points) from `tabVolunteer Points Entry` group by member order by member"
	)
	kept = frappe.get_all(
		"In-service Party Member", fields=["name", "points_balance"], order_by="name", as_list=True
	)
	private_files = {}
	for file in frappe.get_all(
		"File", filters={"is_private": 1, "is_folder": 0}, fields=["name", "file_url"]
	):
		path = frappe.utils.get_files_path(file.file_url.rsplit("/", 1)[-1], is_private=True)
		private_files[file.file_url] = (
			hashlib.sha256(open(path, "rb").read()).hexdigest() if os.path.exists(path) else None
		)
	return {
		"counts": counts,
		"app_doctypes": sorted(d.name for d in doctypes if d.module in app_modules),
		"ledger_total": float(sum(points for _, points in ledger)),
		"ledger_by_member": {member: float(points) for member, points in ledger},
		"kept_balances": {member: float(balance) for member, balance in kept},
		"private_files": private_files,
	}


def add_private_file() -> dict:
	"""A private attachment on a Grid (private files are backed up apart from the database)."""
	grid = frappe.get_all("Grid", order_by="lft", limit=1, pluck="name")[0]
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": PRIVATE_FILE_NAME,
			"is_private": 1,
			"attached_to_doctype": "Grid",
			"attached_to_name": grid,
			"content": PRIVATE_FILE_CONTENT,
		}
	).insert(ignore_permissions=True)
	frappe.db.commit()
	return {"file_url": file.file_url, "sha256": hashlib.sha256(PRIVATE_FILE_CONTENT).hexdigest()}


def contact_card_address() -> dict:
	"""The address a household's contact card's QR code holds (the journeys' resident scans it): the
	card's token is signed with the site's key, so only the site can tell it."""
	household = frappe.get_all("Household", order_by="name", limit=1, pluck="name")[0]
	active_token = frappe.get_attr(
		"wangge_app.resident_services.doctype.contact_card_token.contact_card_token.active_token"
	)
	address = active_token(household).request_url()
	frappe.db.commit()  # a card issued just now
	return {"household": household, "address": address}


COMMANDS = {
	"snapshot": snapshot,
	"add-private-file": add_private_file,
	"contact-card-address": contact_card_address,
}


def main() -> None:
	site, command = sys.argv[1:3]
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		print(json.dumps(COMMANDS[command](), ensure_ascii=False, sort_keys=True))
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
