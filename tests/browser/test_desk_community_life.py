"""Community life in the desk: a member of staff opens the space booking calendar, sees the art
troupe's evenings, drags over a free evening slot of the dance room's day and books it; the booking
is saved for that slot and shows in the calendar. A slot over the troupe's evening is refused."""

import datetime

import frappe
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.desk import log_in, open_desk, translated, wait
from wangge_app.community_life.test_utils import make_booking, make_space
from wangge_app.test_utils import make_user, unique_code

MANAGER = "browser-life-manager@example.com"
PASSWORD = "Wangge-Browser-2026"


def next_weekday(day: datetime.date, weekday: int) -> datetime.date:
	return day + datetime.timedelta(days=(weekday - day.weekday()) % 7 or 7)


@pytest.fixture(scope="module")
def dance_room():
	make_user(MANAGER, ["Community Manager"], language="zh", new_password=PASSWORD)
	space = make_space(unique_code("舞蹈室"), opening_time="08:00:00", closing_time="21:30:00")
	# Next week's Tuesday (the calendar opens on this week and goes one week on).
	today = datetime.date.today()
	monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=7)
	tuesday, wednesday = monday + datetime.timedelta(days=1), monday + datetime.timedelta(days=2)
	troupe = make_booking(
		space.name,
		datetime.datetime.combine(tuesday, datetime.time(19)),
		datetime.datetime.combine(tuesday, datetime.time(21)),
		purpose="老年艺术团排练",
	)
	frappe.db.commit()
	yield frappe._dict(space=space.name, tuesday=tuesday, wednesday=wednesday, troupe=troupe.name)
	frappe.db.rollback()
	bookings = frappe.get_all("Space Booking", {"space": space.name}, pluck="name")
	frappe.db.delete("Space Booking Occurrence", {"parent": ("in", bookings or [""])})
	frappe.db.delete("Space Booking", {"space": space.name})
	frappe.db.delete("Community Space", {"name": space.name})
	frappe.db.commit()


def open_calendar_next_week(driver, base_url):
	open_desk(driver, base_url, "/app/space-booking/view/calendar/default")
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".fc-agendaWeek-view .fc-slats"))
	driver.find_element(By.CSS_SELECTOR, ".fc-next-button").click()
	wait(driver, lambda d: driver.execute_script("return $.active === 0"))


def slot_point(driver, day: datetime.date, time: str) -> tuple[int, int]:
	"""The viewport point of a day's time slot in the week view."""
	return driver.execute_script(
		"""
		const row = document.querySelector(`.fc-slats tr[data-time="${arguments[1]}"]`);
		row.scrollIntoView({block: "center"});
		const column = document.querySelector(`.fc-bg td.fc-day[data-date="${arguments[0]}"]`);
		const r = row.getBoundingClientRect(), c = column.getBoundingClientRect();
		return [Math.round(c.left + c.width / 2), Math.round(r.top + r.height / 2)];
		""",
		str(day),
		time,
	)


def drag_over(driver, day: datetime.date, first: str, last: str):
	x, y1 = slot_point(driver, day, first)
	_x, y2 = slot_point(driver, day, last)
	actions = ActionBuilder(driver)
	actions.pointer_action.move_to_location(x, y1).pointer_down()
	actions.pointer_action.move_to_location(x, (y1 + y2) // 2).move_to_location(x, y2).pointer_up()
	actions.perform()


def fill_and_save(driver, space: str, purpose: str):
	wait(driver, lambda d: "/app/space-booking/new" in d.current_url)
	space_input = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, 'input[data-fieldname="space"]'))
	wait(driver, lambda d: space_input.is_displayed())
	space_input.send_keys(space)
	option = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, '.awesomplete [role="option"]')
			if e.is_displayed() and space in e.text
		],
	)
	option[0].click()
	purpose_input = driver.find_element(By.CSS_SELECTOR, 'input[data-fieldname="purpose"]')
	purpose_input.click()
	purpose_input.send_keys(purpose)
	ActionChains(driver).key_down(Keys.CONTROL).send_keys("s").key_up(Keys.CONTROL).perform()


def test_staff_books_the_dance_room_in_the_calendar(driver, base_url, dance_room, console):
	log_in(driver, base_url, MANAGER, PASSWORD)
	open_calendar_next_week(driver, base_url)
	wait(
		driver,
		lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".fc-event") if "老年艺术团排练" in e.text],
	)
	drag_over(driver, dance_room.wednesday, "19:00:00", "20:00:00")
	fill_and_save(driver, dance_room.space, "锅庄培训")

	def booked(_):
		frappe.db.rollback()  # a fresh snapshot, to see the server's commit
		return frappe.db.get_value(
			"Space Booking", {"space": dance_room.space, "purpose": "锅庄培训"}, ["start_time", "end_time"]
		)

	start, end = wait(driver, booked)
	assert (start, end) == (
		datetime.datetime.combine(dance_room.wednesday, datetime.time(19)),
		datetime.datetime.combine(dance_room.wednesday, datetime.time(20, 30)),
	)
	open_calendar_next_week(driver, base_url)
	wait(driver, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".fc-event") if "锅庄培训" in e.text])


def test_a_slot_over_the_troupe_evening_is_refused(driver, base_url, dance_room):
	# (No console check: the browser logs the refused save's 417 answer as an error.)
	log_in(driver, base_url, MANAGER, PASSWORD)
	open_calendar_next_week(driver, base_url)
	# From the free hour before it into the troupe's evening (a drag that starts on an event moves it).
	drag_over(driver, dance_room.tuesday, "18:00:00", "19:00:00")
	fill_and_save(driver, dance_room.space, "电影放映")
	title = translated("Space Already Booked")
	wait(
		driver,
		lambda d: [
			e for e in d.find_elements(By.CSS_SELECTOR, ".modal.show .modal-title") if title in e.text
		],
	)
	frappe.db.rollback()
	assert not frappe.db.exists("Space Booking", {"space": dance_room.space, "purpose": "电影放映"})
	troupe = frappe.get_doc("Space Booking", dance_room.troupe)
	assert [(row.start_time.hour, row.end_time.hour, row.moved) for row in troupe.occurrences] == [
		(19, 21, 0)
	]


def test_the_workspace_shows_its_number_cards_and_calendars(driver, base_url, dance_room, console):
	log_in(driver, base_url, MANAGER, PASSWORD)
	open_desk(driver, base_url, "/app/community-life")
	names = [translated(name) for name in ("Activities This Month", "Sign-ups This Month", "Bookable Spaces")]

	def cards_loaded(d):
		text = " ".join(e.text for e in d.find_elements(By.CSS_SELECTOR, ".widget.number-widget-box"))
		return all(name in text for name in names)

	wait(driver, cards_loaded)
	shortcut = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, ".shortcut-widget-box")
			if translated("Space Booking Calendar") in e.text
		],
	)
	shortcut[0].click()
	wait(driver, lambda d: "/app/space-booking/view/calendar" in d.current_url)
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".fc-agendaWeek-view"))
