/*
 * weft-chrome-buffer.c - the bytes of the Chrome JSON: one reused buffer,
 * numbers formatted by hand, strings escaped through one reused json-c
 * string object once per interned string, and the fragments every event
 * is made of (pid/tid, ts, args, call site, stack).
 *
 * Kept apart from what decides which events are written so that the
 * per-event cost stays in one place: a fresh json-c object per event costs
 * 3x as much as reused ones (docs/architecture.md); nothing here allocates
 * per event.
 */
#include "weft-chrome-private.h"

#include <errno.h>

#define BUF_SLACK 256 /* room for one event's fixed part */

/* ---- output buffer ---- */

void weft_chrome_flush(weft_chrome_writer_t *w)
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

void weft_chrome_put_large(weft_chrome_writer_t *w, const char *s, size_t n)
{
	weft_chrome_flush(w);
	for (size_t off = 0; off < n; off += WEFT_CHROME_BUF_CAP / 2) {
		size_t chunk = MIN(n - off, WEFT_CHROME_BUF_CAP / 2);

		memcpy(w->buf, s + off, chunk);
		w->len = chunk;
		weft_chrome_flush(w);
	}
}

void weft_chrome_put_u64(weft_chrome_writer_t *w, guint64 v)
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
	weft_chrome_put_mem(w, tmp + n, sizeof(tmp) - (size_t) n);
}

void weft_chrome_put_i64(weft_chrome_writer_t *w, gint64 v)
{
	if (v < 0) {
		weft_chrome_put_char(w, '-');
		weft_chrome_put_u64(w, (guint64) 0 - (guint64) v);
	} else {
		weft_chrome_put_u64(w, (guint64) v);
	}
}

/* Nanoseconds as microseconds with up to three decimals, no trailing zeros. */
void weft_chrome_put_us(weft_chrome_writer_t *w, weft_time_t ns)
{
	guint64 v = ns < 0 ? 0 : (guint64) ns;
	guint frac = (guint) (v % 1000);

	weft_chrome_put_u64(w, v / 1000);
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
		weft_chrome_put_mem(w, tmp, (size_t) n + 1);
	}
}

void weft_chrome_put_hex_string(weft_chrome_writer_t *w, guint64 v)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	weft_chrome_reserve(w, (size_t) n + 4);
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

static char *escape(weft_chrome_writer_t *w, const char *s)
{
	return weft_chrome_escape(w->jstr, s);
}

static const char *borrow_escaped(weft_chrome_writer_t *w, weft_str_t id)
{
	if (id >= w->model->strings->len) {
		id = 0;
	}
	if (!w->esc[id]) {
		w->esc[id] = escape(w, weft_model_borrow_string(w->model, id));
	}
	return w->esc[id];
}

void weft_chrome_put_str(weft_chrome_writer_t *w, weft_str_t id)
{
	const char *e = borrow_escaped(w, id);

	weft_chrome_put_mem(w, e, strlen(e));
}

/* ---- event skeletons ---- */

void weft_chrome_event_open(weft_chrome_writer_t *w)
{
	weft_chrome_reserve(w, BUF_SLACK);
	if (w->n_events++) {
		PUT(w, ",\n{");
	} else {
		PUT(w, "\n{");
	}
}

void weft_chrome_put_pid_tid(weft_chrome_writer_t *w, const weft_thread_t *t)
{
	PUT(w, "\"pid\":");
	weft_chrome_put_i64(w, t->process ? t->process->pid : 0);
	PUT(w, ",\"tid\":");
	weft_chrome_put_i64(w, t->tid);
}

void weft_chrome_put_ts(weft_chrome_writer_t *w, weft_time_t abs)
{
	PUT(w, ",\"ts\":");
	weft_chrome_put_us(w, abs - w->model->start);
}

void weft_chrome_arg_key(weft_chrome_writer_t *w, weft_chrome_args_t *a, const char *key_lit,
                         size_t n)
{
	if (a->open) {
		weft_chrome_put_char(w, ',');
	} else {
		PUT(w, ",\"args\":{");
		a->open = TRUE;
	}
	weft_chrome_put_mem(w, key_lit, n);
}

void weft_chrome_args_close(weft_chrome_writer_t *w, weft_chrome_args_t *a)
{
	if (a->open) {
		weft_chrome_put_char(w, '}');
	}
}

static const char *borrow_site(weft_chrome_writer_t *w, guint32 index)
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

void weft_chrome_put_site(weft_chrome_writer_t *w, weft_chrome_args_t *a, guint32 callsite)
{
	const char *frag;

	if (w->opt->no_symbols || callsite == 0 || callsite >= w->model->callsites->len) {
		return;
	}
	frag = borrow_site(w, callsite);
	weft_chrome_arg_key(w, a, "", 0);
	weft_chrome_put_mem(w, frag, strlen(frag));
}

/* `,"sf":N`: the event's leaf node in the stackFrames tree (catapult). */
void weft_chrome_put_sf(weft_chrome_writer_t *w, guint32 stack)
{
	guint32 node = w->stacks ? weft_chrome_stacks_node(w->stacks, stack) : 0;

	if (node) {
		PUT(w, ",\"sf\":");
		weft_chrome_put_u64(w, node);
	}
}

/* args.stack: the frame labels, leaf first (Perfetto shows args only). */
void weft_chrome_put_stack_args(weft_chrome_writer_t *w, weft_chrome_args_t *a, guint32 stack)
{
	size_t len = 0;
	const char *frag =
	    w->stacks ? weft_chrome_stacks_borrow_args(w->stacks, stack, &len) : NULL;

	if (frag) {
		weft_chrome_arg_key(w, a, "", 0);
		weft_chrome_put_mem(w, frag, len);
	}
}

void weft_chrome_put_flags(weft_chrome_writer_t *w, weft_chrome_args_t *a, guint8 flags)
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
