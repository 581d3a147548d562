# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from wangge_app.permissions import RowOfRecord


class DisputeCaseOverdue(RowOfRecord):
	pass
