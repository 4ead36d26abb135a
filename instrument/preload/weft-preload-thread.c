/*
 * Threads and processes: creation through a trampoline that emits
 * thread_start in the child, exit on return, pthread_exit or cancellation,
 * join, detach, names; fork with LTTng-UST's fork hooks so the child keeps
 * tracing as its own process; exec.
 *
 * Threads that LTTng-UST starts for itself (and any thread created while
 * the creator runs weft or LTTng code) run with the nesting counter raised
 * for their whole life: nothing they do is recorded.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <lttng/ust-fork.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>

#include "weft-preload-private.h"

WEFT_TLS int weft_thread_known;
static WEFT_TLS const void *weft_exit_ip;

static atomic_uint_fast64_t weft_next_create_id = 1;

struct weft_start {
	void *(*start_routine)(void *);
	void *arg;
	uint64_t create_id;
	int tracer; /* the thread belongs to the tracer: never record it */
};

static const void *weft_fn_addr(void *(*fn)(void *) )
{
	return (const void *) (uintptr_t) fn;
}

static int weft_routine_is_tracer(void *(*fn)(void *) )
{
	Dl_info info;
	const char *base;

	if (!dladdr(weft_fn_addr(fn), &info) || !info.dli_fname) {
		return 0;
	}
	base = strrchr(info.dli_fname, '/');
	base = base ? base + 1 : info.dli_fname;
	return strncmp(base, "liblttng-ust", 12) == 0;
}

static void weft_thread_exit_cleanup(void *data)
{
	const struct weft_start *s = data;
	const void *ip = weft_exit_ip ? weft_exit_ip : weft_fn_addr(s->start_routine);

	if (weft_rt.active) {
		WEFT_EMIT(thread_exit, ip);
	}
	weft_heap_thread_exit();
	weft_cpu_thread_exit();
	weft_thread_known = 0;
}

static void *weft_thread_trampoline(void *data)
{
	struct weft_start s = *(struct weft_start *) data;
	void *ret;

	weft_real.free(data);
	if (s.tracer) {
		weft_nest = 1;
		weft_cpu_tracer_thread();
		return s.start_routine(s.arg);
	}
	weft_thread_known = WEFT_THREAD_TRAMPOLINE;
	weft_nest++;
	weft_cpu_thread_start();
	weft_nest--;
	if (weft_rt.stacks && weft_rt.stack_unwind == WEFT_UNWIND_FP) {
		weft_nest++;
		weft_stack_thread_bounds();
		weft_nest--;
	}
	if (weft_rt_on()) {
		WEFT_EMIT(thread_start, weft_fn_addr(s.start_routine), s.create_id,
		          weft_fn_addr(s.start_routine), (uint64_t) pthread_self());
	}
	pthread_cleanup_push(weft_thread_exit_cleanup, &s);
	ret = s.start_routine(s.arg);
	pthread_cleanup_pop(1);
	return ret;
}

WEFT_EXPORT int pthread_create(pthread_t *thread, const pthread_attr_t *attr,
                               void *(*start_routine)(void *), void *arg)
{
	const void *ip = WEFT_CALLER();
	struct weft_start *s;
	int ret;

	weft_real_ensure();
	s = weft_real.malloc(sizeof(*s));
	if (!s) {
		return weft_real.pthread_create(thread, attr, start_routine, arg);
	}
	s->start_routine = start_routine;
	s->arg = arg;
	s->create_id = atomic_fetch_add(&weft_next_create_id, 1);
	s->tracer =
	    weft_nest > 0 || weft_routine_is_tracer(start_routine) || weft_rt_ip_is_tracer(ip);
	if (!s->tracer && weft_rt_on()) {
		WEFT_EMIT(thread_create, ip, s->create_id, weft_fn_addr(start_routine),
		          weft_stack_capture());
	}
	ret = weft_real.pthread_create(thread, attr, weft_thread_trampoline, s);
	if (ret != 0) {
		weft_real.free(s);
	}
	return ret;
}

WEFT_EXPORT void pthread_exit(void *retval)
{
	weft_real_ensure();
	if (weft_rt_on()) {
		if (weft_thread_known == WEFT_THREAD_TRAMPOLINE) {
			/* the trampoline's cleanup handler emits thread_exit */
			weft_exit_ip = WEFT_CALLER();
		} else {
			WEFT_EMIT(thread_exit, WEFT_CALLER());
		}
	}
	weft_real.pthread_exit(retval);
	__builtin_unreachable();
}

WEFT_EXPORT int pthread_join(pthread_t thread, void **retval)
{
	const void *ip = WEFT_CALLER();
	int ret;

	weft_real_ensure();
	if (!weft_rt_on() || weft_rt_ip_is_tracer(ip)) {
		return weft_real.pthread_join(thread, retval);
	}
	WEFT_EMIT(thread_join_begin, ip, (uint64_t) thread, weft_stack_capture());
	ret = weft_real.pthread_join(thread, retval);
	WEFT_EMIT(thread_join_end, ip, (uint64_t) thread, ret);
	return ret;
}

WEFT_EXPORT int pthread_detach(pthread_t thread)
{
	const void *ip = WEFT_CALLER();
	int ret;

	weft_real_ensure();
	if (!weft_rt_on() || weft_rt_ip_is_tracer(ip)) {
		return weft_real.pthread_detach(thread);
	}
	/* Before the call: once detached, the thread may exit and its id be reused. */
	WEFT_EMIT(thread_detach, ip, (uint64_t) thread);
	ret = weft_real.pthread_detach(thread);
	return ret;
}

WEFT_EXPORT int pthread_setname_np(pthread_t thread, const char *name)
{
	const void *ip = WEFT_CALLER();
	int ret;

	weft_real_ensure();
	ret = weft_real.pthread_setname_np(thread, name);
	if (ret == 0 && weft_rt_on() && !weft_rt_ip_is_tracer(ip)) {
		WEFT_EMIT(thread_name, ip, (uint64_t) thread, name);
	}
	return ret;
}

/* ---- Processes ---- */

static void weft_after_fork_child(void)
{
	weft_waiters_reset();
	weft_stack_after_fork_child();
	atomic_store(&weft_config_seen, 0);
	weft_alloc_after_fork_child();
	weft_cpu_after_fork_child();
}

WEFT_EXPORT pid_t fork(void)
{
	const void *ip = WEFT_CALLER();
	sigset_t sigset;
	pid_t pid;
	int err;

	weft_real_ensure();
	if (!weft_rt.active) {
		return weft_real.fork();
	}
	weft_nest++;
	lttng_ust_before_fork(&sigset);
	pid = weft_real.fork();
	err = errno;
	if (pid == 0) {
		weft_after_fork_child();
		lttng_ust_after_fork_child(&sigset);
	} else {
		lttng_ust_after_fork_parent(&sigset);
	}
	weft_nest--;
	if (pid > 0 && weft_rt_on()) {
		WEFT_EMIT(process_fork, ip, pid);
	}
	errno = err;
	return pid;
}

static void weft_exec_event(const void *ip, const char *path)
{
	if (weft_rt_on() && !weft_rt_ip_is_tracer(ip)) {
		WEFT_EMIT(process_exec, ip, path ? path : "");
	}
	weft_cpu_before_exec();
}

/* exec returned: it failed, sampling goes on, with the failure's errno. */
static int weft_exec_returned(int ret)
{
	int saved_errno = errno;

	weft_cpu_exec_failed();
	errno = saved_errno;
	return ret;
}

WEFT_EXPORT int execve(const char *path, char *const argv[], char *const envp[])
{
	weft_real_ensure();
	weft_exec_event(WEFT_CALLER(), path);
	return weft_exec_returned(weft_real.execve(path, argv, envp));
}

WEFT_EXPORT int execv(const char *path, char *const argv[])
{
	weft_real_ensure();
	weft_exec_event(WEFT_CALLER(), path);
	return weft_exec_returned(weft_real.execv(path, argv));
}

WEFT_EXPORT int execvp(const char *file, char *const argv[])
{
	weft_real_ensure();
	weft_exec_event(WEFT_CALLER(), file);
	return weft_exec_returned(weft_real.execvp(file, argv));
}

WEFT_EXPORT int execvpe(const char *file, char *const argv[], char *const envp[])
{
	weft_real_ensure();
	weft_exec_event(WEFT_CALLER(), file);
	return weft_exec_returned(weft_real.execvpe(file, argv, envp));
}

/*
 * The execl family: glibc builds the argument vector and calls its internal
 * execve, which no wrapper sees; these do what glibc does, through the
 * real execv/execve/execvp, after recording the exec.
 */
/* As glibc does: at most INT_MAX - 1 arguments, else E2BIG. */
#define WEFT_MAX_ARGS ((size_t) INT_MAX)

static size_t weft_count_args(const char *arg, va_list ap)
{
	size_t n = 1;

	if (!arg) {
		return 0;
	}
	while (va_arg(ap, const char *) && n < WEFT_MAX_ARGS) {
		n++;
	}
	return n;
}

static __attribute__((noinline)) void weft_fill_args(char **argv, size_t n, const char *arg,
                                                     va_list ap)
{
	argv[n] = NULL;
	if (n == 0) {
		return;
	}
	argv[0] = (char *) arg;
	for (size_t i = 1; i < n; i++) {
		argv[i] = va_arg(ap, char *);
	}
}

enum weft_execl_kind { WEFT_EXECL, WEFT_EXECLP, WEFT_EXECLE };

/* The shared body of execl, execlp and execle; ap starts after arg. */
static int weft_execl_common(const void *ip, enum weft_execl_kind kind, const char *path,
                             const char *arg, va_list ap)
{
	char *const *envp = NULL;
	va_list count;
	size_t n;

	weft_real_ensure();
	va_copy(count, ap);
	n = weft_count_args(arg, count);
	va_end(count);
	if (n >= WEFT_MAX_ARGS) {
		errno = E2BIG;
		return -1;
	}
	{
		char *argv[n + 1];

		weft_fill_args(argv, n, arg, ap);
		if (kind == WEFT_EXECLE) {
			if (n > 0) {
				(void) va_arg(ap, char *); /* the terminating NULL */
			}
			envp = va_arg(ap, char *const *);
		}
		weft_exec_event(ip, path);
		switch (kind) {
		case WEFT_EXECLP:
			return weft_exec_returned(weft_real.execvp(path, argv));
		case WEFT_EXECLE:
			return weft_exec_returned(weft_real.execve(path, argv, envp));
		default:
			return weft_exec_returned(weft_real.execv(path, argv));
		}
	}
}

WEFT_EXPORT int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg);
	ret = weft_execl_common(WEFT_CALLER(), WEFT_EXECL, path, arg, ap);
	va_end(ap);
	return ret;
}

WEFT_EXPORT int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg);
	ret = weft_execl_common(WEFT_CALLER(), WEFT_EXECLP, file, arg, ap);
	va_end(ap);
	return ret;
}

WEFT_EXPORT int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	int ret;

	va_start(ap, arg);
	ret = weft_execl_common(WEFT_CALLER(), WEFT_EXECLE, path, arg, ap);
	va_end(ap);
	return ret;
}
