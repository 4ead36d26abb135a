/*
 * cpu-app: programs that CPU sampling must measure right and must not
 * disturb (cpu-samples.sh records each one under libweft-preload.so).
 *
 *   ratio    4 threads "burner-N" spend CPU in burn_three and burn_one 3:1
 *   sleepy   "spinner" burns, "sleeper" sleeps most of the time
 *   eintr    blocking pipe reads while a sampled thread burns: any EINTR fails
 *   sigprof  the program's own SIGPROF handler and setitimer keep working
 *   timers   prints how many POSIX timers the process has (/proc/self/timers)
 *   ownsig   installs its own handler for weft's signal (SIGRTMIN+4): it gets
 *            only the signals the program sends, never a timer's
 *   stress   8 threads burn, malloc/free and dlopen/dlclose while sampled
 *   fork     a forked child burns in child_burn, then execs cpu-app execd,
 *            which burns in execd_burn: both are sampled, neither is killed
 *
 * Exit status 0 when the program saw what it should, 1 otherwise.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long sink;

static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static void spin(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		sink += i * i;
	}
}

/*
 * Chunks of random length, many per kernel tick: CPU-time timers expire at
 * the tick, and a loop of fixed length could keep one phase against it.
 */
__attribute__((noinline)) static void burn_three(unsigned long n)
{
	spin(3 * n);
}

__attribute__((noinline)) static void burn_one(unsigned long n)
{
	spin(n);
}

static void *burner(void *arg)
{
	char name[16];
	unsigned int seed = (unsigned int) (long) arg + 1;
	double end = thread_cpu() + 1.5;

	snprintf(name, sizeof(name), "burner-%d", (int) (long) arg);
	pthread_setname_np(pthread_self(), name);
	while (thread_cpu() < end) {
		for (int i = 0; i < 64; i++) {
			burn_three(1000 + (unsigned long) (rand_r(&seed) % 8000));
			burn_one(1000 + (unsigned long) (rand_r(&seed) % 8000));
		}
	}
	return NULL;
}

static int run_threads(void *(*fn)(void *), int n)
{
	pthread_t t[16];

	for (int i = 0; i < n; i++) {
		if (pthread_create(&t[i], NULL, fn, (void *) (long) i) != 0) {
			return 1;
		}
	}
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
	}
	return 0;
}

/* ---- sleepy ---- */

__attribute__((noinline)) static void nap(void)
{
	usleep(20000);
}

static void *sleeper(void *arg)
{
	pthread_setname_np(pthread_self(), "sleeper");
	for (int i = 0; i < 40; i++) {
		nap();
		spin(1000);
	}
	return arg;
}

__attribute__((noinline)) static void *spinner(void *arg)
{
	double end = thread_cpu() + 0.6;

	pthread_setname_np(pthread_self(), "spinner");
	while (thread_cpu() < end) {
		burn_one(10000);
	}
	return arg;
}

static int mode_sleepy(void)
{
	pthread_t a, b;

	pthread_create(&a, NULL, sleeper, NULL);
	pthread_create(&b, NULL, spinner, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}

/* ---- eintr ---- */

static int pipe_fds[2];

static void *late_writer(void *arg)
{
	usleep(200000);
	(void) !write(pipe_fds[1], "x", 1);
	return arg;
}

/* The reader burns between reads, so its timer expires around the calls. */
static void *ping_writer(void *arg)
{
	for (int i = 0; i < 3000; i++) {
		spin(2000);
		if (write(pipe_fds[1], "y", 1) != 1) {
			return (void *) 1;
		}
	}
	return arg;
}

static int read_one(void)
{
	char c;
	ssize_t n = read(pipe_fds[0], &c, 1);

	if (n != 1) {
		fprintf(stderr, "cpu-app: read returned %zd: %s\n", n, strerror(errno));
		return 1;
	}
	return 0;
}

static int mode_eintr(void)
{
	pthread_t w, b;
	int bad = 0;

	if (pipe(pipe_fds) != 0) {
		return 1;
	}
	pthread_create(&b, NULL, spinner, NULL);
	pthread_create(&w, NULL, late_writer, NULL);
	bad |= read_one();
	pthread_join(w, NULL);
	pthread_create(&w, NULL, ping_writer, NULL);
	for (int i = 0; i < 3000 && !bad; i++) {
		spin(2000);
		bad |= read_one();
	}
	pthread_join(w, NULL);
	pthread_join(b, NULL);
	return bad;
}

/* ---- sigprof ---- */

static volatile sig_atomic_t prof_hits;

static void on_prof(int sig)
{
	(void) sig;
	prof_hits++;
}

static int mode_sigprof(void)
{
	struct sigaction sa;
	struct itimerval it = {{0, 5000}, {0, 5000}};
	double end = thread_cpu() + 0.6;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_prof;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGPROF, &sa, NULL);
	setitimer(ITIMER_PROF, &it, NULL);
	while (thread_cpu() < end) {
		burn_one(10000);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_PROF, &it, NULL);
	/* 0.6 s of process CPU time at one signal per 5 ms: about 120 */
	printf("sigprof %d\n", (int) prof_hits);
	return prof_hits >= 60 ? 0 : 1;
}

/* ---- timers ---- */

static void *idle_thread(void *arg)
{
	usleep(100000);
	return arg;
}

static int count_timers(void)
{
	FILE *f = fopen("/proc/self/timers", "r");
	char line[256];
	int n = 0;

	if (!f) {
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		n += strncmp(line, "ID:", 3) == 0;
	}
	fclose(f);
	return n;
}

static int mode_timers(void)
{
	pthread_t t[2];

	pthread_create(&t[0], NULL, idle_thread, NULL);
	pthread_create(&t[1], NULL, idle_thread, NULL);
	usleep(20000);
	printf("timers %d\n", count_timers());
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	printf("timers-after-exit %d\n", count_timers());
	return 0;
}

/* ---- stress ---- */

static void *stress_thread(void *arg)
{
	double end = thread_cpu() + 0.4;
	unsigned int seed = (unsigned int) (long) arg;

	while (thread_cpu() < end) {
		void *blocks[32];
		void *lib = dlopen("libm.so.6", RTLD_NOW);

		for (int i = 0; i < 32; i++) {
			blocks[i] = malloc((size_t) (rand_r(&seed) % 4096) + 1);
		}
		spin(5000);
		for (int i = 0; i < 32; i++) {
			free(blocks[i]);
		}
		if (!lib || !dlsym(lib, "cos")) {
			return (void *) 1;
		}
		dlclose(lib);
	}
	return NULL;
}

static int mode_stress(void)
{
	pthread_t t[8];
	int bad = 0;

	for (int i = 0; i < 8; i++) {
		pthread_create(&t[i], NULL, stress_thread, (void *) (long) (i + 1));
	}
	for (int i = 0; i < 8; i++) {
		void *ret;

		pthread_join(t[i], &ret);
		bad |= ret != NULL;
	}
	return bad;
}

/* ---- ownsig ---- */

static volatile sig_atomic_t own_timer_hits, own_hits;

static void on_own(int sig, siginfo_t *si, void *uc)
{
	(void) sig;
	(void) uc;
	if (si->si_code == SI_TIMER) {
		own_timer_hits++;
	} else {
		own_hits++;
	}
}

static int mode_ownsig(void)
{
	struct sigaction sa;
	double end;

	spin(20000000); /* sampled before the handler is installed */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_own;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGRTMIN + 4, &sa, NULL);
	end = thread_cpu() + 0.3;
	while (thread_cpu() < end) {
		burn_one(10000);
	}
	raise(SIGRTMIN + 4);
	printf("ownsig %d timer %d\n", (int) own_hits, (int) own_timer_hits);
	return own_hits == 1 && own_timer_hits == 0 ? 0 : 1;
}

/* ---- fork and exec ---- */

__attribute__((noinline)) static void child_burn(void)
{
	double end = thread_cpu() + 0.3;

	while (thread_cpu() < end) {
		burn_one(10000);
	}
}

__attribute__((noinline)) static int execd_burn(void)
{
	child_burn();
	return 0;
}

static int mode_fork(const char *self)
{
	int status = 1;
	pid_t pid = fork();

	if (pid == 0) {
		child_burn();
		execl(self, self, "execd", (char *) NULL);
		_exit(3);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid) {
		return 1;
	}
	printf("child status %d\n", status);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "ratio")) {
		return run_threads(burner, 4);
	}
	if (!strcmp(mode, "sleepy")) {
		return mode_sleepy();
	}
	if (!strcmp(mode, "eintr")) {
		return mode_eintr();
	}
	if (!strcmp(mode, "sigprof")) {
		return mode_sigprof();
	}
	if (!strcmp(mode, "timers")) {
		return mode_timers();
	}
	if (!strcmp(mode, "ownsig")) {
		return mode_ownsig();
	}
	if (!strcmp(mode, "fork")) {
		return mode_fork("/proc/self/exe");
	}
	if (!strcmp(mode, "execd")) {
		return execd_burn();
	}
	if (!strcmp(mode, "stress")) {
		return mode_stress();
	}
	fprintf(stderr, "usage: cpu-app ratio|sleepy|eintr|sigprof|timers|ownsig|fork|stress\n");
	return 2;
}
