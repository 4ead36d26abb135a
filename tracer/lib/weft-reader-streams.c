/*
 * weft-reader-streams.c - facts about a trace's stream files that
 * babeltrace2 does not report: an empty stream (skipped silently), a
 * stream shorter than its LTTng index says (read as if whole), and the
 * CPUs of the per-CPU streams. They go into the model's warnings and
 * stream_cpus after the graph has run.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "weft-reader-private.h"

/* ---- stream files ---- */

#define INDEX_MAGIC 0xC1F1DCC1u
#define INDEX_HEADER_SIZE 16
#define INDEX_ENTRY_MIN 56 /* offset, packet_size, content_size, 2 times, discarded, stream id */

/*
 * Bytes the LTTng index of stream dir/name says the stream holds
 * (dir/index/name.idx, big-endian), or 0 when there is no usable index.
 */
static guint64 index_expected_size(const char *dir, const char *name)
{
	g_autofree char *idx_name = g_strconcat(name, ".idx", NULL);
	g_autofree char *path = g_build_filename(dir, "index", idx_name, NULL);
	g_autofree char *data = NULL;
	gsize len = 0;
	guint32 h[4];
	guint64 end = 0;

	if (!g_file_get_contents(path, &data, &len, NULL) || len < INDEX_HEADER_SIZE) {
		return 0;
	}
	memcpy(h, data, sizeof h);
	if (GUINT32_FROM_BE(h[0]) != INDEX_MAGIC || GUINT32_FROM_BE(h[3]) < INDEX_ENTRY_MIN) {
		return 0;
	}
	for (gsize off = INDEX_HEADER_SIZE; off + GUINT32_FROM_BE(h[3]) <= len;
	     off += GUINT32_FROM_BE(h[3])) {
		guint64 e[2];

		memcpy(e, data + off, sizeof e);
		if (GUINT64_FROM_BE(e[1]) % 8 ||
		    GUINT64_FROM_BE(e[0]) > G_MAXUINT64 - GUINT64_FROM_BE(e[1]) / 8) {
			return 0;
		}
		end = MAX(end, GUINT64_FROM_BE(e[0]) + GUINT64_FROM_BE(e[1]) / 8);
	}
	return end;
}

static void add_cpu(GArray *cpus, guint cpu)
{
	for (guint i = 0; i < cpus->len; i++) {
		if (g_array_index(cpus, guint, i) == cpu) {
			return;
		}
	}
	g_array_append_val(cpus, cpu);
}

/*
 * Looks at the stream files of trace directory dir: babeltrace2 skips an
 * empty one silently and reads a file cut at a packet boundary as if it
 * were whole. Adds a sentence per such file to warnings and the CPU of each
 * per-CPU stream file (CHANNEL_CPU) to cpus.
 */
static void scan_streams(const char *dir, GHashTable *repaired, GPtrArray *warnings, GArray *cpus)
{
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;

	if (!d) {
		return;
	}
	while ((name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);
		const char *us = strrchr(name, '_');
		GStatBuf st;
		guint64 expected;

		if (name[0] == '.' || !strcmp(name, "metadata") || g_stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode)) {
			continue;
		}
		if (us && us[1] && strspn(us + 1, "0123456789") == strlen(us + 1) &&
		    strlen(us + 1) < 6) {
			add_cpu(cpus, (guint) atoi(us + 1));
		}
		expected = index_expected_size(dir, name);
		if (g_hash_table_contains(repaired, path)) {
			continue; /* the repair said what was dropped */
		}
		if (st.st_size == 0) {
			g_ptr_array_add(
			    warnings,
			    g_strdup_printf("stream %s is empty: its events are missing", path));
		} else if ((guint64) st.st_size < expected) {
			g_ptr_array_add(warnings,
			                g_strdup_printf("stream %s is truncated (%" G_GUINT64_FORMAT
			                                " of %" G_GUINT64_FORMAT
			                                " bytes): the events of its "
			                                "missing packets are missing",
			                                path, (guint64) st.st_size, expected));
		}
	}
	g_dir_close(d);
}

static int cmp_guint(gconstpointer a, gconstpointer b)
{
	guint x = *(const guint *) a, y = *(const guint *) b;

	return (x > y) - (x < y);
}

/* Records in model what the stream files of every input say. */
void weft_reader_add_stream_facts(weft_model_t *model, GPtrArray *inputs)
{
	guint first = model->warnings->len;

	for (guint i = 0; i < inputs->len; i++) {
		const weft_reader_input_t *in = g_ptr_array_index(inputs, i);

		for (guint d = 0; d < in->dirs->len; d++) {
			scan_streams(g_ptr_array_index(in->dirs, d), in->repaired, model->warnings,
			             model->stream_cpus);
		}
		for (guint w = 0; w < in->warnings->len; w++) {
			g_ptr_array_add(model->warnings,
			                g_strdup(g_ptr_array_index(in->warnings, w)));
		}
	}
	g_array_sort(model->stream_cpus, cmp_guint);
	if (model->warnings->len > first) {
		qsort(model->warnings->pdata + first, model->warnings->len - first,
		      sizeof(gpointer), weft_reader_cmp_str);
	}
}
