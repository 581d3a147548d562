# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, get_datetime, getdate

from wangge_app import workflows as wf
from wangge_app.alerts import MISSED_DUE_TIME_ALERTS
from wangge_app.resident_services.doctype.resident_request.resident_request import (
	DuplicateRequestError,
	chase,
)
from wangge_app.resident_services.test_utils import (
	add_follow_up,
	close_request,
	make_request,
	random_id_number,
	resolve_in_grid,
)
from wangge_app.test_utils import (
	alert_subjects,
	apply_workflow_as,
	make_community_tree,
	make_grid,
	make_household,
	make_partner_department,
	make_resident,
	make_user,
	missed_due_times,
	open_assignees,
	pdf_text,
	render_pdf,
)

WORKER = "rr-worker@example.com"
OTHER_WORKER = "rr-other-worker@example.com"
MANAGER = "rr-manager@example.com"

# Well in the past, at a round hour; the overdue job is then run at chosen times after it.
RECEIVED = datetime.datetime.combine(add_days(getdate(), -60), datetime.time(9, 0))


def after(hours: float = 0, days: float = 0, start=RECEIVED) -> datetime.datetime:
	return add_to_date(get_datetime(start), days=days, hours=hours)


class ResidentRequestTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛")
		make_user(OTHER_WORKER, ["Grid Worker"])
		make_user(MANAGER, ["Community Manager"], first_name="社区 王芳")
		# Assignments and alerts mail their users, and sending mail in a test commits the transaction.
		for user in (WORKER, OTHER_WORKER, MANAGER):
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		cls.household = make_household(cls.micro_grid.name, building="3", unit="2", room="401")
		cls.resident = make_resident(
			cls.household.name, full_name="尼玛卓嘎", mobile="13908905566", id_number=random_id_number()
		)

	def tearDown(self):
		frappe.set_user("Administrator")


class TestResidentRequest(ResidentRequestTestCase):
	def test_new_request_is_received_assigned_and_due(self):
		request = make_request(household=self.household.name, received_at=RECEIVED)
		self.assertTrue(request.name.startswith("诉求-"))
		self.assertEqual(request.workflow_state, wf.RECEIVED)
		# The household decides the grid; its micro-grid has no worker: the grid's worker takes it.
		self.assertEqual(request.grid, self.micro_grid.name)
		self.assertEqual(open_assignees(request), {WORKER})
		self.assertRegex(request.tracking_code, r"^[2-9A-HJKMNP-Z]{10}$")
		# Public facilities are graded Ordinary: contact within 24 hours, visit 2 days, resolve 7 days.
		self.assertEqual(request.grade, "Ordinary")
		self.assertEqual(get_datetime(request.acknowledge_due_by), after(hours=24))
		self.assertEqual(get_datetime(request.visit_due_by), after(days=2))
		self.assertEqual(get_datetime(request.resolve_due_by), after(days=7))
		self.assertIsNone(request.follow_up_due_by)
		self.assertEqual(get_datetime(request.next_due_by), after(hours=24))
		self.assertEqual([row.state for row in request.step_log], [wf.RECEIVED])

	def test_the_requester_brings_household_name_and_phone(self):
		request = make_request(requester=self.resident.name)
		self.assertEqual(request.household, self.household.name)
		self.assertEqual(request.grid, self.micro_grid.name)
		self.assertEqual((request.requester_name, request.requester_phone), ("尼玛卓嘎", "13908905566"))

	def test_time_limits_follow_the_grade(self):
		emergency = make_request(self.grid.name, grade="Emergency", received_at=RECEIVED)
		self.assertEqual(get_datetime(emergency.resolve_due_by), after(hours=2))
		gas = make_request(self.grid.name, category="Water, Power, Gas and Heating", received_at=RECEIVED)
		self.assertEqual((gas.grade, get_datetime(gas.resolve_due_by)), ("Utilities", after(hours=24)))
		# A manager changes a grade's limit: new requests follow it.
		grade = frappe.get_doc("Request Grade", "Complex")
		grade.resolve_within = 20
		grade.save()
		complex_request = make_request(self.grid.name, grade="Complex", received_at=RECEIVED)
		self.assertEqual(get_datetime(complex_request.resolve_due_by), after(days=20))

	def test_whole_path_in_the_grid_is_flagged_from_its_history(self):
		request = make_request(household=self.household.name)
		request = resolve_in_grid(request, WORKER)
		self.assertTrue(request.resolved_in_grid)
		self.assertTrue(request.acknowledged_at and request.visited_at and request.resolved_at)
		# After the resolution the follow-up is due (Ordinary: 3 days).
		self.assertEqual(get_datetime(request.follow_up_due_by), after(days=3, start=request.resolved_at))
		request = close_request(request, WORKER)
		self.assertEqual(request.workflow_state, wf.REQUEST_CLOSED)
		self.assertTrue(request.resolved_in_grid)
		self.assertIsNone(request.next_due_by)
		self.assertEqual(open_assignees(request), set())
		self.assertEqual(
			[row.state for row in request.step_log],
			[
				wf.RECEIVED,
				wf.ACKNOWLEDGED,
				wf.VISITED,
				wf.COORDINATING,
				wf.RESOLVED,
				wf.FOLLOWED_UP,
				wf.REQUEST_CLOSED,
			],
		)

	def test_the_flag_cannot_be_typed_in(self):
		request = make_request(self.grid.name)
		resolve_in_grid(request, WORKER, level="By the Community")
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Resident Request", request.name)
		doc.resolved_in_grid = 1
		doc.save()
		self.assertEqual(frappe.db.get_value("Resident Request", request.name, "resolved_in_grid"), 0)

	def test_a_level_changed_later_does_not_make_it_in_the_grid(self):
		request = make_request(self.grid.name)
		apply_workflow_as(WORKER, request, wf.CONTACT_RESIDENT)
		apply_workflow_as(WORKER, request, wf.RECORD_VISIT)
		apply_workflow_as(WORKER, request, wf.START_COORDINATING, handling_level="By the Community")
		request = apply_workflow_as(
			WORKER, request, wf.RESOLVE_REQUEST, handling_level="In the Grid", resolution="已处理"
		)
		# The history shows the community coordinated it.
		self.assertFalse(request.resolved_in_grid)

	def test_blowing_the_whistle_needs_a_manager_and_a_referral(self):
		police = make_partner_department("城关区公安分局交通警察大队", "Public Security and Traffic Police")
		request = make_request(self.grid.name, category="Traffic and Parking", subject="主干道早晚高峰拥堵")
		apply_workflow_as(WORKER, request, wf.CONTACT_RESIDENT)
		apply_workflow_as(WORKER, request, wf.RECORD_VISIT)
		apply_workflow_as(WORKER, request, wf.START_COORDINATING, handling_level="By the Community")
		# A grid worker is not offered the action.
		with self.assertRaises((WorkflowPermissionError, WorkflowTransitionError)):
			apply_workflow_as(WORKER, request, wf.BLOW_THE_WHISTLE)
		with self.assertRaisesRegex(frappe.ValidationError, "referral"):
			apply_workflow_as(MANAGER, request, wf.BLOW_THE_WHISTLE)
		self.assertEqual(
			frappe.db.get_value("Resident Request", request.name, "workflow_state"), wf.COORDINATING
		)

		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Resident Request", request.name)
		doc.append("referrals", {"department": None, "asked": "改单行道"})
		self.assertRaises(frappe.ValidationError, doc.save)
		doc = frappe.get_doc("Resident Request", request.name)
		doc.append("referrals", {"department": police.name, "asked": "主干道改为单行道，规划停车位"})
		doc.save()
		request = apply_workflow_as(MANAGER, request, wf.BLOW_THE_WHISTLE)
		self.assertEqual((request.whistle_count, request.handling_level), (1, "Referred to a Department"))
		self.assertEqual(request.referrals[0].recorded_by, MANAGER)

		# The department answers; the worker records it and resolves.
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Resident Request", request.name)
		doc.referrals[0].answer = "主干道改为单行，并施划收费停车位。"
		doc.save()
		self.assertEqual(getdate(doc.referrals[0].answered_on), getdate())
		request = apply_workflow_as(
			WORKER, request, wf.RESOLVE_REQUEST, resolution="道路改为单行，第三方公司管理收费停车。"
		)
		self.assertFalse(request.resolved_in_grid)

	def test_forbidden_transitions(self):
		request = make_request(self.grid.name)
		# Straight from received to resolved, to closed, or backwards: not transitions of the workflow.
		for action in (
			wf.RESOLVE_REQUEST,
			wf.CLOSE_REQUEST,
			wf.COMPLETE_FOLLOW_UP,
			wf.REOPEN_REQUEST,
			wf.RECORD_VISIT,
		):
			with self.subTest(action=action), self.assertRaises(WorkflowTransitionError):
				apply_workflow_as(WORKER, request, action)
		# Setting the state by a plain save is refused as well.
		frappe.set_user(WORKER)
		for state in (wf.RESOLVED, wf.REQUEST_CLOSED, wf.FOLLOWED_UP):
			doc = frappe.get_doc("Resident Request", request.name)
			doc.workflow_state = state
			with self.subTest(state=state), self.assertRaises(frappe.ValidationError):
				doc.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Resident Request", request.name, "workflow_state"), wf.RECEIVED)
		# Another grid's worker cannot act on the request at all.
		with self.assertRaises(frappe.PermissionError):
			apply_workflow_as(OTHER_WORKER, request, wf.CONTACT_RESIDENT)

	def test_coordinating_needs_a_level_and_resolving_what_was_done(self):
		request = make_request(self.grid.name)
		apply_workflow_as(WORKER, request, wf.CONTACT_RESIDENT)
		apply_workflow_as(WORKER, request, wf.RECORD_VISIT)
		with self.assertRaisesRegex(frappe.ValidationError, "coordinating"):
			apply_workflow_as(WORKER, request, wf.START_COORDINATING)
		apply_workflow_as(WORKER, request, wf.START_COORDINATING, handling_level="In the Grid")
		with self.assertRaisesRegex(frappe.ValidationError, "what was done"):
			apply_workflow_as(WORKER, request, wf.RESOLVE_REQUEST)

	def test_follow_up_before_resolution_and_closing_without_follow_up_are_refused(self):
		request = make_request(self.grid.name)
		apply_workflow_as(WORKER, request, wf.CONTACT_RESIDENT)
		with self.assertRaisesRegex(frappe.ValidationError, "resolved"):
			add_follow_up(request, WORKER)
		self.assertEqual(frappe.get_doc("Resident Request", request.name).follow_ups, [])
		apply_workflow_as(WORKER, request, wf.RECORD_VISIT)
		apply_workflow_as(WORKER, request, wf.START_COORDINATING, handling_level="In the Grid")
		apply_workflow_as(WORKER, request, wf.RESOLVE_REQUEST, resolution="已修好")
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, request, wf.CLOSE_REQUEST)
		with self.assertRaisesRegex(frappe.ValidationError, "follow-up"):
			apply_workflow_as(WORKER, request, wf.COMPLETE_FOLLOW_UP)
		# A follow-up that did not reach the resident is not valid.
		add_follow_up(request, WORKER, satisfaction=None, reached=0)
		with self.assertRaisesRegex(frappe.ValidationError, "follow-up"):
			apply_workflow_as(WORKER, request, wf.COMPLETE_FOLLOW_UP)
		add_follow_up(request, WORKER)
		request = apply_workflow_as(WORKER, request, wf.COMPLETE_FOLLOW_UP)
		self.assertEqual(request.satisfaction, "Satisfied")

	def test_a_resident_not_satisfied_reopens_the_request(self):
		request = make_request(self.grid.name, received_at=RECEIVED)
		request = resolve_in_grid(request, WORKER)
		first_resolution = request.resolved_at
		add_follow_up(request, WORKER, "Not Satisfied", remarks="灯又坏了")
		request = apply_workflow_as(WORKER, request, wf.COMPLETE_FOLLOW_UP)
		# Closing is not offered; reopening is.
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, request, wf.CLOSE_REQUEST)
		request = apply_workflow_as(WORKER, request, wf.REOPEN_REQUEST)
		self.assertEqual(request.workflow_state, wf.COORDINATING)
		self.assertEqual(request.reopen_count, 1)
		self.assertIsNone(request.resolved_at)
		self.assertFalse(request.resolved_in_grid)
		# The resolution is due again, 7 days from the reopening.
		self.assertEqual(get_datetime(request.resolve_due_by), after(days=7, start=request.reopened_at))
		self.assertGreater(get_datetime(request.resolve_due_by), get_datetime(first_resolution))

		request = apply_workflow_as(WORKER, request, wf.RESOLVE_REQUEST, resolution="更换了整条线路。")
		# The earlier, dissatisfied follow-up does not count for this resolution.
		with self.assertRaisesRegex(frappe.ValidationError, "follow-up"):
			apply_workflow_as(WORKER, request, wf.COMPLETE_FOLLOW_UP)
		request = close_request(request, WORKER, "Basically Satisfied")
		self.assertEqual(
			(request.workflow_state, request.satisfaction), (wf.REQUEST_CLOSED, "Basically Satisfied")
		)
		self.assertTrue(request.resolved_in_grid)

	def test_the_same_submission_never_makes_a_second_request(self):
		first = make_request(self.grid.name, submission_key="form-7f3a9c")
		count = frappe.db.count("Resident Request")
		with self.assertRaises(DuplicateRequestError):
			make_request(self.grid.name, submission_key="form-7f3a9c")
		self.assertEqual(frappe.db.count("Resident Request"), count)
		self.assertTrue(first.tracking_code)

	def test_bad_input_is_refused_and_nothing_saved(self):
		count = frappe.db.count("Resident Request")
		for fields, message in (
			({"description": "   "}, "required"),
			({"description": "灯" * 100_000}, "too long"),
			({"description": "<script>alert(1)</script>"}, "plain text"),
			({"subject": "<img src=x onerror=alert(2)>"}, "plain text"),
			({"requester_name": "<b>次仁</b>"}, "plain text"),
			({"requester_phone": "12345"}, "mobile"),
			({"category": "No Such Category"}, ""),
		):
			with self.subTest(fields=list(fields)), self.assertRaisesRegex(frappe.ValidationError, message):
				make_request(self.grid.name, **fields)
		self.assertEqual(frappe.db.count("Resident Request"), count)

	def test_chasing_notifies_the_assignee(self):
		request = make_request(household=self.household.name)
		frappe.set_user(MANAGER)
		self.assertEqual(chase(request.name, "居民第三次来电"), 1)
		frappe.set_user("Administrator")
		alerts = frappe.get_all(
			"Notification Log",
			{
				"document_type": "Resident Request",
				"document_name": request.name,
				"for_user": WORKER,
				"type": "Alert",
			},
			pluck="subject",
		)
		self.assertEqual(len(alerts), 1)
		self.assertIn(request.name, alerts[0])
		request.reload()
		self.assertEqual((request.chase_count, request.chases[0].chased_by), (1, MANAGER))
		# Another grid's worker cannot chase it, nor can markup be sent.
		frappe.set_user(OTHER_WORKER)
		self.assertRaises(frappe.PermissionError, chase, request.name)
		frappe.set_user(MANAGER)
		self.assertRaises(frappe.ValidationError, chase, request.name, "<script>x</script>")


class TestOverdueRequests(ResidentRequestTestCase):
	def test_each_missed_limit_is_alerted_once(self):
		self.assertTrue(
			frappe.db.exists("Notification", MISSED_DUE_TIME_ALERTS["Resident Request"].notification)
		)
		request = make_request(self.grid.name, received_at=RECEIVED)
		# Ordinary: contact within 24 hours.
		self.assertEqual(missed_due_times(request, after(hours=23)), [])
		self.assertEqual(missed_due_times(request, after(hours=25)), ["Contact the Resident"])
		self.assertEqual(missed_due_times(request, after(hours=26)), [])
		self.assertEqual(len(alert_subjects(request, WORKER)), 1)
		self.assertIn(request.name, alert_subjects(request, WORKER)[0])
		request.reload()
		self.assertTrue(request.is_overdue)
		self.assertEqual(
			[(row.target, get_datetime(row.due_at), row.notified_users) for row in request.overdue_log],
			[("Contact the Resident", after(hours=24), WORKER)],
		)
		# Contacted late; the visit (2 days) and resolution (7 days) limits run on.
		apply_workflow_as(WORKER, request, wf.CONTACT_RESIDENT)
		self.assertEqual(missed_due_times(request, after(days=2, hours=1)), ["Visit the Household"])
		self.assertEqual(missed_due_times(request, after(days=7, hours=1)), ["Resolve the Request"])
		self.assertEqual(missed_due_times(request, after(days=8)), [])
		self.assertEqual(len(alert_subjects(request, WORKER)), 3)

	def test_a_reopened_request_is_alerted_again_for_its_new_limit(self):
		request = make_request(self.grid.name, received_at=RECEIVED)
		request = resolve_in_grid(request, WORKER)
		add_follow_up(request, WORKER, "Not Satisfied")
		apply_workflow_as(WORKER, request, wf.COMPLETE_FOLLOW_UP)
		request = apply_workflow_as(WORKER, request, wf.REOPEN_REQUEST)
		self.assertEqual(missed_due_times(request, after(days=6, start=request.reopened_at)), [])
		self.assertEqual(
			missed_due_times(request, after(days=7, hours=1, start=request.reopened_at)),
			["Resolve the Request"],
		)

	def test_closed_requests_are_not_checked(self):
		request = make_request(self.grid.name, received_at=RECEIVED)
		frappe.db.set_value("Resident Request", request.name, "workflow_state", wf.REQUEST_CLOSED)
		self.assertEqual(missed_due_times(request, after(days=100)), [])


class TestReferralLetter(ResidentRequestTestCase):
	def referred_request(self):
		police = make_partner_department("城关区公安分局交通警察大队", "Public Security and Traffic Police")
		request = make_request(self.grid.name, category="Traffic and Parking", subject="主干道拥堵")
		request.description = "主干道双向通行，早晚高峰拥堵，没有停车位。"
		request.append(
			"referrals", {"department": police.name, "asked": "研究将主干道改为单行道并规划停车位"}
		)
		request.save()
		return request

	def test_referral_letter_html_in_chinese_and_tibetan(self):
		request = self.referred_request()
		html = frappe.get_print("Resident Request", request.name, "Referral Letter")
		for text in (
			"转办单",
			"城关区公安分局交通警察大队",
			"研究将主干道改为单行道并规划停车位",
			request.name,
			"交通停车",
		):
			self.assertIn(text, html)
		self.assertIn("ལས་དོན་སྤོ་སྐྱེལ་ཡིག་ཆ།", html)  # Referral Letter
		# No personal data of the requester goes to the department.
		self.assertNotIn("13908905566", html)

	def test_referral_letter_pdf_text_in_chinese_and_tibetan(self):
		request = self.referred_request()
		text = pdf_text(render_pdf("Resident Request", request.name, "Referral Letter"))
		self.assertIn("转办单", text)
		self.assertIn("城关区公安分局交通警察大队", text)
		self.assertIn("ལས་དོན་སྤོ་སྐྱེལ་ཡིག་ཆ།", text)
		self.assertIn("སྤོ་སྐྱེལ་ཚེས་གྲངས།", text)  # Referred On

	def test_referral_letter_prints_values_as_text(self):
		request = self.referred_request()
		hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
		doc = frappe.get_doc("Resident Request", request.name)
		doc.description = hostile + "[description]"
		doc.referrals[0].asked = hostile + "[asked]"
		doc.referrals[0].answer = hostile + "[answer]"
		frappe.db.set_value("Grid", self.community.name, "grid_name", hostile + "[community]")
		html = frappe.get_print("Resident Request", doc.name, "Referral Letter", doc=doc)
		escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
		for tag in ("description", "asked", "answer", "community"):
			self.assertIn(f"{escaped}[{tag}]", html)
		self.assertNotIn("<script>alert", html)
		self.assertNotIn("<img src=x", html)
