/*
 * weft record - run a program under a new LTTng session and keep its trace.
 *
 * Everything goes through liblttng-ctl (no `lttng` child process) and the
 * events are counted with libbabeltrace2. The program is resolved and the
 * output folder checked before any session exists, so a failing command
 * leaves nothing behind. The command line is weft-record-options.c;
 * docs/record.md is the manual.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <babeltrace2/babeltrace.h>
#include <lttng/lttng.h>

#include "weft-cli.h"
#include "weft-record-private.h"

#define WEFT_RECORD_CHANNEL "weft"
#define WEFT_LTTNG_WRAPPER_DIR "/usr/lib/x86_64-linux-gnu"

/* Exit codes of weft's own failures; otherwise the program's status. */
enum weft_record_exit {
	WEFT_RECORD_EXIT_USAGE = 2,
	WEFT_RECORD_EXIT_FAILURE = 125,
	WEFT_RECORD_EXIT_NOEXEC = 126,
	WEFT_RECORD_EXIT_NOTFOUND = 127,
};

struct weft_record {
	struct weft_record_opts opts;
	char program[PATH_MAX];     /* the resolved executable */
	char trace_dir[PATH_MAX];   /* absolute */
	char created_top[PATH_MAX]; /* topmost folder we created ("": none) */
	bool output_ready;          /* trace_dir was checked: new, or existing and empty */
	char session[LTTNG_NAME_MAX];
	bool session_created;
	pid_t child;
	uint64_t discarded;
};

static volatile pid_t weft_record_child;
static volatile sig_atomic_t weft_record_early_signal;
static const int weft_record_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define WEFT_RECORD_NSIGNALS (sizeof(weft_record_signals) / sizeof(weft_record_signals[0]))
static bool weft_record_handled[WEFT_RECORD_NSIGNALS];

static void fail(const char *what, const char *path, const char *reason)
{
	if (path) {
		fprintf(stderr, "weft record: %s: path=\"%s\", reason=\"%s\"\n", what, path,
		        reason);
	} else {
		fprintf(stderr, "weft record: %s: %s\n", what, reason);
	}
}

/* ---- The program ---- */

static int check_executable(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		return errno;
	}
	if (!S_ISREG(st.st_mode)) {
		return EACCES;
	}
	return access(path, X_OK) ? errno : 0;
}

/* Resolves `prog` the way execvp does; returns 0 or an errno value. */
static int resolve_program(const char *prog, char *out, size_t len)
{
	const char *path = getenv("PATH");
	int err = ENOENT;

	if (strchr(prog, '/')) {
		if (snprintf(out, len, "%s", prog) >= (int) len) {
			return ENAMETOOLONG;
		}
		return check_executable(out);
	}
	if (!path) {
		path = "/usr/local/bin:/usr/bin:/bin";
	}
	while (*path) {
		size_t n = strcspn(path, ":");
		int r;

		if (n == 0) {
			r = snprintf(out, len, "%s", prog);
		} else {
			r = snprintf(out, len, "%.*s/%s", (int) n, path, prog);
		}
		if (r > 0 && r < (int) len) {
			int e = check_executable(out);
			if (e == 0) {
				return 0;
			}
			if (e == EACCES) {
				err = EACCES; /* remember, as execvp does, but keep looking */
			}
		}
		path += n;
		if (*path == ':') {
			path++;
		}
	}
	return err;
}

/* True when `path` is an ELF executable without an interpreter (static). */
static bool is_static_elf(const char *path)
{
	unsigned char ident[EI_NIDENT];
	bool is_static = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		return false;
	}
	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t) sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) || ident[EI_CLASS] != ELFCLASS64) {
		goto end;
	}
	Elf64_Ehdr eh;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t) sizeof(eh) ||
	    eh.e_phentsize != sizeof(Elf64_Phdr)) {
		goto end;
	}
	is_static = true;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		off_t off = (off_t) (eh.e_phoff + (uint64_t) i * sizeof(ph));

		if (pread(fd, &ph, sizeof(ph), off) != (ssize_t) sizeof(ph)) {
			is_static = false;
			break;
		}
		if (ph.p_type == PT_INTERP) {
			is_static = false;
			break;
		}
	}
end:
	close(fd);
	return is_static;
}

/* ---- LD_PRELOAD and the runtime's settings ---- */

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * Finds libweft-preload.so: $WEFT_PRELOAD_LIB, the build tree, the libdir
 * beside this executable's bindir (an install moved or unpacked elsewhere),
 * WEFT_LIBDIR.
 */
static int find_preload_lib(char *out, size_t len)
{
	const char *env = getenv("WEFT_PRELOAD_LIB");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		if (!file_exists(env) || !realpath(env, out)) {
			fail("cannot use WEFT_PRELOAD_LIB", env, "no such file");
			return -1;
		}
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		const char *rel[] = {"../../instrument/preload", WEFT_BIN_TO_LIBDIR};
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
		}
		for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			char cand[PATH_MAX + 64];

			if (!*rel[i]) {
				continue;
			}
			snprintf(cand, sizeof(cand), "%s/%s/libweft-preload.so", exe, rel[i]);
			if (file_exists(cand) && realpath(cand, out)) {
				return 0;
			}
		}
	}
	if (snprintf(out, len, "%s/libweft-preload.so", WEFT_LIBDIR) < (int) len &&
	    file_exists(out)) {
		return 0;
	}
	fail("cannot find the preload runtime", WEFT_LIBDIR "/libweft-preload.so",
	     "not installed and not in the build tree; set WEFT_PRELOAD_LIB");
	return -1;
}

/*
 * Asks the dynamic loader whether the program starts with the environment
 * prepare_environment() made (LD_PRELOAD included): the program is exec'd
 * in a child with LD_TRACE_LOADED_OBJECTS, which is what ldd does, so none
 * of its code runs. Returns 0 when it loads; otherwise 1 with the loader's
 * first complaint ("libweft.so.0 => not found") in why.
 */
static int check_loader(const struct weft_record *rec, char *why, size_t len)
{
	char buf[16384];
	size_t used = 0;
	int fds[2], wstatus, ret = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fds)) {
		return 0; /* cannot ask: the program's own start will tell */
	}
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, STDIN_FILENO);
		dup2(fds[1], STDOUT_FILENO);
		dup2(fds[1], STDERR_FILENO);
		setenv("LD_TRACE_LOADED_OBJECTS", "1", 1);
		execv(rec->program, rec->opts.argv);
		_exit(WEFT_RECORD_EXIT_NOEXEC);
	}
	close(fds[1]);
	while (pid > 0 && used < sizeof(buf) - 1 &&
	       ((n = read(fds[0], buf + used, sizeof(buf) - 1 - used)) > 0 ||
	        (n < 0 && errno == EINTR))) {
		used += n > 0 ? (size_t) n : 0;
	}
	close(fds[0]);
	buf[used] = '\0';
	while (pid > 0 && waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
	}
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		line += strspn(line, " \t");
		if (strstr(line, "=> not found") || strstr(line, "cannot be preloaded") ||
		    strstr(line, "error while loading")) {
			snprintf(why, len, "%s", line);
			ret = 1;
			break;
		}
	}
	return ret;
}

/* Says what the loader said and how to fix it (one line). */
static void report_loader(const char *why)
{
	fprintf(stderr,
	        "weft record: the dynamic loader cannot start the program with the preload "
	        "runtime: %s (install weft with 'meson install', or set LD_LIBRARY_PATH to "
	        "the folder holding the missing library)\n",
	        why);
}

static int append_preload(const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	char *value;
	int ret;

	if (!old || !*old) {
		return setenv("LD_PRELOAD", lib, 1);
	}
	if (asprintf(&value, "%s:%s", old, lib) < 0) {
		return -1;
	}
	ret = setenv("LD_PRELOAD", value, 1);
	free(value);
	return ret;
}

/* Sets the child's environment (inherited through fork). */
static int prepare_environment(const struct weft_record *rec)
{
	const struct weft_record_opts *o = &rec->opts;
	char lib[PATH_MAX];

	if (o->preload) {
		if (find_preload_lib(lib, sizeof(lib)) || append_preload(lib)) {
			return -1;
		}
		if (weft_record_set_runtime_env(o)) {
			return -1;
		}
	}
	if (o->lttng_wrappers) {
		static const char *const wrappers[] = {
		    WEFT_LTTNG_WRAPPER_DIR "/liblttng-ust-libc-wrapper.so",
		    WEFT_LTTNG_WRAPPER_DIR "/liblttng-ust-pthread-wrapper.so",
		};
		for (size_t i = 0; i < 2; i++) {
			if (!file_exists(wrappers[i])) {
				fail("cannot find lttng-ust's wrapper", wrappers[i],
				     "install liblttng-ust-dev (or liblttng-ust1)");
				return -1;
			}
			if (append_preload(wrappers[i])) {
				return -1;
			}
		}
	}
	return 0;
}

/* ---- The output folder ---- */

static bool is_trace_entry(const char *name)
{
	return !strcmp(name, "metadata") || !strcmp(name, "ust") || !strcmp(name, "kernel") ||
	       !strcmp(name, "index");
}

/* 0: empty; 1: holds a trace; 2: holds something else; -1: cannot read. */
static int dir_contents(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int state = 0;
	DIR *d;
	struct dirent *e;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			continue;
		}
		if (is_trace_entry(e->d_name)) {
			state = 1;
			break;
		}
		state = 2;
	}
	closedir(d);
	return state;
}

/* Creates `path` and missing parents; remembers the topmost one created. */
static int make_dirs(struct weft_record *rec, const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int) sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1;; p++) {
		if (*p != '/' && *p != '\0') {
			continue;
		}
		char saved = *p;
		*p = '\0';
		if (mkdir(buf, 0755) == 0) {
			if (!rec->created_top[0]) {
				snprintf(rec->created_top, sizeof(rec->created_top), "%s", buf);
			}
		} else if (errno != EEXIST) {
			return -1;
		}
		*p = saved;
		if (saved == '\0') {
			break;
		}
	}
	return 0;
}

static int check_writable(const char *dir)
{
	char probe[PATH_MAX + 32];
	int fd;

	snprintf(probe, sizeof(probe), "%s/.weft-write-test-XXXXXX", dir);
	fd = mkstemp(probe);
	if (fd < 0) {
		return -1;
	}
	close(fd);
	unlink(probe);
	return 0;
}

static int absolute_path(const char *path, char *out, size_t len)
{
	char cwd[PATH_MAX];

	size_t n;

	if (path[0] == '/') {
		n = (size_t) snprintf(out, len, "%s", path);
	} else if (!getcwd(cwd, sizeof(cwd))) {
		return -1;
	} else {
		n = (size_t) snprintf(out, len, "%s/%s", cwd, path);
	}
	if (n >= len) {
		return -1;
	}
	while (n > 1 && out[n - 1] == '/') {
		out[--n] = '\0';
	}
	return 0;
}

static int prepare_given_dir(struct weft_record *rec)
{
	const char *dir = rec->trace_dir;
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			fail("cannot write the trace", dir, "exists and is not a folder");
			return -1;
		}
		switch (dir_contents(dir)) {
		case 0:
			return 0;
		case 1:
			fail("refusing to overwrite", dir, "the folder already holds a trace");
			return -1;
		case 2:
			fail("refusing to write the trace", dir, "the folder is not empty");
			return -1;
		default:
			fail("cannot write the trace", dir, strerror(errno));
			return -1;
		}
	}
	if (errno != ENOENT || make_dirs(rec, dir)) {
		fail("cannot create the output folder", dir, strerror(errno));
		return -1;
	}
	return 0;
}

/* ./weft-trace-PROGRAM-YYYYMMDD-HHMMSS, with -2, -3... if that exists. */
static int make_default_dir(struct weft_record *rec, const char *base)
{
	char cwd[PATH_MAX], stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!getcwd(cwd, sizeof(cwd))) {
		fail("cannot create the output folder", ".", strerror(errno));
		return -1;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int i = 1; i < 100; i++) {
		int n = i == 1 ? snprintf(rec->trace_dir, sizeof(rec->trace_dir),
		                          "%s/weft-trace-%s-%s", cwd, base, stamp)
		               : snprintf(rec->trace_dir, sizeof(rec->trace_dir),
		                          "%s/weft-trace-%s-%s-%d", cwd, base, stamp, i);
		if (n >= (int) sizeof(rec->trace_dir)) {
			fail("cannot create the output folder", cwd, "path too long");
			return -1;
		}
		if (mkdir(rec->trace_dir, 0755) == 0) {
			snprintf(rec->created_top, sizeof(rec->created_top), "%s", rec->trace_dir);
			return 0;
		}
		if (errno != EEXIST) {
			fail("cannot create the output folder", rec->trace_dir, strerror(errno));
			return -1;
		}
	}
	fail("cannot create the output folder", rec->trace_dir, "too many folders of that name");
	return -1;
}

static int prepare_output(struct weft_record *rec, const char *base)
{
	if (rec->opts.out_dir) {
		if (absolute_path(rec->opts.out_dir, rec->trace_dir, sizeof(rec->trace_dir))) {
			fail("cannot write the trace", rec->opts.out_dir, "path too long");
			return -1;
		}
		if (prepare_given_dir(rec)) {
			return -1;
		}
	} else if (make_default_dir(rec, base)) {
		return -1;
	}
	rec->output_ready = true;
	if (check_writable(rec->trace_dir)) {
		fail("cannot write the trace", rec->trace_dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void) st;
	(void) flag;
	if (ftw->level > 0) {
		remove(path);
	}
	return 0;
}

static int remove_empty_dir(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void) st;
	if (ftw->level > 0 && flag == FTW_DP) {
		rmdir(path); /* fails, harmlessly, on a folder that holds anything */
	}
	return 0;
}

/* Removes trace_dir and the folders above it that we made, if empty. */
static void remove_created_dirs(struct weft_record *rec)
{
	char path[PATH_MAX];
	size_t top;

	/* rmdir removes only empty folders, and only those we made. */
	if (!rec->created_top[0]) {
		return;
	}
	snprintf(path, sizeof(path), "%s", rec->trace_dir);
	top = strlen(rec->created_top);
	while (strlen(path) >= top) {
		char *slash;

		rmdir(path);
		slash = strrchr(path, '/');
		if (!slash || slash == path) {
			break;
		}
		*slash = '\0';
	}
}

/*
 * Undoes prepare_output: empties trace_dir, which was new or empty, and
 * removes the folders we made. Never touches a folder that was refused.
 */
static void remove_output(struct weft_record *rec)
{
	if (rec->output_ready) {
		nftw(rec->trace_dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	remove_created_dirs(rec);
}

/*
 * After a session that recorded nothing: removes the empty folders the
 * session daemon left in trace_dir (never a file), then trace_dir and its
 * parents if we made them. Returns true when trace_dir is gone.
 */
static bool remove_empty_output(struct weft_record *rec)
{
	struct stat st;

	if (!rec->output_ready) {
		return false;
	}
	nftw(rec->trace_dir, remove_empty_dir, 16, FTW_DEPTH | FTW_PHYS);
	remove_created_dirs(rec);
	return lstat(rec->trace_dir, &st) != 0 && errno == ENOENT;
}

/* ---- The session ---- */

static void lttng_fail(const char *what, int ret)
{
	fprintf(stderr, "weft record: %s: %s\n", what, lttng_strerror(ret));
}

static int enable_events(struct lttng_handle *h, bool wrappers)
{
	/* lttng_ust_lib: the 2.12+ load/unload events the debug-info filter reads. */
	static const char *const always[] = {"weft:*", "lttng_ust_statedump:*", "lttng_ust_dl:*",
	                                     "lttng_ust_lib:*", NULL};
	static const char *const wrapped[] = {"lttng_ust_libc:*", "lttng_ust_pthread:*", NULL};
	const char *const *lists[] = {always, wrappers ? wrapped : NULL};

	for (size_t l = 0; l < 2 && lists[l]; l++) {
		for (size_t i = 0; lists[l][i]; i++) {
			struct lttng_event *ev = lttng_event_create();
			int ret;

			if (!ev) {
				return -LTTNG_ERR_NOMEM;
			}
			ev->type = LTTNG_EVENT_TRACEPOINT;
			ev->loglevel_type = LTTNG_EVENT_LOGLEVEL_ALL;
			ev->loglevel = -1;
			snprintf(ev->name, sizeof(ev->name), "%s", lists[l][i]);
			ret = lttng_enable_event_with_exclusions(h, ev, WEFT_RECORD_CHANNEL, NULL,
			                                         0, NULL);
			lttng_event_destroy(ev);
			if (ret < 0) {
				return ret;
			}
		}
	}
	return 0;
}

static int add_contexts(struct lttng_handle *h)
{
	static const enum lttng_event_context_type types[] = {
	    LTTNG_EVENT_CONTEXT_VPID, LTTNG_EVENT_CONTEXT_VTID, LTTNG_EVENT_CONTEXT_PROCNAME,
	    LTTNG_EVENT_CONTEXT_IP};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct lttng_event_context ctx;
		int ret;

		memset(&ctx, 0, sizeof(ctx));
		ctx.ctx = types[i];
		ret = lttng_add_context(h, &ctx, NULL, WEFT_RECORD_CHANNEL);
		if (ret < 0) {
			return ret;
		}
	}
	return 0;
}

/* The channel's size: --subbuf-size, --num-subbuf (weft-record-attach.c). */
static int enable_channel(struct lttng_handle *h, struct lttng_domain *dom,
                          const struct weft_record_opts *o)
{
	struct lttng_channel *chan = lttng_channel_create(dom);
	int ret;

	if (!chan) {
		return -LTTNG_ERR_NOMEM;
	}
	snprintf(chan->name, sizeof(chan->name), "%s", WEFT_RECORD_CHANNEL);
	chan->attr.overwrite = 0;
	chan->attr.subbuf_size = o->subbuf_bytes;
	chan->attr.num_subbuf = o->subbuf_count;
	ret = lttng_enable_channel(h, chan);
	lttng_channel_destroy(chan);
	return ret;
}

static int configure_session(struct weft_record *rec)
{
	struct lttng_domain dom;
	struct lttng_handle *h;
	int ret;

	memset(&dom, 0, sizeof(dom));
	dom.type = LTTNG_DOMAIN_UST;
	dom.buf_type = rec->opts.per_pid_buffers ? LTTNG_BUFFER_PER_PID : LTTNG_BUFFER_PER_UID;
	h = lttng_create_handle(rec->session, &dom);
	if (!h) {
		fprintf(stderr, "weft record: cannot configure the session: out of memory\n");
		return -1;
	}
	ret = enable_channel(h, &dom, &rec->opts);
	if (ret < 0) {
		lttng_fail("cannot create the channel", ret);
		goto end;
	}
	ret = enable_events(h, rec->opts.lttng_wrappers);
	if (ret < 0) {
		lttng_fail("cannot enable the events", ret);
		goto end;
	}
	ret = add_contexts(h);
	if (ret < 0) {
		lttng_fail("cannot add the contexts", ret);
	}
end:
	lttng_destroy_handle(h);
	return ret < 0 ? -1 : 0;
}

static int create_session(struct weft_record *rec)
{
	char url[PATH_MAX + 16];
	int ret;

	snprintf(url, sizeof(url), "file://%s", rec->trace_dir);
	ret = lttng_create_session(rec->session, url);
	if (ret == -LTTNG_ERR_EXIST_SESS) {
		fprintf(stderr,
		        "weft record: a session named \"%s\" already exists (choose another with "
		        "--name)\n",
		        rec->session);
		return -1;
	}
	if (ret < 0) {
		lttng_fail("cannot create the session", ret);
		return -1;
	}
	rec->session_created = true;
	if (configure_session(rec)) {
		return -1;
	}
	if (rec->opts.attach_pid && weft_record_track_pid(rec->session, rec->opts.attach_pid)) {
		return -1;
	}
	ret = lttng_start_tracing(rec->session);
	if (ret < 0) {
		lttng_fail("cannot start the session", ret);
		return -1;
	}
	return 0;
}

static void read_discarded(struct weft_record *rec)
{
	struct lttng_domain dom;
	struct lttng_handle *h;
	struct lttng_channel *chans = NULL;
	int n;

	memset(&dom, 0, sizeof(dom));
	dom.type = LTTNG_DOMAIN_UST;
	dom.buf_type = rec->opts.per_pid_buffers ? LTTNG_BUFFER_PER_PID : LTTNG_BUFFER_PER_UID;
	h = lttng_create_handle(rec->session, &dom);
	if (!h) {
		return;
	}
	n = lttng_list_channels(h, &chans);
	for (int i = 0; i < n; i++) {
		uint64_t d = 0;

		if (lttng_channel_get_discarded_event_count(&chans[i], &d) == 0) {
			rec->discarded += d;
		}
	}
	free(chans);
	lttng_destroy_handle(h);
}

/* Stops (waiting for the data), reads the discarded count, destroys. */
static void finish_session(struct weft_record *rec)
{
	int ret = lttng_stop_tracing(rec->session);

	if (ret < 0 && ret != -LTTNG_ERR_TRACE_ALREADY_STOPPED) {
		lttng_fail("warning: cannot stop the session", ret);
	}
	read_discarded(rec);
	ret = lttng_destroy_session(rec->session);
	if (ret < 0) {
		lttng_fail("warning: cannot destroy the session", ret);
	}
	rec->session_created = false;
}

/* ---- Counting the events with libbabeltrace2 ---- */

struct weft_count {
	uint64_t events;
	uint64_t own; /* events whose vpid is the program's */
	int64_t vpid;
};

static int64_t event_vpid(const bt_message *msg)
{
	const bt_event *ev = bt_message_event_borrow_event_const(msg);
	const bt_field *ctx = bt_event_borrow_common_context_field_const(ev);
	const bt_field *f;

	if (!ctx) {
		return -1;
	}
	f = bt_field_structure_borrow_member_field_by_name_const(ctx, "vpid");
	if (!f) {
		return -1;
	}
	if (bt_field_get_class_type(f) == BT_FIELD_CLASS_TYPE_SIGNED_INTEGER) {
		return bt_field_integer_signed_get_value(f);
	}
	if (bt_field_get_class_type(f) == BT_FIELD_CLASS_TYPE_UNSIGNED_INTEGER) {
		return (int64_t) bt_field_integer_unsigned_get_value(f);
	}
	return -1;
}

static bt_graph_simple_sink_component_consume_func_status count_consume(bt_message_iterator *it,
                                                                        void *data)
{
	struct weft_count *count = data;
	bt_message_array_const msgs;
	uint64_t n = 0;

	switch (bt_message_iterator_next(it, &msgs, &n)) {
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_OK:
		break;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_END:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_END;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_AGAIN:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_AGAIN;
	case BT_MESSAGE_ITERATOR_NEXT_STATUS_MEMORY_ERROR:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_MEMORY_ERROR;
	default:
		return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_ERROR;
	}
	for (uint64_t i = 0; i < n; i++) {
		if (bt_message_get_type(msgs[i]) == BT_MESSAGE_TYPE_EVENT) {
			count->events++;
			if (event_vpid(msgs[i]) == count->vpid) {
				count->own++;
			}
		}
		bt_message_put_ref(msgs[i]);
	}
	return BT_GRAPH_SIMPLE_SINK_COMPONENT_CONSUME_FUNC_STATUS_OK;
}

/* The first cause of the current babeltrace2 error, into `buf`. */
static void take_bt_error(char *buf, size_t len, const char *fallback)
{
	const bt_error *err = bt_current_thread_take_error();

	snprintf(buf, len, "%s", fallback);
	if (err) {
		if (bt_error_get_cause_count(err) > 0) {
			const bt_error_cause *cause = bt_error_borrow_cause_by_index(err, 0);
			snprintf(buf, len, "%s", bt_error_cause_get_message(cause));
		}
		bt_error_release(err);
	}
}

/* nftw has no user data: the array being filled by collect_trace_dir. */
static bt_value *weft_record_inputs;

/* Each folder holding a `metadata` file is a CTF trace (per-UID: one per ABI and
 * user; per-PID: one per process). */
static int collect_trace_dir(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	char dir[PATH_MAX];

	(void) st;
	if (flag != FTW_F || strcmp(path + ftw->base, "metadata") || ftw->base < 1 ||
	    ftw->base > (int) sizeof(dir)) {
		return 0;
	}
	snprintf(dir, sizeof(dir), "%.*s", ftw->base - 1, path);
	return bt_value_array_append_string_element(weft_record_inputs, dir) ==
	               BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK
	           ? 0
	           : -1;
}

/* The folders of the CTF traces under `dir`: a new array, or NULL. */
static bt_value *find_traces(const char *dir)
{
	bt_value *dirs = bt_value_array_create();

	weft_record_inputs = dirs;
	if (dirs && nftw(dir, collect_trace_dir, 16, FTW_PHYS)) {
		BT_VALUE_PUT_REF_AND_RESET(dirs);
	}
	weft_record_inputs = NULL;
	return dirs;
}

/* One counting sink per stream port: the count needs no time ordering. */
static int connect_sinks(bt_graph *graph, const bt_component_source *src, uint64_t index,
                         struct weft_count *count)
{
	uint64_t ports = bt_component_source_get_output_port_count(src);

	for (uint64_t i = 0; i < ports; i++) {
		const bt_component_sink *sink;
		char name[48];

		snprintf(name, sizeof(name), "count-%" PRIu64 "-%" PRIu64, index, i);
		if (bt_graph_add_simple_sink_component(graph, name, NULL, count_consume, NULL,
		                                       count,
		                                       &sink) != BT_GRAPH_ADD_COMPONENT_STATUS_OK ||
		    bt_graph_connect_ports(
		        graph, bt_component_source_borrow_output_port_by_index_const(src, i),
		        bt_component_sink_borrow_input_port_by_name_const(sink, "in"),
		        NULL) != BT_GRAPH_CONNECT_PORTS_STATUS_OK) {
			return -1;
		}
	}
	return 0;
}

/*
 * A source.ctf.fs for the trace in `trace_dir`, and its sinks. One source
 * per trace: per-PID buffers give each process a trace of its own (its own
 * UUID), which a single source refuses to read together.
 */
static int add_trace(bt_graph *graph, const bt_component_class_source *cls, const char *trace_dir,
                     uint64_t index, struct weft_count *count)
{
	const bt_component_source *src = NULL;
	bt_value *params = bt_value_map_create();
	bt_value *inputs = NULL;
	char name[32];
	int ret = -1;

	snprintf(name, sizeof(name), "source-%" PRIu64, index);
	if (params &&
	    bt_value_map_insert_empty_array_entry(params, "inputs", &inputs) ==
	        BT_VALUE_MAP_INSERT_ENTRY_STATUS_OK &&
	    bt_value_array_append_string_element(inputs, trace_dir) ==
	        BT_VALUE_ARRAY_APPEND_ELEMENT_STATUS_OK &&
	    bt_graph_add_source_component(graph, cls, name, params, BT_LOGGING_LEVEL_NONE, &src) ==
	        BT_GRAPH_ADD_COMPONENT_STATUS_OK) {
		ret = connect_sinks(graph, src, index, count);
	}
	bt_value_put_ref(params);
	return ret;
}

/* Adds every trace under `dir` to the graph; 1 if there is none. */
static int add_sources(bt_graph *graph, const char *dir, struct weft_count *count)
{
	const bt_plugin *plugin = NULL;
	const bt_component_class_source *cls = NULL;
	bt_value *dirs = find_traces(dir);
	uint64_t n = dirs ? bt_value_array_get_length(dirs) : 0;
	int ret = dirs ? 0 : -1;

	if (dirs && n == 0) {
		ret = 1;
	} else if (dirs) {
		if (bt_plugin_find("ctf", BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, BT_TRUE, &plugin) ==
		    BT_PLUGIN_FIND_STATUS_OK) {
			cls = bt_plugin_borrow_source_component_class_by_name_const(plugin, "fs");
		}
		ret = cls ? 0 : -1;
	}
	for (uint64_t i = 0; ret == 0 && i < n; i++) {
		const bt_value *d = bt_value_array_borrow_element_by_index_const(dirs, i);

		ret = add_trace(graph, cls, bt_value_string_get(d), i, count);
	}
	bt_value_put_ref(dirs);
	bt_plugin_put_ref(plugin);
	return ret;
}

/* Returns 0, 1 when `dir` holds no trace at all, or -1 with `why` set. */
static int count_events(const char *dir, struct weft_count *count, char *why, size_t why_len)
{
	bt_graph *graph = bt_graph_create(0);
	bt_graph_run_status st;
	int ret = -1;

	if (graph) {
		ret = add_sources(graph, dir, count);
	}
	if (ret == 1) {
		goto end;
	}
	if (ret < 0) {
		take_bt_error(why, why_len, "cannot open the trace with babeltrace2");
		goto end;
	}
	ret = -1;
	do {
		st = bt_graph_run(graph);
	} while (st == BT_GRAPH_RUN_STATUS_AGAIN);
	if (st != BT_GRAPH_RUN_STATUS_OK) {
		take_bt_error(why, why_len, "cannot read the trace");
		goto end;
	}
	ret = 0;
end:
	bt_graph_put_ref(graph);
	return ret;
}

/*
 * No instrumented process registered with the session daemon, so it wrote
 * no trace, only empty folders: says so and removes them (docs/record.md).
 */
static void report_no_events(struct weft_record *rec, const char *base, int status)
{
	char why[512];

	if (rec->opts.attach_pid) {
		fprintf(stderr,
		        "weft record: no events were recorded: %s (pid %d) did not register with "
		        "the session daemon (started without LD_PRELOAD, or before the daemon?)\n",
		        base, (int) rec->opts.attach_pid);
	} else if (status == WEFT_RECORD_EXIT_NOTFOUND && rec->opts.preload &&
	           check_loader(rec, why, sizeof(why))) {
		report_loader(why);
	} else if (status == WEFT_RECORD_EXIT_NOTFOUND) {
		fprintf(
		    stderr,
		    "weft record: no events were recorded: %s exited with status 127 before it "
		    "registered (a command not found, or a library the dynamic loader could not "
		    "load: see the messages above)\n",
		    base);
	} else {
		fprintf(stderr,
		        "weft record: no events were recorded: no instrumented process registered "
		        "with the session daemon (%s uses no TRACE_* macro and ran without "
		        "--preload?)\n",
		        base);
	}
	if (remove_empty_output(rec)) {
		fprintf(stderr, "weft record: removed the empty trace folder %s\n", rec->trace_dir);
	} else if (!rec->created_top[0] && dir_contents(rec->trace_dir) == 0) {
		fprintf(stderr, "weft record: %s is left empty, as it was\n", rec->trace_dir);
	} else {
		fprintf(stderr,
		        "weft record: warning: could not remove the empty trace folder %s\n",
		        rec->trace_dir);
	}
}

static void print_summary(struct weft_record *rec, const char *base, int status)
{
	struct weft_count count = {.vpid = rec->child};
	char why[512];

	int ret = count_events(rec->trace_dir, &count, why, sizeof(why));

	if (ret == 1) {
		report_no_events(rec, base, status);
		return;
	}
	fprintf(stderr, "weft record: trace: %s\n", rec->trace_dir);
	if (ret < 0) {
		fail("warning: cannot count the events", rec->trace_dir, why);
	} else {
		fprintf(stderr, "weft record: events: %" PRIu64 " (%" PRIu64 " from %s, pid %d)\n",
		        count.events, count.own, base, (int) rec->child);
	}
	fprintf(stderr, "weft record: discarded events: %" PRIu64 "\n", rec->discarded);
	if (rec->discarded > 0) {
		fprintf(stderr,
		        "weft record: warning: %" PRIu64 " events were discarded because the "
		        "buffers were full; the trace has gaps (record again with a larger "
		        "--num-subbuf, now %" PRIu64 ", or --subbuf-size, now %" PRIu64
		        "; docs/record.md)\n",
		        rec->discarded, rec->opts.subbuf_count, rec->opts.subbuf_bytes);
	}
}

/* ---- Running the program ---- */

static void on_signal(int sig, siginfo_t *info, void *uctx)
{
	pid_t child = weft_record_child;

	(void) uctx;
	if (child <= 0) {
		weft_record_early_signal = sig;
		return;
	}
	/* A terminal's Ctrl-C already reached the whole foreground group. */
	if (info->si_code != SI_KERNEL) {
		kill(child, sig);
	}
}

/* Handles the signals a user stops a program with, unless they are ignored. */
static void install_handlers(void)
{
	for (size_t i = 0; i < WEFT_RECORD_NSIGNALS; i++) {
		struct sigaction sa, old;

		if (sigaction(weft_record_signals[i], NULL, &old) || old.sa_handler == SIG_IGN) {
			continue;
		}
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_signal;
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigemptyset(&sa.sa_mask);
		weft_record_handled[i] = sigaction(weft_record_signals[i], &sa, NULL) == 0;
	}
}

static void restore_handlers(void)
{
	for (size_t i = 0; i < WEFT_RECORD_NSIGNALS; i++) {
		if (weft_record_handled[i]) {
			signal(weft_record_signals[i], SIG_DFL);
			weft_record_handled[i] = false;
		}
	}
}

static void run_child(const struct weft_record *rec, const sigset_t *mask)
{
	restore_handlers();
	sigprocmask(SIG_SETMASK, mask, NULL);
	execv(rec->program, rec->opts.argv);
	fprintf(stderr, "weft record: cannot run the program: path=\"%s\", reason=\"%s\"\n",
	        rec->program, strerror(errno));
	_exit(errno == ENOENT ? WEFT_RECORD_EXIT_NOTFOUND : WEFT_RECORD_EXIT_NOEXEC);
}

/*
 * Forks and execs the program and sets *status to its exit status as weft's.
 * Returns 1 when a signal came before the program could start.
 */
static int run_program(struct weft_record *rec, int *status)
{
	sigset_t block, old;
	int wstatus;
	pid_t pid;

	sigemptyset(&block);
	for (size_t i = 0; i < WEFT_RECORD_NSIGNALS; i++) {
		sigaddset(&block, weft_record_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &block, &old);
	if (weft_record_early_signal) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		*status = 128 + weft_record_early_signal;
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		run_child(rec, &old);
	}
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		fail("cannot start the program", rec->program, strerror(errno));
		return -1;
	}
	rec->child = pid;
	weft_record_child = pid;
	sigprocmask(SIG_SETMASK, &old, NULL);
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR) {
			fail("cannot wait for the program", rec->program, strerror(errno));
			return -1;
		}
	}
	*status = WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) : WEXITSTATUS(wstatus);
	return 0;
}

/* ---- The command ---- */

static const char *program_base(const char *prog)
{
	const char *slash = strrchr(prog, '/');

	return slash && slash[1] ? slash + 1 : prog;
}

/* Everything that can fail before the session exists. */
static int check_program(struct weft_record *rec)
{
	const char *prog = rec->opts.argv[0];
	int err = resolve_program(prog, rec->program, sizeof(rec->program));

	if (err) {
		fail(err == ENOENT ? "program not found" : "cannot run the program", prog,
		     strerror(err));
		return err == ENOENT ? WEFT_RECORD_EXIT_NOTFOUND : WEFT_RECORD_EXIT_NOEXEC;
	}
	if (rec->opts.preload && is_static_elf(rec->program)) {
		fail("cannot trace a static binary with --preload", rec->program,
		     "no dynamic loader, so LD_PRELOAD has no effect");
		return WEFT_RECORD_EXIT_FAILURE;
	}
	if (prepare_environment(rec)) {
		return WEFT_RECORD_EXIT_FAILURE;
	}
	if (rec->opts.preload) {
		char why[512];

		if (check_loader(rec, why, sizeof(why))) {
			report_loader(why);
			return WEFT_RECORD_EXIT_FAILURE;
		}
	}
	return 0;
}

static int check_sessiond(void)
{
	int alive = lttng_session_daemon_alive();

	if (alive == 1) {
		return 0;
	}
	fprintf(stderr, "weft record: no LTTng session daemon is running: start one with "
	                "'lttng-sessiond --daemonize'\n");
	return -1;
}

static void name_session(struct weft_record *rec, const char *base)
{
	if (rec->opts.name) {
		snprintf(rec->session, sizeof(rec->session), "%s", rec->opts.name);
	} else {
		snprintf(rec->session, sizeof(rec->session), "weft-%.200s-%d", base,
		         (int) getpid());
	}
}

/* --pid: records the running process until --seconds, a signal, or its exit. */
static int record_attached(struct weft_record *rec)
{
	pid_t pid = rec->opts.attach_pid;
	char comm[64];

	if (weft_record_attach_check(pid, comm, sizeof(comm))) {
		return 1;
	}
	if (check_sessiond()) {
		return WEFT_RECORD_EXIT_FAILURE;
	}
	name_session(rec, comm);
	weft_record_attach_block_signals();
	if (prepare_output(rec, comm) || create_session(rec)) {
		if (rec->session_created) {
			lttng_destroy_session(rec->session);
		}
		remove_output(rec);
		return WEFT_RECORD_EXIT_FAILURE;
	}
	rec->child = pid;
	fprintf(stderr, "weft record: recording %s (pid %d)%s\n", comm, (int) pid,
	        rec->opts.attach_seconds ? "" : " until Ctrl-C");
	weft_record_attach_wait(pid, rec->opts.attach_seconds);
	finish_session(rec);
	print_summary(rec, comm, 0);
	return 0;
}

static int record(struct weft_record *rec)
{
	const char *base = program_base(rec->opts.argv[0]);
	int status;

	status = check_program(rec);
	if (status) {
		return status;
	}
	if (check_sessiond()) {
		return WEFT_RECORD_EXIT_FAILURE;
	}
	name_session(rec, base);
	install_handlers();
	if (prepare_output(rec, base) || create_session(rec)) {
		goto error;
	}
	switch (run_program(rec, &status)) {
	case 0:
		break;
	case 1:
		goto error_quiet;
	default:
		goto error;
	}
	finish_session(rec);
	print_summary(rec, base, status);
	restore_handlers();
	return status;
error:
	status = WEFT_RECORD_EXIT_FAILURE;
error_quiet:
	if (rec->session_created) {
		lttng_destroy_session(rec->session);
	}
	remove_output(rec);
	restore_handlers();
	return status;
}

int weft_cmd_record(int argc, char **argv)
{
	struct weft_record rec;
	int ret;

	memset(&rec, 0, sizeof(rec));
	ret = weft_record_parse_opts(argc, argv, &rec.opts);
	if (ret) {
		return ret > 0 ? 0 : WEFT_RECORD_EXIT_USAGE;
	}
	return rec.opts.attach_pid ? record_attached(&rec) : record(&rec);
}
