/*
 * weft record's flight-recorder side: --pid (record a process that is
 * already running, and only it, through the session's vpid tracker),
 * --seconds, and the channel's size (--subbuf-size, --num-subbuf,
 * --buffers) with its defaults. docs/record.md is the manual.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <lttng/lttng.h>

#include "weft-record-private.h"

/*
 * The default channel size. lttng-ust allocates (and zeroes) every per-CPU
 * buffer up front, so the size per CPU shrinks on machines with many CPUs:
 * a budget of 256 MiB, split per CPU, kept between 16 and 64 MiB, in 4 MiB
 * sub-buffers. On 2 to 4 CPUs a CPU's buffer holds a burst of a million
 * events even when a busy machine starves the consumer daemon.
 */
#define WEFT_RECORD_SUBBUF_SIZE (4ull << 20)
#define WEFT_RECORD_BUDGET (256ull << 20)
#define WEFT_RECORD_PER_CPU_MIN (16ull << 20)
#define WEFT_RECORD_PER_CPU_MAX (64ull << 20)
/* The limits weft accepts: LTTng's own are powers of two, at least a page. */
#define WEFT_RECORD_SUBBUF_MIN (4ull << 10)
#define WEFT_RECORD_SUBBUF_MAX (1ull << 30)
#define WEFT_RECORD_NUM_SUBBUF_MAX (1ull << 16)
#define WEFT_RECORD_SECONDS_MAX (7u * 24 * 3600)
/* How often the wait looks whether the process is still there. */
#define WEFT_RECORD_POLL_MS 100

static const int weft_attach_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define WEFT_ATTACH_NSIGNALS (sizeof(weft_attach_signals) / sizeof(weft_attach_signals[0]))

/* ---- The options ---- */

static bool is_power_of_two(uint64_t n)
{
	return n && !(n & (n - 1));
}

/* A decimal number with an optional k, M or G (binary) suffix. */
static bool parse_size(const char *value, uint64_t *out)
{
	char *end = NULL;
	unsigned long long n;
	unsigned shift = 0;

	if (!isdigit((unsigned char) value[0])) {
		return false;
	}
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno || end == value) {
		return false;
	}
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		return false;
	}
	if (*end && end[1]) {
		return false;
	}
	if (n > (UINT64_MAX >> shift)) {
		return false;
	}
	*out = (uint64_t) n << shift;
	return true;
}

static bool parse_count(const char *value, uint64_t lo, uint64_t hi, uint64_t *out)
{
	char *end = NULL;
	unsigned long long n;

	if (!isdigit((unsigned char) value[0])) {
		return false;
	}
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno || end == value || *end || n < lo || n > hi) {
		return false;
	}
	*out = n;
	return true;
}

static void refuse(const char *flag, const char *value, const char *expected)
{
	fprintf(stderr, "weft record: invalid value for %s: \"%s\" (expected %s)\n", flag, value,
	        expected);
}

/* Sub-buffers per CPU for `subbuf` bytes each: see WEFT_RECORD_BUDGET. */
static uint64_t default_num_subbuf(uint64_t subbuf)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);
	uint64_t per_cpu = WEFT_RECORD_BUDGET / (uint64_t) (cpus > 0 ? cpus : 1);
	uint64_t n = 2;

	if (per_cpu < WEFT_RECORD_PER_CPU_MIN) {
		per_cpu = WEFT_RECORD_PER_CPU_MIN;
	} else if (per_cpu > WEFT_RECORD_PER_CPU_MAX) {
		per_cpu = WEFT_RECORD_PER_CPU_MAX;
	}
	while (n * 2 * subbuf <= per_cpu && n < WEFT_RECORD_NUM_SUBBUF_MAX) {
		n *= 2;
	}
	return n;
}

static int check_channel_opts(struct weft_record_opts *o)
{
	static const char pow2[] = "; LTTng sizes its buffers in powers of two";
	char expected[160];

	o->subbuf_bytes = WEFT_RECORD_SUBBUF_SIZE;
	if (o->subbuf_size &&
	    (!parse_size(o->subbuf_size, &o->subbuf_bytes) || !is_power_of_two(o->subbuf_bytes) ||
	     o->subbuf_bytes < WEFT_RECORD_SUBBUF_MIN ||
	     o->subbuf_bytes > WEFT_RECORD_SUBBUF_MAX)) {
		snprintf(expected, sizeof(expected),
		         "a power of two from 4k to 1G, such as 64k or 4M%s", pow2);
		refuse("--subbuf-size", o->subbuf_size, expected);
		return -1;
	}
	o->subbuf_count = default_num_subbuf(o->subbuf_bytes);
	if (o->num_subbuf &&
	    (!parse_count(o->num_subbuf, 2, WEFT_RECORD_NUM_SUBBUF_MAX, &o->subbuf_count) ||
	     !is_power_of_two(o->subbuf_count))) {
		snprintf(expected, sizeof(expected), "a power of two from 2 to 65536%s", pow2);
		refuse("--num-subbuf", o->num_subbuf, expected);
		return -1;
	}
	if (o->buffers && strcmp(o->buffers, "uid") && strcmp(o->buffers, "pid")) {
		refuse("--buffers", o->buffers, "uid or pid");
		return -1;
	}
	o->per_pid_buffers = o->buffers && !strcmp(o->buffers, "pid");
	return 0;
}

int weft_record_check_attach_opts(struct weft_record_opts *o)
{
	uint64_t n;

	if (check_channel_opts(o)) {
		return -1;
	}
	if (o->pid) {
		if (!parse_count(o->pid, 1, INT_MAX, &n)) {
			refuse("--pid", o->pid, "a process id");
			return -1;
		}
		o->attach_pid = (pid_t) n;
	}
	if (o->seconds) {
		if (!o->pid) {
			fprintf(stderr, "weft record: --seconds needs --pid (a PROGRAM is "
			                "recorded until it exits)\n");
			return -1;
		}
		if (!parse_count(o->seconds, 1, WEFT_RECORD_SECONDS_MAX, &n)) {
			refuse("--seconds", o->seconds,
			       "a whole number of seconds from 1 to 604800");
			return -1;
		}
		o->attach_seconds = (unsigned) n;
	}
	if (o->pid && (o->preload || o->lttng_wrappers)) {
		fprintf(stderr, "weft record: --preload and --lttng-wrappers set a new PROGRAM's "
		                "environment; a process recorded with --pid must have been started "
		                "with LD_PRELOAD (docs/record.md)\n");
		return -1;
	}
	return 0;
}

/* ---- The process ---- */

/* The process's name from /proc/PID/comm, made safe for a file name. */
static void read_comm(pid_t pid, char *comm, size_t len)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int) pid);
	snprintf(comm, len, "pid%d", (int) pid);
	f = fopen(path, "re");
	if (!f) {
		return;
	}
	if (fgets(comm, (int) len, f)) {
		comm[strcspn(comm, "\n")] = '\0';
	}
	fclose(f);
	for (char *c = comm; *c; c++) {
		if (!isalnum((unsigned char) *c) && *c != '.' && *c != '-' && *c != '_') {
			*c = '_';
		}
	}
	if (!comm[0]) {
		snprintf(comm, len, "pid%d", (int) pid);
	}
}

/* Reads /proc/PID/maps: which of the two libraries the process has loaded. */
static int scan_maps(pid_t pid, bool *preload, bool *ust)
{
	char path[64];
	char *line = NULL;
	size_t cap = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", (int) pid);
	f = fopen(path, "re");
	if (!f) {
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		*preload = *preload || strstr(line, "/libweft-preload.so");
		*ust = *ust || strstr(line, "/liblttng-ust.so");
	}
	free(line);
	fclose(f);
	return 0;
}

int weft_record_attach_check(pid_t pid, char *comm, size_t len)
{
	bool preload = false, ust = false;

	if (scan_maps(pid, &preload, &ust)) {
		if (errno == ENOENT || errno == ESRCH) {
			fprintf(stderr, "weft record: no process with pid %d\n", (int) pid);
		} else {
			fprintf(stderr, "weft record: cannot read /proc/%d/maps: %s\n", (int) pid,
			        strerror(errno));
		}
		return 1;
	}
	read_comm(pid, comm, len);
	if (preload) {
		return 0;
	}
	fprintf(stderr,
	        "weft record: %s (pid %d) runs without the preload runtime: %s; start it with "
	        "LD_PRELOAD=%s/libweft-preload.so (for a systemd service, a drop-in: see "
	        "docs/record.md)\n",
	        comm, (int) pid,
	        ust ? "only its own TRACE_* events can be recorded"
	            : "it loads no lttng-ust either, so nothing can be recorded",
	        WEFT_LIBDIR);
	return ust ? 0 : 1;
}

/* ---- The session ---- */

int weft_record_track_pid(const char *session, pid_t pid)
{
	struct lttng_process_attr_tracker_handle *h = NULL;
	enum lttng_process_attr_tracker_handle_status st;
	enum lttng_error_code ec;

	ec = lttng_session_get_tracker_handle(session, LTTNG_DOMAIN_UST,
	                                      LTTNG_PROCESS_ATTR_VIRTUAL_PROCESS_ID, &h);
	if (ec != LTTNG_OK) {
		fprintf(stderr, "weft record: cannot track pid %d: %s\n", (int) pid,
		        lttng_strerror(-(int) ec));
		return -1;
	}
	st = lttng_process_attr_tracker_handle_set_tracking_policy(
	    h, LTTNG_TRACKING_POLICY_INCLUDE_SET);
	if (st == LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK) {
		st = lttng_process_attr_virtual_process_id_tracker_handle_add_pid(h, pid);
	}
	lttng_process_attr_tracker_handle_destroy(h);
	if (st != LTTNG_PROCESS_ATTR_TRACKER_HANDLE_STATUS_OK) {
		fprintf(stderr,
		        "weft record: cannot track pid %d: the session daemon refused (%d)\n",
		        (int) pid, (int) st);
		return -1;
	}
	return 0;
}

/* ---- Waiting ---- */

static void attach_sigset(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < WEFT_ATTACH_NSIGNALS; i++) {
		sigaddset(set, weft_attach_signals[i]);
	}
}

void weft_record_attach_block_signals(void)
{
	sigset_t set;

	attach_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* True once pid has exited (a zombie counts: pidfd_open sees it, kill does not). */
static bool process_gone(int pidfd, pid_t pid)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};

	if (pidfd >= 0) {
		return poll(&p, 1, 0) > 0;
	}
	return kill(pid, 0) != 0 && errno == ESRCH;
}

void weft_record_attach_wait(pid_t pid, unsigned seconds)
{
	int pidfd = (int) syscall(SYS_pidfd_open, pid, 0);
	int64_t end = seconds ? now_ms() + (int64_t) seconds * 1000 : INT64_MAX;
	sigset_t set;

	attach_sigset(&set);
	for (;;) {
		int64_t left = end - now_ms();
		int64_t step = left < WEFT_RECORD_POLL_MS ? left : WEFT_RECORD_POLL_MS;
		struct timespec ts = {.tv_sec = 0,
		                      .tv_nsec = (long) (step > 0 ? step : 0) * 1000000};
		int sig;

		if (left <= 0) {
			break;
		}
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig > 0) {
			fprintf(stderr, "weft record: %s: stopping the recording\n",
			        strsignal(sig));
			break;
		}
		if (process_gone(pidfd, pid)) {
			fprintf(stderr, "weft record: pid %d exited: stopping the recording\n",
			        (int) pid);
			break;
		}
	}
	if (pidfd >= 0) {
		close(pidfd);
	}
}
