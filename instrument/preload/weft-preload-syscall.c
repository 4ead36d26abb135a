/*
 * Blocking system calls: syscall_begin(kind, fd) before the real call,
 * syscall_end(kind, ret) after it; ret is the return value, or -errno when
 * the call failed with -1. WEFT_SYSCALLS=off turns them off. A call that
 * lasted at least WEFT_STACK_SYSCALL_MIN gets the caller's stack, captured
 * after it returned (the caller's frames have not changed).
 *
 * Only calls that reach these symbols are seen: glibc's own internal calls
 * (stdio's buffered I/O, sleep() calling nanosleep) use internal aliases.
 */
#undef _FORTIFY_SOURCE
#undef _FILE_OFFSET_BITS /* pread/pwrite and their 64 variants are both wrapped */
#define _GNU_SOURCE
#include <unistd.h>
#include <sys/wait.h>

#include "weft-preload-private.h"

static inline int weft_sys_on(const void *ip)
{
	return weft_rt_on() && weft_rt.syscalls == WEFT_SYSCALLS_ALL &&
	       lttng_ust_tracepoint_enabled(weft, syscall_begin) && !weft_rt_ip_is_tracer(ip);
}

/* The start time when a stack may be captured at the end, else 0. */
static inline uint64_t weft_sys_start(void)
{
	return weft_rt.stacks && lttng_ust_tracepoint_enabled(weft, stack) ? weft_now() : 0;
}

static inline void weft_sys_end(const void *ip, int kind, int64_t ret, uint64_t start)
{
	int64_t value = ret == -1 ? -(int64_t) errno : ret;
	uint32_t stack = 0;

	if (start != 0 && weft_now() - start >= weft_rt.stack_syscall_min) {
		stack = weft_stack_capture();
	}
	WEFT_EMIT(syscall_end, ip, kind, value, stack);
}

/* The body of every wrapper: `call` is the real call, `type` its result. */
#define WEFT_SYSCALL_BODY(kind, fd, type, call)                                 \
	do {                                                                    \
		const void *weft_ip_ = WEFT_CALLER();                           \
		uint64_t weft_start_;                                           \
		type weft_ret_;                                                 \
                                                                                \
		weft_real_ensure();                                             \
		if (!weft_sys_on(weft_ip_)) {                                   \
			return weft_real.call;                                  \
		}                                                               \
		WEFT_EMIT(syscall_begin, weft_ip_, kind, fd);                   \
		weft_start_ = weft_sys_start();                                 \
		weft_ret_ = weft_real.call;                                     \
		weft_sys_end(weft_ip_, kind, (int64_t) weft_ret_, weft_start_); \
		return weft_ret_;                                               \
	} while (0)

static inline int weft_poll_fd(const struct pollfd *fds, nfds_t n)
{
	return n == 1 && fds ? fds[0].fd : -1;
}

WEFT_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_READ, fd, ssize_t, read(fd, buf, n));
}

WEFT_EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_WRITE, fd, ssize_t, write(fd, buf, n));
}

WEFT_EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_PREAD, fd, ssize_t, pread(fd, buf, n, off));
}

WEFT_EXPORT ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_PWRITE, fd, ssize_t, pwrite(fd, buf, n, off));
}

WEFT_EXPORT ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_PREAD, fd, ssize_t, pread64(fd, buf, n, off));
}

WEFT_EXPORT ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_PWRITE, fd, ssize_t, pwrite64(fd, buf, n, off));
}

WEFT_EXPORT ssize_t readv(int fd, const struct iovec *iov, int n)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_READV, fd, ssize_t, readv(fd, iov, n));
}

WEFT_EXPORT ssize_t writev(int fd, const struct iovec *iov, int n)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_WRITEV, fd, ssize_t, writev(fd, iov, n));
}

WEFT_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_RECV, fd, ssize_t, recv(fd, buf, n, flags));
}

WEFT_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *addr,
                             socklen_t *len)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_RECVFROM, fd, ssize_t,
	                  recvfrom(fd, buf, n, flags, addr, len));
}

WEFT_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_RECVMSG, fd, ssize_t, recvmsg(fd, msg, flags));
}

WEFT_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_SEND, fd, ssize_t, send(fd, buf, n, flags));
}

WEFT_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags,
                           const struct sockaddr *addr, socklen_t len)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_SENDTO, fd, ssize_t, sendto(fd, buf, n, flags, addr, len));
}

WEFT_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_SENDMSG, fd, ssize_t, sendmsg(fd, msg, flags));
}

WEFT_EXPORT int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_ACCEPT, fd, int, accept(fd, addr, len));
}

WEFT_EXPORT int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_ACCEPT4, fd, int, accept4(fd, addr, len, flags));
}

WEFT_EXPORT int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_CONNECT, fd, int, connect(fd, addr, len));
}

WEFT_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_POLL, weft_poll_fd(fds, n), int, poll(fds, n, timeout));
}

WEFT_EXPORT int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout,
                      const sigset_t *mask)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_PPOLL, weft_poll_fd(fds, n), int,
	                  ppoll(fds, n, timeout, mask));
}

WEFT_EXPORT int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *timeout)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_SELECT, -1, int, select(nfds, r, w, e, timeout));
}

WEFT_EXPORT int pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *timeout,
                        const sigset_t *mask)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_PSELECT, -1, int, pselect(nfds, r, w, e, timeout, mask));
}

WEFT_EXPORT int epoll_wait(int epfd, struct epoll_event *ev, int n, int timeout)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_EPOLL_WAIT, epfd, int, epoll_wait(epfd, ev, n, timeout));
}

WEFT_EXPORT int epoll_pwait(int epfd, struct epoll_event *ev, int n, int timeout,
                            const sigset_t *mask)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_EPOLL_PWAIT, epfd, int,
	                  epoll_pwait(epfd, ev, n, timeout, mask));
}

WEFT_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_NANOSLEEP, -1, int, nanosleep(req, rem));
}

/* Returns an error number, not -1: recorded as is. */
WEFT_EXPORT int clock_nanosleep(clockid_t clock, int flags, const struct timespec *req,
                                struct timespec *rem)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_CLOCK_NANOSLEEP, -1, int,
	                  clock_nanosleep(clock, flags, req, rem));
}

WEFT_EXPORT int usleep(useconds_t usec)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_USLEEP, -1, int, usleep(usec));
}

WEFT_EXPORT unsigned int sleep(unsigned int seconds)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_SLEEP, -1, unsigned int, sleep(seconds));
}

WEFT_EXPORT int fsync(int fd)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_FSYNC, fd, int, fsync(fd));
}

WEFT_EXPORT int fdatasync(int fd)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_FDATASYNC, fd, int, fdatasync(fd));
}

WEFT_EXPORT pid_t wait(int *status)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_WAIT, -1, pid_t, wait(status));
}

/* fd carries the pid waited for. */
WEFT_EXPORT pid_t waitpid(pid_t pid, int *status, int options)
{
	WEFT_SYSCALL_BODY(WEFT_SYSCALL_WAITPID, pid, pid_t, waitpid(pid, status, options));
}
