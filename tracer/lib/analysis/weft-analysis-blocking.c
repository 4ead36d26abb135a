/* Blocking profiles by call site and by object. */
#include "weft-analysis-blocking.h"

#include "weft-analysis-private.h"
#include "weft-analysis-sites.h"

#include <string.h>

gboolean weft_blocking_family_has_state(weft_blocking_family_t family, weft_state_t state)
{
	switch (family) {
	case WEFT_BLOCKING_SYNC:
		return weft_analysis_is_sync_state(state);
	case WEFT_BLOCKING_SYSCALL:
		return state == WEFT_STATE_SYSCALL;
	case WEFT_BLOCKING_SLEEP:
		return state == WEFT_STATE_SLEEP;
	case WEFT_BLOCKING_COUNT:
		break;
	}
	return FALSE;
}

const char *weft_blocking_object_class(weft_state_t state)
{
	switch (state) {
	case WEFT_STATE_RWLOCK_READ:
	case WEFT_STATE_RWLOCK_WRITE:
		return "rwlock";
	case WEFT_STATE_LOCK_CUSTOM:
		return "lock";
	case WEFT_STATE_BLOCK_CUSTOM:
		return "blocked";
	default:
		return weft_state_name(state);
	}
}

/* Accumulator for one row while scanning. */
typedef struct {
	weft_blocking_row_t row;
	weft_dist_builder_t values;
	guint last_thread;      /* index + 1 of the last thread counted in row.n_threads */
	GHashTable *site_waits; /* callsite -> total wait (gint64*), owned; BY_OBJECT */
	guint32 last_site;      /* the site of last_sum, a cache in front of site_waits */
	gint64 *last_sum;
} acc_t;

static void acc_free(acc_t *acc)
{
	if (acc->values.values) {
		g_array_free(acc->values.values, TRUE);
	}
	g_clear_pointer(&acc->site_waits, g_hash_table_destroy);
	g_free(acc);
}

/* Identity of a row: call site and kind, or process, object and object class. */
static weft_key_t row_key(const weft_thread_t *t, weft_blocking_key_t key, weft_state_t state,
                          guint64 object, gint32 aux, guint32 site)
{
	gboolean keep_aux = state == WEFT_STATE_SYSCALL || state == WEFT_STATE_BLOCK_CUSTOM;
	weft_key_t k = {0, 0, 0, 0};

	if (key == WEFT_BLOCKING_BY_SITE) {
		k.a = site;
		k.b = state | (state == WEFT_STATE_SYSCALL ? (guint32) aux << 8 : 0);
		return k;
	}
	k.pid = t->process ? t->process->pid : -1;
	k.object = object;
	/* An rwlock's read and write waits are one object. */
	k.a = state == WEFT_STATE_RWLOCK_READ ? WEFT_STATE_RWLOCK_WRITE : state;
	k.b = keep_aux ? (guint32) aux : 0;
	return k;
}

static acc_t *acc_new(const weft_thread_t *t, weft_state_t state, guint64 object, gint32 aux,
                      guint32 site, weft_blocking_key_t key)
{
	acc_t *acc = g_new0(acc_t, 1);

	acc->row.callsite = site;
	acc->row.state = state;
	acc->row.object = object;
	acc->row.aux = aux;
	acc->row.process = t->process;
	acc->row.worst_start = acc->row.worst_end = 0;
	weft_dist_builder_init(&acc->values);
	if (key == WEFT_BLOCKING_BY_OBJECT) {
		acc->site_waits =
		    g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	}
	return acc;
}

static void acc_add(acc_t *acc, const weft_thread_t *t, weft_time_t s, weft_time_t e, guint32 site)
{
	weft_time_t d = e - s;

	weft_dist_builder_add(&acc->values, d);
	/* Threads are scanned one after the other: a new one is a new thread. */
	if (acc->last_thread != t->index + 1) {
		acc->last_thread = t->index + 1;
		acc->row.n_threads++;
	}
	if (!acc->row.worst_thread || d > acc->row.worst_end - acc->row.worst_start) {
		acc->row.worst_thread = t;
		acc->row.worst_start = s;
		acc->row.worst_end = e;
	}
	if (acc->site_waits) {
		gint64 *sum =
		    acc->last_sum && acc->last_site == site
		        ? acc->last_sum
		        : g_hash_table_lookup(acc->site_waits, GUINT_TO_POINTER(site + 1));

		if (!sum) {
			sum = g_new0(gint64, 1);
			g_hash_table_insert(acc->site_waits, GUINT_TO_POINTER(site + 1), sum);
		}
		*sum += d;
		acc->last_site = site;
		acc->last_sum = sum;
	}
}

static guint32 top_site(GHashTable *site_waits)
{
	GHashTableIter it;
	gpointer k, v;
	guint32 best = 0;
	gint64 best_sum = -1;

	g_hash_table_iter_init(&it, site_waits);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		guint32 site = GPOINTER_TO_UINT(k) - 1;
		gint64 sum = *(gint64 *) v;

		if (sum > best_sum || (sum == best_sum && site < best)) {
			best = site;
			best_sum = sum;
		}
	}
	return best;
}

static void scan_thread(const weft_thread_t *t, weft_blocking_family_t family,
                        weft_blocking_key_t key, weft_sites_t *sites, GHashTable *accs)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;
	weft_key_t last_key = {0, 0, 0, 0};
	acc_t *last = NULL; /* the row of last_key: waits come in runs on one object */

	for (guint i = 0; i < n; i++) {
		weft_state_t state = g_array_index(st->state, guint8, i);
		guint64 object;
		gint32 aux;
		guint32 site;
		weft_key_t k;
		acc_t *acc;

		if (!weft_blocking_family_has_state(family, state)) {
			continue;
		}
		object = g_array_index(st->object, guint64, i);
		aux = g_array_index(st->aux, gint32, i);
		site = weft_sites_key(sites, weft_state_track_stack(st, i),
		                      g_array_index(st->callsite, guint32, i));
		k = row_key(t, key, state, object, aux, site);
		if (last && memcmp(&k, &last_key, sizeof(k)) == 0) {
			acc = last;
		} else {
			acc = g_hash_table_lookup(accs, &k);
			if (!acc) {
				acc = acc_new(t, state, object, aux, site, key);
				weft_key_table_insert(accs, &k, acc);
			}
			last = acc;
			last_key = k;
		}
		acc_add(acc, t, g_array_index(st->start, weft_time_t, i),
		        g_array_index(st->end, weft_time_t, i), site);
	}
}

static int cmp_row(gconstpointer pa, gconstpointer pb)
{
	const weft_blocking_row_t *a = pa, *b = pb;

	if (a->dist.total != b->dist.total) {
		return a->dist.total < b->dist.total ? 1 : -1;
	}
	if (a->dist.count != b->dist.count) {
		return a->dist.count < b->dist.count ? 1 : -1;
	}
	if (a->callsite != b->callsite) {
		return a->callsite < b->callsite ? -1 : 1;
	}
	return (a->object > b->object) - (a->object < b->object);
}

GArray *weft_blocking_profile_new(const weft_model_t *model, weft_blocking_family_t family,
                                  weft_blocking_key_t key, const weft_analysis_options_t *options)
{
	g_autoptr(GHashTable) accs = weft_key_table_new((GDestroyNotify) acc_free);
	g_autoptr(weft_sites_t) sites =
	    weft_sites_new(model, options ? options->group : WEFT_GROUP_CALLER);
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(weft_blocking_row_t));
	GHashTableIter it;
	gpointer v;

	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		if (weft_analysis_wants_thread(options, t)) {
			scan_thread(t, family, key, sites, accs);
		}
	}
	g_hash_table_iter_init(&it, accs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		acc_t *acc = v;

		weft_dist_builder_finish(&acc->values, &acc->row.dist);
		if (acc->site_waits) {
			acc->row.callsite = top_site(acc->site_waits);
		}
		g_array_append_val(rows, acc->row);
	}
	g_array_sort(rows, cmp_row);
	return rows;
}

static const weft_column_t site_columns[] = {
    {"site", "call site", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"kind", "kind", WEFT_CELL_STRING, 0},
    {"count", "count", WEFT_CELL_COUNT, 0},
    {"total", "total", WEFT_CELL_DURATION, 0},
    {"mean", "mean", WEFT_CELL_DURATION, 0},
    {"p50", "p50", WEFT_CELL_DURATION, 0},
    {"p99", "p99", WEFT_CELL_DURATION, 0},
    {"max", "max", WEFT_CELL_DURATION, 0},
    {"threads", "threads", WEFT_CELL_COUNT, WEFT_COLUMN_WIDE},
    {"function", "function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"histogram", "histogram", WEFT_CELL_HISTOGRAM, WEFT_COLUMN_WIDE},
};

static const weft_column_t object_columns[] = {
    {"object", "object", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"count", "count", WEFT_CELL_COUNT, 0},
    {"total", "total", WEFT_CELL_DURATION, 0},
    {"mean", "mean", WEFT_CELL_DURATION, 0},
    {"p50", "p50", WEFT_CELL_DURATION, 0},
    {"p99", "p99", WEFT_CELL_DURATION, 0},
    {"max", "max", WEFT_CELL_DURATION, 0},
    {"site", "top call site", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"threads", "threads", WEFT_CELL_COUNT, WEFT_COLUMN_WIDE},
    {"function", "function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"kind", "kind", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"address", "address", WEFT_CELL_ADDRESS, WEFT_COLUMN_WIDE},
    {"histogram", "histogram", WEFT_CELL_HISTOGRAM, WEFT_COLUMN_WIDE},
};

static const char *const family_names[] = {"sync", "syscall", "sleep"};
static const char *const family_titles[] = {
    "Synchronization blocking",
    "Syscall blocking",
    "Sleeping",
};

static const char *row_kind(const weft_blocking_row_t *row)
{
	return row->state == WEFT_STATE_SYSCALL ? weft_analysis_syscall_name(row->aux)
	                                        : weft_state_name(row->state);
}

static char *object_label(const weft_model_t *model, const weft_blocking_row_t *row)
{
	if (row->state == WEFT_STATE_SYSCALL) {
		return g_strdup_printf("%s fd %" G_GINT64_FORMAT,
		                       weft_analysis_syscall_name(row->aux), (gint64) row->object);
	}
	if (row->state == WEFT_STATE_BLOCK_CUSTOM) {
		return g_strdup_printf("blocked: %s",
		                       weft_model_borrow_string(model, (weft_str_t) row->aux));
	}
	return g_strdup_printf("%s 0x%" G_GINT64_MODIFIER "x",
	                       weft_blocking_object_class(row->state), row->object);
}

static void set_dist(weft_table_t *table, guint row, guint col, const weft_dist_t *d)
{
	weft_table_set_int(table, row, col, (gint64) d->count);
	weft_table_set_int(table, row, col + 1, d->total);
	weft_table_set_int(table, row, col + 2, (gint64) (d->mean + 0.5));
	weft_table_set_int(table, row, col + 3, d->p50);
	weft_table_set_int(table, row, col + 4, d->p99);
	weft_table_set_int(table, row, col + 5, d->max);
}

static void add_site_row(weft_table_t *table, const weft_model_t *model,
                         const weft_blocking_row_t *r)
{
	guint row = weft_table_add_row(table);

	weft_table_take_string(table, row, 0, weft_analysis_dup_site_label(model, r->callsite));
	weft_table_set_string(table, row, 1, row_kind(r));
	set_dist(table, row, 2, &r->dist);
	weft_table_set_int(table, row, 8, r->n_threads);
	weft_table_take_string(table, row, 9, weft_analysis_dup_site_function(model, r->callsite));
	weft_table_set_histogram(table, row, 10, &r->dist.histogram);
	weft_table_set_link(table, row, r->worst_thread, r->worst_start, r->worst_end);
}

static void add_object_row(weft_table_t *table, const weft_model_t *model,
                           const weft_blocking_row_t *r)
{
	guint row = weft_table_add_row(table);

	weft_table_take_string(table, row, 0, object_label(model, r));
	set_dist(table, row, 1, &r->dist);
	weft_table_take_string(table, row, 7, weft_analysis_dup_site_label(model, r->callsite));
	weft_table_set_int(table, row, 8, r->n_threads);
	weft_table_take_string(table, row, 9, weft_analysis_dup_site_function(model, r->callsite));
	weft_table_take_string(table, row, 10, weft_analysis_dup_process_label(model, r->process));
	weft_table_set_string(
	    table, row, 11,
	    r->state == WEFT_STATE_SYSCALL ? row_kind(r) : weft_blocking_object_class(r->state));
	if (r->state != WEFT_STATE_SYSCALL && r->state != WEFT_STATE_BLOCK_CUSTOM) {
		weft_table_set_int(table, row, 12, (gint64) r->object);
	}
	weft_table_set_histogram(table, row, 13, &r->dist.histogram);
	weft_table_set_link(table, row, r->worst_thread, r->worst_start, r->worst_end);
}

weft_table_t *weft_blocking_table_new(const weft_model_t *model, weft_blocking_family_t family,
                                      weft_blocking_key_t key,
                                      const weft_analysis_options_t *options)
{
	g_autoptr(GArray) rows = NULL;
	g_autofree char *name = NULL, *title = NULL;
	weft_table_t *table;

	g_return_val_if_fail(family < WEFT_BLOCKING_COUNT, NULL);
	rows = weft_blocking_profile_new(model, family, key, options);
	if (key == WEFT_BLOCKING_BY_SITE) {
		name = g_strdup(family_names[family]);
		title = g_strdup_printf("%s by call site", family_titles[family]);
		table = weft_table_new(name, title, site_columns, G_N_ELEMENTS(site_columns),
		                       model->start);
	} else {
		name = g_strdup_printf("%s-objects", family_names[family]);
		title = g_strdup_printf("%s by object", family_titles[family]);
		table = weft_table_new(name, title, object_columns, G_N_ELEMENTS(object_columns),
		                       model->start);
	}
	for (guint i = 0; i < rows->len; i++) {
		const weft_blocking_row_t *r = &g_array_index(rows, weft_blocking_row_t, i);

		if (key == WEFT_BLOCKING_BY_SITE) {
			add_site_row(table, model, r);
		} else {
			add_object_row(table, model, r);
		}
	}
	return table;
}
