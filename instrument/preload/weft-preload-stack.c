/*
 * Call stacks: the unwinder and the per-process intern table.
 *
 * weft_stack_capture() walks the calling thread's user-space stack, drops
 * the runtime's own frames (libweft-preload.so, libweft.so, libunwind) and
 * the signal trampoline, looks the stack up in a fixed-size open-addressing
 * table of stack hashes, and returns its id. A stack seen for the first time
 * is defined by a weft:stack event, emitted by this thread before it
 * returns, so the definition precedes the event that refers to it.
 *
 * The walk: DWARF CFI through libunwind's unw_backtrace (its per-thread
 * trace cache, as heaptrack uses it), or, with WEFT_STACK_UNWIND=fp, the
 * frame-pointer chain, bounded by the thread's stack. Neither faults on a
 * bad frame: libunwind validates addresses before it reads them (Debian
 * builds it with conservative checks), and the frame-pointer walk reads
 * only inside the thread's stack; a bad frame ends the walk.
 *
 * Async-signal safety: the table is lock-free and never allocates, the
 * frames live on the caller's stack, and the nesting counter is raised
 * around the walk so that what libunwind calls (mmap for its cache, a
 * mutex of its own, dl_iterate_phdr) passes through the wrappers.
 */
#define _GNU_SOURCE
#define UNW_LOCAL_ONLY
#include <libunwind.h>
#include <link.h>
#include <stdlib.h>
#include <ucontext.h>
#include <string.h>

#include "weft-preload-private.h"

/* 8192 slots of 16 bytes: 128 KiB, enough for every stack of a server. */
#define WEFT_STACK_SLOTS 8192
#define WEFT_STACK_PROBES 32

/*
 * key: the stack's 64-bit hash (0: empty), set once. def: the id (low 32
 * bits) and the generation it was defined in (high 32 bits), 0 while the
 * definition is being emitted.
 */
struct weft_stack_slot {
	_Atomic uint64_t key;
	_Atomic uint64_t def;
};

static struct weft_stack_slot weft_stack_table[WEFT_STACK_SLOTS];
static atomic_uint weft_stack_next_id = 1;
static atomic_uint weft_stack_generation = 1;
static atomic_ulong weft_stack_uncached;

#define WEFT_STACK_RANGES 16

struct weft_stack_range {
	uintptr_t lo, hi;
};

/* Executable segments whose frames are the runtime's own, and libc's. */
static struct weft_stack_range weft_stack_own[WEFT_STACK_RANGES];
static int weft_stack_own_count;
static struct weft_stack_range weft_stack_libc;

/* Frame-pointer walk: the thread's stack bounds (0: unknown, use DWARF). */
static WEFT_TLS uintptr_t weft_stack_lo;
static WEFT_TLS uintptr_t weft_stack_hi;

static int weft_stack_is_own_object(const char *name, const struct dl_phdr_info *info)
{
	const char *base = strrchr(name, '/');
	uintptr_t self = (uintptr_t) &weft_stack_capture;

	base = base ? base + 1 : name;
	if (strncmp(base, "libweft.so", 10) == 0 || strncmp(base, "libunwind.so", 12) == 0 ||
	    strncmp(base, "libunwind-", 10) == 0) {
		return 1;
	}
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && self >= lo && self < lo + ph->p_memsz) {
			return 1;
		}
	}
	return 0;
}

static int weft_stack_collect(struct dl_phdr_info *info, size_t size, void *data)
{
	const char *name = info->dlpi_name ? info->dlpi_name : "";
	const char *base = strrchr(name, '/');
	int own = weft_stack_is_own_object(name, info);
	int libc;

	(void) size;
	(void) data;
	base = base ? base + 1 : name;
	libc = strncmp(base, "libc.so", 7) == 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X)) {
			continue;
		}
		if (own && weft_stack_own_count < WEFT_STACK_RANGES) {
			weft_stack_own[weft_stack_own_count].lo = lo;
			weft_stack_own[weft_stack_own_count].hi = lo + ph->p_memsz;
			weft_stack_own_count++;
		}
		if (libc) {
			weft_stack_libc.lo = lo;
			weft_stack_libc.hi = lo + ph->p_memsz;
		}
	}
	return 0;
}

static int weft_stack_is_own(uintptr_t ip)
{
	for (int i = 0; i < weft_stack_own_count; i++) {
		if (ip >= weft_stack_own[i].lo && ip < weft_stack_own[i].hi) {
			return 1;
		}
	}
	return 0;
}

/*
 * glibc's x86-64 signal trampoline, __restore_rt: mov $15,%rax; syscall.
 * The handler returns to its first byte. Only addresses inside libc's
 * text are read, which is mapped.
 */
static int weft_stack_is_trampoline(uintptr_t ip)
{
#if defined(__x86_64__)
	static const unsigned char code[] = {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};

	return ip >= weft_stack_libc.lo && ip + sizeof(code) <= weft_stack_libc.hi &&
	       memcmp((const void *) ip, code, sizeof(code)) == 0;
#else
	(void) ip;
	return 0;
#endif
}

void weft_stack_thread_bounds(void)
{
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (pthread_getattr_np(pthread_self(), &attr) != 0) {
		return;
	}
	if (pthread_attr_getstack(&attr, &addr, &size) == 0) {
		weft_stack_lo = (uintptr_t) addr;
		weft_stack_hi = (uintptr_t) addr + size;
	}
	pthread_attr_destroy(&attr);
}

void weft_stack_init(void)
{
	dl_iterate_phdr(weft_stack_collect, NULL);
	unw_set_caching_policy(unw_local_addr_space, UNW_CACHE_PER_THREAD);
	if (weft_rt.stack_unwind == WEFT_UNWIND_FP) {
		weft_stack_thread_bounds();
	}
}

/*
 * The frame-pointer chain from this function's frame: each frame is
 * [saved rbp][return address]; the walk stops at a frame outside
 * [sp, stack top), misaligned or not above the previous one.
 */
static int weft_stack_walk_fp_from(uintptr_t fp, uintptr_t sp, uintptr_t *out, int max)
{
	uintptr_t hi = weft_stack_hi;
	int n = 0;

	while (n < max) {
		const uintptr_t *frame = (const uintptr_t *) fp;
		uintptr_t next;

		if (fp < sp || fp > hi - 2 * sizeof(uintptr_t) || (fp & (sizeof(uintptr_t) - 1))) {
			break;
		}
		if (frame[1] == 0) {
			break;
		}
		out[n++] = frame[1];
		next = frame[0];
		if (next <= fp) {
			break;
		}
		fp = next;
	}
	return n;
}

static __attribute__((noinline)) int weft_stack_walk_fp(uintptr_t *out, int max)
{
	uintptr_t sp = (uintptr_t) __builtin_frame_address(0);

	if (weft_stack_hi == 0 || sp < weft_stack_lo || sp >= weft_stack_hi) {
		return -1;
	}
	return weft_stack_walk_fp_from(sp, sp, out, max);
}

static int weft_stack_walk(uintptr_t *out, int max)
{
	int n = -1;

	if (weft_rt.stack_unwind == WEFT_UNWIND_FP) {
		n = weft_stack_walk_fp(out, max);
	}
	if (n < 0) {
		n = unw_backtrace((void **) out, max);
	}
	return n < 0 ? 0 : n;
}

/* Drops the runtime's frames and the signal trampoline, in place. */
static int weft_stack_filter(uintptr_t *frames, int n)
{
	int m = 0;

	for (int i = 0; i < n; i++) {
		uintptr_t ip = frames[i];

		if (ip == 0 || weft_stack_is_own(ip) || weft_stack_is_trampoline(ip)) {
			continue;
		}
		frames[m++] = ip;
	}
	return m;
}

static uint64_t weft_stack_hash(const uintptr_t *frames, int depth, int flags)
{
	uint64_t h = 0x9e3779b97f4a7c15u ^ ((uint64_t) depth << 2) ^ (uint64_t) flags;

	for (int i = 0; i < depth; i++) {
		h ^= (uint64_t) frames[i];
		h *= 0xff51afd7ed558ccdu;
		h ^= h >> 33;
	}
	return h ? h : 1;
}

/* flags: bit 0 truncated, bit 1 exact leaf. */
#define WEFT_STACK_TRUNCATED 1
#define WEFT_STACK_EXACT 2

static uint32_t weft_stack_define(const uintptr_t *frames, int depth, int flags)
{
	uint32_t id = atomic_fetch_add_explicit(&weft_stack_next_id, 1, memory_order_relaxed);

	WEFT_EMIT(stack, WEFT_CALLER(), id, (flags & WEFT_STACK_TRUNCATED) != 0,
	          (flags & WEFT_STACK_EXACT) != 0, (const uint64_t *) frames, (unsigned int) depth);
	return id;
}

/* The id of this stack in the current generation, defining it if needed. */
static uint32_t weft_stack_intern(const uintptr_t *frames, int depth, int flags)
{
	uint64_t key = weft_stack_hash(frames, depth, flags);
	uint64_t gen = atomic_load_explicit(&weft_stack_generation, memory_order_relaxed);
	size_t i = (size_t) (key ^ (key >> 29)) & (WEFT_STACK_SLOTS - 1);

	for (int probe = 0; probe < WEFT_STACK_PROBES; probe++) {
		struct weft_stack_slot *slot = &weft_stack_table[i];
		uint64_t cur = atomic_load_explicit(&slot->key, memory_order_acquire);

		if (cur == 0) {
			uint64_t empty = 0;

			if (atomic_compare_exchange_strong(&slot->key, &empty, key)) {
				cur = key;
			} else {
				cur = empty;
			}
		}
		if (cur == key) {
			uint64_t def = atomic_load_explicit(&slot->def, memory_order_acquire);
			uint32_t id;

			if (def != 0 && (def >> 32) == gen) {
				return (uint32_t) def;
			}
			/* New, being defined by another thread, or from an older generation. */
			id = weft_stack_define(frames, depth, flags);
			atomic_compare_exchange_strong(&slot->def, &def, (gen << 32) | id);
			return id;
		}
		i = (i + 1) & (WEFT_STACK_SLOTS - 1);
	}
	/* The table is full around this hash: define it again at every use. */
	atomic_fetch_add_explicit(&weft_stack_uncached, 1, memory_order_relaxed);
	return weft_stack_define(frames, depth, flags);
}

/* Filters, bounds and interns raw frames; flags may hold WEFT_STACK_EXACT. */
static uint32_t weft_stack_finish(uintptr_t *frames, int raw, int max, int flags)
{
	int n = weft_stack_filter(frames, raw);

	/* A full buffer means frames were left out, even when few were dropped. */
	if (n > weft_rt.stack_depth || raw == max) {
		flags |= WEFT_STACK_TRUNCATED;
	}
	if (n > weft_rt.stack_depth) {
		n = weft_rt.stack_depth;
	}
	return n > 0 ? weft_stack_intern(frames, n, flags) : 0;
}

uint32_t weft_stack_capture(void)
{
	uintptr_t frames[WEFT_STACK_DEPTH_MAX + WEFT_STACK_SKIP_MAX];
	int max = weft_rt.stack_depth + WEFT_STACK_SKIP_MAX;
	int saved_errno;
	uint32_t id;

	if (!weft_rt.stacks || !lttng_ust_tracepoint_enabled(weft, stack)) {
		return 0;
	}
	saved_errno = errno;
	weft_nest++;
	id = weft_stack_finish(frames, weft_stack_walk(frames, max), max, 0);
	weft_nest--;
	errno = saved_errno;
	return id;
}

/*
 * The fast path: unw_backtrace (its per-thread trace cache) from the
 * handler crosses the signal frame; the frames from the interrupted PC on
 * are the context's. 0 when the PC is not among them.
 */
static int weft_stack_walk_through_signal(void *uc, uintptr_t *out, int max, int *full)
{
#if defined(__x86_64__)
	uintptr_t pc = (uintptr_t) ((const ucontext_t *) uc)->uc_mcontext.gregs[REG_RIP];
	int n = unw_backtrace((void **) out, max);

	for (int i = 0; i < n && i < WEFT_STACK_SKIP_MAX; i++) {
		if (out[i] == pc) {
			*full = n == max;
			memmove(out, out + i, (size_t) (n - i) * sizeof(*out));
			return n - i;
		}
	}
#else
	(void) uc;
	(void) out;
	(void) max;
	(void) full;
#endif
	return 0;
}

/*
 * The interrupted context's frames, its PC first: libunwind started on the
 * signal frame, or the frame-pointer chain from the interrupted rbp.
 */
static int weft_stack_walk_context(void *uc, uintptr_t *out, int max, int *full)
{
	unw_cursor_t cursor;
	int n = 0;

#if defined(__x86_64__)
	if (weft_rt.stack_unwind == WEFT_UNWIND_FP && weft_stack_hi != 0) {
		const mcontext_t *mc = &((const ucontext_t *) uc)->uc_mcontext;
		uintptr_t sp = (uintptr_t) mc->gregs[REG_RSP];

		if (sp >= weft_stack_lo && sp < weft_stack_hi) {
			out[0] = (uintptr_t) mc->gregs[REG_RIP];
			return 1 + weft_stack_walk_fp_from((uintptr_t) mc->gregs[REG_RBP], sp,
			                                   out + 1, max - 1);
		}
	}
#endif
	n = weft_stack_walk_through_signal(uc, out, max, full);
	if (n > 0) {
		return n;
	}
	n = 0;
	if (unw_init_local2(&cursor, (unw_context_t *) uc, UNW_INIT_SIGNAL_FRAME) < 0) {
		return 0;
	}
	do {
		unw_word_t ip;

		if (unw_get_reg(&cursor, UNW_REG_IP, &ip) < 0 || ip == 0) {
			break;
		}
		out[n++] = (uintptr_t) ip;
	} while (n < max && unw_step(&cursor) > 0);
	return n;
}

uint32_t weft_stack_capture_context(void *uc)
{
	uintptr_t frames[WEFT_STACK_DEPTH_MAX + WEFT_STACK_SKIP_MAX];
	int max = weft_rt.stack_depth + WEFT_STACK_SKIP_MAX;
	int saved_errno;
	int full = 0;
	int flags = 0;
	uint32_t id;
	int raw;

	if (!weft_rt.stacks || !lttng_ust_tracepoint_enabled(weft, stack)) {
		return 0;
	}
	saved_errno = errno;
	weft_nest++;
	raw = weft_stack_walk_context(uc, frames, max, &full);
	/* a leaf inside the runtime is filtered out: the next frame is a return address */
	if (raw > 0 && !weft_stack_is_own(frames[0])) {
		flags |= WEFT_STACK_EXACT;
	}
	if (full) {
		flags |= WEFT_STACK_TRUNCATED;
	}
	id = weft_stack_finish(frames, raw, max, flags);
	weft_nest--;
	errno = saved_errno;
	return id;
}

/* A session started while the program runs: define every stack again. */
void weft_stack_new_generation(void)
{
	atomic_fetch_add(&weft_stack_generation, 1);
}

/* In the child after fork: it starts its own table, ids from 1. */
void weft_stack_after_fork_child(void)
{
	memset(weft_stack_table, 0, sizeof(weft_stack_table));
	atomic_store(&weft_stack_next_id, 1);
	atomic_store(&weft_stack_uncached, 0);
}

/* For tests and diagnostics: definitions emitted because the table was full. */
WEFT_EXPORT unsigned long weft_preload_stack_uncached(void)
{
	return atomic_load(&weft_stack_uncached);
}
