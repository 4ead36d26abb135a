/*
 * Integer values of the enumerations in the `weft` event schema
 * (weft-provider.h). The two must agree: they are the trace format.
 */
#ifndef WEFT_SCHEMA_H
#define WEFT_SCHEMA_H

enum weft_lock_kind {
	WEFT_LOCK_MUTEX = 0,
	WEFT_LOCK_RWLOCK_READ = 1,
	WEFT_LOCK_RWLOCK_WRITE = 2,
	WEFT_LOCK_SPIN = 3,
	WEFT_LOCK_CUSTOM = 4,
};

/*
 * The blocking system calls the runtime wraps, X(ENUM, name), in value
 * order: READ is 0. The one table behind the enumeration, the trace's
 * enumeration labels (weft-provider.h), and the names the converter and
 * the analyses print. Append only: the values are the trace format.
 */
#define WEFT_SYSCALL_KINDS(X) \
	X(READ, read) \
	X(WRITE, write) \
	X(PREAD, pread) \
	X(PWRITE, pwrite) \
	X(READV, readv) \
	X(WRITEV, writev) \
	X(RECV, recv) \
	X(RECVFROM, recvfrom) \
	X(RECVMSG, recvmsg) \
	X(SEND, send) \
	X(SENDTO, sendto) \
	X(SENDMSG, sendmsg) \
	X(ACCEPT, accept) \
	X(ACCEPT4, accept4) \
	X(CONNECT, connect) \
	X(POLL, poll) \
	X(PPOLL, ppoll) \
	X(SELECT, select) \
	X(PSELECT, pselect) \
	X(EPOLL_WAIT, epoll_wait) \
	X(EPOLL_PWAIT, epoll_pwait) \
	X(NANOSLEEP, nanosleep) \
	X(CLOCK_NANOSLEEP, clock_nanosleep) \
	X(USLEEP, usleep) \
	X(SLEEP, sleep) \
	X(FSYNC, fsync) \
	X(FDATASYNC, fdatasync) \
	X(WAIT, wait) \
	X(WAITPID, waitpid)

#define WEFT_SYSCALL_KIND_ENUM_(id, name) WEFT_SYSCALL_##id,
enum weft_syscall_kind {
	WEFT_SYSCALL_KINDS(WEFT_SYSCALL_KIND_ENUM_) WEFT_SYSCALL_COUNT
};
#undef WEFT_SYSCALL_KIND_ENUM_

enum weft_alloc_func {
	WEFT_ALLOC_MALLOC = 0,
	WEFT_ALLOC_CALLOC,
	WEFT_ALLOC_REALLOC,
	WEFT_ALLOC_REALLOCARRAY,
	WEFT_ALLOC_POSIX_MEMALIGN,
	WEFT_ALLOC_ALIGNED_ALLOC,
	WEFT_ALLOC_MEMALIGN,
	WEFT_ALLOC_VALLOC,
	WEFT_ALLOC_CUSTOM,
};

#endif /* WEFT_SCHEMA_H */
