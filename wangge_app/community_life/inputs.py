# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Arguments of the module's whitelisted methods, checked before use: a wrong type or text gets a clear
message that does not repeat it (rather than the engine's parser error, or its echo of the text)."""

import datetime
import json
import re

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def name_argument(value, label: str) -> str:
	if not isinstance(value, str) or not value or len(value) > 140:
		frappe.throw(_("Choose the {0}.").format(_(label)))
	return value


def date_argument(value) -> datetime.date:
	if isinstance(value, datetime.date):
		return getdate(value)
	if not isinstance(value, str) or not DATE.fullmatch(value.strip()):
		frappe.throw(_("Give a date as YYYY-MM-DD."))
	return getdate(value.strip())


def datetime_argument(value) -> datetime.datetime:
	if isinstance(value, datetime.datetime):
		return value
	if not isinstance(value, str) or not DATETIME.fullmatch(value.strip()):
		frappe.throw(_("Give a time as YYYY-MM-DD HH:MM."))
	try:
		return get_datetime(value.strip())
	except Exception:
		frappe.throw(_("Give a time as YYYY-MM-DD HH:MM."))


def filters_argument(value) -> list:
	"""Calendar filters as the desk sends them: a list of [DocType, field, operator, value] (or without
	the DocType); anything else is refused."""
	if isinstance(value, str):
		try:
			value = json.loads(value) if value.strip() else []
		except ValueError:
			value = None
	if not value and value is not None:
		return []
	if not isinstance(value, list) or not all(valid_filter(row) for row in value):
		frappe.throw(_("Give each filter as a field, an operator and a value."))
	return value


def valid_filter(row) -> bool:
	if not isinstance(row, list) or len(row) not in (3, 4, 5):
		return False
	names = row[:2] if len(row) == 3 else row[:3]
	return all(isinstance(part, str) for part in names)
