/*
 * Call-stack scenarios for libweft-preload.so (tests/preload/preload_check.py).
 *
 * usage: preload-stacks SCENARIO
 *   signal   waits inside signal handlers (one on an alternate stack)
 *   deep     a wait at the bottom of a 200-deep recursion, and a shallow one
 *   corrupt  waits with a scribbled frame chain and from a stack without CFI
 *   fork     waits before fork, and in the child
 *   many     more distinct stacks than the intern table holds
 *
 * Every scenario prints name=address lines: the runtime addresses of its
 * functions (the checker maps them to nm's sizes) and what it observed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

static void show(const char *name, const void *p)
{
	printf("%s=%p\n", name, p);
}

/* ---- signal ---- */

static void *volatile restorer;
static volatile sig_atomic_t handled;
static volatile int spin_stop;

static NOINLINE void sig_wait(void)
{
	usleep(2000);
}

static NOINLINE void sig_handler(int sig)
{
	(void) sig;
	restorer = __builtin_return_address(0);
	sig_wait();
	handled++;
}

static NOINLINE void sig_victim(void)
{
	raise(SIGUSR1);
	raise(SIGUSR2);
}

static int scenario_signal(void)
{
	struct sigaction sa;
	stack_t alt;

	alt.ss_sp = malloc(1 << 16);
	alt.ss_size = 1 << 16;
	alt.ss_flags = 0;
	if (!alt.ss_sp || sigaltstack(&alt, NULL) != 0) {
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR2, &sa, NULL);
	sig_victim();
	show("sig_wait", (void *) sig_wait);
	show("sig_handler", (void *) sig_handler);
	show("sig_victim", (void *) sig_victim);
	show("restorer", restorer);
	printf("handled=%d\n", (int) handled);
	return handled == 2 ? 0 : 1;
}

/* ---- deep ---- */

static volatile int depth_sink;

static NOINLINE void recurse(int n)
{
	if (n == 0) {
		usleep(2000);
	} else {
		recurse(n - 1);
	}
	depth_sink++; /* not a tail call */
}

static NOINLINE void shallow(void)
{
	for (int i = 0; i < 5; i++) {
		usleep(2000);
	}
}

int main(int argc, char **argv);

static int scenario_deep(void)
{
	recurse(200);
	shallow();
	show("recurse", (void *) recurse);
	show("shallow", (void *) shallow);
	show("main", (void *) main);
	return 0;
}

/* ---- corrupt ---- */

/* Scribbles its own saved frame pointer and return address around a wait. */
static NOINLINE void scribble(void)
{
	uintptr_t *volatile frame = __builtin_frame_address(0);
	uintptr_t saved_fp = frame[0];
	uintptr_t saved_ra = frame[1];

	frame[0] = (uintptr_t) 0x10;
	frame[1] = (uintptr_t) 0xdeadbeefdeadbeefu;
	usleep(2000);
	frame[0] = saved_fp;
	frame[1] = saved_ra;
}

static NOINLINE void on_bogus_stack(void)
{
	usleep(2000);
}

/*
 * call_nocfi(fn, top): calls fn on the stack ending at top, with a bogus
 * frame pointer, from code that has no CFI.
 */
void call_nocfi(void (*fn)(void), void *top);
__asm__(".text\n"
        ".globl call_nocfi\n"
        ".type call_nocfi, @function\n"
        "call_nocfi:\n"
        "	push %rbp\n"
        "	push %rbx\n"
        "	mov %rsp, %rbx\n"
        "	mov %rsi, %rsp\n"
        "	movabs $0x0badc0de0badc0de, %rbp\n"
        "	call *%rdi\n"
        "	mov %rbx, %rsp\n"
        "	pop %rbx\n"
        "	pop %rbp\n"
        "	ret\n"
        ".size call_nocfi, .-call_nocfi\n");

static int scenario_corrupt(void)
{
	size_t words = 8192;
	uintptr_t *stack = malloc(words * sizeof(uintptr_t));

	if (!stack) {
		return 1;
	}
	/* Garbage above the new stack's top: addresses of nothing, and itself. */
	for (size_t i = 0; i < words; i++) {
		stack[i] = i % 3 == 0   ? (uintptr_t) &stack[i]
		           : i % 3 == 1 ? (uintptr_t) 0xdeadbeefdeadbeefu
		                        : (uintptr_t) 8;
	}
	scribble();
	call_nocfi(on_bogus_stack, &stack[words / 2]);
	show("scribble", (void *) scribble);
	show("on_bogus_stack", (void *) on_bogus_stack);
	printf("survived=1\n");
	free(stack);
	return 0;
}

/* ---- fork ---- */

static NOINLINE void parent_site(void)
{
	usleep(2000);
}

static NOINLINE void child_site(void)
{
	usleep(2000);
	usleep(2000);
}

static int scenario_fork(void)
{
	pid_t pid;
	int status;

	parent_site();
	pid = fork();
	if (pid == 0) {
		child_site();
		parent_site();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	parent_site();
	show("parent_site", (void *) parent_site);
	show("child_site", (void *) child_site);
	printf("child=%d\n", (int) pid);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}

/* ---- many ---- */

static int many_fd;

/* 128 distinct call sites of write(), each under recursion depths 1..70. */
#define SITE(k)                                 \
	case k:                                 \
		(void) !write(many_fd, "x", 1); \
		break;
#define SITES8(k) \
	SITE(k) SITE(k + 1) SITE(k + 2) SITE(k + 3) SITE(k + 4) SITE(k + 5) SITE(k + 6) SITE(k + 7)

static NOINLINE void many_leaf(int site)
{
	switch (site) {
		SITES8(0)
		SITES8(8)
		SITES8(16)
		SITES8(24)
		SITES8(32)
		SITES8(40)
		SITES8(48)
		SITES8(56)
		SITES8(64)
		SITES8(72)
		SITES8(80)
		SITES8(88)
		SITES8(96)
		SITES8(104)
		SITES8(112)
		SITES8(120)
	}
	depth_sink++;
}

static NOINLINE void many_down(int n, int site)
{
	if (n == 0) {
		many_leaf(site);
	} else {
		many_down(n - 1, site);
	}
	depth_sink++;
}

static int scenario_many(void)
{
	unsigned long (*uncached)(void) =
	    (unsigned long (*)(void)) dlsym(RTLD_DEFAULT, "weft_preload_stack_uncached");

	many_fd = open("/dev/null", O_WRONLY);
	for (int pass = 0; pass < 2; pass++) {
		for (int d = 1; d <= 70; d++) {
			for (int s = 0; s < 128; s++) {
				many_down(d, s);
			}
		}
	}
	printf("distinct=%d\n", 70 * 128);
	printf("uncached=%lu\n", uncached ? uncached() : 0ul);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 2) {
		fprintf(stderr, "usage: preload-stacks signal|deep|corrupt|fork|many\n");
		return 2;
	}
	if (strcmp(argv[1], "signal") == 0) {
		return scenario_signal();
	}
	if (strcmp(argv[1], "deep") == 0) {
		return scenario_deep();
	}
	if (strcmp(argv[1], "corrupt") == 0) {
		return scenario_corrupt();
	}
	if (strcmp(argv[1], "fork") == 0) {
		return scenario_fork();
	}
	if (strcmp(argv[1], "many") == 0) {
		return scenario_many();
	}
	return 2;
}
