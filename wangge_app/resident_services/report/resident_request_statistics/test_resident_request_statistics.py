# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from wangge_app import workflows as wf
from wangge_app.resident_services.report.resident_request_statistics.resident_request_statistics import (
	execute,
	get_in_grid_rate_this_year,
)
from wangge_app.resident_services.test_utils import add_follow_up, make_request, resolve_in_grid
from wangge_app.test_utils import apply_workflow_as, make_grid, make_user

WORKER_A = "rs-worker-a@example.com"
WORKER_B = "rs-worker-b@example.com"


class TestResidentRequestStatistics(FrappeTestCase):
	"""A known data set: in grid A four requests, in grid B one."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user in (WORKER_A, WORKER_B):
			make_user(user, ["Grid Worker"])
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community = make_grid("Community")
		cls.grid_a = make_grid("Grid", cls.community.name, workers=[WORKER_A])
		cls.grid_b = make_grid("Grid", cls.community.name, workers=[WORKER_B])
		a, b = cls.grid_a.name, cls.grid_b.name
		# 1: in the grid, closed; the resident was contacted, says it is resolved, satisfied.
		r1 = resolve_in_grid(make_request(a, category="Public Facilities"), WORKER_A)
		add_follow_up(r1, WORKER_A, "Satisfied", contacted=1, resolved=1)
		apply_workflow_as(WORKER_A, r1, wf.COMPLETE_FOLLOW_UP)
		apply_workflow_as(WORKER_A, r1, wf.CLOSE_REQUEST)
		# 2: coordinated by the community; contacted, not resolved in the resident's eyes, basically satisfied.
		r2 = resolve_in_grid(
			make_request(a, category="Traffic and Parking"), WORKER_A, level="By the Community"
		)
		add_follow_up(r2, WORKER_A, "Basically Satisfied", contacted=1, resolved=0)
		# 3: in the grid; a follow-up that did not reach the resident, then one: not contacted, resolved,
		# not satisfied. Only the valid one counts.
		r3 = resolve_in_grid(make_request(a, category="Public Facilities"), WORKER_A)
		add_follow_up(r3, WORKER_A, None, reached=0)
		add_follow_up(r3, WORKER_A, "Not Satisfied", contacted=0, resolved=1)
		# 4: still open.
		make_request(a, category="Neighbours")
		# 5: grid B, in the grid but late: received 60 days ago, ordinary requests are resolved in 7 days.
		received = datetime.datetime.combine(add_days(getdate(), -60), datetime.time(9))
		r5 = resolve_in_grid(make_request(b, category="Public Facilities", received_at=received), WORKER_B)
		add_follow_up(r5, WORKER_B, "Satisfied", contacted=1, resolved=1)
		cls.requests = [r1.name, r2.name, r3.name, r5.name]

	def tearDown(self):
		frappe.set_user("Administrator")

	def rows(self, **filters):
		_columns, data, _message, _chart, summary = execute({"grid": self.community.name, **filters})
		return data, {row["label"]: row["value"] for row in summary}

	def test_figures_per_grid_with_the_three_rates(self):
		data, summary = self.rows(group_by="Grid")
		groups = {row["group_value"]: row for row in data if row["indent"] == 0}
		a, b = groups[self.grid_a.name], groups[self.grid_b.name]
		self.assertEqual((a["requests"], a["resolved"], a["resolved_in_grid"]), (4, 3, 2))
		self.assertEqual((a["in_grid_share"], a["on_time_share"]), (66.7, 100.0))
		self.assertEqual(a["valid_follow_ups"], 3)
		# 响应率 2 of 3 contacted; 解决率 2 of 3 resolved; 满意率 (1 + 0.9 × 1) ÷ 3.
		self.assertEqual(
			(a["response_rate"], a["resolution_rate"], a["satisfaction_rate"]), (66.7, 66.7, 63.3)
		)
		self.assertEqual((b["requests"], b["in_grid_share"], b["on_time_share"]), (1, 100.0, 0.0))
		self.assertEqual(
			(b["response_rate"], b["resolution_rate"], b["satisfaction_rate"]), (100.0, 100.0, 100.0)
		)
		# The whole community: 3 of 4 resolved in the grid, 3 of 4 on time; (2 + 0.9) ÷ 4 satisfied.
		self.assertEqual(summary[frappe._("In-grid Share (%)")], 75.0)
		self.assertEqual(summary[frappe._("On-time Share (%)")], 75.0)
		self.assertEqual(summary[frappe._("Response Rate (%)")], 75.0)
		self.assertEqual(summary[frappe._("Resolution Rate (%)")], 75.0)
		self.assertEqual(summary[frappe._("Satisfaction Rate (%)")], 72.5)

	def test_each_group_drills_down_to_its_requests(self):
		data, _summary = self.rows(group_by="Category")
		facilities = next(
			index for index, row in enumerate(data) if row.get("group_value") == "Public Facilities"
		)
		self.assertEqual(data[facilities]["requests"], 3)
		children = []
		for row in data[facilities + 1 :]:
			if row["indent"] == 0:
				break
			children.append(row)
		self.assertEqual(len(children), 3)
		self.assertTrue(all(row["request"] and row["requests"] == 1 for row in children))
		self.assertEqual(
			sum(row["resolved_in_grid"] for row in children), data[facilities]["resolved_in_grid"]
		)

	def test_by_community_and_month(self):
		data, _summary = self.rows(group_by="Community")
		self.assertEqual([row["requests"] for row in data if row["indent"] == 0], [5])
		data, _summary = self.rows(group_by="Month")
		months = {row["group_value"]: row["requests"] for row in data if row["indent"] == 0}
		self.assertEqual(sum(months.values()), 5)
		self.assertEqual(months[now_datetime().strftime("%Y-%m")], 4)

	def test_a_grid_worker_sees_their_grids_figures(self):
		frappe.set_user(WORKER_B)
		data, summary = self.rows(group_by="Grid")
		self.assertEqual({row["group_value"] for row in data if row["indent"] == 0}, {self.grid_b.name})
		self.assertEqual(summary[frappe._("Requests")], 1)

	def test_in_grid_number_card(self):
		frappe.set_user(WORKER_A)
		# Grid A's resolved requests this year: two of three in the grid.
		self.assertEqual(get_in_grid_rate_this_year()["value"], 66.7)
