from wangge_app.desk_setup import set_up_desk


def execute():
	set_up_desk()
