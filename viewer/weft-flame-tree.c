/*
 * Flame tree construction: samples are inserted into a pointer tree (a
 * hash of children by name per node), which is then flattened depth
 * first with sorted children into the node array.
 */
#include "weft-flame-tree.h"

#include <string.h>

#include "weft-frame.h"

typedef struct build_node build_node_t;

/* What the tree keeps of a callsite: strings interned in the tree. */
typedef struct {
	const char *name, *location, *module;
} site_t;

struct build_node {
	const site_t *site; /* borrowed from the site cache */
	const char *name;   /* borrowed from the tree's names */
	guint32 callsite;
	gint64 value;
	GHashTable *children; /* name -> build_node_t*, owned values; NULL when none */
};

static void build_node_free(gpointer data)
{
	build_node_t *n = data;

	if (n->children) {
		g_hash_table_destroy(n->children);
	}
	g_free(n);
}

static build_node_t *child_of(build_node_t *parent, const site_t *site, guint32 callsite)
{
	const char *name = site->name;
	build_node_t *c;

	if (!parent->children) {
		parent->children =
		    g_hash_table_new_full(g_str_hash, g_str_equal, NULL, build_node_free);
	}
	c = g_hash_table_lookup(parent->children, name);
	if (!c) {
		c = g_new0(build_node_t, 1);
		c->site = site;
		c->name = name;
		c->callsite = callsite;
		g_hash_table_insert(parent->children, (gpointer) name, c);
	}
	return c;
}

static const char *intern(weft_flame_tree_t *tree, char *s /* freed */)
{
	const char *out = s ? g_string_chunk_insert_const(tree->names, s) : NULL;

	g_free(s);
	return out;
}

/* A callsite's strings, interned in the tree once each. */
static const site_t *site_of(weft_flame_tree_t *tree, const weft_model_t *model, GPtrArray *cache,
                             guint32 callsite)
{
	site_t *site;

	if (callsite >= cache->len) {
		g_ptr_array_set_size(cache, (gint) callsite + 1);
	}
	if (!g_ptr_array_index(cache, callsite)) {
		site = g_new(site_t, 1);
		site->name = intern(tree, weft_frame_dup_name(model, callsite));
		site->location = intern(tree, weft_frame_dup_location(model, callsite));
		site->module = intern(tree, weft_frame_dup_module(model, callsite));
		g_ptr_array_index(cache, callsite) = site;
	}
	return g_ptr_array_index(cache, callsite);
}

static void insert_sample(weft_flame_tree_t *tree, const weft_profile_t *profile,
                          build_node_t *root, GPtrArray *cache, const weft_profile_sample_t *s,
                          gint64 value)
{
	build_node_t *n = root;

	root->value += value;
	for (guint f = 0; f < MIN(s->depth, WEFT_FLAME_TREE_MAX_DEPTH); f++) {
		guint32 site = g_array_index(profile->frames, guint32, s->first + f);

		n = child_of(n, site_of(tree, profile->model, cache, site), site);
		n->value += value;
	}
}

static int cmp_name(gconstpointer pa, gconstpointer pb)
{
	const build_node_t *a = *(build_node_t *const *) pa, *b = *(build_node_t *const *) pb;

	return strcmp(a->name, b->name);
}

/* Appends n and its subtree, depth first; returns n's index. */
static guint flatten(weft_flame_tree_t *tree, const build_node_t *n, guint parent, guint depth,
                     gint64 offset)
{
	weft_flame_node_t node = {n->name,
	                          n->site ? n->site->location : NULL,
	                          n->site ? n->site->module : NULL,
	                          n->callsite,
	                          parent,
	                          depth,
	                          0,
	                          n->value,
	                          offset};
	guint self = tree->nodes->len;
	g_autoptr(GPtrArray) kids = g_ptr_array_new();
	GHashTableIter it;
	gpointer value;

	g_array_append_val(tree->nodes, node);
	tree->max_depth = MAX(tree->max_depth, depth);
	if (n->children) {
		g_hash_table_iter_init(&it, n->children);
		while (g_hash_table_iter_next(&it, NULL, &value)) {
			g_ptr_array_add(kids, value);
		}
	}
	g_ptr_array_sort(kids, cmp_name);
	for (guint i = 0; i < kids->len; i++) {
		const build_node_t *k = g_ptr_array_index(kids, i);

		flatten(tree, k, self, depth + 1, offset);
		offset += k->value;
	}
	g_array_index(tree->nodes, weft_flame_node_t, self).end = tree->nodes->len;
	return self;
}

weft_flame_tree_t *weft_flame_tree_new(const weft_profile_t *profile, guint v)
{
	weft_flame_tree_t *tree;
	build_node_t *root;
	g_autoptr(GPtrArray) cache =
	    g_ptr_array_new_with_free_func(g_free); /* site_t by callsite */

	g_return_val_if_fail(profile != NULL && v < profile->n_values, NULL);
	tree = g_new0(weft_flame_tree_t, 1);
	tree->nodes = g_array_new(FALSE, FALSE, sizeof(weft_flame_node_t));
	tree->names = g_string_chunk_new(4096);
	tree->type = profile->sample_types[v].type;
	tree->unit = profile->sample_types[v].unit;
	root = g_new0(build_node_t, 1);
	root->name = g_string_chunk_insert_const(tree->names, "all");
	for (guint i = 0; i < profile->samples->len; i++) {
		const weft_profile_sample_t *s =
		    &g_array_index(profile->samples, weft_profile_sample_t, i);

		if (s->values[v] > 0) {
			insert_sample(tree, profile, root, cache, s, s->values[v]);
		}
	}
	flatten(tree, root, G_MAXUINT, 0, 0);
	build_node_free(root);
	return tree;
}

void weft_flame_tree_free(weft_flame_tree_t *tree)
{
	if (!tree) {
		return;
	}
	g_array_free(tree->nodes, TRUE);
	g_string_chunk_free(tree->names);
	g_free(tree);
}

const weft_flame_node_t *weft_flame_tree_node(const weft_flame_tree_t *tree, guint i)
{
	g_return_val_if_fail(tree != NULL, NULL);
	return i < tree->nodes->len ? &g_array_index(tree->nodes, weft_flame_node_t, i) : NULL;
}

static guint find_child(const weft_flame_tree_t *tree, guint parent, const char *name)
{
	const weft_flame_node_t *p = weft_flame_tree_node(tree, parent);

	for (guint c = parent + 1; c < p->end; c = weft_flame_tree_node(tree, c)->end) {
		if (!strcmp(weft_flame_tree_node(tree, c)->name, name)) {
			return c;
		}
	}
	return G_MAXUINT;
}

guint weft_flame_tree_find(const weft_flame_tree_t *tree, const char *const *path)
{
	guint n = 0;

	g_return_val_if_fail(tree != NULL, G_MAXUINT);
	for (guint i = 0; path && path[i] && n != G_MAXUINT; i++) {
		n = find_child(tree, n, path[i]);
	}
	return n;
}

gboolean weft_flame_tree_contains(const weft_flame_tree_t *tree, guint a, guint b)
{
	const weft_flame_node_t *na = weft_flame_tree_node(tree, a);

	return na && b >= a && b < na->end;
}
