/*
 * Programs for the preload runtime's tests, one scenario per argument. Run
 * under LD_PRELOAD=libweft-preload.so inside a recording session; each
 * prints `key=value` lines (object addresses, counts) that the checker
 * (preload_check.py) matches against the trace.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
	}
}

static void start(pthread_t *t, void *(*fn)(void *), void *arg)
{
	if (pthread_create(t, NULL, fn, arg) != 0) {
		fprintf(stderr, "scenario: cannot create a thread\n");
		exit(1);
	}
}

static void *volatile sink;

/* ---- contended: one wait of each kind ---- */

static pthread_mutex_t c_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c_timed = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t c_rwlock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_spinlock_t c_spin;
static pthread_mutex_t c_cond_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c_cond = PTHREAD_COND_INITIALIZER;
static int c_cond_ready;
static sem_t c_sem;
static pthread_barrier_t c_barrier;
static pthread_mutex_t c_quiet = PTHREAD_MUTEX_INITIALIZER;

static void *c_mutex_waiter(void *arg)
{
	(void) arg;
	pthread_mutex_lock(&c_mutex);
	pthread_mutex_unlock(&c_mutex);
	return NULL;
}

static void *c_timed_waiter(void *arg)
{
	struct timespec ts;

	(void) arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	printf("timedlock_ret=%d\n", pthread_mutex_timedlock(&c_timed, &ts));
	return NULL;
}

static void *c_rwlock_reader(void *arg)
{
	(void) arg;
	pthread_rwlock_rdlock(&c_rwlock);
	pthread_rwlock_unlock(&c_rwlock);
	return NULL;
}

static void *c_spin_waiter(void *arg)
{
	(void) arg;
	pthread_spin_lock(&c_spin);
	pthread_spin_unlock(&c_spin);
	return NULL;
}

static void *c_cond_waiter(void *arg)
{
	(void) arg;
	pthread_mutex_lock(&c_cond_mutex);
	while (!c_cond_ready) {
		pthread_cond_wait(&c_cond, &c_cond_mutex);
	}
	pthread_mutex_unlock(&c_cond_mutex);
	return NULL;
}

static void *c_sem_waiter(void *arg)
{
	(void) arg;
	sem_wait(&c_sem);
	return NULL;
}

static void *c_barrier_waiter(void *arg)
{
	(void) arg;
	pthread_barrier_wait(&c_barrier);
	return NULL;
}

static int scenario_contended(void)
{
	pthread_t t;

	printf("mutex=%p\ntimed=%p\nrwlock=%p\nspin=%p\ncond=%p\nsem=%p\nbarrier=%p\nquiet=%p\n",
	       (void *) &c_mutex, (void *) &c_timed, (void *) &c_rwlock, (void *) &c_spin,
	       (void *) &c_cond, (void *) &c_sem, (void *) &c_barrier, (void *) &c_quiet);

	pthread_mutex_lock(&c_mutex);
	start(&t, c_mutex_waiter, NULL);
	sleep_ms(50);
	pthread_mutex_unlock(&c_mutex);
	pthread_join(t, NULL);

	pthread_mutex_lock(&c_timed);
	start(&t, c_timed_waiter, NULL);
	pthread_join(t, NULL);
	pthread_mutex_unlock(&c_timed);

	pthread_rwlock_wrlock(&c_rwlock);
	start(&t, c_rwlock_reader, NULL);
	sleep_ms(50);
	pthread_rwlock_unlock(&c_rwlock);
	pthread_join(t, NULL);

	pthread_spin_init(&c_spin, PTHREAD_PROCESS_PRIVATE);
	pthread_spin_lock(&c_spin);
	start(&t, c_spin_waiter, NULL);
	sleep_ms(30);
	pthread_spin_unlock(&c_spin);
	pthread_join(t, NULL);

	start(&t, c_cond_waiter, NULL);
	sleep_ms(50);
	pthread_mutex_lock(&c_cond_mutex);
	c_cond_ready = 1;
	pthread_cond_signal(&c_cond);
	pthread_mutex_unlock(&c_cond_mutex);
	pthread_join(t, NULL);

	sem_init(&c_sem, 0, 0);
	start(&t, c_sem_waiter, NULL);
	sleep_ms(50);
	sem_post(&c_sem);
	pthread_join(t, NULL);

	pthread_barrier_init(&c_barrier, NULL, 2);
	start(&t, c_barrier_waiter, NULL);
	pthread_barrier_wait(&c_barrier);
	pthread_join(t, NULL);

	/* uncontended: nothing in contended mode, 1000 pairs in all mode */
	for (int i = 0; i < 1000; i++) {
		pthread_mutex_lock(&c_quiet);
		pthread_mutex_unlock(&c_quiet);
	}
	return 0;
}

/* ---- deadlock: AB-BA, the process exits with both threads waiting ---- */

static pthread_mutex_t d_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t d_b = PTHREAD_MUTEX_INITIALIZER;

static void *d_first(void *arg)
{
	(void) arg;
	pthread_mutex_lock(&d_a);
	sleep_ms(50);
	pthread_mutex_lock(&d_b);
	return NULL;
}

static void *d_second(void *arg)
{
	(void) arg;
	pthread_mutex_lock(&d_b);
	sleep_ms(50);
	pthread_mutex_lock(&d_a);
	return NULL;
}

static int scenario_deadlock(void)
{
	pthread_t t1;
	pthread_t t2;

	printf("a=%p\nb=%p\n", (void *) &d_a, (void *) &d_b);
	fflush(stdout);
	start(&t1, d_first, NULL);
	start(&t2, d_second, NULL);
	sleep_ms(400);
	exit(0); /* both threads still wait */
}

/* ---- threads: create, start, name, exit, join, detach ---- */

static void *t_returns(void *arg)
{
	pthread_setname_np(pthread_self(), "weft-worker");
	return arg;
}

static void *t_exits(void *arg)
{
	pthread_exit(arg);
}

static void *t_detached(void *arg)
{
	sem_post(arg);
	return NULL;
}

static int scenario_threads(void)
{
	pthread_t a;
	pthread_t b;
	pthread_t c;
	sem_t done;

	sem_init(&done, 0, 0);
	start(&a, t_returns, NULL);
	start(&b, t_exits, NULL);
	start(&c, t_detached, &done);
	pthread_detach(c);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	sem_wait(&done);
	sleep_ms(20);
	printf("routine_returns=%p\nroutine_exits=%p\nroutine_detached=%p\n",
	       (void *) (uintptr_t) t_returns, (void *) (uintptr_t) t_exits,
	       (void *) (uintptr_t) t_detached);
	return 0;
}

/* ---- fork in a multithreaded program ---- */

static volatile int f_stop;
static pthread_mutex_t f_lock = PTHREAD_MUTEX_INITIALIZER;

static void *f_busy(void *arg)
{
	(void) arg;
	while (!f_stop) {
		void *p = malloc(128);

		sink = p;
		pthread_mutex_lock(&f_lock);
		pthread_mutex_unlock(&f_lock);
		free(p);
	}
	return NULL;
}

static int scenario_fork(void)
{
	pthread_t busy[2];
	pthread_t t;
	int status = 0;
	pid_t pid;

	start(&busy[0], f_busy, NULL);
	start(&busy[1], f_busy, NULL);
	sleep_ms(30);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 1;
	}
	if (pid == 0) {
		/* the child: one thread, and a contended wait of its own */
		pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

		c_mutex = m;
		pthread_mutex_lock(&c_mutex);
		start(&t, c_mutex_waiter, NULL);
		sleep_ms(30);
		pthread_mutex_unlock(&c_mutex);
		pthread_join(t, NULL);
		exit(0);
	}
	f_stop = 1;
	pthread_join(busy[0], NULL);
	pthread_join(busy[1], NULL);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "scenario: the forked child failed\n");
		return 1;
	}
	printf("child=%d\nmutex=%p\n", (int) pid, (void *) &c_mutex);
	return 0;
}

/* ---- exec ---- */

static int scenario_exec(const char *how)
{
	char *const argv[] = {"true", NULL};

	printf("pid=%d\n", (int) getpid());
	fflush(stdout);
	if (strcmp(how, "l") == 0) {
		execl("/bin/true", "true", "x", (char *) NULL);
	} else if (strcmp(how, "lp") == 0) {
		execlp("true", "true", (char *) NULL);
	} else if (strcmp(how, "le") == 0) {
		char *const envp[] = {"WEFT_EXEC_TEST=1", NULL};

		execle("/bin/true", "true", (char *) NULL, envp);
	} else {
		execv("/bin/true", argv);
	}
	perror("exec");
	return 1;
}

/* ---- blocking calls ---- */

static int scenario_syscalls(void)
{
	char path[] = "/tmp/weft-preload-fsync-XXXXXX";
	struct pollfd pfd;
	char buf[8];
	int p[2];
	int fd;
	pid_t pid;

	if (pipe(p) != 0 || (fd = mkstemp(path)) < 0) {
		perror("scenario");
		return 1;
	}
	unlink(path);
	printf("pipe_read=%d\npipe_write=%d\nfile=%d\n", p[0], p[1], fd);
	fflush(stdout);
	if (write(p[1], "abc", 3) != 3 || read(p[0], buf, sizeof(buf)) != 3) {
		return 1;
	}
	pfd.fd = p[0];
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 20) != 0) {
		return 1;
	}
	usleep(1000);
	sleep_ms(2);
	if (write(fd, "x", 1) != 1 || fsync(fd) != 0) {
		return 1;
	}
	pid = fork();
	if (pid == 0) {
		_exit(3);
	}
	printf("child=%d\n", (int) pid);
	return waitpid(pid, NULL, 0) == pid ? 0 : 1;
}

/* ---- EINTR: signals interrupt wrapped blocking calls ---- */

static void on_alarm(int sig)
{
	(void) sig;
}

static void arm_timer(long ms)
{
	struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};

	setitimer(ITIMER_REAL, &it, NULL);
}

static int scenario_eintr(void)
{
	struct sigaction sa;
	struct timespec ts = {5, 0};
	char buf[4];
	sem_t s;
	int p[2];
	int ok = 1;
	ssize_t n;
	int r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm; /* no SA_RESTART */
	sigaction(SIGALRM, &sa, NULL);
	if (pipe(p) != 0) {
		return 1;
	}
	arm_timer(30);
	n = read(p[0], buf, sizeof(buf));
	printf("read=%zd errno=%s\n", n, n == -1 && errno == EINTR ? "EINTR" : "other");
	ok &= n == -1 && errno == EINTR;

	sem_init(&s, 0, 0);
	arm_timer(30);
	r = sem_wait(&s);
	printf("sem_wait=%d errno=%s\n", r, r == -1 && errno == EINTR ? "EINTR" : "other");
	ok &= r == -1 && errno == EINTR;

	arm_timer(30);
	r = nanosleep(&ts, &ts);
	printf("nanosleep=%d errno=%s\n", r, r == -1 && errno == EINTR ? "EINTR" : "other");
	ok &= r == -1 && errno == EINTR && ts.tv_sec < 5;
	printf("pipe_read=%d\nsem=%p\n", p[0], (void *) &s);
	return ok ? 0 : 1;
}

/* ---- wrapped calls made from signal handlers ---- */

static volatile sig_atomic_t h_count;
static pthread_mutex_t h_lock = PTHREAD_MUTEX_INITIALIZER;
static int h_devnull;

static void on_tick(int sig)
{
	void *p = malloc(48);
	int saved = errno;

	(void) sig;
	sink = p;
	pthread_mutex_lock(&h_lock);
	h_count++;
	pthread_mutex_unlock(&h_lock);
	if (write(h_devnull, "t", 1) != 1) {
		abort();
	}
	free(p);
	errno = saved;
}

static int scenario_signals(void)
{
	struct itimerval it = {{0, 500}, {0, 500}};
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	struct sigaction sa;
	struct timespec t0;
	struct timespec t1;
	int main_fd = open("/dev/null", O_WRONLY);

	h_devnull = open("/dev/null", O_WRONLY);
	printf("handler_fd=%d\nhandler_lock=%p\n", h_devnull, (void *) &h_lock);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (int i = 0; i < 20; i++) {
			void *p = malloc(64 + (size_t) i);

			sink = p;
			pthread_mutex_lock(&m);
			pthread_mutex_unlock(&m);
			free(p);
		}
		if (write(main_fd, "m", 1) != 1) {
			return 1;
		}
		usleep(100); /* interrupted now and then: fine */
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 < 400);
	it.it_value.tv_usec = 0;
	it.it_interval.tv_usec = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	printf("handler_calls=%d\n", (int) h_count);
	return h_count > 20 ? 0 : 1;
}

/* ---- stress: 16 threads, a million lock/unlock pairs ---- */

#define STRESS_THREADS 16
#define STRESS_PAIRS 1000000
static pthread_mutex_t s_locks[4] = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER,
                                     PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER};
static unsigned long s_counts[4];

static void *s_worker(void *arg)
{
	int k = (int) (intptr_t) arg % 4;

	for (int i = 0; i < STRESS_PAIRS / STRESS_THREADS; i++) {
		pthread_mutex_lock(&s_locks[k]);
		s_counts[k]++;
		pthread_mutex_unlock(&s_locks[k]);
	}
	return NULL;
}

static int scenario_stress(void)
{
	pthread_t t[STRESS_THREADS];
	unsigned long total = 0;

	for (intptr_t i = 0; i < STRESS_THREADS; i++) {
		start(&t[i], s_worker, (void *) i);
	}
	for (int i = 0; i < STRESS_THREADS; i++) {
		pthread_join(t[i], NULL);
	}
	for (int i = 0; i < 4; i++) {
		total += s_counts[i];
		printf("lock%d=%p\n", i, (void *) &s_locks[i]);
	}
	printf("pairs=%lu\n", total);
	return total == STRESS_PAIRS ? 0 : 1;
}

/* ---- many threads exiting while tracing ---- */

static pthread_mutex_t e_lock = PTHREAD_MUTEX_INITIALIZER;

static void *e_worker(void *arg)
{
	void *p = malloc(256);

	sink = p;
	pthread_mutex_lock(&e_lock);
	pthread_mutex_unlock(&e_lock);
	free(p);
	if ((intptr_t) arg % 3 == 0) {
		pthread_exit(NULL);
	}
	return NULL;
}

static int scenario_exit_threads(void)
{
	pthread_t t[32];
	int n = 0;

	for (int wave = 0; wave < 8; wave++) {
		for (intptr_t i = 0; i < 32; i++) {
			start(&t[i], e_worker, (void *) i);
			n++;
		}
		for (int i = 0; i < 32; i++) {
			pthread_join(t[i], NULL);
		}
	}
	printf("threads=%d\n", n);
	return 0;
}

/* ---- allocations made while dlsym runs ---- */

static int scenario_dlsym(void)
{
	size_t (*bump_bytes)(void) =
	    (size_t(*)(void))(uintptr_t) dlsym(RTLD_DEFAULT, "weft_preload_bump_bytes");
	int missing = 0;

	if (!bump_bytes) {
		fprintf(stderr, "scenario: libweft-preload.so is not loaded\n");
		return 1;
	}
	for (int i = 0; i < 200; i++) {
		char name[32];

		snprintf(name, sizeof(name), "weft_no_such_symbol_%d", i);
		if (!dlsym(RTLD_NEXT, name) && dlerror()) {
			missing++;
		}
	}
	printf("bump_bytes=%zu\nmissing=%d\n", bump_bytes(), missing);
	return missing == 200 ? 0 : 1;
}

/* ---- the tracer's own threads, locks and allocations ---- */

static int scenario_tracer_owned(void)
{
	char line[512];
	FILE *maps;
	pthread_t t[2];

	start(&t[0], f_busy, NULL);
	start(&t[1], f_busy, NULL);
	sleep_ms(20);
	f_stop = 1;
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	maps = fopen("/proc/self/maps", "r");
	if (!maps) {
		return 1;
	}
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo;
		unsigned long hi;

		if (strstr(line, "liblttng-ust") && sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
			printf("tracer_range=%lx-%lx\n", lo, hi);
		}
	}
	fclose(maps);
	return 0;
}

/* ---- sessions come and go while the program runs ---- */

static volatile int w_stop;
static pthread_mutex_t w_lock = PTHREAD_MUTEX_INITIALIZER;

static void *w_worker(void *arg)
{
	(void) arg;
	while (!w_stop) {
		void *p = malloc(1 << 20);

		sink = p;
		pthread_mutex_lock(&w_lock);
		sleep_ms(2);
		pthread_mutex_unlock(&w_lock);
		free(p);
		sleep_ms(1);
	}
	return NULL;
}

static int scenario_session_window(int seconds)
{
	pthread_t t[2];
	char go[8];

	start(&t[0], w_worker, NULL);
	start(&t[1], w_worker, NULL);
	printf("ready pid=%d\nlock=%p\n", (int) getpid(), (void *) &w_lock);
	fflush(stdout);
	/* the test says when to stop (or a deadline passes) */
	for (int i = 0; i < seconds * 10; i++) {
		struct timeval tv = {0, 100000};
		fd_set fds;

		FD_ZERO(&fds);
		FD_SET(0, &fds);
		if (select(1, &fds, NULL, NULL, &tv) > 0) {
			if (!fgets(go, sizeof(go), stdin) || strncmp(go, "stop", 4) == 0) {
				break;
			}
		}
	}
	w_stop = 1;
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	return 0;
}

int main(int argc, char **argv)
{
	const char *s = argc > 1 ? argv[1] : "";
	int ret = 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(s, "contended") == 0) {
		ret = scenario_contended();
	} else if (strcmp(s, "deadlock") == 0) {
		ret = scenario_deadlock();
	} else if (strcmp(s, "threads") == 0) {
		ret = scenario_threads();
	} else if (strcmp(s, "fork") == 0) {
		ret = scenario_fork();
	} else if (strcmp(s, "exec") == 0) {
		ret = scenario_exec(argc > 2 ? argv[2] : "v");
	} else if (strcmp(s, "syscalls") == 0) {
		ret = scenario_syscalls();
	} else if (strcmp(s, "eintr") == 0) {
		ret = scenario_eintr();
	} else if (strcmp(s, "signals") == 0) {
		ret = scenario_signals();
	} else if (strcmp(s, "stress") == 0) {
		ret = scenario_stress();
	} else if (strcmp(s, "exit-threads") == 0) {
		ret = scenario_exit_threads();
	} else if (strcmp(s, "dlsym") == 0) {
		ret = scenario_dlsym();
	} else if (strcmp(s, "tracer-owned") == 0) {
		ret = scenario_tracer_owned();
	} else if (strcmp(s, "session-window") == 0) {
		ret = scenario_session_window(argc > 2 ? atoi(argv[2]) : 10);
	} else {
		fprintf(stderr, "usage: preload-scenarios SCENARIO\n");
	}
	fflush(stdout);
	return ret;
}
