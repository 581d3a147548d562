"""A Community Manager, who is no System Manager, customises a form in the desk: from the
Household list's menu, with Customize Form's form builder, they rename a field and make another
mandatory, and the Household form shows both."""

import frappe
import pytest
from selenium.webdriver.common.by import By

from tests.browser.desk import committed_value, log_in, open_desk, translated, wait
from wangge_app.test_utils import make_user

MANAGER = "browser-form-manager@example.com"
PASSWORD = "Wangge-Browser-2026"
NEW_LABEL = "楼栋号"


def property_setter(fieldname: str, property: str) -> dict:
	return {"doc_type": "Household", "field_name": fieldname, "property": property}


@pytest.fixture
def manager():
	make_user(MANAGER, ["Community Manager"], first_name="卓玛", language="zh", new_password=PASSWORD)
	frappe.db.commit()
	yield MANAGER
	# Other tests need Household as shipped.
	for fieldname, property in (("building", "label"), ("unit", "reqd")):
		frappe.db.delete("Property Setter", property_setter(fieldname, property))
	frappe.db.commit()
	frappe.clear_cache(doctype="Household")


def builder_field(driver, fieldname: str):
	return driver.find_element(By.CSS_SELECTOR, f'.form-builder-container .field[title="{fieldname}"]')


def sidebar_control(driver, fieldname: str, element: str = "input"):
	return wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(
				By.CSS_SELECTOR,
				f'.form-builder-container .control-data [data-fieldname="{fieldname}"] {element}',
			)
			if e.is_displayed()
		],
	)[0]


def test_community_manager_renames_a_field_and_makes_one_mandatory(driver, base_url, manager, console):
	assert "System Manager" not in frappe.get_roles(manager)
	assert not frappe.get_meta("Household").get_field("unit").reqd
	log_in(driver, base_url, manager, PASSWORD)

	# From the Household list's menu, as a manager finds it.
	customize_label = translated("Customize", context="Button in list view menu")
	open_desk(driver, base_url, "/app/household")
	wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".page-actions .menu-btn-group > button")).click()
	customize = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, ".menu-btn-group .dropdown-item")
			if e.is_displayed() and e.text.split("\n")[0].strip() == customize_label
		],
	)
	customize[0].click()
	wait(
		driver,
		lambda d: d.execute_script(
			"return window.cur_frm && cur_frm.doctype === 'Customize Form'"
			" && cur_frm.doc.doc_type === 'Household' && cur_frm.doc.fields.length > 0"
		),
	)

	form_tab = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, ".form-tabs .nav-link")
			if e.text.strip() in ("Form", translated("Form"))
		],
	)
	form_tab[0].click()

	wait(driver, lambda d: builder_field(d, "unit").is_displayed())
	builder_field(driver, "unit").click()
	mandatory = sidebar_control(driver, "reqd", 'input[type="checkbox"]')
	assert not mandatory.is_selected()
	mandatory.click()

	builder_field(driver, "building").click()
	label = sidebar_control(driver, "label")
	# Shown as the Household form shows it, in the manager's language (wangge_app/customize_form.py).
	wait(driver, lambda d: label.get_attribute("value") == translated("Building", context="Household"))
	label.clear()
	label.send_keys(NEW_LABEL)

	update = wait(
		driver,
		lambda d: [
			e for e in d.find_elements(By.CSS_SELECTOR, ".page-actions .primary-action") if e.is_displayed()
		],
	)
	update[0].click()
	wait(
		driver,
		lambda d: (
			committed_value("Property Setter", property_setter("unit", "reqd"), "value") == "1"
			and committed_value("Property Setter", property_setter("building", "label"), "value") == NEW_LABEL
		),
	)

	# The Household form, reloaded, shows the field renamed and the other one mandatory.
	open_desk(driver, base_url, "/app/household/new")
	driver.refresh()
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '.frappe-control[data-fieldname="unit"]'))
	building_label = driver.find_element(
		By.CSS_SELECTOR, '.frappe-control[data-fieldname="building"] .control-label'
	).text
	unit_label_classes = driver.find_element(
		By.CSS_SELECTOR, '.frappe-control[data-fieldname="unit"] .control-label'
	).get_attribute("class")
	assert building_label == NEW_LABEL
	assert "reqd" in unit_label_classes
