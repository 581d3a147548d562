from wangge_app.resident_services.install import after_install as make_resident_services_install_data
from wangge_app.workflows import make_workflows


def execute():
	"""Sites installed before residents' requests: their workflow, grades, categories and overdue alert."""
	make_workflows()
	make_resident_services_install_data()
