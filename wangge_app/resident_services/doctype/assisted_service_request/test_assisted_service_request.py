# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.model.workflow import WorkflowTransitionError
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from wangge_app import workflows as wf
from wangge_app.resident_services.test_utils import random_id_number
from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_grid,
	make_household,
	make_resident,
	make_user,
	pdf_text,
	render_pdf,
)

WORKER = "as-worker@example.com"
OTHER_WORKER = "as-other-worker@example.com"


def make_service_request(resident: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Assisted Service Request",
			"resident": resident,
			"service_type": fields.pop("service_type", "Pension Eligibility Certification"),
			"mode": fields.pop("mode", "At Home"),
			**fields,
		}
	).insert()


def edit(doc, user: str, **changes):
	caller = frappe.session.user
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Assisted Service Request", doc.name)
		doc.update(changes)
		doc.save()
		return doc
	finally:
		frappe.set_user(caller)


def log_document(doc, user: str, document: str, action: str):
	caller = frappe.session.user
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Assisted Service Request", doc.name)
		doc.append("custody_log", {"document": document, "action": action})
		doc.save()
		return doc
	finally:
		frappe.set_user(caller)


class TestAssistedServiceRequest(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛")
		make_user(OTHER_WORKER, ["Grid Worker"])
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		cls.household = make_household(cls.micro_grid.name, building="2", room="101")
		cls.elder = make_resident(
			cls.household.name,
			full_name="格桑老人",
			id_number=random_id_number(datetime.date(1940, 3, 2)),
		)
		cls.son_id = random_id_number()

	def tearDown(self):
		frappe.set_user("Administrator")

	def authorise(self, request):
		edit(
			request,
			WORKER,
			authoriser_name="格桑老人",
			authoriser_id_number=self.son_id,
			authorisation_scope="代为办理养老金资格认证",
			authorised_on=getdate(),
		)
		return apply_workflow_as(WORKER, request, wf.RECORD_AUTHORISATION)

	def test_a_service_for_an_elderly_resident_through_its_workflow(self):
		frappe.set_user(WORKER)
		request = make_service_request(self.elder.name)
		self.assertEqual(
			(request.workflow_state, request.grid, request.resident_group, request.resident_name),
			(wf.SERVICE_REQUESTED, self.micro_grid.name, "Elderly", "格桑老人"),
		)
		frappe.set_user("Administrator")
		request = self.authorise(request)
		self.assertEqual((request.agent, request.due_date), (WORKER, add_days(getdate(), 7)))
		request = apply_workflow_as(WORKER, request, wf.START_SERVICE)
		request = log_document(request, WORKER, "身份证", "Taken")
		self.assertEqual(request.documents_out, "身份证")
		self.assertEqual(request.custody_log[0].handled_by, WORKER)
		# Completing with the ID card still out is refused.
		edit(request, WORKER, result="认证已通过")
		with self.assertRaisesRegex(frappe.ValidationError, "身份证"):
			apply_workflow_as(WORKER, request, wf.COMPLETE_SERVICE)
		request = log_document(request, WORKER, "身份证", "Returned")
		self.assertFalse(request.documents_out)
		request = apply_workflow_as(WORKER, request, wf.COMPLETE_SERVICE)
		self.assertTrue(request.completed_on)
		with self.assertRaisesRegex(frappe.ValidationError, "follow-up"):
			apply_workflow_as(WORKER, request, wf.CLOSE_SERVICE)
		edit(request, WORKER, follow_up="老人表示满意")
		request = apply_workflow_as(WORKER, request, wf.CLOSE_SERVICE)
		self.assertEqual(request.workflow_state, wf.SERVICE_CLOSED)

	def test_forbidden_transitions(self):
		request = make_service_request(self.elder.name)
		for action in (wf.START_SERVICE, wf.COMPLETE_SERVICE, wf.CLOSE_SERVICE):
			with self.subTest(action=action), self.assertRaises(WorkflowTransitionError):
				apply_workflow_as(WORKER, request, action)
		# The authorisation needs the authoriser, a valid ID number, the scope and the date.
		with self.assertRaisesRegex(frappe.ValidationError, "authorisation"):
			apply_workflow_as(WORKER, request, wf.RECORD_AUTHORISATION)
		self.assertRaises(
			frappe.ValidationError, edit, request, WORKER, authoriser_id_number="540102194003021234"
		)
		request = self.authorise(request)
		request = apply_workflow_as(WORKER, request, wf.START_SERVICE)
		# A service in progress cannot be cancelled (documents may be out), nor closed before completion.
		for action in (wf.CANCEL_SERVICE, wf.CLOSE_SERVICE, wf.RECORD_AUTHORISATION):
			with self.subTest(action=action), self.assertRaises(WorkflowTransitionError):
				apply_workflow_as(WORKER, request, action)
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Assisted Service Request", request.name)
		doc.workflow_state = wf.SERVICE_CLOSED
		self.assertRaises(frappe.ValidationError, doc.save)
		# Another grid's worker cannot act on it.
		with self.assertRaises(frappe.PermissionError):
			apply_workflow_as(OTHER_WORKER, request, wf.COMPLETE_SERVICE)

	def test_the_custody_log(self):
		request = make_service_request(
			self.elder.name, mode="Errand", service_type="Old-age Allowance Application"
		)
		# Before the written authorisation nothing is taken.
		with self.assertRaisesRegex(frappe.ValidationError, "authorisation"):
			log_document(request, WORKER, "户口簿", "Taken")
		request = self.authorise(request)
		# Returning a document that was never taken is refused, and nothing is saved.
		with self.assertRaisesRegex(frappe.ValidationError, "never taken"):
			log_document(request, WORKER, "银行卡", "Returned")
		self.assertEqual(frappe.get_doc("Assisted Service Request", request.name).custody_log, [])
		request = log_document(request, WORKER, "户口簿", "Taken")
		request = log_document(request, WORKER, "银行卡", "Taken")
		request = log_document(request, WORKER, "户口簿", "Returned")
		with self.assertRaisesRegex(frappe.ValidationError, "never taken"):
			log_document(request, WORKER, "户口簿", "Returned")
		self.assertEqual(request.documents_out, "银行卡")
		# A logged row cannot be changed or removed.
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Assisted Service Request", request.name)
		doc.custody_log[0].action = "Returned"
		self.assertRaises(frappe.ValidationError, doc.save)
		doc = frappe.get_doc("Assisted Service Request", request.name)
		doc.custody_log = doc.custody_log[1:]
		self.assertRaises(frappe.ValidationError, doc.save)
		frappe.set_user("Administrator")
		self.assertEqual(len(frappe.get_doc("Assisted Service Request", request.name).custody_log), 3)

	def test_bad_input_is_refused(self):
		count = frappe.db.count("Assisted Service Request")
		for fields in (
			{"service_type": "No Such Service"},
			{"mode": "Teleport"},
			{"authorisation_scope": "<script>alert(1)</script>"},
			{"authoriser_id_number": "123"},
		):
			with self.subTest(fields=fields), self.assertRaises(frappe.ValidationError):
				make_service_request(self.elder.name, **fields)
		self.assertEqual(frappe.db.count("Assisted Service Request"), count)

	def service_done(self, resident: str | None = None):
		request = make_service_request(resident or self.elder.name)
		request = self.authorise(request)
		request = apply_workflow_as(WORKER, request, wf.START_SERVICE)
		request = log_document(request, WORKER, "社会保障卡", "Taken")
		request = log_document(request, WORKER, "社会保障卡", "Returned")
		edit(request, WORKER, result="资格认证已通过")
		return apply_workflow_as(WORKER, request, wf.COMPLETE_SERVICE)

	def test_written_authorisation_in_chinese_and_tibetan(self):
		request = self.service_done()
		html = frappe.get_print("Assisted Service Request", request.name, "Written Authorisation")
		for text in (
			"代办委托书",
			"格桑老人",
			self.son_id,
			"养老金资格认证",
			"身份证",
			"代为办理养老金资格认证",
		):
			self.assertIn(text, html)
		self.assertIn("ཞུ་ཡིག", html)  # Written Authorisation: the Tibetan title
		text = pdf_text(render_pdf("Assisted Service Request", request.name, "Written Authorisation"))
		for expected in ("代办委托书", "格桑老人", self.son_id, "ལས་ཚབ་དབང་སྤྲོད་ཞུ་ཡིག"):
			self.assertIn(expected, text)

	def test_receipt_in_chinese_and_tibetan(self):
		request = self.service_done()
		html = frappe.get_print("Assisted Service Request", request.name, "Assisted Service Receipt")
		for text in ("帮办代办回执", "社会保障卡", "已取走", "已归还", "资格认证已通过"):
			self.assertIn(text, html)
		# The receipt goes to the resident's family: no ID number on it.
		self.assertNotIn(self.son_id, html)
		text = pdf_text(render_pdf("Assisted Service Request", request.name, "Assisted Service Receipt"))
		for expected in ("帮办代办回执", "社会保障卡", "ཞབས་ཞུའི་ལག་ཁྱེར།"):
			self.assertIn(expected, text)

	def test_statistics_by_service_and_resident_group(self):
		from wangge_app.resident_services.report.assisted_service_statistics.assisted_service_statistics import (
			execute,
		)

		micro_grid = make_grid("Micro-grid", self.grid.name)
		# Frappe caches each user's permitted grids with their sub-grids; this one is new.
		frappe.clear_cache(user=WORKER)
		elder = make_resident(
			make_household(micro_grid.name).name,
			full_name="次旦老人",
			id_number=random_id_number(datetime.date(1938, 5, 6)),
		)
		self.service_done(elder.name)
		make_service_request(elder.name, service_type="Medical Insurance Payment")
		_columns, data = execute({"group_by": "Resident Category", "grid": micro_grid.name})
		elderly = next(row for row in data if row["group_value"] == "Elderly")
		self.assertEqual((elderly["services"], elderly["completed"], elderly["on_time_share"]), (2, 1, 100.0))
		_columns, data = execute({"group_by": "Service", "grid": micro_grid.name})
		self.assertEqual(
			{row["group_value"]: row["services"] for row in data},
			{"Pension Eligibility Certification": 1, "Medical Insurance Payment": 1},
		)
		frappe.set_user(OTHER_WORKER)
		self.assertEqual(
			sum(row["services"] for row in execute({"group_by": "Service", "grid": micro_grid.name})[1]),
			0,
		)
