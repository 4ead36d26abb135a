/*
 * weft-flame-tree.h - a profile (weft-profile.h) as the tree a flame graph
 * draws: the root "all" holds the total; below it each sample's frames,
 * root first (the thread's start routine, as the profile gives it),
 * merged by frame name (weft-frame.h) exactly as `weft stats --folded`
 * merges them. Children are sorted by name, as flamegraph.pl sorts them.
 *
 * Stacks deeper than WEFT_FLAME_TREE_MAX_DEPTH frames keep their first
 * (outermost) frames only.
 *
 * The tree holds its own strings: it does not need the model once built.
 *
 * Nodes are stored depth first: node i's subtree is [i, node.end), so a
 * subtree is one contiguous run and its children are found by following
 * each child's end. Built in a worker thread; read-only afterwards.
 *
 * Needs only GLib.
 */
#ifndef WEFT_FLAME_TREE_H
#define WEFT_FLAME_TREE_H

#include <glib.h>

#include "weft-profile.h"

G_BEGIN_DECLS

#define WEFT_FLAME_TREE_MAX_DEPTH 1024

typedef struct {
	const char *name;     /* borrowed from the tree's names */
	const char *location; /* "file.c:42" of the first callsite merged in, NULL when unknown */
	const char *module;   /* its binary's basename, NULL when unknown */
	guint32 callsite;     /* that callsite (model index); 0 for the root */
	guint parent;         /* G_MAXUINT for the root */
	guint depth;          /* 0 for the root */
	guint end;            /* one past the node's last descendant */
	gint64 value;         /* sum of the samples through the node */
	gint64 offset;        /* value left of the node at its depth (the root's is 0) */
} weft_flame_node_t;

typedef struct {
	GArray *nodes;       /* weft_flame_node_t, owned: [0] is the root */
	guint max_depth;     /* deepest node's depth */
	const char *type;    /* static: what the values are ("delay") */
	const char *unit;    /* static: "nanoseconds", "bytes" or "count" */
	GStringChunk *names; /* owned: the node names */
} weft_flame_tree_t;

/* The tree of profile's value v (an index into profile->sample_types). */
weft_flame_tree_t *weft_flame_tree_new(const weft_profile_t *profile, guint v);
void weft_flame_tree_free(weft_flame_tree_t *tree);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(weft_flame_tree_t, weft_flame_tree_free)

const weft_flame_node_t *weft_flame_tree_node(const weft_flame_tree_t *tree, guint i);

/*
 * The node reached from the root through path, a NULL-terminated list of
 * frame names (the first is a child of the root); G_MAXUINT when none.
 * An empty path is the root.
 */
guint weft_flame_tree_find(const weft_flame_tree_t *tree, const char *const *path);

/* Whether node a is node b or one of its ancestors. */
gboolean weft_flame_tree_contains(const weft_flame_tree_t *tree, guint a, guint b);

G_END_DECLS

#endif /* WEFT_FLAME_TREE_H */
