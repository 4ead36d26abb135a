/*
 * Lock contention. Waits come from the state tracks (the model's truth
 * about blocking); holds from model->holds when the runtime recorded them.
 */
#include "weft-analysis-locks.h"

#include "weft-analysis-blocking.h"
#include "weft-analysis-private.h"
#include "weft-analysis-sites.h"

typedef struct {
	weft_lock_row_t row;
	GHashTable *threads;     /* thread index + 1 set, owned */
	GHashTable *wait_sites;  /* callsite + 1 -> gint64* total, owned */
	GHashTable *hold_sites;  /* callsite + 1 -> gint64* total, owned */
	GHashTable *cause_sites; /* release site key + 1 -> gint64* wait caused, owned */
} lock_acc_t;

static void lock_acc_free(lock_acc_t *acc)
{
	g_hash_table_destroy(acc->threads);
	g_hash_table_destroy(acc->wait_sites);
	g_hash_table_destroy(acc->hold_sites);
	g_hash_table_destroy(acc->cause_sites);
	g_free(acc);
}

static lock_acc_t *lookup(GHashTable *accs, const weft_thread_t *t, guint64 lock, guint8 kind)
{
	weft_key_t key = {t->process ? t->process->pid : -1, lock, 0, 0};
	lock_acc_t *acc = g_hash_table_lookup(accs, &key);

	if (acc) {
		return acc;
	}
	acc = g_new0(lock_acc_t, 1);
	acc->row.process = t->process;
	acc->row.lock = lock;
	acc->row.kind = kind;
	acc->row.acquisitions = -1;
	acc->threads = g_hash_table_new(g_direct_hash, g_direct_equal);
	acc->wait_sites = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	acc->hold_sites = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	acc->cause_sites = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
	weft_key_table_insert(accs, &key, acc);
	return acc;
}

static void add_site(GHashTable *sites, guint32 site, gint64 d)
{
	gint64 *sum = g_hash_table_lookup(sites, GUINT_TO_POINTER(site + 1));

	if (!sum) {
		sum = g_new0(gint64, 1);
		g_hash_table_insert(sites, GUINT_TO_POINTER(site + 1), sum);
	}
	*sum += d;
}

static guint32 best_site(GHashTable *sites)
{
	GHashTableIter it;
	gpointer k, v;
	guint32 best = 0;
	gint64 best_sum = -1;

	g_hash_table_iter_init(&it, sites);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		guint32 site = GPOINTER_TO_UINT(k) - 1;

		if (*(gint64 *) v > best_sum || (*(gint64 *) v == best_sum && site < best)) {
			best = site;
			best_sum = *(gint64 *) v;
		}
	}
	return best;
}

/* What the scans share. */
typedef struct {
	const weft_model_t *model; /* borrowed */
	weft_sites_t *sites;       /* owned */
	GHashTable *accs;          /* weft_key_t -> lock_acc_t*, owned */
	GHashTable *handoffs;      /* (to thread, lock, to_ts) -> weft_flow_t*, borrowed values */
	GHashTable *releases;      /* (thread, lock, end) -> weft_lock_hold_t*, borrowed values */
} scan_t;

static weft_key_t event_key(guint thread, guint64 lock, weft_time_t ts)
{
	return (weft_key_t){thread, lock, (guint32) ts, (guint32) ((guint64) ts >> 32)};
}

/* The hand-offs and the holds that ended, to find who released a lock a wait ended on. */
static void index_releases(scan_t *sc)
{
	const weft_model_t *m = sc->model;

	for (guint i = 0; i < m->flows->len; i++) {
		weft_flow_t *f = &g_array_index(m->flows, weft_flow_t, i);
		weft_key_t k = event_key(f->to_thread, f->object, f->to_ts);

		if (f->kind == WEFT_FLOW_LOCK_HANDOFF) {
			weft_key_table_insert(sc->handoffs, &k, f);
		}
	}
	for (guint i = 0; i < m->holds->len; i++) {
		weft_lock_hold_t *h = &g_array_index(m->holds, weft_lock_hold_t, i);
		weft_key_t k = event_key(h->thread, h->lock, h->end);

		weft_key_table_insert(sc->releases, &k, h);
	}
}

/*
 * The release a wait of thread on lock that ended at end waited for, as a
 * site key: its stack (captured because the lock had waiters), else its
 * call site. FALSE when the releaser is not known.
 */
static gboolean cause_of(scan_t *sc, guint thread, guint64 lock, weft_time_t end, guint32 *key)
{
	weft_key_t k = event_key(thread, lock, end);
	const weft_flow_t *f = g_hash_table_lookup(sc->handoffs, &k);
	const weft_lock_hold_t *h;

	if (!f) {
		return FALSE;
	}
	k = event_key(f->from_thread, lock, f->from_ts);
	h = g_hash_table_lookup(sc->releases, &k);
	*key = weft_sites_key(sc->sites,
	                      f->stack ? f->stack
	                      : h      ? h->release_stack
	                               : 0,
	                      h ? h->release_callsite : 0);
	return f->stack || (h && h->release_callsite);
}

static void scan_waits(scan_t *sc, const weft_thread_t *t)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;
	GHashTable *accs = sc->accs;

	for (guint i = 0; i < n; i++) {
		guint8 state = g_array_index(st->state, guint8, i);
		weft_time_t s, e;
		lock_acc_t *acc;
		guint32 cause;

		if (!weft_analysis_is_lock_state(state)) {
			continue;
		}
		s = g_array_index(st->start, weft_time_t, i);
		e = g_array_index(st->end, weft_time_t, i);
		acc = lookup(accs, t, g_array_index(st->object, guint64, i), state);
		acc->row.contended++;
		acc->row.wait_total += e - s;
		if (e - s > acc->row.wait_max || !acc->row.worst_thread) {
			acc->row.wait_max = MAX(acc->row.wait_max, e - s);
			acc->row.worst_thread = t;
			acc->row.worst_start = s;
			acc->row.worst_end = e;
		}
		g_hash_table_add(acc->threads, GUINT_TO_POINTER(t->index + 1));
		add_site(acc->wait_sites,
		         weft_sites_key(sc->sites, weft_state_track_stack(st, i),
		                        g_array_index(st->callsite, guint32, i)),
		         e - s);
		if (cause_of(sc, t->index, acc->row.lock, e, &cause)) {
			add_site(acc->cause_sites, cause, e - s);
		}
	}
}

static void scan_holds(scan_t *sc, const weft_analysis_options_t *options)
{
	const weft_model_t *model = sc->model;
	GHashTable *accs = sc->accs;

	for (guint i = 0; i < model->holds->len; i++) {
		const weft_lock_hold_t *h = &g_array_index(model->holds, weft_lock_hold_t, i);
		const weft_thread_t *t;
		lock_acc_t *acc;
		weft_time_t d = h->end - h->start;

		if (h->thread >= model->threads->len) {
			continue;
		}
		t = g_ptr_array_index(model->threads, h->thread);
		if (!weft_analysis_wants_thread(options, t)) {
			continue;
		}
		acc = lookup(accs, t, h->lock, h->kind);
		acc->row.acquisitions = MAX(acc->row.acquisitions, 0) + 1;
		acc->row.hold_total += d;
		if (d > acc->row.hold_max) {
			acc->row.hold_max = d;
			if (!acc->row.contended) {
				acc->row.worst_thread = t;
				acc->row.worst_start = h->start;
				acc->row.worst_end = h->end;
			}
		}
		g_hash_table_add(acc->threads, GUINT_TO_POINTER(t->index + 1));
		/*
		 * A lock taken without waiting has no acquisition stack; the
		 * stack of its release, captured because others waited, has
		 * the same caller.
		 */
		add_site(
		    acc->hold_sites,
		    weft_sites_key(sc->sites, h->stack ? h->stack : h->release_stack, h->callsite),
		    d);
	}
}

static int cmp_tid(gconstpointer a, gconstpointer b)
{
	gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

	return (x > y) - (x < y);
}

static GArray *thread_tids(const weft_model_t *model, GHashTable *threads)
{
	GArray *tids = g_array_new(FALSE, FALSE, sizeof(gint64));
	GHashTableIter it;
	gpointer k;

	g_hash_table_iter_init(&it, threads);
	while (g_hash_table_iter_next(&it, &k, NULL)) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, GPOINTER_TO_UINT(k) - 1);

		g_array_append_val(tids, t->tid);
	}
	g_array_sort(tids, cmp_tid);
	return tids;
}

static void row_clear(gpointer p)
{
	weft_lock_row_t *row = p;

	g_clear_pointer(&row->tids, g_array_unref);
}

static int cmp_lock(gconstpointer pa, gconstpointer pb)
{
	const weft_lock_row_t *a = pa, *b = pb;

	if (a->wait_total != b->wait_total) {
		return a->wait_total < b->wait_total ? 1 : -1;
	}
	if (a->hold_total != b->hold_total) {
		return a->hold_total < b->hold_total ? 1 : -1;
	}
	return (a->lock > b->lock) - (a->lock < b->lock);
}

GArray *weft_lock_analysis_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	scan_t sc = {
	    .model = model,
	    .sites = weft_sites_new(model, options ? options->group : WEFT_GROUP_CALLER),
	    .accs = weft_key_table_new((GDestroyNotify) lock_acc_free),
	    .handoffs = weft_key_table_new(NULL),
	    .releases = weft_key_table_new(NULL),
	};
	GArray *rows = g_array_new(FALSE, TRUE, sizeof(weft_lock_row_t));
	GHashTableIter it;
	gpointer v;

	g_array_set_clear_func(rows, row_clear);
	index_releases(&sc);
	for (guint i = 0; i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		if (weft_analysis_wants_thread(options, t)) {
			scan_waits(&sc, t);
		}
	}
	scan_holds(&sc, options);
	g_hash_table_iter_init(&it, sc.accs);
	while (g_hash_table_iter_next(&it, NULL, &v)) {
		lock_acc_t *acc = v;

		acc->row.n_threads = g_hash_table_size(acc->threads);
		acc->row.tids = thread_tids(model, acc->threads);
		acc->row.wait_site = best_site(acc->wait_sites);
		acc->row.hold_site = best_site(acc->hold_sites);
		acc->row.cause_site = best_site(acc->cause_sites);
		g_array_append_val(rows, acc->row);
	}
	g_array_sort(rows, cmp_lock);
	g_hash_table_destroy(sc.accs);
	g_hash_table_destroy(sc.handoffs);
	g_hash_table_destroy(sc.releases);
	weft_sites_free(sc.sites);
	return rows;
}

static const weft_column_t lock_columns[] = {
    {"lock", "lock", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"acquisitions", "acq", WEFT_CELL_COUNT, 0},
    {"contended", "cont", WEFT_CELL_COUNT, 0},
    {"wait_total", "wait", WEFT_CELL_DURATION, 0},
    {"wait_max", "max wait", WEFT_CELL_DURATION, 0},
    {"hold_total", "held", WEFT_CELL_DURATION, 0},
    {"hold_max", "max held", WEFT_CELL_DURATION, 0},
    {"threads", "thr", WEFT_CELL_COUNT, 0},
    {"wait_site", "waited most at", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"wait_function", "wait function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"cause_site", "contention caused at", WEFT_CELL_STRING, WEFT_COLUMN_EXPAND},
    {"cause_function", "cause function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"hold_site", "held longest at", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"hold_function", "hold function", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"kind", "kind", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"address", "address", WEFT_CELL_ADDRESS, WEFT_COLUMN_WIDE},
    {"process", "process", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
    {"thread_ids", "threads involved", WEFT_CELL_STRING, WEFT_COLUMN_WIDE},
};

static char *join_tids(const GArray *tids)
{
	GString *s = g_string_new(NULL);

	for (guint i = 0; tids && i < tids->len; i++) {
		g_string_append_printf(s, "%s%" G_GINT64_FORMAT, i ? ", " : "",
		                       g_array_index(tids, gint64, i));
	}
	return g_string_free(s, FALSE);
}

static void add_lock_row(weft_table_t *table, const weft_model_t *model, const weft_lock_row_t *r)
{
	guint row = weft_table_add_row(table);
	const char *kind = weft_blocking_object_class(r->kind);

	weft_table_take_string(table, row, 0,
	                       g_strdup_printf("%s 0x%" G_GINT64_MODIFIER "x", kind, r->lock));
	if (r->acquisitions >= 0) {
		weft_table_set_int(table, row, 1, r->acquisitions);
	}
	weft_table_set_int(table, row, 2, (gint64) r->contended);
	weft_table_set_int(table, row, 3, r->wait_total);
	weft_table_set_int(table, row, 4, r->wait_max);
	if (r->acquisitions >= 0) {
		weft_table_set_int(table, row, 5, r->hold_total);
		weft_table_set_int(table, row, 6, r->hold_max);
	}
	weft_table_set_int(table, row, 7, r->n_threads);
	if (r->contended) {
		weft_table_take_string(table, row, 8,
		                       weft_analysis_dup_site_label(model, r->wait_site));
		weft_table_take_string(table, row, 9,
		                       weft_analysis_dup_site_function(model, r->wait_site));
	}
	if (r->cause_site) {
		weft_table_take_string(table, row, 10,
		                       weft_analysis_dup_site_label(model, r->cause_site));
		weft_table_take_string(table, row, 11,
		                       weft_analysis_dup_site_function(model, r->cause_site));
	}
	if (r->acquisitions >= 0) {
		weft_table_take_string(table, row, 12,
		                       weft_analysis_dup_site_label(model, r->hold_site));
		weft_table_take_string(table, row, 13,
		                       weft_analysis_dup_site_function(model, r->hold_site));
	}
	weft_table_set_string(table, row, 14, kind);
	weft_table_set_int(table, row, 15, (gint64) r->lock);
	weft_table_take_string(table, row, 16, weft_analysis_dup_process_label(model, r->process));
	weft_table_take_string(table, row, 17, join_tids(r->tids));
	weft_table_set_link(table, row, r->worst_thread, r->worst_start, r->worst_end);
}

weft_table_t *weft_lock_table_new(const weft_model_t *model, const weft_analysis_options_t *options)
{
	g_autoptr(GArray) rows = weft_lock_analysis_new(model, options);
	weft_table_t *table = weft_table_new("locks", "Lock contention", lock_columns,
	                                     G_N_ELEMENTS(lock_columns), model->start);

	if (!model->holds->len) {
		weft_table_set_note(table, "no lock holds recorded: acquisitions and hold times "
		                           "unknown");
	}
	for (guint i = 0; i < rows->len; i++) {
		add_lock_row(table, model, &g_array_index(rows, weft_lock_row_t, i));
	}
	return table;
}
