from wangge_app.volunteer.install import set_max_points_per_participant


def execute():
	set_max_points_per_participant()
