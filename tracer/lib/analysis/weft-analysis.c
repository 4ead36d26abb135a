/* The section registry and the report renderers. */
#include "weft-analysis.h"

#include <string.h>

static const weft_section_info_t sections[] = {
    {"critical-path", "Critical path", "regions"},
    {"threads", "Threads by start routine", "threads"},
    {"thread-list", "Threads", "threads"},
    {"cpu", "CPU time by function", "threads"},
    {"sync", "Synchronization blocking by call site", "blocking"},
    {"sync-objects", "Synchronization blocking by object", "blocking"},
    {"syscall", "Syscall blocking by call site", "blocking"},
    {"syscall-objects", "Syscall blocking by call and fd", "blocking"},
    {"sleep", "Sleeping by call site", "blocking"},
    {"locks", "Lock contention", "locks"},
    {"wakeups", "Condvar and semaphore wake-ups", "locks"},
    {"deadlocks", "Deadlocks", "locks"},
    {"heap", "Heap", "allocations"},
    {"allocs", "Allocations by call site", "allocations"},
    {"leaks", "Blocks never freed", "allocations"},
    {"sizes", "Allocation sizes", "allocations"},
    {"regions", "User regions", "regions"},
    {"region-instances", "Slowest regions", "regions"},
    {"tasks", "User tasks", "regions"},
    {"task-instances", "Slowest tasks", "regions"},
    {"mmu", "Minimum utilization", "utilization"},
};

const weft_section_info_t *weft_analysis_sections(guint *n_sections)
{
	*n_sections = G_N_ELEMENTS(sections);
	return sections;
}

gboolean weft_analysis_has_section(const char *name)
{
	for (guint i = 0; i < G_N_ELEMENTS(sections); i++) {
		if (!g_strcmp0(name, sections[i].name)) {
			return TRUE;
		}
	}
	return FALSE;
}

static weft_table_t *threads_section(const weft_model_t *model,
                                     const weft_analysis_options_t *options, gboolean groups)
{
	g_autoptr(weft_thread_analysis_t) a = weft_thread_analysis_new(model, options);

	return groups ? weft_thread_analysis_groups_table(a, model)
	              : weft_thread_analysis_threads_table(a, model);
}

weft_table_t *weft_analysis_section_new(const weft_model_t *model, const char *name,
                                        const weft_analysis_options_t *options)
{
	static const struct {
		const char *name;
		weft_blocking_family_t family;
		weft_blocking_key_t key;
	} blocking[] = {
	    {"sync", WEFT_BLOCKING_SYNC, WEFT_BLOCKING_BY_SITE},
	    {"sync-objects", WEFT_BLOCKING_SYNC, WEFT_BLOCKING_BY_OBJECT},
	    {"syscall", WEFT_BLOCKING_SYSCALL, WEFT_BLOCKING_BY_SITE},
	    {"syscall-objects", WEFT_BLOCKING_SYSCALL, WEFT_BLOCKING_BY_OBJECT},
	    {"sleep", WEFT_BLOCKING_SLEEP, WEFT_BLOCKING_BY_SITE},
	};

	g_return_val_if_fail(model && name, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(blocking); i++) {
		if (!strcmp(name, blocking[i].name)) {
			return weft_blocking_table_new(model, blocking[i].family, blocking[i].key,
			                               options);
		}
	}
	if (!strcmp(name, "threads") || !strcmp(name, "thread-list")) {
		return threads_section(model, options, !strcmp(name, "threads"));
	} else if (!strcmp(name, "locks")) {
		return weft_lock_table_new(model, options);
	} else if (!strcmp(name, "deadlocks")) {
		return weft_deadlock_table_new(model, options);
	} else if (!strcmp(name, "wakeups")) {
		return weft_wakeup_table_new(model, options);
	} else if (!strcmp(name, "heap")) {
		return weft_heap_table_new(model, options);
	} else if (!strcmp(name, "allocs")) {
		return weft_alloc_site_table_new(model, options);
	} else if (!strcmp(name, "leaks")) {
		return weft_leak_table_new(model, options);
	} else if (!strcmp(name, "sizes")) {
		return weft_size_table_new(model, options);
	} else if (!strcmp(name, "regions") || !strcmp(name, "tasks")) {
		return weft_span_table_new(
		    model, !strcmp(name, "regions") ? WEFT_SPAN_REGIONS : WEFT_SPAN_TASKS, options);
	} else if (!strcmp(name, "region-instances") || !strcmp(name, "task-instances")) {
		return weft_span_instances_table_new(
		    model, !strcmp(name, "region-instances") ? WEFT_SPAN_REGIONS : WEFT_SPAN_TASKS,
		    options);
	} else if (!strcmp(name, "cpu")) {
		return weft_cpu_table_new(model, options);
	} else if (!strcmp(name, "mmu")) {
		return weft_mmu_table_new(model, options);
	} else if (!strcmp(name, "critical-path")) {
		return weft_critical_table_new(model, options);
	}
	return NULL;
}

/* A report computes the thread analysis once for its two sections. */
typedef struct {
	const weft_model_t *model;
	const weft_analysis_options_t *options;
	weft_thread_analysis_t *threads; /* owned, lazily */
} report_t;

static weft_table_t *report_section(report_t *r, const char *name)
{
	gboolean groups = !strcmp(name, "threads");

	if (!groups && strcmp(name, "thread-list")) {
		return weft_analysis_section_new(r->model, name, r->options);
	}
	if (!r->threads) {
		r->threads = weft_thread_analysis_new(r->model, r->options);
	}
	return groups ? weft_thread_analysis_groups_table(r->threads, r->model)
	              : weft_thread_analysis_threads_table(r->threads, r->model);
}

/*
 * The sections to render: the requested ones in report order, or all (the
 * critical path only when options names what to walk, deadlocks only when
 * there is one, cpu only when there are CPU samples). Deadlocks come
 * first: nothing else matters as much.
 */
static GPtrArray *selected(const weft_model_t *model, const char *const *wanted,
                           const weft_analysis_options_t *options)
{
	GPtrArray *names = g_ptr_array_new();
	gboolean all = !wanted || !wanted[0];

	if (all ? weft_deadlocks_found(model, options) : g_strv_contains(wanted, "deadlocks")) {
		g_ptr_array_add(names, (gpointer) "deadlocks");
	}
	for (guint i = 0; i < G_N_ELEMENTS(sections); i++) {
		if (!strcmp(sections[i].name, "deadlocks") ||
		    (all && !strcmp(sections[i].name, "critical-path") &&
		     !weft_critical_wanted(options)) ||
		    (all && !strcmp(sections[i].name, "cpu") &&
		     !weft_cpu_has_samples(model, options))) {
			continue;
		}
		if (all || g_strv_contains(wanted, sections[i].name)) {
			g_ptr_array_add(names, (gpointer) sections[i].name);
		}
	}
	return names;
}

void weft_analysis_report_text(const weft_model_t *model, const char *const *wanted,
                               const weft_analysis_options_t *options, guint top, guint width,
                               GString *out)
{
	g_autoptr(GPtrArray) names = selected(model, wanted, options);
	g_autofree char *span = weft_table_format_duration(model->end - model->start);

	g_string_append_printf(out,
	                       "trace: %s, %u process%s, %u thread%s, %" G_GUINT64_FORMAT
	                       " events, %" G_GUINT64_FORMAT " discarded%s\n",
	                       span, model->processes->len, model->processes->len == 1 ? "" : "es",
	                       model->threads->len, model->threads->len == 1 ? "" : "s",
	                       model->n_events, model->n_discarded,
	                       model->has_kernel ? ", kernel scheduling" : "");
	if (options && options->pid > 0) {
		g_string_append_printf(out, "showing process %" G_GINT64_FORMAT " only\n",
		                       options->pid);
	}
	report_t r = {model, options, NULL};

	for (guint i = 0; i < names->len; i++) {
		g_autoptr(weft_table_t) table = report_section(&r, g_ptr_array_index(names, i));

		g_string_append_c(out, '\n');
		/* The utilization curve is short and only useful whole. */
		weft_table_format_text(table, out, width, !strcmp(table->name, "mmu") ? 0 : top);
	}
	weft_thread_analysis_free(r.threads);
}

static json_object *trace_to_json(const weft_model_t *model)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "start", json_object_new_int64(model->start));
	json_object_object_add(o, "end", json_object_new_int64(model->end));
	json_object_object_add(o, "duration", json_object_new_int64(model->end - model->start));
	json_object_object_add(o, "processes", json_object_new_int64(model->processes->len));
	json_object_object_add(o, "threads", json_object_new_int64(model->threads->len));
	json_object_object_add(o, "events", json_object_new_uint64(model->n_events));
	json_object_object_add(o, "discarded", json_object_new_uint64(model->n_discarded));
	json_object_object_add(o, "has_kernel", json_object_new_boolean(model->has_kernel));
	return o;
}

json_object *weft_analysis_report_json(const weft_model_t *model, const char *const *wanted,
                                       const weft_analysis_options_t *options, guint top)
{
	g_autoptr(GPtrArray) names = selected(model, wanted, options);
	json_object *root = json_object_new_object();
	json_object *secs = json_object_new_object();

	json_object_object_add(root, "format", json_object_new_string("weft-stats"));
	json_object_object_add(root, "version", json_object_new_int(WEFT_STATS_FORMAT_VERSION));
	json_object_object_add(root, "trace", trace_to_json(model));
	report_t r = {model, options, NULL};

	for (guint i = 0; i < names->len; i++) {
		g_autoptr(weft_table_t) table = report_section(&r, g_ptr_array_index(names, i));

		json_object_object_add(secs, table->name, weft_table_to_json(table, top));
	}
	weft_thread_analysis_free(r.threads);
	json_object_object_add(root, "sections", secs);
	return root;
}
