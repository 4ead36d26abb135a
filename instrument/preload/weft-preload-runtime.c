/*
 * The runtime's core: the table of real functions, the bump allocator that
 * serves dlsym while the table is resolved, the settings read from the
 * environment, and the call-site ranges of the tracer's own code.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

#include "weft-preload-private.h"

struct weft_rt weft_rt;
struct weft_real weft_real;
atomic_int weft_real_resolved;
atomic_int weft_config_seen;
WEFT_TLS int weft_nest;
WEFT_TLS int weft_in_dlsym;

/*
 * dlsym may allocate (its error buffer, TLS for the lookup) before malloc
 * itself is resolved. Those few blocks come from here and are never freed;
 * a header before each block keeps its size for realloc.
 */
#define WEFT_BUMP_SIZE (256 * 1024)
#define WEFT_BUMP_HEADER 16

static _Alignas(64) unsigned char weft_bump_arena[WEFT_BUMP_SIZE];
static atomic_size_t weft_bump_used;

void *weft_bump_alloc(size_t size, size_t align)
{
	size_t start;
	size_t old = atomic_load_explicit(&weft_bump_used, memory_order_relaxed);

	if (align < WEFT_BUMP_HEADER) {
		align = WEFT_BUMP_HEADER;
	}
	if (size > WEFT_BUMP_SIZE || (align & (align - 1)) != 0) {
		return NULL;
	}
	do {
		start = (old + WEFT_BUMP_HEADER + align - 1) & ~(align - 1);
		if (start + size > WEFT_BUMP_SIZE) {
			return NULL;
		}
	} while (!atomic_compare_exchange_weak(&weft_bump_used, &old, start + size));
	memcpy(&weft_bump_arena[start - sizeof(size_t)], &size, sizeof(size_t));
	return &weft_bump_arena[start];
}

/* For tests and diagnostics: bytes the bump arena has handed out. */
WEFT_EXPORT size_t weft_preload_bump_bytes(void)
{
	return atomic_load(&weft_bump_used);
}

int weft_bump_owns(const void *ptr)
{
	const unsigned char *p = ptr;

	return p >= weft_bump_arena && p < weft_bump_arena + WEFT_BUMP_SIZE;
}

size_t weft_bump_size(const void *ptr)
{
	size_t size;

	memcpy(&size, (const unsigned char *) ptr - sizeof(size_t), sizeof(size_t));
	return size;
}

/*
 * Idempotent and safe to run from several threads at once (LTTng-UST's
 * constructor starts its threads before this library's constructor runs):
 * every thread stores the same addresses.
 */
void weft_real_resolve(void)
{
	weft_in_dlsym++;
#define WEFT_RESOLVE(name, ret, args) weft_real.name = (ret(*) args) dlsym(RTLD_NEXT, #name);
	WEFT_REAL_FUNCS(WEFT_RESOLVE)
#undef WEFT_RESOLVE
	weft_in_dlsym--;
	atomic_store_explicit(&weft_real_resolved, 1, memory_order_release);
}

/* ---- Call sites inside the tracer ---- */

#define WEFT_TRACER_RANGES 16

struct weft_range {
	uintptr_t lo, hi;
};

static struct weft_range weft_tracer_ranges[WEFT_TRACER_RANGES];
static int weft_tracer_range_count;

static int weft_is_tracer_object(const char *name)
{
	const char *base = strrchr(name, '/');

	base = base ? base + 1 : name;
	return strncmp(base, "liblttng-ust", 12) == 0 || strncmp(base, "libweft.so", 10) == 0 ||
	       strncmp(base, "liburcu", 7) == 0;
}

static int weft_collect_range(struct dl_phdr_info *info, size_t size, void *data)
{
	(void) size;
	(void) data;
	if (!info->dlpi_name || !weft_is_tracer_object(info->dlpi_name)) {
		return 0;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) ||
		    weft_tracer_range_count == WEFT_TRACER_RANGES) {
			continue;
		}
		weft_tracer_ranges[weft_tracer_range_count].lo = info->dlpi_addr + ph->p_vaddr;
		weft_tracer_ranges[weft_tracer_range_count].hi =
		    info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		weft_tracer_range_count++;
	}
	return 0;
}

int weft_rt_ip_is_tracer(const void *ip)
{
	uintptr_t a = (uintptr_t) ip;

	for (int i = 0; i < weft_tracer_range_count; i++) {
		if (a >= weft_tracer_ranges[i].lo && a < weft_tracer_ranges[i].hi) {
			return 1;
		}
	}
	return 0;
}

/* ---- Settings ---- */

static const char *const weft_locks_names[] = {"contended", "all", "off"};
static const char *const weft_alloc_names[] = {"sampled", "full", "off"};
static const char *const weft_syscalls_names[] = {"all", "off"};

static int weft_parse_mode(const char *var, const char *const *names, int count)
{
	const char *value = getenv(var);

	if (!value) {
		return 0;
	}
	for (int i = 0; i < count; i++) {
		if (strcmp(value, names[i]) == 0) {
			return i;
		}
	}
	return 0; /* unknown value: the default, as documented */
}

static uint64_t weft_parse_sample(void)
{
	const char *value = getenv("WEFT_ALLOC_SAMPLE");
	char *end = NULL;
	unsigned long long n;

	if (!value || !*value) {
		return 524288;
	}
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno || *end || n == 0) {
		return 524288;
	}
	return n;
}

/* A decimal count in [lo, hi], else the default. */
static uint64_t weft_parse_count(const char *var, uint64_t def, uint64_t lo, uint64_t hi)
{
	const char *value = getenv(var);
	char *end = NULL;
	unsigned long long n;

	if (!value || !*value) {
		return def;
	}
	errno = 0;
	n = strtoull(value, &end, 10);
	if (errno || *end) {
		return def;
	}
	return n < lo ? lo : n > hi ? hi : n;
}

static const char *const weft_stacks_names[] = {"on", "off"};
static const char *const weft_unwind_names[] = {"dwarf", "fp"};

static void weft_parse_stacks(void)
{
	weft_rt.stacks = weft_parse_mode("WEFT_STACKS", weft_stacks_names, 2) == 0;
	weft_rt.stack_depth = (int) weft_parse_count("WEFT_STACK_DEPTH", WEFT_STACK_DEPTH_DEFAULT,
	                                             1, WEFT_STACK_DEPTH_MAX);
	weft_rt.stack_unwind = weft_parse_mode("WEFT_STACK_UNWIND", weft_unwind_names, 2);
	weft_rt.stack_syscall_min =
	    weft_parse_count("WEFT_STACK_SYSCALL_MIN", WEFT_STACK_SYSCALL_MIN_DEFAULT / 1000, 0,
	                     UINT32_MAX) *
	    1000;
}

static _Atomic uint64_t weft_config_last_ts;
WEFT_TLS int weft_config_countdown;

static void weft_rt_config_emit(void)
{
	lttng_ust_do_tracepoint(weft, runtime_config, WEFT_CALLER(),
	                        weft_locks_names[weft_rt.locks], weft_alloc_names[weft_rt.alloc],
	                        weft_rt.alloc_sample);
}

void weft_rt_config_changed(int enabled)
{
	int expected = !enabled;

	if (!atomic_compare_exchange_strong(&weft_config_seen, &expected, enabled) || !enabled) {
		return;
	}
	atomic_store(&weft_config_last_ts, weft_now());
	weft_stack_new_generation();
	weft_rt_config_emit();
	weft_heap_force_emit();
}

void weft_rt_config_refresh(void)
{
	uint64_t now = weft_now();
	uint64_t last = atomic_load_explicit(&weft_config_last_ts, memory_order_relaxed);

	weft_config_countdown = WEFT_CONFIG_EVERY;
	if (now - last < WEFT_CONFIG_PERIOD_NS ||
	    !atomic_compare_exchange_strong(&weft_config_last_ts, &last, now)) {
		return;
	}
	weft_rt_config_emit();
}

/*
 * Runs after LTTng-UST's and libweft's constructors (they are this
 * library's dependencies), before the program's main.
 */
__attribute__((constructor)) static void weft_rt_init(void)
{
	int saved_errno = errno;

	weft_real_ensure();
	if (getauxval(AT_SECURE)) {
		/* setuid/setgid/capabilities: stay inert, every wrapper passes through */
		return;
	}
	weft_rt.locks = weft_parse_mode("WEFT_LOCKS", weft_locks_names, 3);
	weft_rt.alloc = weft_parse_mode("WEFT_ALLOC", weft_alloc_names, 3);
	weft_rt.syscalls = weft_parse_mode("WEFT_SYSCALLS", weft_syscalls_names, 2);
	weft_rt.alloc_sample = weft_parse_sample();
	weft_parse_stacks();
	dl_iterate_phdr(weft_collect_range, NULL);
	weft_nest++;
	weft_stack_init();
	weft_nest--;
	weft_thread_known = WEFT_THREAD_MAIN;
	atomic_thread_fence(memory_order_seq_cst);
	weft_rt.active = 1;
	weft_nest++;
	weft_rt_poll_config();
	weft_cpu_init();
	weft_nest--;
	errno = saved_errno;
}
