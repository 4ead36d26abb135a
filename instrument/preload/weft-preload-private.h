/*
 * libweft-preload.so: shared-but-not-public declarations of the runtime.
 *
 * Every wrapper follows one pattern: make sure the table of real functions
 * is resolved, take the pass-through path when the runtime is inert, when
 * the category is off or when the calling thread is already inside weft or
 * LTTng code (the nesting counter), and otherwise call the real function,
 * emitting events around it without lengthening what it observes. Events
 * pass the wrapper's return address as the call site.
 */
#ifndef WEFT_PRELOAD_PRIVATE_H
#define WEFT_PRELOAD_PRIVATE_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>

#include "weft-provider.h"
#include "weft-schema.h"

#define WEFT_EXPORT __attribute__((visibility("default")))
#define WEFT_LIKELY(x) __builtin_expect(!!(x), 1)
#define WEFT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define WEFT_CALLER() ((const void *) __builtin_return_address(0))
#define WEFT_TLS __thread __attribute__((tls_model("initial-exec")))

enum weft_locks_mode {
	WEFT_LOCKS_CONTENDED = 0,
	WEFT_LOCKS_ALL,
	WEFT_LOCKS_OFF,
};

enum weft_alloc_mode {
	WEFT_ALLOCS_SAMPLED = 0,
	WEFT_ALLOCS_FULL,
	WEFT_ALLOCS_OFF,
};

enum weft_syscalls_mode {
	WEFT_SYSCALLS_ALL = 0,
	WEFT_SYSCALLS_OFF,
};

enum weft_unwind_mode {
	WEFT_UNWIND_DWARF = 0,
	WEFT_UNWIND_FP,
};

/* WEFT_STACK_DEPTH is clamped to [1, WEFT_STACK_DEPTH_MAX]. */
#define WEFT_STACK_DEPTH_DEFAULT 64
#define WEFT_STACK_DEPTH_MAX 256
/* Room for the runtime's own frames, dropped after the walk. */
#define WEFT_STACK_SKIP_MAX 16
#define WEFT_STACK_SYSCALL_MIN_DEFAULT 10000

/* Settings, read once from the environment by the constructor. */
struct weft_rt {
	int active;                 /* 0 before the constructor ran, and under AT_SECURE */
	int locks;                  /* enum weft_locks_mode */
	int alloc;                  /* enum weft_alloc_mode */
	int syscalls;               /* enum weft_syscalls_mode */
	uint64_t alloc_sample;      /* mean bytes between sampled allocations */
	int stacks;                 /* 1: capture call stacks (WEFT_STACKS=on) */
	int stack_depth;            /* frames kept per stack */
	int stack_unwind;           /* enum weft_unwind_mode */
	uint64_t stack_syscall_min; /* ns: shorter system calls get no stack */
	int cpu_hz;                 /* CPU samples per second of thread CPU time, 0: off */
	int cpu_signal;             /* the real-time signal the sampling timers send */
};

extern struct weft_rt weft_rt;

/* The real functions, next in the lookup order after this library. */
#define WEFT_REAL_FUNCS(X)                                                                         \
	X(malloc, void *, (size_t))                                                                \
	X(calloc, void *, (size_t, size_t))                                                        \
	X(realloc, void *, (void *, size_t))                                                       \
	X(free, void, (void *) )                                                                   \
	X(posix_memalign, int, (void **, size_t, size_t))                                          \
	X(aligned_alloc, void *, (size_t, size_t))                                                 \
	X(memalign, void *, (size_t, size_t))                                                      \
	X(valloc, void *, (size_t))                                                                \
	X(malloc_usable_size, size_t, (void *) )                                                   \
	X(pthread_mutex_lock, int, (pthread_mutex_t *) )                                           \
	X(pthread_mutex_trylock, int, (pthread_mutex_t *) )                                        \
	X(pthread_mutex_timedlock, int, (pthread_mutex_t *, const struct timespec *) )             \
	X(pthread_mutex_unlock, int, (pthread_mutex_t *) )                                         \
	X(pthread_rwlock_rdlock, int, (pthread_rwlock_t *) )                                       \
	X(pthread_rwlock_wrlock, int, (pthread_rwlock_t *) )                                       \
	X(pthread_rwlock_tryrdlock, int, (pthread_rwlock_t *) )                                    \
	X(pthread_rwlock_trywrlock, int, (pthread_rwlock_t *) )                                    \
	X(pthread_rwlock_timedrdlock, int, (pthread_rwlock_t *, const struct timespec *) )         \
	X(pthread_rwlock_timedwrlock, int, (pthread_rwlock_t *, const struct timespec *) )         \
	X(pthread_rwlock_unlock, int, (pthread_rwlock_t *) )                                       \
	X(pthread_spin_lock, int, (pthread_spinlock_t *) )                                         \
	X(pthread_spin_trylock, int, (pthread_spinlock_t *) )                                      \
	X(pthread_spin_unlock, int, (pthread_spinlock_t *) )                                       \
	X(pthread_cond_wait, int, (pthread_cond_t *, pthread_mutex_t *) )                          \
	X(pthread_cond_timedwait, int,                                                             \
	  (pthread_cond_t *, pthread_mutex_t *, const struct timespec *) )                         \
	X(pthread_cond_signal, int, (pthread_cond_t *) )                                           \
	X(pthread_cond_broadcast, int, (pthread_cond_t *) )                                        \
	X(sem_wait, int, (sem_t *) )                                                               \
	X(sem_timedwait, int, (sem_t *, const struct timespec *) )                                 \
	X(sem_trywait, int, (sem_t *) )                                                            \
	X(sem_post, int, (sem_t *) )                                                               \
	X(pthread_barrier_wait, int, (pthread_barrier_t *) )                                       \
	X(pthread_create, int, (pthread_t *, const pthread_attr_t *, void *(*) (void *), void *) ) \
	X(pthread_exit, void, (void *) )                                                           \
	X(pthread_join, int, (pthread_t, void **) )                                                \
	X(pthread_detach, int, (pthread_t))                                                        \
	X(pthread_setname_np, int, (pthread_t, const char *) )                                     \
	X(fork, pid_t, (void) )                                                                    \
	X(execve, int, (const char *, char *const[], char *const[]))                               \
	X(execv, int, (const char *, char *const[]))                                               \
	X(execvp, int, (const char *, char *const[]))                                              \
	X(execvpe, int, (const char *, char *const[], char *const[]))                              \
	X(read, ssize_t, (int, void *, size_t))                                                    \
	X(write, ssize_t, (int, const void *, size_t))                                             \
	X(pread, ssize_t, (int, void *, size_t, off_t))                                            \
	X(pwrite, ssize_t, (int, const void *, size_t, off_t))                                     \
	X(pread64, ssize_t, (int, void *, size_t, off64_t))                                        \
	X(pwrite64, ssize_t, (int, const void *, size_t, off64_t))                                 \
	X(readv, ssize_t, (int, const struct iovec *, int) )                                       \
	X(writev, ssize_t, (int, const struct iovec *, int) )                                      \
	X(recv, ssize_t, (int, void *, size_t, int) )                                              \
	X(recvfrom, ssize_t, (int, void *, size_t, int, struct sockaddr *, socklen_t *) )          \
	X(recvmsg, ssize_t, (int, struct msghdr *, int) )                                          \
	X(send, ssize_t, (int, const void *, size_t, int) )                                        \
	X(sendto, ssize_t, (int, const void *, size_t, int, const struct sockaddr *, socklen_t))   \
	X(sendmsg, ssize_t, (int, const struct msghdr *, int) )                                    \
	X(accept, int, (int, struct sockaddr *, socklen_t *) )                                     \
	X(accept4, int, (int, struct sockaddr *, socklen_t *, int) )                               \
	X(connect, int, (int, const struct sockaddr *, socklen_t))                                 \
	X(poll, int, (struct pollfd *, nfds_t, int) )                                              \
	X(ppoll, int, (struct pollfd *, nfds_t, const struct timespec *, const sigset_t *) )       \
	X(select, int, (int, fd_set *, fd_set *, fd_set *, struct timeval *) )                     \
	X(pselect, int,                                                                            \
	  (int, fd_set *, fd_set *, fd_set *, const struct timespec *, const sigset_t *) )         \
	X(epoll_wait, int, (int, struct epoll_event *, int, int) )                                 \
	X(epoll_pwait, int, (int, struct epoll_event *, int, int, const sigset_t *) )              \
	X(nanosleep, int, (const struct timespec *, struct timespec *) )                           \
	X(clock_nanosleep, int, (clockid_t, int, const struct timespec *, struct timespec *) )     \
	X(usleep, int, (useconds_t))                                                               \
	X(sleep, unsigned int, (unsigned int) )                                                    \
	X(fsync, int, (int) )                                                                      \
	X(fdatasync, int, (int) )                                                                  \
	X(wait, pid_t, (int *) )                                                                   \
	X(waitpid, pid_t, (pid_t, int *, int) )                                                    \
	X(sigaction, int, (int, const struct sigaction *, struct sigaction *) )                    \
	X(signal, sighandler_t, (int, sighandler_t))

#define WEFT_REAL_FIELD(name, ret, args) ret(*name) args;
struct weft_real {
	WEFT_REAL_FUNCS(WEFT_REAL_FIELD)
};
#undef WEFT_REAL_FIELD

extern struct weft_real weft_real;
extern atomic_int weft_real_resolved;

/* Nesting counter: > 0 while this thread runs weft or LTTng code. */
extern WEFT_TLS int weft_nest;

void weft_real_resolve(void);

static inline void weft_real_ensure(void)
{
	if (WEFT_UNLIKELY(!atomic_load_explicit(&weft_real_resolved, memory_order_acquire))) {
		weft_real_resolve();
	}
}

/* The common "should this wrapper record anything" test. */
static inline int weft_rt_on(void)
{
	return WEFT_LIKELY(weft_rt.active) && WEFT_LIKELY(weft_nest == 0);
}

/*
 * Emit one event: errno is saved and restored around the probe, and the
 * nesting counter keeps LTTng's own calls (allocations, locks, the
 * wake-up write) out of the wrappers.
 */
#define WEFT_EMIT(name, ...)                                              \
	do {                                                              \
		if (lttng_ust_tracepoint_enabled(weft, name)) {           \
			int weft_saved_errno_ = errno;                    \
			weft_nest++;                                      \
			weft_rt_poll_config();                            \
			lttng_ust_do_tracepoint(weft, name, __VA_ARGS__); \
			weft_nest--;                                      \
			errno = weft_saved_errno_;                        \
		}                                                         \
	} while (0)

/*
 * runtime_config is emitted when the runtime starts, whenever the event
 * goes from disabled to enabled (a session created while the program
 * runs), and again at most every WEFT_CONFIG_PERIOD_NS while it stays
 * enabled: a session's events are enabled before the session starts, so
 * the first emission may happen before anything is recorded. The clock is
 * read only every WEFT_CONFIG_EVERY events of a thread. Called with
 * weft_nest raised.
 */
#define WEFT_CONFIG_PERIOD_NS 250000000u
#define WEFT_CONFIG_EVERY 64
extern atomic_int weft_config_seen;
extern WEFT_TLS int weft_config_countdown;
void weft_rt_config_changed(int enabled);
void weft_rt_config_refresh(void);

static inline void weft_rt_poll_config(void)
{
	int on = lttng_ust_tracepoint_enabled(weft, runtime_config) ? 1 : 0;

	if (WEFT_UNLIKELY(on != atomic_load_explicit(&weft_config_seen, memory_order_relaxed))) {
		weft_rt_config_changed(on);
	} else if (on && WEFT_UNLIKELY(--weft_config_countdown <= 0)) {
		weft_rt_config_refresh();
	}
}

/* A call site inside LTTng-UST or libweft: never record it. */
int weft_rt_ip_is_tracer(const void *ip);

/* CLOCK_MONOTONIC nanoseconds: the clock LTTng-UST timestamps with. */
static inline uint64_t weft_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

/* Static bump allocator for allocations made while dlsym runs. */
extern WEFT_TLS int weft_in_dlsym;
void *weft_bump_alloc(size_t size, size_t align);
int weft_bump_owns(const void *ptr);
size_t weft_bump_size(const void *ptr);
size_t weft_preload_bump_bytes(void);

/* Lock-free tables keyed by object address (weft-preload-table.c). */
atomic_int *weft_waiters_slot(const void *obj);
int weft_waiters_get(const void *obj);
void weft_waiters_reset(void);
int weft_sampled_insert(const void *ptr);
int weft_sampled_remove(const void *ptr);

/* Lock bookkeeping shared with the condvar wrappers (weft-preload-lock.c). */
void weft_lock_release_now(const void *ip, const void *lock, int kind);
void weft_lock_hold_acquired(const void *ip, const void *lock, int kind);

/*
 * Call stacks (weft-preload-stack.c). weft_stack_capture: the calling
 * thread's stack id, defined by a weft:stack event first if it is new; 0
 * when stacks are off or the walk found no frame. Async-signal-safe; call
 * it where nothing is emitted yet (never while the program's lock is held
 * by this wrapper).
 */
void weft_stack_init(void);
void weft_stack_thread_bounds(void);
uint32_t weft_stack_capture(void);
/* The same for the context a signal interrupted (a ucontext_t): exact leaf. */
uint32_t weft_stack_capture_context(void *uc);
void weft_stack_new_generation(void);
void weft_stack_after_fork_child(void);

/* Heap accounting (weft-preload-alloc.c). */
void weft_heap_thread_exit(void);
void weft_heap_force_emit(void);
void weft_alloc_after_fork_child(void);

/*
 * CPU sampling (weft-preload-cpu.c): a CPU-time timer per thread that
 * sends cpu_signal to that thread; the handler emits weft:cpu_sample.
 */
#define WEFT_CPU_HZ_DEFAULT 99
#define WEFT_CPU_HZ_MAX 10000
void weft_cpu_init(void);
void weft_cpu_thread_start(void);
void weft_cpu_thread_exit(void);
void weft_cpu_tracer_thread(void);
void weft_cpu_after_fork_child(void);
void weft_cpu_before_exec(void);
void weft_cpu_exec_failed(void);

/*
 * Threads (weft-preload-thread.c). weft_thread_known: 0 for threads the
 * runtime did not see start, WEFT_THREAD_MAIN for the thread that ran the
 * constructor, WEFT_THREAD_TRAMPOLINE for threads started through it.
 */
#define WEFT_THREAD_MAIN 1
#define WEFT_THREAD_TRAMPOLINE 2
extern WEFT_TLS int weft_thread_known;

#endif /* WEFT_PRELOAD_PRIVATE_H */
