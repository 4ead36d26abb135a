/*
 * CPU sampling: every traced thread owns a POSIX timer on its own CPU-time
 * clock that sends weft's real-time signal to that thread (SIGEV_THREAD_ID,
 * the scheme of Go's runtime since 1.18), so a thread is sampled in
 * proportion to the CPU time it uses, whatever the other threads do. The
 * handler unwinds the interrupted context and emits weft:cpu_sample.
 *
 * The handler is async-signal-safe: it never allocates nor locks, keeps
 * errno, and drops the sample (counted as lost in the next one) when the
 * thread was inside weft or LTTng code (the nesting counter), so nothing
 * the runtime does is re-entered. SA_RESTART: no call of the program sees
 * an EINTR it would not have seen.
 *
 * The signal is weft's own (WEFT_CPU_SIGNAL, default SIGRTMIN+4), never
 * SIGPROF. A program that installs a handler for it takes it back: every
 * timer is disarmed and sampling stops for the process.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "weft-preload-private.h"

/* Timers of live threads, keyed by tid: the claim that stops double arming. */
#define WEFT_CPU_TIMERS 4096
/* Threads of the tracer (LTTng-UST's), never sampled. */
#define WEFT_CPU_TRACER_TIDS 32
/* Offset of the default signal from SIGRTMIN. */
#define WEFT_CPU_SIGNAL_OFFSET 4

struct weft_cpu_timer {
	_Atomic pid_t tid; /* 0: free */
	timer_t timer;     /* valid once armed is set */
	atomic_int armed;
};

static struct weft_cpu_timer weft_cpu_timers[WEFT_CPU_TIMERS];
static _Atomic pid_t weft_cpu_tracer_tids[WEFT_CPU_TRACER_TIDS];
static atomic_int weft_cpu_running; /* the handler is installed and not taken back */
static uint64_t weft_cpu_period_ns;

/* Samples this thread dropped since its last event (inside the tracer). */
static WEFT_TLS uint32_t weft_cpu_dropped;
/* This thread's slot in weft_cpu_timers, or NULL. */
static WEFT_TLS struct weft_cpu_timer *weft_cpu_slot;

static pid_t weft_gettid(void)
{
	return (pid_t) syscall(SYS_gettid);
}

static void weft_cpu_handler(int sig, siginfo_t *si, void *uc)
{
	int saved_errno = errno;
	uint32_t lost;

	(void) sig;
	if (si->si_code != SI_TIMER || !weft_rt.active) {
		goto end;
	}
	lost = (uint32_t) (si->si_overrun > 0 ? si->si_overrun : 0);
	if (weft_nest > 0 || weft_in_dlsym > 0) {
		weft_cpu_dropped += 1 + lost;
		goto end;
	}
	if (lttng_ust_tracepoint_enabled(weft, cpu_sample)) {
		const ucontext_t *ctx = uc;
		uint32_t stack = weft_stack_capture_context(uc);
		const void *pc = NULL;

#if defined(__x86_64__)
		pc = (const void *) ctx->uc_mcontext.gregs[REG_RIP];
#endif
		(void) ctx;
		WEFT_EMIT(cpu_sample, pc, weft_cpu_period_ns, lost + weft_cpu_dropped, stack);
		weft_cpu_dropped = 0;
	}
end:
	errno = saved_errno;
}

/* The slot for tid, claimed for the caller; NULL when another holds it or none is free. */
static struct weft_cpu_timer *weft_cpu_claim(pid_t tid)
{
	struct weft_cpu_timer *free_slot = NULL;

	for (int i = 0; i < WEFT_CPU_TIMERS; i++) {
		pid_t cur = atomic_load(&weft_cpu_timers[i].tid);

		if (cur == tid) {
			return NULL;
		}
		if (cur == 0 && !free_slot) {
			free_slot = &weft_cpu_timers[i];
		}
	}
	for (; free_slot < weft_cpu_timers + WEFT_CPU_TIMERS; free_slot++) {
		pid_t empty = 0;

		if (atomic_compare_exchange_strong(&free_slot->tid, &empty, tid)) {
			return free_slot;
		}
	}
	return NULL;
}

static void weft_cpu_release(struct weft_cpu_timer *slot)
{
	if (atomic_exchange(&slot->armed, 0)) {
		timer_delete(slot->timer);
	}
	atomic_store(&slot->tid, 0);
}

/* Arms a timer on clock that signals thread tid every period of that clock. */
static int weft_cpu_arm(struct weft_cpu_timer *slot, clockid_t clock, pid_t tid)
{
	struct sigevent sev;
	struct itimerspec its;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = weft_rt.cpu_signal;
	sev._sigev_un._tid = tid; /* sigev_notify_thread_id, which older glibc headers lack */
	if (timer_create(clock, &sev, &slot->timer) != 0) {
		atomic_store(&slot->tid, 0);
		return -1;
	}
	atomic_store(&slot->armed, 1);
	its.it_interval.tv_sec = (time_t) (weft_cpu_period_ns / 1000000000u);
	its.it_interval.tv_nsec = (long) (weft_cpu_period_ns % 1000000000u);
	its.it_value = its.it_interval;
	if (!atomic_load(&weft_cpu_running) || timer_settime(slot->timer, 0, &its, NULL) != 0) {
		weft_cpu_release(slot);
		return -1;
	}
	return 0;
}

static int weft_cpu_is_tracer_tid(pid_t tid)
{
	for (int i = 0; i < WEFT_CPU_TRACER_TIDS; i++) {
		if (atomic_load(&weft_cpu_tracer_tids[i]) == tid) {
			return 1;
		}
	}
	return 0;
}

/* A thread of the tracer: never armed by the scan of the process's threads. */
void weft_cpu_tracer_thread(void)
{
	pid_t tid = weft_gettid();

	for (int i = 0; i < WEFT_CPU_TRACER_TIDS; i++) {
		pid_t empty = 0;

		if (atomic_compare_exchange_strong(&weft_cpu_tracer_tids[i], &empty, tid)) {
			return;
		}
	}
}

/* The calling thread's own timer, on CLOCK_THREAD_CPUTIME_ID. */
void weft_cpu_thread_start(void)
{
	struct weft_cpu_timer *slot;
	pid_t tid;

	if (!atomic_load(&weft_cpu_running)) {
		return;
	}
	tid = weft_gettid();
	slot = weft_cpu_claim(tid);
	if (slot && weft_cpu_arm(slot, CLOCK_THREAD_CPUTIME_ID, tid) == 0) {
		weft_cpu_slot = slot;
	}
}

void weft_cpu_thread_exit(void)
{
	struct weft_cpu_timer *slot = weft_cpu_slot;

	if (slot) {
		weft_cpu_slot = NULL;
		weft_cpu_release(slot);
	}
}

/*
 * Linux's CPU clock of another thread of this process, as glibc's
 * pthread_getcpuclockid builds it: (~tid << 3) | CPUCLOCK_PERTHREAD |
 * CPUCLOCK_SCHED.
 */
static clockid_t weft_cpu_thread_clock(pid_t tid)
{
	return (clockid_t) ((~(unsigned int) tid << 3) | 4u | 2u);
}

/* Threads that ran before the constructor (other constructors started them). */
static void weft_cpu_arm_existing(void)
{
	DIR *dir = opendir("/proc/self/task");
	pid_t self = weft_gettid();
	struct dirent *de;

	if (!dir) {
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		pid_t tid = (pid_t) strtol(de->d_name, NULL, 10);
		struct weft_cpu_timer *slot;

		if (tid <= 0 || tid == self || weft_cpu_is_tracer_tid(tid)) {
			continue;
		}
		slot = weft_cpu_claim(tid);
		if (slot) {
			weft_cpu_arm(slot, weft_cpu_thread_clock(tid), tid);
		}
	}
	closedir(dir);
}

/* Every timer stops; the program's handler gets no signal of weft's. */
static void weft_cpu_stop(void)
{
	static const struct itimerspec zero;
	struct sigaction ign;

	if (!atomic_exchange(&weft_cpu_running, 0)) {
		return;
	}
	for (int i = 0; i < WEFT_CPU_TIMERS; i++) {
		if (atomic_load(&weft_cpu_timers[i].armed)) {
			timer_settime(weft_cpu_timers[i].timer, 0, &zero, NULL);
		}
	}
	/* an expiry already pending is discarded */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	weft_real.sigaction(weft_rt.cpu_signal, &ign, NULL);
}

static int weft_cpu_install(void)
{
	struct sigaction sa, old;

	if (weft_real.sigaction(weft_rt.cpu_signal, NULL, &old) != 0 ||
	    ((old.sa_flags & SA_SIGINFO) == 0 && old.sa_handler != SIG_DFL &&
	     old.sa_handler != SIG_IGN)) {
		return -1; /* the program's own */
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = weft_cpu_handler;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	return weft_real.sigaction(weft_rt.cpu_signal, &sa, NULL);
}

/* The signal number from WEFT_CPU_SIGNAL: N or RTMIN+N, within the real-time range. */
static int weft_cpu_parse_signal(void)
{
	const char *value = getenv("WEFT_CPU_SIGNAL");
	int base = 0;
	char *end = NULL;
	long n;

	if (!value || !*value) {
		return SIGRTMIN + WEFT_CPU_SIGNAL_OFFSET;
	}
	if (strncmp(value, "RTMIN+", 6) == 0) {
		base = SIGRTMIN;
		value += 6;
	}
	n = strtol(value, &end, 10);
	if (*end || base + n < SIGRTMIN || base + n > SIGRTMAX) {
		return SIGRTMIN + WEFT_CPU_SIGNAL_OFFSET;
	}
	return (int) (base + n);
}

static int weft_cpu_parse_hz(void)
{
	const char *value = getenv("WEFT_CPU_HZ");
	char *end = NULL;
	long n;

	if (!value || !*value) {
		return WEFT_CPU_HZ_DEFAULT;
	}
	n = strtol(value, &end, 10);
	if (*end || n < 0) {
		return WEFT_CPU_HZ_DEFAULT;
	}
	return n > WEFT_CPU_HZ_MAX ? WEFT_CPU_HZ_MAX : (int) n;
}

/* From the constructor, on the main thread, with the nesting counter raised. */
void weft_cpu_init(void)
{
	weft_rt.cpu_hz = weft_cpu_parse_hz();
	weft_rt.cpu_signal = weft_cpu_parse_signal();
	if (weft_rt.cpu_hz == 0 || weft_cpu_install() != 0) {
		weft_rt.cpu_hz = 0;
		return;
	}
	weft_cpu_period_ns = 1000000000u / (uint64_t) weft_rt.cpu_hz;
	atomic_store(&weft_cpu_running, 1);
	weft_cpu_thread_start();
	weft_cpu_arm_existing();
}

/* Timers are not inherited: the child re-arms the thread that forked. */
void weft_cpu_after_fork_child(void)
{
	for (int i = 0; i < WEFT_CPU_TIMERS; i++) {
		atomic_store(&weft_cpu_timers[i].armed, 0);
		atomic_store(&weft_cpu_timers[i].tid, 0);
	}
	weft_cpu_slot = NULL;
	weft_cpu_dropped = 0;
	weft_cpu_thread_start();
}

/*
 * exec deletes the timers but keeps a signal already pending, which the new
 * image would take with the default action (termination): the signal is
 * ignored across the call, which discards it; the new image's runtime
 * installs its handler again.
 */
void weft_cpu_before_exec(void)
{
	struct sigaction ign;

	if (!atomic_load(&weft_cpu_running)) {
		return;
	}
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	weft_real.sigaction(weft_rt.cpu_signal, &ign, NULL);
}

void weft_cpu_exec_failed(void)
{
	if (atomic_load(&weft_cpu_running)) {
		weft_cpu_install();
	}
}

/* ---- The program's handlers ---- */

static void weft_cpu_program_takes(int sig, int installs)
{
	if (installs && weft_nest == 0 && sig == weft_rt.cpu_signal &&
	    atomic_load(&weft_cpu_running)) {
		weft_cpu_stop();
	}
}

WEFT_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	weft_real_ensure();
	weft_cpu_program_takes(sig, act != NULL);
	return weft_real.sigaction(sig, act, old);
}

WEFT_EXPORT sighandler_t signal(int sig, sighandler_t handler)
{
	weft_real_ensure();
	weft_cpu_program_takes(sig, 1);
	return weft_real.signal(sig, handler);
}

/* For tests and diagnostics: timers armed now in this process. */
WEFT_EXPORT int weft_preload_cpu_timers(void)
{
	int n = 0;

	for (int i = 0; i < WEFT_CPU_TIMERS; i++) {
		n += atomic_load(&weft_cpu_timers[i].armed) != 0;
	}
	return n;
}
