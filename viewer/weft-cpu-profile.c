/*
 * The CPU page's computation: the profile engine's options narrowed to
 * the selected range and thread, the profile, its flame tree and a
 * summary line.
 */
#include "weft-cpu-profile.h"

#include "weft-format.h"

gboolean weft_cpu_model_has_samples(const weft_model_t *model)
{
	for (guint i = 0; model && i < model->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(model->threads, i);

		if (t->samples.ts && t->samples.ts->len > 0) {
			return TRUE;
		}
	}
	return FALSE;
}

/* Narrows the whole-trace window of options to [start, end). */
static void narrow_window(weft_profile_options_t *o, weft_time_t start, weft_time_t end)
{
	weft_profile_span_t span;

	if (start >= end || o->window->len == 0) {
		return;
	}
	span.start = MAX(start, g_array_index(o->window, weft_profile_span_t, 0).start);
	span.end = MIN(end, g_array_index(o->window, weft_profile_span_t, o->window->len - 1).end);
	g_array_set_size(o->window, 0);
	if (span.end > span.start) {
		g_array_append_val(o->window, span);
	}
}

static void narrow_threads(weft_profile_options_t *o, guint thread)
{
	if (thread == G_MAXUINT) {
		return;
	}
	for (guint i = 0; i < o->selected->len; i++) {
		g_array_index(o->selected, guint8, i) = i == thread;
	}
	o->by_thread = TRUE;
}

static weft_time_t window_duration(const weft_profile_options_t *o)
{
	weft_time_t d = 0;

	for (guint i = 0; i < o->window->len; i++) {
		const weft_profile_span_t *s = &g_array_index(o->window, weft_profile_span_t, i);

		d += s->end - s->start;
	}
	return d;
}

static guint count_threads(const weft_profile_t *prof)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(NULL, NULL);

	for (guint i = 0; i < prof->samples->len; i++) {
		const weft_profile_sample_t *s =
		    &g_array_index(prof->samples, weft_profile_sample_t, i);

		if (s->thread != G_MAXUINT) {
			g_hash_table_add(seen, GUINT_TO_POINTER(s->thread + 1));
		}
	}
	return g_hash_table_size(seen);
}

static gint64 count_samples(const weft_profile_t *prof)
{
	gint64 n = 0;

	for (guint i = 0; i < prof->samples->len; i++) {
		const weft_profile_sample_t *s =
		    &g_array_index(prof->samples, weft_profile_sample_t, i);

		/* The wall profile tags the samples' share "cpu". */
		if (prof->kind == WEFT_PROFILE_CPU) {
			n += s->values[0];
		} else if (!g_strcmp0(s->tag, "cpu") && prof->model->sample_period > 0) {
			n += s->values[0] / (gint64) prof->model->sample_period;
		}
	}
	return n;
}

static void clear_function(gpointer data)
{
	g_free(((weft_cpu_function_t *) data)->name);
}

static int compare_functions(gconstpointer pa, gconstpointer pb)
{
	const weft_cpu_function_t *a = pa, *b = pb;

	if (a->self != b->self) {
		return a->self > b->self ? -1 : 1;
	}
	if (a->total != b->total) {
		return a->total > b->total ? -1 : 1;
	}
	return g_strcmp0(a->name, b->name);
}

/* Whether a proper ancestor of node i has its name (a recursive call). */
static gboolean name_above(const weft_flame_tree_t *tree, guint i)
{
	const weft_flame_node_t *n = weft_flame_tree_node(tree, i);

	for (guint p = n->parent; p != G_MAXUINT && p != 0;) {
		const weft_flame_node_t *a = weft_flame_tree_node(tree, p);

		if (!g_strcmp0(a->name, n->name)) {
			return TRUE;
		}
		p = a->parent;
	}
	return FALSE;
}

/* The node's value minus its children's. */
static gint64 self_of(const weft_flame_tree_t *tree, guint i)
{
	const weft_flame_node_t *n = weft_flame_tree_node(tree, i);
	gint64 v = n->value;

	for (guint c = i + 1; c < n->end; c = weft_flame_tree_node(tree, c)->end) {
		v -= weft_flame_tree_node(tree, c)->value;
	}
	return v;
}

GArray *weft_cpu_functions_new(const weft_flame_tree_t *tree)
{
	GArray *out = g_array_new(FALSE, TRUE, sizeof(weft_cpu_function_t));
	/* name (borrowed from the tree) -> index in out + 1 */
	g_autoptr(GHashTable) index = g_hash_table_new(g_str_hash, g_str_equal);

	g_array_set_clear_func(out, clear_function);
	for (guint i = 1; i < tree->nodes->len; i++) {
		const weft_flame_node_t *n = weft_flame_tree_node(tree, i);
		guint k = GPOINTER_TO_UINT(g_hash_table_lookup(index, n->name));
		weft_cpu_function_t *f;

		if (k == 0) {
			weft_cpu_function_t fresh = {g_strdup(n->name), 0, 0};

			g_array_append_val(out, fresh);
			k = out->len;
			g_hash_table_insert(index, (gpointer) n->name, GUINT_TO_POINTER(k));
		}
		f = &g_array_index(out, weft_cpu_function_t, k - 1);
		f->self += self_of(tree, i);
		if (!name_above(tree, i)) {
			f->total += n->value;
		}
	}
	g_array_sort(out, compare_functions);
	return out;
}

static char *summary_of(const weft_cpu_result_t *r)
{
	char dur[32], total[32];

	weft_format_duration(dur, sizeof dur, r->duration);
	weft_format_value(total, sizeof total, r->total, "nanoseconds");
	return g_strdup_printf("%s: %s on %u thread%s, %" G_GINT64_FORMAT " sample%s, %s of %s",
	                       r->scope.start < r->scope.end ? "Selection" : "Whole trace", dur,
	                       r->n_threads, r->n_threads == 1 ? "" : "s", r->n_samples,
	                       r->n_samples == 1 ? "" : "s", total,
	                       r->scope.wall ? "wall-clock time" : "CPU");
}

weft_cpu_result_t *weft_cpu_result_new(const weft_model_t *model, const weft_cpu_scope_t *scope)
{
	weft_cpu_result_t *r = g_new0(weft_cpu_result_t, 1);
	weft_profile_options_t o;
	g_autoptr(weft_profile_t) prof = NULL;

	r->scope = *scope;
	if (!weft_profile_options_init(&o, model, NULL, NULL)) {
		/* A model without a time span: nothing to narrow. */
		prof = weft_profile_new(model, scope->wall ? WEFT_PROFILE_WALL : WEFT_PROFILE_CPU,
		                        NULL);
		r->tree = weft_flame_tree_new(prof, scope->wall ? 0 : 1);
		r->summary = g_strdup("Nothing to show");
		r->functions = weft_cpu_functions_new(r->tree);
		return r;
	}
	narrow_window(&o, scope->start, scope->end);
	narrow_threads(&o, scope->thread);
	prof = weft_profile_new(model, scope->wall ? WEFT_PROFILE_WALL : WEFT_PROFILE_CPU, &o);
	/* cpu: value 1 is nanoseconds; wall has one value. */
	r->tree = weft_flame_tree_new(prof, scope->wall ? 0 : 1);
	r->total = weft_flame_tree_node(r->tree, 0)->value;
	r->duration = window_duration(&o);
	r->n_threads = count_threads(prof);
	r->n_samples = count_samples(prof);
	r->summary = summary_of(r);
	r->functions = weft_cpu_functions_new(r->tree);
	weft_profile_options_clear(&o);
	return r;
}

void weft_cpu_result_free(weft_cpu_result_t *result)
{
	if (!result) {
		return;
	}
	g_clear_pointer(&result->tree, weft_flame_tree_free);
	g_free(result->summary);
	g_clear_pointer(&result->functions, g_array_unref);
	g_free(result);
}
