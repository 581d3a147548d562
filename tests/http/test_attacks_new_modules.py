"""Attacks over HTTP on the paths the Community Life, Safety and Resident Services modules opened or
share with the older ones: a grid worker of grid A, a grid worker with no grid, a community mediator
and a merchant's website user against the records of grid B (the fixtures of tests/http/conftest.py).

Each test fails while the leak is open.
"""

import json
import time

import frappe

from tests.http.two_grids import text
from wangge_app.test_utils import unique_code

RUN_REPORT = "frappe.desk.query_report.run"
# Seconds the database waits when the guess is right: longer than any answer of the served site.
DELAY = 3


def id_number_oracle(resident) -> str:
	"""A report column's "field" that waits DELAY seconds only if the resident's ID number starts as
	guessed: asked digit by digit, the answer's delay spells out the number."""
	return f"sleep({DELAY} * (name = '{resident.name}' and id_number like '{resident.id_number[:10]}%'))"


def timed(call):
	started = time.monotonic()
	response = call()
	return response, time.monotonic() - started


def test_report_columns_of_linked_records_time_any_id_number(site, clients):
	"""query_report.run and export_query add `custom_columns` to any report the user may run (a JSON body
	keeps them a list): for a column with a `link_field` the engine reads its field of every record of
	its DocType with frappe.get_all and puts the field into SQL as given. A grid worker of A (through the
	community activity summary) or a mediator, who reads residents masked (through the case statistics),
	times grid B's resident's ID number."""
	column = {
		"doctype": "Resident",
		"fieldname": id_number_oracle(site.resident_b),
		"link_field": "month",
		"insert_after_index": 0,
	}
	for client, report in (
		(clients.worker, "Community Activity Summary"),
		(clients.mediator, "Dispute Case Statistics"),
	):
		for method, extra in (
			(RUN_REPORT, {}),
			("frappe.desk.query_report.export_query", {"file_format_type": "CSV", "visible_idx": []}),
		):
			response, seconds = timed(
				lambda client=client, report=report, method=method, extra=extra: client.session.post(
					f"{client.base_url}/api/method/{method}",
					json={"report_name": report, "filters": {}, "custom_columns": [column], **extra},
					timeout=60,
				)
			)
			assert seconds < DELAY, f"{method} waited on grid B's ID number ({seconds:.1f} s)"
			assert response.status_code == 403, text(response)[:300]


def test_saved_custom_report_columns_time_any_id_number(site, clients):
	"""query_report.save_report saves a custom report for anyone who may run the report it is based on,
	with the columns given; running it reads them as above."""
	client = clients.worker
	name = unique_code("活动统计自定义")
	column = {
		"doctype": "Resident",
		"fieldname": id_number_oracle(site.resident_b),
		"link_field": "month",
		"insert_after_index": 0,
	}
	saved = client.call(
		"frappe.desk.query_report.save_report",
		reference_report="Community Activity Summary",
		report_name=name,
		columns=json.dumps([column]),
		filters=json.dumps({}),
	)
	assert saved.status_code == 403, text(saved)[:300]
	frappe.db.rollback()
	assert not frappe.db.exists("Report", {"report_name": name})
	response, seconds = timed(lambda: client.call(RUN_REPORT, report_name=name, filters={}))
	assert seconds < DELAY and "sleep" not in text(response)
	frappe.db.delete("Report", {"report_name": name})
	frappe.db.commit()


def test_report_runs_but_refuses_columns_of_the_app_records(site, clients):
	"""The report itself still runs; even a plain field of the app's records is not added to it (the
	engine would read it from every grid)."""
	response = clients.worker.session.post(
		f"{clients.worker.base_url}/api/method/{RUN_REPORT}",
		json={"report_name": "Community Activity Summary", "filters": {}},
		timeout=60,
	)
	assert response.status_code == 200, text(response)[:300]
	refused = clients.worker.session.post(
		f"{clients.worker.base_url}/api/method/{RUN_REPORT}",
		json={
			"report_name": "Community Activity Summary",
			"filters": {},
			"custom_columns": [
				{
					"doctype": "Resident",
					"fieldname": "full_name",
					"link_field": "month",
					"insert_after_index": 0,
				}
			],
		},
		timeout=60,
	)
	assert refused.status_code == 403, text(refused)[:300]
	assert site.resident_b.full_name not in text(refused)
