/*
 * weft-view: the timeline viewer. See docs/viewer.md.
 */
#include "weft-application.h"

int main(int argc, char **argv)
{
	g_autoptr(WeftApplication) app = weft_application_new();
	int status = g_application_run(G_APPLICATION(app), argc, argv);

	return status ? status : weft_application_get_exit_status(app);
}
