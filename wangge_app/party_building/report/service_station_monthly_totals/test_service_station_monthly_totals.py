# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import make_service_station, make_station_log, unique_code


class TestServiceStationMonthlyTotals(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# Rows come in order of month, station and service; 北 sorts before 南.
		cls.north = make_service_station(
			["Drinking Water", "Reading"], station_name=unique_code("北区V站")
		).name
		cls.south = make_service_station(["Phone Charging"], station_name=unique_code("南区V站")).name
		# Past dates: a service log cannot be written ahead of time.
		for station, date, service, visitor_type, people in (
			(cls.north, "2025-12-31", "Drinking Water", "Resident", 9),
			(cls.north, "2026-01-05", "Drinking Water", "Resident", 3),
			(cls.north, "2026-01-20", "Drinking Water", "Passer-by or Tourist", 2),
			(cls.north, "2026-01-21", "Reading", "Resident", 4),
			(cls.north, "2026-02-01", "Drinking Water", "Resident", 5),
			(cls.south, "2026-02-03", "Phone Charging", "Passer-by or Tourist", 7),
			(cls.south, "2026-02-28", "Phone Charging", "Resident", 1),
		):
			make_station_log(station, service, people, log_date=date, visitor_type=visitor_type)

	def totals(self, **filters):
		filters = {"from_date": "2026-01-01", "to_date": "2026-02-28", **filters}
		rows = run("Service Station Monthly Totals", filters=filters)["result"]
		own = [row for row in rows[:-1] if row["station"] in (self.north, self.south)]
		return own, rows[-1]

	def test_monthly_totals_per_station_and_service(self):
		rows, _ = self.totals()
		self.assertEqual(
			[
				(
					row["month"],
					row["station"],
					row["service"],
					row["residents"],
					row["passers_by"],
					row["total"],
				)
				for row in rows
			],
			[
				("2026-01", self.north, "Drinking Water", 3, 2, 5),
				("2026-01", self.north, "Reading", 4, 0, 4),
				("2026-02", self.north, "Drinking Water", 5, 0, 5),
				("2026-02", self.south, "Phone Charging", 1, 7, 8),
			],
		)

	def test_total_row_for_one_station(self):
		rows, total = self.totals(station=self.north)
		self.assertEqual(len(rows), 3)
		# The totals row Frappe adds: residents, passers-by and all people of the period.
		self.assertEqual(total[3:6], [12.0, 2.0, 14.0])
