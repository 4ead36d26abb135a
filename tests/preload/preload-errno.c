/*
 * Calls every wrapped function in success and failure cases and prints
 * what each returned and how it left errno. The test runs it with and
 * without libweft-preload.so, under a recording session, and requires the
 * outputs to be identical. errno is set to a sentinel before each call, so
 * a wrapper that touches errno on success shows up too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SENTINEL 4242

static void show(const char *what, long ret)
{
	printf("%-28s ret=%ld errno=%d\n", what, ret, errno);
}

static void show_ptr(const char *what, const void *p)
{
	printf("%-28s ret=%s errno=%d\n", what, p ? "ptr" : "null", errno);
}

static struct timespec deadline_ms(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000000L;
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_nsec -= 1000000000L;
		ts.tv_sec++;
	}
	while (ts.tv_nsec < 0) {
		ts.tv_nsec += 1000000000L;
		ts.tv_sec--;
	}
	return ts;
}

#define CALL(what, expr)                 \
	do {                             \
		errno = SENTINEL;        \
		long r_ = (long) (expr); \
		show(what, r_);          \
	} while (0)

#define CALL_PTR(what, var, expr)    \
	do {                         \
		errno = SENTINEL;    \
		var = (expr);        \
		show_ptr(what, var); \
	} while (0)

static void check_alloc(void)
{
	void *p;
	void *q;
	void *r;
	void *big = NULL;

	CALL_PTR("malloc", p, malloc(64));
	CALL_PTR("malloc huge", q, malloc(SIZE_MAX / 2));
	CALL_PTR("calloc", q, calloc(4, 16));
	free(q);
	CALL_PTR("calloc overflow", q, calloc(SIZE_MAX / 2, 4));
	CALL_PTR("realloc grow", p, realloc(p, 4096));
	CALL_PTR("realloc null", q, realloc(NULL, 16));
	CALL_PTR("realloc huge", r, realloc(q, SIZE_MAX / 2));
	CALL_PTR("reallocarray", q, reallocarray(q, 8, 8));
	CALL_PTR("reallocarray overflow", r, reallocarray(q, SIZE_MAX / 2, 4));
	CALL("posix_memalign", posix_memalign(&big, 64, 256));
	free(big);
	CALL("posix_memalign bad", posix_memalign(&big, 3, 16));
	CALL_PTR("aligned_alloc", r, aligned_alloc(64, 128));
	free(r);
	CALL_PTR("memalign", r, memalign(64, 100));
	free(r);
	CALL_PTR("valloc", r, valloc(100));
	free(r);
	errno = SENTINEL;
	free(NULL);
	show("free null", 0);
	errno = SENTINEL;
	free(p);
	free(q);
	show("free", 0);
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t hold_barrier;

static void *holder(void *arg)
{
	(void) arg;
	pthread_mutex_lock(&held);
	pthread_barrier_wait(&hold_barrier);
	pthread_barrier_wait(&hold_barrier);
	pthread_mutex_unlock(&held);
	return NULL;
}

static void check_mutex(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t m;
	pthread_t t;
	struct timespec ts;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&m, &a);
	CALL("mutex_lock", pthread_mutex_lock(&m));
	CALL("mutex_lock again", pthread_mutex_lock(&m));
	CALL("mutex_trylock held", pthread_mutex_trylock(&m));
	ts = deadline_ms(5);
	CALL("mutex_timedlock self", pthread_mutex_timedlock(&m, &ts));
	CALL("mutex_unlock", pthread_mutex_unlock(&m));
	CALL("mutex_unlock again", pthread_mutex_unlock(&m));
	CALL("mutex_trylock", pthread_mutex_trylock(&m));
	CALL("mutex_unlock", pthread_mutex_unlock(&m));

	pthread_barrier_init(&hold_barrier, NULL, 2);
	pthread_create(&t, NULL, holder, NULL);
	pthread_barrier_wait(&hold_barrier);
	ts = deadline_ms(10);
	CALL("mutex_timedlock timeout", pthread_mutex_timedlock(&held, &ts));
	CALL("mutex_trylock busy", pthread_mutex_trylock(&held));
	pthread_barrier_wait(&hold_barrier);
	CALL("pthread_join", pthread_join(t, NULL));
	CALL("pthread_join self", pthread_join(pthread_self(), NULL));
}

static void check_rwlock_spin(void)
{
	pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
	pthread_spinlock_t s;
	struct timespec ts;

	CALL("rwlock_wrlock", pthread_rwlock_wrlock(&rw));
	CALL("rwlock_rdlock self", pthread_rwlock_rdlock(&rw));
	CALL("rwlock_tryrdlock", pthread_rwlock_tryrdlock(&rw));
	CALL("rwlock_trywrlock", pthread_rwlock_trywrlock(&rw));
	ts = deadline_ms(5);
	CALL("rwlock_timedwrlock self", pthread_rwlock_timedwrlock(&rw, &ts));
	CALL("rwlock_unlock", pthread_rwlock_unlock(&rw));
	CALL("rwlock_rdlock", pthread_rwlock_rdlock(&rw));
	CALL("rwlock_rdlock twice", pthread_rwlock_rdlock(&rw));
	ts = deadline_ms(5);
	CALL("rwlock_timedrdlock", pthread_rwlock_timedrdlock(&rw, &ts));
	CALL("rwlock_trywrlock busy", pthread_rwlock_trywrlock(&rw));
	CALL("rwlock_unlock", pthread_rwlock_unlock(&rw));
	CALL("rwlock_unlock", pthread_rwlock_unlock(&rw));
	CALL("rwlock_unlock", pthread_rwlock_unlock(&rw));

	pthread_spin_init(&s, PTHREAD_PROCESS_PRIVATE);
	CALL("spin_lock", pthread_spin_lock(&s));
	CALL("spin_trylock busy", pthread_spin_trylock(&s));
	CALL("spin_unlock", pthread_spin_unlock(&s));
	CALL("spin_trylock", pthread_spin_trylock(&s));
	CALL("spin_unlock", pthread_spin_unlock(&s));
}

static void check_waits(void)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t c = PTHREAD_COND_INITIALIZER;
	pthread_barrier_t b;
	struct timespec ts;
	sem_t s;

	pthread_mutex_lock(&m);
	ts = deadline_ms(-10);
	CALL("cond_timedwait past", pthread_cond_timedwait(&c, &m, &ts));
	ts = deadline_ms(5);
	CALL("cond_timedwait", pthread_cond_timedwait(&c, &m, &ts));
	pthread_mutex_unlock(&m);
	CALL("cond_signal", pthread_cond_signal(&c));
	CALL("cond_broadcast", pthread_cond_broadcast(&c));

	sem_init(&s, 0, 1);
	CALL("sem_wait", sem_wait(&s));
	CALL("sem_trywait empty", sem_trywait(&s));
	ts = deadline_ms(-10);
	CALL("sem_timedwait past", sem_timedwait(&s, &ts));
	ts.tv_nsec = 2000000000L;
	CALL("sem_timedwait invalid", sem_timedwait(&s, &ts));
	CALL("sem_post", sem_post(&s));
	ts = deadline_ms(5);
	CALL("sem_timedwait", sem_timedwait(&s, &ts));
	CALL("sem_post", sem_post(&s));
	CALL("sem_trywait", sem_trywait(&s));

	pthread_barrier_init(&b, NULL, 1);
	CALL("barrier_wait", pthread_barrier_wait(&b));
	CALL("setname_np long", pthread_setname_np(pthread_self(), "a-name-far-too-long-for-it"));
	CALL("setname_np", pthread_setname_np(pthread_self(), "errno-main"));
}

static void check_io(void)
{
	struct timespec bad = {0, 2000000000L};
	struct timespec zero = {0, 0};
	struct timeval tv = {0, 0};
	struct iovec iov = {NULL, 0};
	volatile int bad_count = -1;
	struct epoll_event epev;
	struct msghdr msg;
	char buf[16];
	int p[2];

	memset(&msg, 0, sizeof(msg));
	if (pipe(p) != 0) {
		perror("pipe");
		exit(1);
	}
	CALL("write pipe", write(p[1], "hello", 5));
	CALL("read pipe", read(p[0], buf, sizeof(buf)));
	CALL("read bad fd", read(-1, buf, 1));
	CALL("write bad fd", write(-1, buf, 1));
	CALL("pread pipe", pread(p[0], buf, 1, 0));
	CALL("pwrite pipe", pwrite(p[1], buf, 1, 0));
	CALL("readv bad count", readv(p[0], &iov, bad_count));
	CALL("writev", writev(p[1], &iov, 1));
	CALL("recv not socket", recv(p[0], buf, 1, 0));
	CALL("recvfrom not socket", recvfrom(p[0], buf, 1, 0, NULL, NULL));
	CALL("recvmsg not socket", recvmsg(p[0], &msg, 0));
	CALL("send not socket", send(p[1], buf, 1, 0));
	CALL("sendto not socket", sendto(p[1], buf, 1, 0, NULL, 0));
	CALL("sendmsg not socket", sendmsg(p[1], &msg, 0));
	CALL("accept not socket", accept(p[0], NULL, NULL));
	CALL("accept4 not socket", accept4(p[0], NULL, NULL, 0));
	CALL("connect not socket", connect(p[0], NULL, 0));
	CALL("poll none", poll(NULL, 0, 0));
	CALL("ppoll none", ppoll(NULL, 0, &zero, NULL));
	CALL("select none", select(0, NULL, NULL, NULL, &tv));
	CALL("pselect none", pselect(0, NULL, NULL, NULL, &zero, NULL));
	CALL("epoll_wait bad", epoll_wait(-1, &epev, 1, 0));
	CALL("epoll_pwait bad", epoll_pwait(-1, &epev, 1, 0, NULL));
	CALL("nanosleep invalid", nanosleep(&bad, NULL));
	CALL("nanosleep", nanosleep(&zero, NULL));
	CALL("clock_nanosleep invalid", clock_nanosleep(CLOCK_MONOTONIC, 0, &bad, NULL));
	CALL("usleep", usleep(1));
	CALL("sleep", sleep(0));
	CALL("fsync bad", fsync(-1));
	CALL("fdatasync bad", fdatasync(-1));
	CALL("wait none", wait(NULL));
	CALL("waitpid none", waitpid(-1, NULL, 0));
	close(p[0]);
	close(p[1]);
}

static void check_process(void)
{
	char *const argv[] = {"weft-no-such-program", NULL};
	char *const envp[] = {NULL};
	int status = 0;
	pid_t pid;

	CALL("execv missing", execv("/nonexistent/weft", argv));
	CALL("execve missing", execve("/nonexistent/weft", argv, envp));
	CALL("execvp missing", execvp("weft-no-such-program", argv));
	CALL("execvpe missing", execvpe("weft-no-such-program", argv, envp));
	CALL("execl missing", execl("/nonexistent/weft", "weft", "a", (char *) NULL));
	CALL("execlp missing", execlp("weft-no-such-program", "weft", (char *) NULL));
	CALL("execle missing", execle("/nonexistent/weft", "weft", (char *) NULL, envp));
	fflush(stdout);
	errno = SENTINEL;
	pid = fork();
	if (pid == 0) {
		_exit(7);
	}
	show("fork", pid > 0);
	CALL("waitpid child", waitpid(pid, &status, 0) == pid);
	printf("child status=%d\n", WEXITSTATUS(status));
}

int main(void)
{
	check_alloc();
	check_mutex();
	check_rwlock_spin();
	check_waits();
	check_io();
	check_process();
	return 0;
}
