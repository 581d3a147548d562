"""Sites installed before the Safety module get its workflow, its stock checklists and its overdue
alert; only what is missing is created, so nothing a manager has changed is touched."""

from wangge_app.safety.install import after_install as make_safety_install_data
from wangge_app.workflows import make_workflows


def execute():
	make_workflows()
	make_safety_install_data()
