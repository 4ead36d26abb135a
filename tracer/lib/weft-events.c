/*
 * The events weft understands: names, and the payload fields the builder
 * reads from each, in the order of weft_event_t's i[] and s[].
 */
#include <string.h>

#include "weft-builder-private.h"

#define I WEFT_FIELD_INT
#define T WEFT_FIELD_TS

static const weft_event_spec_t specs[WEFT_EV_COUNT] = {
    [WEFT_EV_THREAD_NAME] = {"weft:thread_name", 1, 1, {"pthread"}, {I}, {"name"}},
    [WEFT_EV_REGION_BEGIN] = {"weft:region_begin", 0, 1, {NULL}, {I}, {"name"}},
    [WEFT_EV_REGION_END] = {"weft:region_end", 0, 1, {NULL}, {I}, {"name"}},
    [WEFT_EV_MARK] = {"weft:mark", 0, 1, {NULL}, {I}, {"name"}},
    [WEFT_EV_BLOCK_BEGIN] = {"weft:block_begin", 0, 1, {NULL}, {I}, {"name"}},
    [WEFT_EV_BLOCK_END] = {"weft:block_end", 0, 0, {NULL}, {I}, {NULL}},
    [WEFT_EV_TASK_BEGIN] = {"weft:task_begin", 1, 1, {"id"}, {I}, {"name"}},
    [WEFT_EV_TASK_END] = {"weft:task_end", 1, 0, {"id"}, {I}, {NULL}},
    [WEFT_EV_FLOW_OUT] = {"weft:flow_out", 1, 0, {"id"}, {I}, {NULL}},
    [WEFT_EV_FLOW_IN] = {"weft:flow_in", 1, 0, {"id"}, {I}, {NULL}},
    [WEFT_EV_LOG] = {"weft:log", 0, 2, {NULL}, {I}, {"category", "msg"}},
    [WEFT_EV_COUNTER] = {"weft:counter", 1, 1, {"value"}, {I}, {"name"}},
    [WEFT_EV_LOCK_WAIT] =
        {"weft:lock_wait", 4, 0, {"lock", "kind", "stack", "holder"}, {I, I, I, I}, {NULL}},
    [WEFT_EV_LOCK_ACQUIRED] =
        {"weft:lock_acquired", 3, 0, {"lock", "kind", "acquire_ts"}, {I, I, T}, {NULL}},
    [WEFT_EV_LOCK_WAIT_END] =
        {"weft:lock_wait_end", 3, 0, {"lock", "kind", "ret"}, {I, I, I}, {NULL}},
    [WEFT_EV_LOCK_RELEASED] = {"weft:lock_released",
                               8,
                               0,
                               {"lock", "kind", "acquire_ts", "release_ts", "waited", "waiters",
                                "acquire_ip", "stack"},
                               {I, I, T, T, I, I, I, I},
                               {NULL}},
    [WEFT_EV_ALLOC] =
        {"weft:alloc", 5, 0, {"ptr", "size", "func", "weight", "stack"}, {I, I, I, I, I}, {NULL}},
    [WEFT_EV_FREE] = {"weft:free", 1, 0, {"ptr"}, {I}, {NULL}},
    [WEFT_EV_REALLOC] = {"weft:realloc",
                         5,
                         0,
                         {"old_ptr", "ptr", "size", "weight", "stack"},
                         {I, I, I, I, I},
                         {NULL}},
    [WEFT_EV_HEAP] = {"weft:heap", 3, 0, {"in_use", "allocs", "frees"}, {I, I, I}, {NULL}},
    [WEFT_EV_RUNTIME_CONFIG] =
        {"weft:runtime_config", 1, 2, {"alloc_sample"}, {I}, {"locks", "alloc"}},
    [WEFT_EV_THREAD_CREATE] =
        {"weft:thread_create", 3, 0, {"create_id", "start_routine", "stack"}, {I, I, I}, {NULL}},
    [WEFT_EV_THREAD_START] =
        {"weft:thread_start", 3, 0, {"create_id", "start_routine", "pthread"}, {I, I, I}, {NULL}},
    [WEFT_EV_THREAD_EXIT] = {"weft:thread_exit", 0, 0, {NULL}, {I}, {NULL}},
    [WEFT_EV_THREAD_JOIN_BEGIN] =
        {"weft:thread_join_begin", 2, 0, {"pthread", "stack"}, {I, I}, {NULL}},
    [WEFT_EV_THREAD_JOIN_END] = {"weft:thread_join_end", 2, 0, {"pthread", "ret"}, {I, I}, {NULL}},
    [WEFT_EV_THREAD_DETACH] = {"weft:thread_detach", 1, 0, {"pthread"}, {I}, {NULL}},
    [WEFT_EV_PROCESS_FORK] = {"weft:process_fork", 1, 0, {"child_pid"}, {I}, {NULL}},
    [WEFT_EV_PROCESS_EXEC] = {"weft:process_exec", 0, 1, {NULL}, {I}, {"path"}},
    [WEFT_EV_COND_WAIT_BEGIN] =
        {"weft:cond_wait_begin", 4, 0, {"cond", "mutex", "timed", "stack"}, {I, I, I, I}, {NULL}},
    [WEFT_EV_COND_WAIT_END] =
        {"weft:cond_wait_end", 3, 0, {"cond", "mutex", "ret"}, {I, I, I}, {NULL}},
    [WEFT_EV_COND_SIGNAL] =
        {"weft:cond_signal", 3, 0, {"obj", "waiters", "stack"}, {I, I, I}, {NULL}},
    [WEFT_EV_COND_BROADCAST] =
        {"weft:cond_broadcast", 3, 0, {"obj", "waiters", "stack"}, {I, I, I}, {NULL}},
    [WEFT_EV_SEM_POST] = {"weft:sem_post", 3, 0, {"obj", "waiters", "stack"}, {I, I, I}, {NULL}},
    [WEFT_EV_SEM_WAIT_BEGIN] =
        {"weft:sem_wait_begin", 3, 0, {"obj", "timed", "stack"}, {I, I, I}, {NULL}},
    [WEFT_EV_SEM_WAIT_END] = {"weft:sem_wait_end", 2, 0, {"obj", "ret"}, {I, I}, {NULL}},
    [WEFT_EV_BARRIER_WAIT_BEGIN] =
        {"weft:barrier_wait_begin", 3, 0, {"obj", "timed", "stack"}, {I, I, I}, {NULL}},
    [WEFT_EV_BARRIER_WAIT_END] = {"weft:barrier_wait_end", 2, 0, {"obj", "ret"}, {I, I}, {NULL}},
    [WEFT_EV_SYSCALL_BEGIN] = {"weft:syscall_begin", 2, 0, {"kind", "fd"}, {I, I}, {NULL}},
    [WEFT_EV_SYSCALL_END] = {"weft:syscall_end", 3, 0, {"kind", "ret", "stack"}, {I, I, I}, {NULL}},
    [WEFT_EV_STACK] =
        {"weft:stack", 3, 0, {"id", "truncated", "exact_leaf"}, {I, I, I}, {NULL}, "frames"},
    [WEFT_EV_LIBC_MALLOC] = {"lttng_ust_libc:malloc", 2, 0, {"size", "ptr"}, {I, I}, {NULL}},
    [WEFT_EV_LIBC_CALLOC] =
        {"lttng_ust_libc:calloc", 3, 0, {"nmemb", "size", "ptr"}, {I, I, I}, {NULL}},
    [WEFT_EV_LIBC_REALLOC] =
        {"lttng_ust_libc:realloc", 3, 0, {"in_ptr", "size", "ptr"}, {I, I, I}, {NULL}},
    [WEFT_EV_LIBC_FREE] = {"lttng_ust_libc:free", 1, 0, {"ptr"}, {I}, {NULL}},
    [WEFT_EV_LIBC_MEMALIGN] =
        {"lttng_ust_libc:memalign", 3, 0, {"alignment", "size", "ptr"}, {I, I, I}, {NULL}},
    [WEFT_EV_LIBC_POSIX_MEMALIGN] = {"lttng_ust_libc:posix_memalign",
                                     4,
                                     0,
                                     {"out_ptr", "alignment", "size", "result"},
                                     {I, I, I, I},
                                     {NULL}},
    [WEFT_EV_PTHREAD_LOCK_REQ] =
        {"lttng_ust_pthread:pthread_mutex_lock_req", 1, 0, {"mutex"}, {I}, {NULL}},
    [WEFT_EV_PTHREAD_LOCK_ACQ] =
        {"lttng_ust_pthread:pthread_mutex_lock_acq", 2, 0, {"mutex", "status"}, {I, I}, {NULL}},
    [WEFT_EV_PTHREAD_TRYLOCK] =
        {"lttng_ust_pthread:pthread_mutex_trylock", 2, 0, {"mutex", "status"}, {I, I}, {NULL}},
    [WEFT_EV_PTHREAD_UNLOCK] =
        {"lttng_ust_pthread:pthread_mutex_unlock", 2, 0, {"mutex", "status"}, {I, I}, {NULL}},
    [WEFT_EV_UST_STATEDUMP] = {"lttng_ust_statedump:*", 0, 0, {NULL}, {I}, {NULL}},
    [WEFT_EV_UST_BIN_INFO] =
        {"lttng_ust_statedump:bin_info", 3, 1, {"baddr", "memsz", "is_pic"}, {I, I, I}, {"path"}},
    [WEFT_EV_UST_DLOPEN] = {"lttng_ust_dl:dlopen", 2, 1, {"baddr", "memsz"}, {I, I}, {"path"}},
    [WEFT_EV_SCHED_SWITCH] = {"sched_switch",
                              3,
                              2,
                              {"prev_tid", "prev_state", "next_tid"},
                              {I, I, I},
                              {"prev_comm", "next_comm"}},
    [WEFT_EV_SCHED_WAKEUP] = {"sched_wakeup", 2, 1, {"tid", "target_cpu"}, {I, I}, {"comm"}},
    [WEFT_EV_SCHED_WAKEUP_NEW] =
        {"sched_wakeup_new", 2, 1, {"tid", "target_cpu"}, {I, I}, {"comm"}},
    [WEFT_EV_SCHED_PROCESS_FORK] = {"sched_process_fork",
                                    4,
                                    2,
                                    {"parent_tid", "parent_pid", "child_tid", "child_pid"},
                                    {I, I, I, I},
                                    {"parent_comm", "child_comm"}},
    [WEFT_EV_SCHED_PROCESS_EXIT] = {"sched_process_exit", 1, 1, {"tid"}, {I}, {"comm"}},
    [WEFT_EV_SCHED_PROCESS_FREE] = {"sched_process_free", 1, 1, {"tid"}, {I}, {"comm"}},
};

#undef I
#undef T

const weft_event_spec_t *weft_event_spec(weft_event_id_t id)
{
	if (id <= WEFT_EV_UNKNOWN || id >= WEFT_EV_COUNT) {
		return NULL;
	}
	return &specs[id];
}

weft_event_id_t weft_event_id_from_name(const char *name)
{
	if (!name) {
		return WEFT_EV_UNKNOWN;
	}
	for (int id = WEFT_EV_UNKNOWN + 1; id < WEFT_EV_COUNT; id++) {
		if (specs[id].name && !strcmp(specs[id].name, name)) {
			return (weft_event_id_t) id;
		}
	}
	/* the other statedump and dl events (build_id, dlclose, ...): symbols only */
	if (g_str_has_prefix(name, "lttng_ust_statedump:") ||
	    g_str_has_prefix(name, "lttng_ust_dl:")) {
		return WEFT_EV_UST_STATEDUMP;
	}
	return WEFT_EV_UNKNOWN;
}
