from wangge_app.volunteer.install import make_standard_service_types


def execute():
	make_standard_service_types()
