/*
 * Chrome Trace Event Format JSON from the timeline model.
 *
 * A streaming writer: numbers are formatted by hand into one reused
 * buffer, and every string goes through one reused json-c string object
 * for escaping, once per interned string (the model interns names, so a
 * name used by a million slices is escaped once). A fresh json-c object
 * per event costs 3x as much as reused ones (docs/architecture.md); this
 * writer allocates nothing per event.
 *
 * Nesting: per thread, regions are X events clipped to their parent, and
 * every non-running state is split at region boundaries, so states are
 * leaves that never partially overlap a region. "running" gets no slice:
 * it is the gap between states (docs/convert.md has the reasoning).
 *
 * --max-size runs the writer twice: a measuring pass that counts bytes per
 * class (slices by duration, instants, flows, counters) without
 * output, then the real pass with the finest detail dropped. The measuring
 * pass keeps the duration and size of every slice, so the threshold is
 * exact: the shortest slice kept, and the output fills the budget up to
 * the slices of that one duration.
 */
#include "weft-chrome.h"
#include "weft-chrome-private.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "weft-schema.h"

/* The quark's name is one token: kept from the formatter. */
/* clang-format off */
G_DEFINE_QUARK(weft-chrome-error-quark, weft_chrome_error)
/* clang-format on */

#define BUF_CAP (1u << 20)
#define BUF_SLACK 256   /* room for one event's fixed part */
#define SIZE_MARGIN 128 /* bytes: the "dropped" counts in the metadata grow after measuring */
#define PROGRESS_STEP 65536

typedef enum {
	SEL_UNKNOWN = 0,
	SEL_KEEP,
	SEL_EXCLUDED,
} sel_t;

typedef struct {
	weft_time_t dur;
	guint64 bytes;
} slice_size_t;

#define THIN_ONE (1u << 20) /* drop_class_t.thin of a class dropped whole */

/*
 * Instants, flows or counter samples under --max-size: dropped whole, or
 * thinned evenly (every item adds thin to acc; one that brings acc to
 * THIN_ONE is dropped), so that the output fills the limit.
 */
typedef struct {
	GArray *sizes; /* guint32 per item written, measuring pass */
	guint64 bytes; /* sum of sizes */
	guint32 thin;  /* 0: keep all; THIN_ONE: drop all */
	guint32 acc;
} drop_class_t;

typedef struct {
	const weft_model_t *model;        /* borrowed */
	const weft_chrome_options_t *opt; /* borrowed */
	weft_chrome_stats_t *stats;       /* borrowed */
	char *buf;                        /* owned, BUF_CAP bytes */
	size_t len;
	FILE *fp;  /* owned, NULL while measuring or gzip */
	gzFile gz; /* owned, NULL unless gzip */
	gboolean measuring;
	int write_errno; /* first write error, 0 when none */
	guint64 flushed;
	guint64 n_events;
	json_object *jstr;            /* owned: the one string object every escape goes through */
	char **esc;                   /* owned: escaped literal per weft_str_t, built lazily */
	guint8 *str_sel;              /* owned: sel_t per weft_str_t for --exclude */
	char **site;                  /* owned: rendered call site args per callsite index */
	weft_chrome_stacks_t *stacks; /* owned: the frame tree, NULL with no_symbols */
	GPtrArray *patterns;          /* GPatternSpec*, owned */
	guint8 *thread_sel;           /* owned: 1 when the thread passes --pid/--tid */
	guint8 *process_sel;          /* owned: 1 when some thread of it passes */
	guint8 state_sel[WEFT_STATE_COUNT];
	guint8 syscall_sel[64];
	guint8 flow_sel[WEFT_FLOW_COUNT];
	weft_time_t lo, hi; /* window, absolute ns */
	GArray *region_end; /* weft_time_t, per-thread scratch */
	GArray *boundaries; /* weft_time_t, per-thread scratch */
	GArray *stack;      /* weft_time_t, per-thread scratch */
	/* --max-size accounting (measuring pass) and decisions (real pass) */
	GArray *slice_sizes;    /* slice_size_t per slice written while measuring */
	weft_time_t drop_below; /* slices shorter than this (ns) are dropped */
	drop_class_t instants, flows, counters;
	/* progress */
	guint64 work_done, work_total, next_report;
	guint64 bind_id;
} writer_t;

#define SYSCALL_LABEL(id, name) [WEFT_SYSCALL_##id] = #name "()",
static const char *const syscall_names[WEFT_SYSCALL_COUNT] = {WEFT_SYSCALL_KINDS(SYSCALL_LABEL)};
#undef SYSCALL_LABEL

/* ---- output buffer ---- */

static void flush_buf(writer_t *w)
{
	if (w->len == 0) {
		return;
	}
	w->flushed += w->len;
	if (w->measuring || w->write_errno) {
		w->len = 0;
		return;
	}
	if (w->gz) {
		if (gzwrite(w->gz, w->buf, (unsigned) w->len) != (int) w->len) {
			int zerr;

			gzerror(w->gz, &zerr);
			w->write_errno = zerr == Z_ERRNO && errno ? errno : EIO;
		}
	} else if (fwrite(w->buf, 1, w->len, w->fp) != w->len) {
		w->write_errno = errno ? errno : EIO;
	}
	w->len = 0;
}

static inline guint64 out_pos(const writer_t *w)
{
	return w->flushed + w->len;
}

static inline void reserve(writer_t *w, size_t n)
{
	if (w->len + n > BUF_CAP) {
		flush_buf(w);
	}
}

static void put_mem(writer_t *w, const char *s, size_t n)
{
	if (n > BUF_CAP / 2) {
		flush_buf(w);
		for (size_t off = 0; off < n; off += BUF_CAP / 2) {
			size_t chunk = MIN(n - off, BUF_CAP / 2);

			memcpy(w->buf, s + off, chunk);
			w->len = chunk;
			flush_buf(w);
		}
		return;
	}
	reserve(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

/* String literals of this file: sizeof is known at compile time. */
#define PUT(w, lit) put_mem((w), "" lit, sizeof(lit) - 1)

static inline void put_char(writer_t *w, char c)
{
	reserve(w, 1);
	w->buf[w->len++] = c;
}

static void put_u64(writer_t *w, guint64 v)
{
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
	                            "25262728293031323334353637383940414243444546474849"
	                            "50515253545556575859606162636465666768697071727374"
	                            "75767778798081828384858687888990919293949596979899";
	char tmp[24];
	int n = sizeof(tmp);

	while (v >= 100) {
		guint r = (guint) (v % 100);

		v /= 100;
		tmp[--n] = pairs[2 * r + 1];
		tmp[--n] = pairs[2 * r];
	}
	if (v >= 10) {
		tmp[--n] = pairs[2 * v + 1];
		tmp[--n] = pairs[2 * v];
	} else {
		tmp[--n] = (char) ('0' + v);
	}
	put_mem(w, tmp + n, sizeof(tmp) - (size_t) n);
}

static void put_i64(writer_t *w, gint64 v)
{
	if (v < 0) {
		put_char(w, '-');
		put_u64(w, (guint64) 0 - (guint64) v);
	} else {
		put_u64(w, (guint64) v);
	}
}

/* Nanoseconds as microseconds with up to three decimals, no trailing zeros. */
static void put_us(writer_t *w, weft_time_t ns)
{
	guint64 v = ns < 0 ? 0 : (guint64) ns;
	guint frac = (guint) (v % 1000);

	put_u64(w, v / 1000);
	if (frac) {
		char tmp[4];
		int n = 3;

		tmp[0] = '.';
		tmp[1] = (char) ('0' + frac / 100);
		tmp[2] = (char) ('0' + frac / 10 % 10);
		tmp[3] = (char) ('0' + frac % 10);
		while (tmp[n] == '0') {
			n--;
		}
		put_mem(w, tmp, (size_t) n + 1);
	}
}

static void put_hex_string(writer_t *w, guint64 v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	reserve(w, (size_t) n + 4);
	w->buf[w->len++] = '"';
	w->buf[w->len++] = '0';
	w->buf[w->len++] = 'x';
	while (n) {
		w->buf[w->len++] = tmp[--n];
	}
	w->buf[w->len++] = '"';
}

/* ---- strings: escaped through json-c, once per interned string ---- */

/* Old Perfetto JSON tokenizers reject raw control characters and \u escapes. */
static char *sanitize(const char *s)
{
	char *valid = g_utf8_make_valid(s, -1);

	for (char *p = valid; *p; p++) {
		unsigned char c = (unsigned char) *p;

		if ((c < 0x20 && c != '\n' && c != '\t' && c != '\r') || c == 0x7f) {
			*p = ' ';
		}
	}
	return valid;
}

char *weft_chrome_escape(json_object *jstr, const char *s)
{
	char *clean = sanitize(s);
	char *out;

	json_object_set_string(jstr, clean);
	out = g_strdup(json_object_to_json_string_ext(jstr, JSON_C_TO_STRING_PLAIN |
	                                                        JSON_C_TO_STRING_NOSLASHESCAPE));
	g_free(clean);
	return out;
}

static char *escape(writer_t *w, const char *s)
{
	return weft_chrome_escape(w->jstr, s);
}

static const char *borrow_escaped(writer_t *w, weft_str_t id)
{
	if (id >= w->model->strings->len) {
		id = 0;
	}
	if (!w->esc[id]) {
		w->esc[id] = escape(w, weft_model_borrow_string(w->model, id));
	}
	return w->esc[id];
}

static void put_str(writer_t *w, weft_str_t id)
{
	const char *e = borrow_escaped(w, id);

	put_mem(w, e, strlen(e));
}

/* ---- selection: --pid, --tid, window, --exclude ---- */

static gboolean name_excluded(const writer_t *w, const char *name)
{
	for (guint i = 0; i < w->patterns->len; i++) {
		if (g_pattern_spec_match_string(g_ptr_array_index(w->patterns, i), name)) {
			return TRUE;
		}
	}
	return FALSE;
}

static gboolean cached_excluded(writer_t *w, guint8 *cache, const char *name)
{
	if (*cache == SEL_UNKNOWN) {
		*cache = name_excluded(w, name) ? SEL_EXCLUDED : SEL_KEEP;
	}
	return *cache == SEL_EXCLUDED;
}

static gboolean str_excluded(writer_t *w, weft_str_t id)
{
	if (w->patterns->len == 0) {
		return FALSE;
	}
	if (id >= w->model->strings->len) {
		id = 0;
	}
	return cached_excluded(w, &w->str_sel[id], weft_model_borrow_string(w->model, id));
}

static gboolean in_list(const int64_t *list, guint n, int64_t v)
{
	for (guint i = 0; i < n; i++) {
		if (list[i] == v) {
			return TRUE;
		}
	}
	return FALSE;
}

static void select_threads(writer_t *w)
{
	const weft_model_t *m = w->model;
	const weft_chrome_options_t *o = w->opt;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);
		int64_t pid = t->process ? t->process->pid : -1;
		gboolean keep = (!o->n_pids || in_list(o->pids, o->n_pids, pid)) &&
		                (!o->n_tids || in_list(o->tids, o->n_tids, t->tid));

		w->thread_sel[i] = keep;
		if (keep && t->process && t->process->index < m->processes->len) {
			w->process_sel[t->process->index] = 1;
		}
	}
}

static gboolean thread_selected(const writer_t *w, guint index)
{
	return index < w->model->threads->len && w->thread_sel[index];
}

/* ---- --max-size ---- */

static int cmp_slice_size(const void *a, const void *b)
{
	weft_time_t x = ((const slice_size_t *) a)->dur, y = ((const slice_size_t *) b)->dur;

	return x < y ? -1 : x > y;
}

/* Whether this item of the class is dropped (same sequence in both passes). */
static gboolean class_drops(drop_class_t *c)
{
	if (c->thin == 0 || c->thin >= THIN_ONE) {
		return c->thin != 0;
	}
	c->acc += c->thin;
	if (c->acc >= THIN_ONE) {
		c->acc -= THIN_ONE;
		return TRUE;
	}
	return FALSE;
}

static void class_account(writer_t *w, drop_class_t *c, guint64 mark)
{
	if (w->measuring) {
		guint32 size = (guint32) MIN(out_pos(w) - mark, G_MAXUINT32);

		g_array_append_val(c->sizes, size);
		c->bytes += size;
	}
}

static guint64 thinned_bytes(const drop_class_t *c, guint32 thin)
{
	drop_class_t t = {NULL, 0, thin, 0};
	guint64 sum = 0;

	for (guint i = 0; i < c->sizes->len; i++) {
		if (class_drops(&t)) {
			sum += g_array_index(c->sizes, guint32, i);
		}
	}
	return sum;
}

/*
 * Sets the class to free at least need bytes with the least thinning
 * (binary search; all of it when even that is not enough). Returns FALSE
 * when dropping the whole class is not enough.
 */
static gboolean choose_thinning(drop_class_t *c, guint64 need)
{
	guint32 lo = 0, hi = THIN_ONE;

	if (c->bytes == 0) {
		return need == 0;
	}
	c->thin = THIN_ONE;
	if (c->bytes <= need) {
		return c->bytes == need;
	}
	while (hi - lo > 1) {
		guint32 mid = lo + (hi - lo) / 2;

		if (thinned_bytes(c, mid) >= need) {
			hi = mid;
		} else {
			lo = mid;
		}
	}
	c->thin = hi;
	return TRUE;
}

/*
 * Drops detail until total fits: slices shortest first
 * (all slices of one duration together), then instants, flows, counters,
 * each thinned evenly or dropped whole.
 */
static void choose_drops(writer_t *w, guint64 total)
{
	slice_size_t *sz = (slice_size_t *) (void *) w->slice_sizes->data;
	guint n = w->slice_sizes->len, k = 0;
	guint64 need, cum = 0;

	if (!w->opt->max_size || total <= w->opt->max_size) {
		return;
	}
	need = total - w->opt->max_size + MIN(SIZE_MARGIN, w->opt->max_size);
	if (n > 0) {
		qsort(sz, n, sizeof(*sz), cmp_slice_size); /* data is NULL when empty */
	}
	while (k < n && cum < need) {
		weft_time_t d = sz[k].dur;

		for (; k < n && sz[k].dur == d; k++) {
			cum += sz[k].bytes;
		}
	}
	if (k > 0) {
		/* the shortest kept duration; past the longest when all go */
		w->drop_below = k < n ? sz[k].dur : sz[n - 1].dur + 1;
		w->stats->dropped_below = w->drop_below;
		w->stats->dropped_all_slices = k == n;
	}
	if (cum >= need) {
		return;
	}
	need -= cum;
	if (choose_thinning(&w->instants, need)) {
		return;
	}
	need -= w->instants.bytes;
	if (choose_thinning(&w->flows, need)) {
		return;
	}
	need -= w->flows.bytes;
	if (!choose_thinning(&w->counters, need)) {
		w->stats->over_size = TRUE;
	}
}

/* ---- progress ---- */

static void progress_step(writer_t *w, guint64 units)
{
	w->work_done += units;
	if (w->opt->progress && w->work_done >= w->next_report) {
		guint64 total = w->work_total ? w->work_total : 1;

		w->next_report = w->work_done + MAX(PROGRESS_STEP, total / 100);
		w->opt->progress(MIN(1.0, (double) w->work_done / (double) total),
		                 w->opt->progress_data);
	}
}

/* ---- event skeletons ---- */

static void event_open(writer_t *w)
{
	reserve(w, BUF_SLACK);
	if (w->n_events++) {
		PUT(w, ",\n{");
	} else {
		PUT(w, "\n{");
	}
}

static void put_pid_tid(writer_t *w, const weft_thread_t *t)
{
	PUT(w, "\"pid\":");
	put_i64(w, t->process ? t->process->pid : 0);
	PUT(w, ",\"tid\":");
	put_i64(w, t->tid);
}

static void put_ts(writer_t *w, weft_time_t abs)
{
	PUT(w, ",\"ts\":");
	put_us(w, abs - w->model->start);
}

/* Args are written as `,"args":{` before the first key and `}` after the last. */
typedef struct {
	gboolean open;
} args_t;

static void arg_key(writer_t *w, args_t *a, const char *key_lit, size_t n)
{
	if (a->open) {
		put_char(w, ',');
	} else {
		PUT(w, ",\"args\":{");
		a->open = TRUE;
	}
	put_mem(w, key_lit, n);
}

#define ARG(w, a, key) arg_key((w), (a), "\"" key "\":", sizeof(key) + 2)

static void args_close(writer_t *w, args_t *a)
{
	if (a->open) {
		put_char(w, '}');
	}
}

static const char *borrow_site(writer_t *w, guint32 index)
{
	const weft_callsite_t *cs;
	GString *site, *frag;
	char *e;

	if (!w->site[index]) {
		cs = weft_model_borrow_callsite(w->model, index);
		site = g_string_new(NULL);
		frag = g_string_new("\"site\":");
		weft_chrome_append_site(site, w->model, cs, FALSE);
		e = escape(w, site->str);
		g_string_append(frag, e);
		g_free(e);
		if (cs->function && !cs->file && cs->binary) {
			char *base =
			    g_path_get_basename(weft_model_borrow_string(w->model, cs->binary));

			e = escape(w, base);
			g_string_append_printf(frag, ",\"binary\":%s", e);
			g_free(e);
			g_free(base);
		}
		g_string_free(site, TRUE);
		w->site[index] = g_string_free(frag, FALSE);
	}
	return w->site[index];
}

static void put_site(writer_t *w, args_t *a, guint32 callsite)
{
	const char *frag;

	if (w->opt->no_symbols || callsite == 0 || callsite >= w->model->callsites->len) {
		return;
	}
	frag = borrow_site(w, callsite);
	arg_key(w, a, "", 0);
	put_mem(w, frag, strlen(frag));
}

/* `,"sf":N`: the event's leaf node in the stackFrames tree (catapult). */
static void put_sf(writer_t *w, guint32 stack)
{
	guint32 node = w->stacks ? weft_chrome_stacks_node(w->stacks, stack) : 0;

	if (node) {
		PUT(w, ",\"sf\":");
		put_u64(w, node);
	}
}

/* args.stack: the frame labels, leaf first (Perfetto shows args only). */
static void put_stack_args(writer_t *w, args_t *a, guint32 stack)
{
	size_t len = 0;
	const char *frag =
	    w->stacks ? weft_chrome_stacks_borrow_args(w->stacks, stack, &len) : NULL;

	if (frag) {
		arg_key(w, a, "", 0);
		put_mem(w, frag, len);
	}
}

static void put_flags(writer_t *w, args_t *a, guint8 flags)
{
	if (flags & WEFT_FLAG_UNFINISHED) {
		ARG(w, a, "unfinished");
		PUT(w, "true");
	}
	if (flags & WEFT_FLAG_UNSTARTED) {
		ARG(w, a, "unstarted");
		PUT(w, "true");
	}
	if (flags & WEFT_FLAG_INFERRED) {
		ARG(w, a, "inferred");
		PUT(w, "true");
	}
}

/*
 * Clips [*s, *e] to the window and applies the --max-size slice threshold.
 * Returns FALSE when the slice is not written.
 */
static gboolean slice_visible(writer_t *w, weft_time_t *s, weft_time_t *e)
{
	if (*s > w->hi || *e < w->lo) {
		w->stats->n_filtered++;
		return FALSE;
	}
	*s = MAX(*s, w->lo);
	*e = MIN(*e, w->hi);
	if (*e - *s < w->drop_below) {
		w->stats->dropped_slices++;
		return FALSE;
	}
	return TRUE;
}

static void slice_open(writer_t *w, const weft_thread_t *t, weft_time_t s, weft_time_t e)
{
	event_open(w);
	PUT(w, "\"ph\":\"X\",");
	put_pid_tid(w, t);
	put_ts(w, s);
	PUT(w, ",\"dur\":");
	put_us(w, e - s);
	PUT(w, ",\"name\":");
}

static void slice_account(writer_t *w, weft_time_t dur, guint64 mark)
{
	if (w->measuring) {
		slice_size_t sz = {dur, out_pos(w) - mark};

		g_array_append_val(w->slice_sizes, sz);
	}
}

/* ---- thread tracks ---- */

static const char *state_label(weft_state_t st, gint32 aux)
{
	if (st == WEFT_STATE_SYSCALL && aux >= 0 && (guint) aux < G_N_ELEMENTS(syscall_names) &&
	    syscall_names[aux]) {
		return syscall_names[aux];
	}
	return weft_state_name(st);
}

static gboolean state_excluded(writer_t *w, weft_state_t st, gint32 aux, weft_str_t custom)
{
	if (w->patterns->len == 0) {
		return FALSE;
	}
	if (st == WEFT_STATE_BLOCK_CUSTOM && custom) {
		return str_excluded(w, custom);
	}
	if (st == WEFT_STATE_SYSCALL && aux >= 0 && (guint) aux < G_N_ELEMENTS(w->syscall_sel)) {
		return cached_excluded(w, &w->syscall_sel[aux], state_label(st, aux));
	}
	if ((guint) st >= WEFT_STATE_COUNT) {
		return FALSE;
	}
	return cached_excluded(w, &w->state_sel[st], weft_state_name(st));
}

static void emit_state_piece(writer_t *w, const weft_thread_t *t, guint k, weft_time_t s,
                             weft_time_t e)
{
	const weft_state_track_t *st = &t->states;
	weft_state_t state = g_array_index(st->state, guint8, k);
	gint32 aux = st->aux ? g_array_index(st->aux, gint32, k) : 0;
	guint64 object = st->object ? g_array_index(st->object, guint64, k) : 0;
	guint32 callsite = st->callsite ? g_array_index(st->callsite, guint32, k) : 0;
	guint8 flags = st->flags ? g_array_index(st->flags, guint8, k) : 0;
	guint32 stack = weft_state_track_stack(st, k);
	guint64 mark = out_pos(w);
	args_t a = {FALSE};

	if (!slice_visible(w, &s, &e)) {
		return;
	}
	slice_open(w, t, s, e);
	if (state == WEFT_STATE_BLOCK_CUSTOM && aux > 0) {
		put_str(w, (weft_str_t) aux);
	} else {
		const char *label = state_label(state, aux);

		put_char(w, '"');
		put_mem(w, label, strlen(label));
		put_char(w, '"');
	}
	put_sf(w, stack);
	if (state == WEFT_STATE_SYSCALL) {
		ARG(w, &a, "fd");
		put_i64(w, (gint64) object);
	} else if (state == WEFT_STATE_SLEEP) {
		if (aux >= 0 && (guint) aux < G_N_ELEMENTS(syscall_names) && syscall_names[aux]) {
			ARG(w, &a, "call");
			put_char(w, '"');
			put_mem(w, syscall_names[aux], strlen(syscall_names[aux]));
			put_char(w, '"');
		}
	} else if (state == WEFT_STATE_DATA_LOST) {
		if (object) {
			ARG(w, &a, "discarded");
			put_u64(w, object);
		}
	} else if (object) {
		ARG(w, &a, "object");
		put_hex_string(w, object);
	}
	put_site(w, &a, callsite);
	put_stack_args(w, &a, stack);
	put_flags(w, &a, flags);
	args_close(w, &a);
	put_char(w, '}');
	slice_account(w, e - s, mark);
}

static void emit_region(writer_t *w, const weft_thread_t *t, guint k, weft_time_t end)
{
	const weft_slice_track_t *sl = &t->slices;
	weft_time_t s = g_array_index(sl->start, weft_time_t, k);
	weft_str_t name = g_array_index(sl->name, weft_str_t, k);
	guint32 callsite = sl->callsite ? g_array_index(sl->callsite, guint32, k) : 0;
	guint8 flags = sl->flags ? g_array_index(sl->flags, guint8, k) : 0;
	guint64 mark = out_pos(w);
	args_t a = {FALSE};

	if (str_excluded(w, name)) {
		w->stats->n_filtered++;
		return;
	}
	if (!slice_visible(w, &s, &end)) {
		return;
	}
	slice_open(w, t, s, end);
	put_str(w, name);
	put_site(w, &a, callsite);
	put_flags(w, &a, flags);
	args_close(w, &a);
	put_char(w, '}');
	slice_account(w, end - s, mark);
}

static int cmp_time(const void *a, const void *b)
{
	weft_time_t x = *(const weft_time_t *) a, y = *(const weft_time_t *) b;

	return x < y ? -1 : x > y;
}

/*
 * Clips each region to its enclosing one (a model whose regions partially
 * overlap still gives strictly nested X events) and collects the region
 * boundaries, sorted and unique.
 */
static void nest_regions(writer_t *w, const weft_thread_t *t)
{
	const weft_slice_track_t *sl = &t->slices;
	guint n = sl->start ? sl->start->len : 0, u = 0;
	weft_time_t *b;

	g_array_set_size(w->region_end, n);
	g_array_set_size(w->boundaries, 0);
	g_array_set_size(w->stack, 0);
	for (guint k = 0; k < n; k++) {
		weft_time_t s = g_array_index(sl->start, weft_time_t, k);
		weft_time_t e = MAX(s, g_array_index(sl->end, weft_time_t, k));

		while (w->stack->len &&
		       g_array_index(w->stack, weft_time_t, w->stack->len - 1) <= s) {
			g_array_set_size(w->stack, w->stack->len - 1);
		}
		if (w->stack->len) {
			e = MIN(e, g_array_index(w->stack, weft_time_t, w->stack->len - 1));
		}
		g_array_index(w->region_end, weft_time_t, k) = e;
		g_array_append_val(w->stack, e);
		g_array_append_val(w->boundaries, s);
		g_array_append_val(w->boundaries, e);
	}
	if (w->boundaries->len > 1) {
		qsort(w->boundaries->data, w->boundaries->len, sizeof(weft_time_t), cmp_time);
	}
	b = (weft_time_t *) (void *) w->boundaries->data;
	for (guint k = 0; k < w->boundaries->len; k++) {
		if (u == 0 || b[u - 1] != b[k]) {
			b[u++] = b[k];
		}
	}
	g_array_set_size(w->boundaries, u);
}

/* Next state to draw at or after *k: skips running and excluded ones. */
static gboolean next_state(writer_t *w, const weft_thread_t *t, guint *k, weft_time_t *prev_end,
                           weft_time_t *s, weft_time_t *e)
{
	const weft_state_track_t *st = &t->states;
	guint n = st->start ? st->start->len : 0;

	for (; *k < n; (*k)++) {
		weft_state_t state = g_array_index(st->state, guint8, *k);
		gint32 aux = st->aux ? g_array_index(st->aux, gint32, *k) : 0;

		*s = MAX(g_array_index(st->start, weft_time_t, *k), *prev_end);
		*e = g_array_index(st->end, weft_time_t, *k);
		if (*e < *s) {
			continue; /* overlapped by the previous one: keep them disjoint */
		}
		*prev_end = *e;
		if (state == WEFT_STATE_RUNNING) {
			continue;
		}
		if (state_excluded(w, state, aux, (weft_str_t) MAX(aux, 0))) {
			w->stats->n_filtered++;
			continue;
		}
		return TRUE;
	}
	return FALSE;
}

/* Regions and state pieces of one thread, merged by start time, parents first. */
static void emit_thread_slices(writer_t *w, const weft_thread_t *t)
{
	guint nr = t->slices.start ? t->slices.start->len : 0;
	guint r = 0, k = 0;
	weft_time_t prev_end = G_MININT64, ps = 0, se = 0;
	gboolean have = FALSE;

	nest_regions(w, t);
	have = next_state(w, t, &k, &prev_end, &ps, &se);
	while (r < nr || have) {
		weft_time_t rs =
		    r < nr ? g_array_index(t->slices.start, weft_time_t, r) : G_MAXINT64;

		if (r < nr && (!have || rs <= ps)) {
			emit_region(w, t, r, g_array_index(w->region_end, weft_time_t, r));
			r++;
			continue;
		}
		/* a piece of state k: from ps to the next region boundary or its end */
		guint bi = weft_model_lower_bound(w->boundaries, ps + 1);
		weft_time_t pe = se;

		if (bi < w->boundaries->len) {
			pe = MIN(pe, g_array_index(w->boundaries, weft_time_t, bi));
		}
		emit_state_piece(w, t, k, ps, pe);
		if (pe >= se) {
			k++;
			have = next_state(w, t, &k, &prev_end, &ps, &se);
		} else {
			ps = pe;
		}
	}
	progress_step(w, nr + (t->states.start ? t->states.start->len : 0));
}

static void emit_instants(writer_t *w, const weft_thread_t *t)
{
	const weft_instant_track_t *it = &t->instants;
	guint n = it->ts ? it->ts->len : 0;

	for (guint k = 0; k < n; k++) {
		weft_time_t ts = g_array_index(it->ts, weft_time_t, k);
		guint8 kind = g_array_index(it->kind, guint8, k);
		weft_str_t name = g_array_index(it->name, weft_str_t, k);
		weft_str_t msg = it->message ? g_array_index(it->message, weft_str_t, k) : 0;
		guint32 callsite = it->callsite ? g_array_index(it->callsite, guint32, k) : 0;
		gboolean is_log = kind == WEFT_INSTANT_LOG;
		guint64 mark = out_pos(w);
		args_t a = {FALSE};

		if (ts < w->lo || ts > w->hi || str_excluded(w, name) ||
		    (is_log && str_excluded(w, msg))) {
			w->stats->n_filtered++;
			continue;
		}
		if (class_drops(&w->instants)) {
			w->stats->dropped_instants++;
			continue;
		}
		event_open(w);
		PUT(w, "\"ph\":\"i\",\"s\":\"t\",");
		put_pid_tid(w, t);
		put_ts(w, ts);
		PUT(w, ",\"name\":");
		put_str(w, is_log ? msg : name);
		if (is_log) {
			PUT(w, ",\"cat\":\"log\"");
			if (name) {
				ARG(w, &a, "category");
				put_str(w, name);
			}
		} else {
			PUT(w, ",\"cat\":\"mark\"");
		}
		put_site(w, &a, callsite);
		args_close(w, &a);
		put_char(w, '}');
		class_account(w, &w->instants, mark);
	}
	progress_step(w, n);
}

/* ---- metadata events ---- */

/* Opens an M event up to its args object: `..."name":what,"args":{` */
static void meta_open(writer_t *w, int64_t pid, const int64_t *tid, const char *what_lit)
{
	event_open(w);
	PUT(w, "\"ph\":\"M\",\"pid\":");
	put_i64(w, pid);
	if (tid) {
		PUT(w, ",\"tid\":");
		put_i64(w, *tid);
	}
	PUT(w, ",\"name\":");
	put_mem(w, what_lit, strlen(what_lit));
	PUT(w, ",\"args\":{");
}

static void emit_meta_name(writer_t *w, int64_t pid, const int64_t *tid, const char *what_lit,
                           weft_str_t name)
{
	meta_open(w, pid, tid, what_lit);
	PUT(w, "\"name\":");
	put_str(w, name);
	PUT(w, "}}");
}

static void emit_meta_sort(writer_t *w, int64_t pid, const int64_t *tid, const char *what_lit,
                           guint index)
{
	meta_open(w, pid, tid, what_lit);
	PUT(w, "\"sort_index\":");
	put_u64(w, index);
	PUT(w, "}}");
}

static void emit_process_labels(writer_t *w, const weft_process_t *p)
{
	guint64 lost = 0;
	char text[64];

	for (guint i = 0; i < w->model->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(w->model->lost, weft_lost_t, i);

		if (l->pid == p->pid || l->pid < 0) {
			lost += l->count;
		}
	}
	if (!lost) {
		return;
	}
	event_open(w);
	PUT(w, "\"ph\":\"M\",\"pid\":");
	put_i64(w, p->pid);
	PUT(w, ",\"name\":\"process_labels\",\"args\":{\"labels\":");
	g_snprintf(text, sizeof(text), "\"data lost: %" G_GUINT64_FORMAT " events\"", lost);
	put_mem(w, text, strlen(text));
	PUT(w, "}}");
}

static void emit_process(writer_t *w, const weft_process_t *p)
{
	guint sort = 0;

	if (p->name) {
		emit_meta_name(w, p->pid, NULL, "\"process_name\"", p->name);
	}
	emit_meta_sort(w, p->pid, NULL, "\"process_sort_index\"", p->index);
	emit_process_labels(w, p);
	for (guint i = 0; i < p->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(p->threads, i);

		if (!thread_selected(w, t->index)) {
			continue;
		}
		if (t->name) {
			emit_meta_name(w, p->pid, &t->tid, "\"thread_name\"", t->name);
		}
		emit_meta_sort(w, p->pid, &t->tid, "\"thread_sort_index\"", sort++);
		emit_thread_slices(w, t);
		emit_instants(w, t);
	}
}

/* ---- counters ---- */

static void emit_counter_sample(writer_t *w, const weft_process_t *p, const weft_counter_t *c,
                                weft_time_t ts, gint64 value)
{
	guint64 mark = out_pos(w);

	if (class_drops(&w->counters)) {
		w->stats->dropped_counters++;
		return;
	}
	event_open(w);
	PUT(w, "\"ph\":\"C\",\"pid\":");
	put_i64(w, p->pid);
	put_ts(w, ts);
	PUT(w, ",\"name\":");
	if (c->is_heap && !c->name) {
		PUT(w, "\"heap\"");
	} else {
		put_str(w, c->name);
	}
	if (c->is_heap) {
		PUT(w, ",\"args\":{\"bytes\":");
	} else {
		PUT(w, ",\"args\":{\"value\":");
	}
	put_i64(w, value);
	PUT(w, "}}");
	class_account(w, &w->counters, mark);
}

static void emit_counters(writer_t *w, const weft_process_t *p)
{
	for (guint i = 0; i < p->counters->len; i++) {
		const weft_counter_t *c = g_ptr_array_index(p->counters, i);
		guint n = c->ts ? c->ts->len : 0;
		guint first = n ? weft_model_lower_bound(c->ts, w->lo) : 0;

		if (str_excluded(w, c->name) ||
		    (c->is_heap && !c->name && w->patterns->len && name_excluded(w, "heap"))) {
			w->stats->n_filtered += n;
			continue;
		}
		/* the value in force when the window opens */
		if (first > 0 && (first == n || g_array_index(c->ts, weft_time_t, first) > w->lo)) {
			emit_counter_sample(w, p, c, w->lo,
			                    g_array_index(c->value, gint64, first - 1));
		}
		w->stats->n_filtered += first;
		for (guint k = first; k < n; k++) {
			weft_time_t ts = g_array_index(c->ts, weft_time_t, k);

			if (ts > w->hi) {
				w->stats->n_filtered += n - k;
				break;
			}
			emit_counter_sample(w, p, c, ts, g_array_index(c->value, gint64, k));
		}
		progress_step(w, n);
	}
}

/* ---- tasks: async b/e, packed into as few tracks as never overlap ---- */

static const weft_thread_t *borrow_thread(const writer_t *w, guint index)
{
	if (index >= w->model->threads->len) {
		return NULL;
	}
	return g_ptr_array_index(w->model->threads, index);
}

static guint task_lane(GHashTable *lanes, const weft_task_t *task, int64_t pid, weft_time_t s,
                       weft_time_t e)
{
	gint64 key = (gint64) (((guint64) (guint32) pid << 32) | task->name);
	GArray *ends = g_hash_table_lookup(lanes, &key);
	guint lane;

	if (!ends) {
		gint64 *k = g_new(gint64, 1);

		*k = key;
		ends = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
		g_hash_table_insert(lanes, k, ends);
	}
	for (lane = 0; lane < ends->len; lane++) {
		if (g_array_index(ends, weft_time_t, lane) <= s) {
			break;
		}
	}
	if (lane == ends->len) {
		g_array_append_val(ends, e);
	} else {
		g_array_index(ends, weft_time_t, lane) = e;
	}
	return lane;
}

static void emit_task_event(writer_t *w, char ph, const weft_thread_t *t, weft_time_t ts,
                            const weft_task_t *task, guint lane)
{
	args_t a = {FALSE};

	event_open(w);
	PUT(w, "\"ph\":\"");
	put_char(w, ph);
	PUT(w, "\",\"cat\":\"task\",\"id\":");
	put_u64(w, lane);
	put_char(w, ',');
	put_pid_tid(w, t);
	put_ts(w, ts);
	PUT(w, ",\"name\":");
	put_str(w, task->name);
	if (ph == 'b') {
		ARG(w, &a, "task");
		put_u64(w, task->id);
		put_site(w, &a, task->callsite);
		put_flags(w, &a, task->flags);
		args_close(w, &a);
	}
	put_char(w, '}');
}

static void emit_tasks(writer_t *w)
{
	GHashTable *lanes = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
	                                          (GDestroyNotify) g_array_unref);

	for (guint i = 0; i < w->model->tasks->len; i++) {
		const weft_task_t *task = &g_array_index(w->model->tasks, weft_task_t, i);
		const weft_thread_t *bt = borrow_thread(w, task->begin_thread);
		const weft_thread_t *et = borrow_thread(w, task->end_thread);
		weft_time_t s = task->start, e = MAX(task->start, task->end);

		if (!bt) {
			bt = et;
		}
		if (!et) {
			et = bt;
		}
		if (!bt || bt->process != et->process ||
		    !(thread_selected(w, bt->index) || thread_selected(w, et->index)) ||
		    s > w->hi || e < w->lo || str_excluded(w, task->name)) {
			w->stats->n_filtered++;
			continue;
		}
		s = MAX(s, w->lo);
		e = MIN(e, w->hi);
		guint lane = task_lane(lanes, task, bt->process ? bt->process->pid : 0, s, e);

		emit_task_event(w, 'b', bt, s, task, lane);
		emit_task_event(w, 'e', et, e, task, lane);
	}
	progress_step(w, w->model->tasks->len);
	g_hash_table_destroy(lanes);
}

/* ---- flows: v2, a zero-length X event at each end ---- */

static void emit_flow_end(writer_t *w, const weft_thread_t *t, weft_time_t ts, const char *name,
                          gboolean out, guint64 object, guint32 stack)
{
	args_t a = {FALSE};

	event_open(w);
	PUT(w, "\"ph\":\"X\",");
	put_pid_tid(w, t);
	put_ts(w, ts);
	PUT(w, ",\"dur\":0,\"name\":\"");
	put_mem(w, name, strlen(name));
	PUT(w, "\",\"cat\":\"flow\",\"bind_id\":");
	put_u64(w, w->bind_id);
	if (out) {
		PUT(w, ",\"flow_out\":true");
	} else {
		PUT(w, ",\"flow_in\":true");
	}
	put_sf(w, stack);
	if (object) {
		ARG(w, &a, "object");
		put_hex_string(w, object);
	}
	put_stack_args(w, &a, stack);
	args_close(w, &a);
	put_char(w, '}');
}

/* The source side's stack; a thread creation falls back on the child's record of it. */
static guint32 flow_stack(const weft_flow_t *f, const weft_thread_t *to)
{
	if (!f->stack && f->kind == WEFT_FLOW_THREAD_CREATE) {
		return to->create_stack;
	}
	return f->stack;
}

static void emit_flows(writer_t *w)
{
	for (guint i = 0; i < w->model->flows->len; i++) {
		const weft_flow_t *f = &g_array_index(w->model->flows, weft_flow_t, i);
		const weft_thread_t *from = borrow_thread(w, f->from_thread);
		const weft_thread_t *to = borrow_thread(w, f->to_thread);
		const char *name = weft_flow_kind_name(f->kind);
		guint64 mark = out_pos(w);

		if (!from || !to || !thread_selected(w, f->from_thread) ||
		    !thread_selected(w, f->to_thread) || f->from_ts < w->lo || f->to_ts > w->hi ||
		    ((guint) f->kind < WEFT_FLOW_COUNT && w->patterns->len &&
		     cached_excluded(w, &w->flow_sel[f->kind], name))) {
			w->stats->n_filtered++;
			continue;
		}
		if (f->to_ts < f->from_ts) {
			w->stats->n_bad_flows++;
			continue;
		}
		if (class_drops(&w->flows)) {
			w->stats->dropped_flows++;
			continue;
		}
		w->bind_id++;
		emit_flow_end(w, from, f->from_ts, name, TRUE, f->object, flow_stack(f, to));
		emit_flow_end(w, to, f->to_ts, name, FALSE, 0, 0);
		class_account(w, &w->flows, mark);
	}
	progress_step(w, w->model->flows->len);
}

/* ---- data lost ---- */

static void emit_lost(writer_t *w)
{
	for (guint i = 0; i < w->model->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(w->model->lost, weft_lost_t, i);
		args_t a = {FALSE};
		const weft_process_t *p = NULL;

		for (guint k = 0; l->pid >= 0 && k < w->model->processes->len; k++) {
			const weft_process_t *q = g_ptr_array_index(w->model->processes, k);

			if (q->pid == l->pid) {
				p = q;
				break;
			}
		}
		if (l->end < w->lo || l->start > w->hi || (p && !w->process_sel[p->index])) {
			continue;
		}
		event_open(w);
		if (p) {
			PUT(w, "\"ph\":\"i\",\"s\":\"p\",\"pid\":");
			put_i64(w, p->pid);
		} else {
			PUT(w, "\"ph\":\"i\",\"s\":\"g\",\"pid\":0");
		}
		put_ts(w, MAX(l->start, w->lo));
		PUT(w, ",\"name\":\"data lost\",\"cat\":\"weft\"");
		ARG(w, &a, "discarded");
		put_u64(w, l->count);
		ARG(w, &a, "until_us");
		put_us(w, l->end - w->model->start);
		if (l->cpu >= 0) {
			ARG(w, &a, "cpu");
			put_i64(w, l->cpu);
		}
		args_close(w, &a);
		put_char(w, '}');
	}
}

/* ---- the document ---- */

/*
 * The frame tree, last: old Perfetto tokenizers stop at the first
 * top-level key they do not know, so it follows everything they read.
 */
static void emit_stack_frames(writer_t *w)
{
	guint n = w->stacks ? weft_chrome_stacks_count(w->stacks) : 0;

	if (n == 0) {
		return;
	}
	PUT(w, ",\n\"stackFrames\":{");
	for (guint32 id = 1; id <= n; id++) {
		char *node = weft_chrome_stacks_node_json(w->stacks, id);

		if (id > 1) {
			PUT(w, ",\n");
		} else {
			put_char(w, '\n');
		}
		put_mem(w, node, strlen(node));
		g_free(node);
	}
	PUT(w, "\n}");
}

static void emit_trailer(writer_t *w)
{
	const weft_model_t *m = w->model;
	const weft_chrome_stats_t *s = w->stats;

	PUT(w, "\n],\n\"metadata\":{\"producer\":\"weft\",\"trace-start-ns\":");
	put_i64(w, m->start);
	PUT(w, ",\"trace-end-ns\":");
	put_i64(w, m->end);
	PUT(w, ",\"events\":");
	put_u64(w, m->n_events);
	PUT(w, ",\"discarded-events\":");
	put_u64(w, m->n_discarded);
	PUT(w, ",\"skipped-events\":");
	put_u64(w, m->n_skipped);
	PUT(w, ",\"kernel-states\":");
	if (m->has_kernel) {
		PUT(w, "true");
	} else {
		PUT(w, "false");
	}
	PUT(w, ",\"data-lost\":[");
	for (guint i = 0; i < m->lost->len; i++) {
		const weft_lost_t *l = &g_array_index(m->lost, weft_lost_t, i);

		if (i) {
			put_char(w, ',');
		}
		PUT(w, "{\"ts\":");
		put_us(w, l->start - m->start);
		PUT(w, ",\"dur\":");
		put_us(w, l->end - l->start);
		PUT(w, ",\"discarded\":");
		put_u64(w, l->count);
		PUT(w, ",\"cpu\":");
		put_i64(w, l->cpu);
		PUT(w, ",\"pid\":");
		put_i64(w, l->pid);
		put_char(w, '}');
	}
	PUT(w, "],\"dropped\":{\"slices-shorter-than-ns\":");
	put_i64(w, s->dropped_below);
	PUT(w, ",\"slices\":");
	put_u64(w, s->dropped_slices);
	PUT(w, ",\"instants\":");
	put_u64(w, s->dropped_instants);
	PUT(w, ",\"flows\":");
	put_u64(w, s->dropped_flows);
	PUT(w, ",\"counter-samples\":");
	put_u64(w, s->dropped_counters);
	PUT(w, "}}");
	emit_stack_frames(w);
	PUT(w, "}\n");
}

static void write_document(writer_t *w)
{
	const weft_model_t *m = w->model;

	w->n_events = 0;
	w->bind_id = 0;
	if (w->stacks) {
		weft_chrome_stacks_reset(w->stacks);
	}
	PUT(w, "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[");
	for (guint i = 0; i < m->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(m->processes, i);

		if (w->process_sel[i]) {
			emit_process(w, p);
			emit_counters(w, p);
		}
	}
	emit_tasks(w);
	emit_flows(w);
	emit_lost(w);
	emit_trailer(w);
	flush_buf(w);
}

static guint64 count_work(const weft_model_t *m)
{
	guint64 n = m->tasks->len + m->flows->len;

	for (guint i = 0; i < m->threads->len; i++) {
		const weft_thread_t *t = g_ptr_array_index(m->threads, i);

		n += t->slices.start ? t->slices.start->len : 0;
		n += t->states.start ? t->states.start->len : 0;
		n += t->instants.ts ? t->instants.ts->len : 0;
	}
	for (guint i = 0; i < m->processes->len; i++) {
		const weft_process_t *p = g_ptr_array_index(m->processes, i);

		for (guint k = 0; k < p->counters->len; k++) {
			const weft_counter_t *c = g_ptr_array_index(p->counters, k);

			n += c->ts ? c->ts->len : 0;
		}
	}
	return n;
}

/* ---- setup, output files ---- */

static gboolean writer_init(writer_t *w, const weft_model_t *model,
                            const weft_chrome_options_t *opt, weft_chrome_stats_t *stats,
                            GError **error)
{
	guint nstr = model->strings->len;

	memset(w, 0, sizeof(*w));
	w->model = model;
	w->opt = opt;
	w->stats = stats;
	if (opt->has_from && opt->has_to && opt->to < opt->from) {
		g_set_error(error, WEFT_CHROME_ERROR, WEFT_CHROME_ERROR_INVALID,
		            "Failed to select a time window: reason=\"--to is before --from\"");
		return FALSE;
	}
	w->lo = opt->has_from ? model->start + opt->from : G_MININT64;
	w->hi = opt->has_to ? model->start + opt->to : G_MAXINT64;
	w->buf = g_malloc(BUF_CAP);
	w->jstr = json_object_new_string("");
	w->esc = g_new0(char *, nstr);
	w->str_sel = g_new0(guint8, nstr);
	w->site = g_new0(char *, model->callsites->len);
	w->stacks = opt->no_symbols ? NULL : weft_chrome_stacks_new(model);
	w->patterns = g_ptr_array_new_with_free_func((GDestroyNotify) g_pattern_spec_free);
	for (guint i = 0; opt->exclude && opt->exclude[i]; i++) {
		g_ptr_array_add(w->patterns, g_pattern_spec_new(opt->exclude[i]));
	}
	w->thread_sel = g_new0(guint8, model->threads->len + 1);
	w->process_sel = g_new0(guint8, model->processes->len + 1);
	w->region_end = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	w->boundaries = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	w->stack = g_array_new(FALSE, FALSE, sizeof(weft_time_t));
	w->slice_sizes = g_array_new(FALSE, FALSE, sizeof(slice_size_t));
	w->instants.sizes = g_array_new(FALSE, FALSE, sizeof(guint32));
	w->flows.sizes = g_array_new(FALSE, FALSE, sizeof(guint32));
	w->counters.sizes = g_array_new(FALSE, FALSE, sizeof(guint32));
	w->work_total = count_work(model) * (opt->max_size ? 2 : 1);
	select_threads(w);
	return TRUE;
}

static void writer_clear(writer_t *w)
{
	guint nstr = w->model->strings->len;

	for (guint i = 0; w->esc && i < nstr; i++) {
		g_free(w->esc[i]);
	}
	for (guint i = 0; w->site && i < w->model->callsites->len; i++) {
		g_free(w->site[i]);
	}
	g_free(w->esc);
	g_free(w->site);
	weft_chrome_stacks_free(w->stacks);
	g_free(w->str_sel);
	g_free(w->thread_sel);
	g_free(w->process_sel);
	if (w->patterns) {
		g_ptr_array_free(w->patterns, TRUE);
	}
	if (w->jstr) {
		json_object_put(w->jstr);
	}
	if (w->region_end) {
		g_array_free(w->region_end, TRUE);
		g_array_free(w->boundaries, TRUE);
		g_array_free(w->stack, TRUE);
		g_array_free(w->slice_sizes, TRUE);
		g_array_free(w->instants.sizes, TRUE);
		g_array_free(w->flows.sizes, TRUE);
		g_array_free(w->counters.sizes, TRUE);
	}
	g_free(w->buf);
}

static gboolean is_stdout(const char *path)
{
	return strcmp(path, "-") == 0;
}

static gboolean open_output(writer_t *w, const char *path, GError **error)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (w->opt->force ? O_TRUNC : O_EXCL);
	int fd, level = w->opt->gzip_level > 0 ? MIN(w->opt->gzip_level, 9) : 1;
	char mode[8];

	fd = is_stdout(path) ? dup(STDOUT_FILENO) : open(path, flags, 0644);
	if (fd < 0) {
		int err = errno;

		g_set_error(error, WEFT_CHROME_ERROR,
		            err == EEXIST ? WEFT_CHROME_ERROR_EXISTS : WEFT_CHROME_ERROR_OPEN,
		            "Failed to create output: path=\"%s\", reason=\"%s\"", path,
		            err == EEXIST ? "file exists (use --force to overwrite)"
		                          : g_strerror(err));
		return FALSE;
	}
	if (g_str_has_suffix(path, ".gz")) {
		g_snprintf(mode, sizeof(mode), "wb%d", level);
		w->gz = gzdopen(fd, mode);
		if (w->gz) {
			gzbuffer(w->gz, 256 * 1024);
		}
	} else {
		w->fp = fdopen(fd, "w");
		if (w->fp) {
			setvbuf(w->fp, NULL, _IONBF, 0); /* the writer buffers */
		}
	}
	if (!w->gz && !w->fp) {
		close(fd);
		g_set_error(error, WEFT_CHROME_ERROR, WEFT_CHROME_ERROR_OPEN,
		            "Failed to create output: path=\"%s\", reason=\"out of memory\"", path);
		return FALSE;
	}
	return TRUE;
}

static gboolean close_output(writer_t *w, const char *path, GError **error)
{
	int err = w->write_errno;

	if (w->gz) {
		int rc = gzclose(w->gz);

		if (!err && rc != Z_OK) {
			err = rc == Z_ERRNO ? errno : EIO;
		}
	} else if (w->fp) {
		if (fclose(w->fp) != 0 && !err) {
			err = errno ? errno : EIO;
		}
	}
	w->gz = NULL;
	w->fp = NULL;
	if (err) {
		g_set_error(error, WEFT_CHROME_ERROR, WEFT_CHROME_ERROR_WRITE,
		            "Failed to write output: path=\"%s\", reason=\"%s\"", path,
		            g_strerror(err));
		return FALSE;
	}
	return TRUE;
}

void weft_chrome_options_init(weft_chrome_options_t *options)
{
	memset(options, 0, sizeof(*options));
}

gboolean weft_chrome_write_file(const weft_model_t *model, const char *path,
                                const weft_chrome_options_t *options, weft_chrome_stats_t *stats,
                                GError **error)
{
	weft_chrome_options_t defaults;
	weft_chrome_stats_t local_stats;
	writer_t w;
	gboolean ok = FALSE;

	g_return_val_if_fail(model != NULL && path != NULL, FALSE);
	if (!options) {
		weft_chrome_options_init(&defaults);
		options = &defaults;
	}
	if (!stats) {
		stats = &local_stats;
	}
	memset(stats, 0, sizeof(*stats));
	if (!writer_init(&w, model, options, stats, error)) {
		goto end;
	}
	if (options->max_size) {
		w.measuring = TRUE;
		write_document(&w);
		memset(stats, 0, sizeof(*stats));
		choose_drops(&w, w.flushed);
		g_array_set_size(w.slice_sizes, 0);
		g_array_set_size(w.instants.sizes, 0);
		g_array_set_size(w.flows.sizes, 0);
		g_array_set_size(w.counters.sizes, 0);
		w.measuring = FALSE;
		w.flushed = 0;
	}
	if (!open_output(&w, path, error)) {
		goto end;
	}
	write_document(&w);
	stats->n_json_events = w.n_events;
	stats->n_bytes = w.flushed;
	ok = close_output(&w, path, error);
	if (!ok && !is_stdout(path)) {
		unlink(path);
	}
end:
	writer_clear(&w);
	return ok;
}

/* ns as a number from 1 to 999.x in ns, us, ms or s; exact below 1 ms. */
static void append_duration(GString *out, weft_time_t ns)
{
	if (ns < 1000) {
		g_string_append_printf(out, "%" G_GINT64_FORMAT " ns", ns);
	} else if (ns < 1000000) {
		g_string_append_printf(out, "%.3f us", (double) ns / 1e3);
	} else if (ns < 1000000000) {
		g_string_append_printf(out, "%.3f ms", (double) ns / 1e6);
	} else {
		g_string_append_printf(out, "%.3f s", (double) ns / 1e9);
	}
}

char *weft_chrome_stats_describe_dropped(const weft_chrome_stats_t *s)
{
	GString *out = g_string_new(NULL);

	if (s->dropped_slices && s->dropped_all_slices) {
		g_string_append_printf(out, "all %" G_GUINT64_FORMAT " slices", s->dropped_slices);
	} else if (s->dropped_slices) {
		g_string_append_printf(out, "%" G_GUINT64_FORMAT " slices shorter than ",
		                       s->dropped_slices);
		append_duration(out, s->dropped_below);
	}
	if (s->dropped_instants) {
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " instants",
		                       out->len ? ", " : "", s->dropped_instants);
	}
	if (s->dropped_flows) {
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " flows", out->len ? ", " : "",
		                       s->dropped_flows);
	}
	if (s->dropped_counters) {
		g_string_append_printf(out, "%s%" G_GUINT64_FORMAT " counter samples",
		                       out->len ? ", " : "", s->dropped_counters);
	}
	if (s->over_size) {
		g_string_append(out,
		                out->len ? " (still above --max-size)" : "still above --max-size");
	}
	return g_string_free(out, FALSE);
}
