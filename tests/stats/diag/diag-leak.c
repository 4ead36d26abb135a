/*
 * Planted problem: a leak from one call site. Every request allocates a
 * session record in remember_session() that nobody frees; the response
 * buffer from build_response() is freed; load_config() keeps one block
 * for the whole run. Expected: remember_session is the first row of
 * `weft stats --section leaks`.
 */
#include "diag-common.h"

#include <string.h>

#define REQUESTS 2000

static char *volatile published; /* keeps GCC from deleting malloc/free pairs */
static char *config;

static char *load_config(void)
{
	char *c = malloc(4096);

	memset(c, 'c', 4096);
	return c;
}

static char *remember_session(int id)
{
	char *s = malloc(256);

	snprintf(s, 256, "session-%d", id);
	return s;
}

static char *build_response(int id)
{
	char *r = malloc(1024);

	snprintf(r, 1024, "response-%d", id);
	return r;
}

static void serve(int id)
{
	char *session = remember_session(id);
	char *response = build_response(id);

	published = session; /* then forgotten: the leak */
	published = response;
	free(published);
}

int main(void)
{
	config = load_config();
	for (int i = 0; i < REQUESTS; i++) {
		serve(i);
	}
	printf("config %c\n", config[0]);
	return 0;
}
