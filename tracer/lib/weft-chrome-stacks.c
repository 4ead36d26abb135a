/*
 * Call stacks in the Chrome JSON: catapult's frame tree ("stackFrames" +
 * "sf") and the readable args.stack, from the model's interned stacks.
 *
 * The tree is a trie over frames from the root (outermost frame) to the
 * leaf: stacks that share their outer frames share those nodes, so the
 * dictionary grows with the number of distinct call paths, not with the
 * number of events. A frame is keyed by what its node says (label,
 * binary, file): two call sites that read the same (two calls on one
 * line, a function without line information) are one node. Nodes are numbered as events first use
 * them; the writer resets the tree before each pass, so after a --max-size measuring pass only the
 * frames of the events kept are written.
 *
 * Labels are built and escaped once per call site, args.stack once per
 * model stack: the per-event cost is a table lookup and a memcpy.
 */
#include <string.h>

#include "weft-chrome-private.h"

/* The trie's key: a call site under a parent node. */
#define NODE_KEY(parent, site) (((guint64) (parent) << 32) | (site))

typedef struct {
	guint32 parent; /* node id, 0 for a root frame */
	guint32 site;   /* callsite index (the first one that reads the same) */
} node_t;

struct weft_chrome_stacks {
	const weft_model_t *model; /* borrowed */
	json_object *jstr;         /* owned: the string object escapes go through */
	GHashTable *index;         /* guint64* NODE_KEY -> node id, owned keys */
	GArray *nodes;             /* node_t; node id k is nodes[k - 1] */
	guint32 *leaf;             /* owned: node id per model stack, 0 = not yet */
	char **label;              /* owned: escaped label per callsite, lazily */
	char **body;               /* owned: node JSON without id and parent, per callsite */
	guint32 *canon;            /* owned: first callsite with the same body + 1, 0 = not yet */
	GHashTable *bodies;        /* body -> callsite index, borrowed keys */
	char **args;               /* owned: args fragment per model stack, lazily */
	gsize *args_len;           /* owned: its length */
};

void weft_chrome_append_site(GString *out, const weft_model_t *model, const weft_callsite_t *cs,
                             gboolean base_file)
{
	if (cs->function) {
		g_string_append(out, weft_model_borrow_string(model, cs->function));
		if (cs->file) {
			const char *file = weft_model_borrow_string(model, cs->file);
			const char *slash = base_file ? strrchr(file, '/') : NULL;

			g_string_append_printf(out, " (%s:%u)", slash ? slash + 1 : file, cs->line);
		}
	} else if (cs->binary) {
		char *base = g_path_get_basename(weft_model_borrow_string(model, cs->binary));

		g_string_append_printf(out, "%s+0x%" G_GINT64_MODIFIER "x", base, cs->offset);
		g_free(base);
	} else {
		g_string_append_printf(out, "0x%" G_GINT64_MODIFIER "x", cs->ip);
	}
}

weft_chrome_stacks_t *weft_chrome_stacks_new(const weft_model_t *model)
{
	weft_chrome_stacks_t *s = g_new0(weft_chrome_stacks_t, 1);

	s->model = model;
	s->jstr = json_object_new_string("");
	s->index = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
	s->nodes = g_array_new(FALSE, FALSE, sizeof(node_t));
	s->leaf = g_new0(guint32, model->stacks->len);
	s->label = g_new0(char *, model->callsites->len);
	s->body = g_new0(char *, model->callsites->len);
	s->canon = g_new0(guint32, model->callsites->len);
	s->bodies = g_hash_table_new(g_str_hash, g_str_equal);
	s->args = g_new0(char *, model->stacks->len);
	s->args_len = g_new0(gsize, model->stacks->len);
	return s;
}

void weft_chrome_stacks_free(weft_chrome_stacks_t *s)
{
	if (!s) {
		return;
	}
	for (guint i = 0; i < s->model->callsites->len; i++) {
		g_free(s->label[i]);
		g_free(s->body[i]);
	}
	for (guint i = 0; i < s->model->stacks->len; i++) {
		g_free(s->args[i]);
	}
	g_free(s->label);
	g_free(s->body);
	g_free(s->canon);
	g_hash_table_destroy(s->bodies);
	g_free(s->args);
	g_free(s->args_len);
	g_free(s->leaf);
	g_array_free(s->nodes, TRUE);
	g_hash_table_destroy(s->index);
	json_object_put(s->jstr);
	g_free(s);
}

void weft_chrome_stacks_reset(weft_chrome_stacks_t *s)
{
	g_hash_table_remove_all(s->index);
	g_array_set_size(s->nodes, 0);
	memset(s->leaf, 0, sizeof(guint32) * s->model->stacks->len);
}

guint weft_chrome_stacks_count(const weft_chrome_stacks_t *s)
{
	return s->nodes->len;
}

/* The frames of stack index, leaf first; NULL when it has none. */
static const guint32 *stack_frames(const weft_chrome_stacks_t *s, guint32 index, guint *depth)
{
	const guint32 *frames = NULL;
	const weft_stack_t *st = weft_model_borrow_stack(s->model, index, &frames);

	*depth = st ? st->depth : 0;
	return *depth ? frames : NULL;
}

/* The escaped label of a call site, with the inline mark; borrowed. */
static const char *borrow_label(weft_chrome_stacks_t *s, guint32 site)
{
	if (site >= s->model->callsites->len) {
		site = 0;
	}
	if (!s->label[site]) {
		const weft_callsite_t *cs = weft_model_borrow_callsite(s->model, site);
		GString *text = g_string_new(NULL);

		weft_chrome_append_site(text, s->model, cs, TRUE);
		if (cs->inlined) {
			g_string_append(text, WEFT_CHROME_INLINED_SUFFIX);
		}
		s->label[site] = weft_chrome_escape(s->jstr, text->str);
		g_string_free(text, TRUE);
	}
	return s->label[site];
}

/*
 * `{"name":LABEL` + `,"category":BINARY` (the binary's base name) +
 * `,"file":PATH` (when the label shortened the file), without the closing
 * brace: a node's JSON but for its id and parent.
 */
static char *node_body(weft_chrome_stacks_t *s, guint32 site)
{
	const weft_callsite_t *cs = weft_model_borrow_callsite(s->model, site);
	const char *file = cs->file ? weft_model_borrow_string(s->model, cs->file) : NULL;
	GString *out = g_string_new("{\"name\":");
	char *e;

	g_string_append(out, borrow_label(s, site));
	if (cs->binary) {
		char *base = g_path_get_basename(weft_model_borrow_string(s->model, cs->binary));

		e = weft_chrome_escape(s->jstr, base);
		g_string_append_printf(out, ",\"category\":%s", e);
		g_free(e);
		g_free(base);
	}
	if (cs->function && file && strchr(file, '/')) {
		e = weft_chrome_escape(s->jstr, file);
		g_string_append_printf(out, ",\"file\":%s", e);
		g_free(e);
	}
	return g_string_free(out, FALSE);
}

/* The first call site whose node reads the same as site's. */
static guint32 canonical_site(weft_chrome_stacks_t *s, guint32 site)
{
	gpointer found;

	if (site >= s->model->callsites->len) {
		site = 0;
	}
	if (!s->canon[site]) {
		s->body[site] = node_body(s, site);
		if (!g_hash_table_lookup_extended(s->bodies, s->body[site], NULL, &found)) {
			found = GUINT_TO_POINTER(site);
			g_hash_table_insert(s->bodies, s->body[site], found);
		}
		s->canon[site] = GPOINTER_TO_UINT(found) + 1;
	}
	return s->canon[site] - 1;
}

static guint32 child_node(weft_chrome_stacks_t *s, guint32 parent, guint32 site)
{
	guint64 key = NODE_KEY(parent, site);
	gpointer found = g_hash_table_lookup(s->index, &key);
	node_t node = {parent, site};

	if (found) {
		return GPOINTER_TO_UINT(found);
	}
	g_array_append_val(s->nodes, node);
	g_hash_table_insert(s->index, g_memdup2(&key, sizeof(key)),
	                    GUINT_TO_POINTER(s->nodes->len));
	return s->nodes->len;
}

guint32 weft_chrome_stacks_node(weft_chrome_stacks_t *s, guint32 index)
{
	guint depth;
	const guint32 *frames = stack_frames(s, index, &depth);
	guint32 node = 0;

	if (!frames) {
		return 0;
	}
	if (s->leaf[index]) {
		return s->leaf[index];
	}
	for (guint k = depth; k-- > 0;) {
		node = child_node(s, node, canonical_site(s, frames[k]));
	}
	s->leaf[index] = node;
	return node;
}

const char *weft_chrome_stacks_borrow_args(weft_chrome_stacks_t *s, guint32 index, size_t *len)
{
	guint depth;
	const guint32 *frames = stack_frames(s, index, &depth);
	GString *out;

	if (!frames) {
		return NULL;
	}
	if (!s->args[index]) {
		out = g_string_new("\"stack\":[");
		for (guint k = 0; k < depth; k++) {
			if (k) {
				g_string_append_c(out, ',');
			}
			g_string_append(out, borrow_label(s, frames[k]));
		}
		g_string_append_c(out, ']');
		s->args_len[index] = out->len;
		s->args[index] = g_string_free(out, FALSE);
	}
	*len = s->args_len[index];
	return s->args[index];
}

char *weft_chrome_stacks_node_json(weft_chrome_stacks_t *s, guint32 id)
{
	const node_t *node = &g_array_index(s->nodes, node_t, id - 1);
	GString *out = g_string_new(NULL);

	g_string_append_printf(out, "\"%u\":%s", id, s->body[node->site]);
	if (node->parent) {
		g_string_append_printf(out, ",\"parent\":\"%u\"", node->parent);
	}
	g_string_append_c(out, '}');
	return g_string_free(out, FALSE);
}
