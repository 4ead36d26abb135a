/*
 * Call stacks in the viewer, no display: frame names and stack text, the
 * flame tree of a profile (against `weft stats --folded`'s lines for the
 * same profile) and the timeline highlight's matching waits, on the
 * stack fixture of weft-test-model.h.
 */
#include <string.h>

#include "weft-analysis-folded.h"
#include "weft-flame-tree.h"
#include "weft-frame.h"
#include "weft-stack-match.h"
#include "weft-test-model.h"

#define US WEFT_TEST_US

static void test_frames(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_stacks();
	g_autofree char *lock = weft_frame_dup_stack_text(m, WEFT_TEST_STACK_LOCK);
	g_autofree char *trunc = weft_frame_dup_stack_text(m, WEFT_TEST_STACK_TRUNC);

	g_assert_null(weft_frame_dup_stack_text(m, 0));
	/* Leaf first; the inline frame marked; libc frames have no source. */
	g_assert_cmpstr(lock, ==,
	                "pthread_mutex_lock — libc.so.6\n"
	                "lock_inline [inlined] — lock.h:7 — demo\n"
	                "take_lock — demo.c:42 — demo\n"
	                "worker_loop — demo.c:20 — demo\n");
	/* An unnamed frame is module+offset; a truncated walk says so. */
	g_assert_cmpstr(trunc, ==,
	                "pthread_mutex_lock — libc.so.6\n"
	                "libfoo.so+0x1234 — libfoo.so\n"
	                "main — demo.c:10 — demo\n"
	                "… truncated\n");
}

static const weft_flame_node_t *find(const weft_flame_tree_t *tree, const char *const *path)
{
	guint i = weft_flame_tree_find(tree, path);

	g_assert_cmpuint(i, !=, G_MAXUINT);
	return weft_flame_tree_node(tree, i);
}

/* Every line of the folded stacks is a path of the tree (after the
 * process name) and their values add up to the root's. */
static void assert_same_as_folded(const weft_model_t *m, weft_folded_kind_t kind,
                                  const weft_flame_tree_t *tree)
{
	g_autoptr(GString) folded = g_string_new(NULL);
	g_auto(GStrv) lines = NULL;
	gint64 sum = 0;

	weft_folded_write(m, kind, NULL, folded);
	lines = g_strsplit(folded->str, "\n", -1);
	for (guint i = 0; lines[i] && *lines[i]; i++) {
		char *space = strrchr(lines[i], ' ');
		g_auto(GStrv) frames = NULL;

		g_assert_nonnull(space);
		*space = 0;
		frames = g_strsplit(lines[i], ";", -1);
		g_assert_cmpuint(weft_flame_tree_find(tree, (const char *const *) frames + 1), !=,
		                 G_MAXUINT);
		sum += g_ascii_strtoll(space + 1, NULL, 10);
	}
	g_assert_cmpint(sum, >, 0);
	g_assert_cmpint(sum, ==, weft_flame_tree_node(tree, 0)->value);
}

static void test_flame_tree(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_stacks();
	g_autoptr(weft_profile_t) prof = weft_profile_new(m, WEFT_PROFILE_BLOCK, NULL);
	g_autoptr(weft_flame_tree_t) tree = weft_flame_tree_new(prof, 1);
	const char *lock_path[] = {"worker_loop", "take_lock", "lock_inline", "pthread_mutex_lock",
	                           NULL};
	const char *cond_path[] = {"worker_loop", "wait_work", "pthread_cond_wait", NULL};
	const char *main_path[] = {"main", "libfoo.so+0x1234", "pthread_mutex_lock", NULL};
	const char *site_path[] = {"take_lock", NULL};
	const char *worker_path[] = {"worker_loop", NULL};
	const char *nowhere[] = {"worker_loop", "main", NULL};
	const weft_flame_node_t *root = weft_flame_tree_node(tree, 0);

	g_assert_cmpstr(tree->unit, ==, "nanoseconds");
	/* 3 threads x 10 periods x (100 us mutex + 300 us condvar). */
	g_assert_cmpstr(root->name, ==, "all");
	g_assert_cmpint(root->value, ==, 12000 * US);
	g_assert_cmpint(find(tree, worker_path)->value, ==, 8000 * US);
	g_assert_cmpint(find(tree, lock_path)->value, ==, 2000 * US);
	g_assert_cmpint(find(tree, cond_path)->value, ==, 6000 * US);
	g_assert_cmpint(find(tree, main_path)->value, ==, 1000 * US);
	/* A wait without a stack counts at its call site. */
	g_assert_cmpint(find(tree, site_path)->value, ==, 3000 * US);
	g_assert_cmpuint(weft_flame_tree_find(tree, nowhere), ==, G_MAXUINT);
	/* Children sorted by name: main, take_lock, worker_loop, side by side. */
	g_assert_cmpint(find(tree, main_path)->offset, ==, 0);
	g_assert_cmpint(find(tree, site_path)->offset, ==, 1000 * US);
	g_assert_cmpint(find(tree, worker_path)->offset, ==, 4000 * US);
	g_assert_cmpint(find(tree, cond_path)->offset, ==, 6000 * US);
	g_assert_cmpstr(find(tree, lock_path)->location, ==, NULL);
	g_assert_cmpstr(find(tree, lock_path)->module, ==, "libc.so.6");
	g_assert_cmpstr(find(tree, worker_path)->location, ==, "demo.c:20");
	g_assert_cmpuint(tree->max_depth, ==, 4);
	g_assert_true(weft_flame_tree_contains(tree, weft_flame_tree_find(tree, worker_path),
	                                       weft_flame_tree_find(tree, lock_path)));
	g_assert_false(weft_flame_tree_contains(tree, weft_flame_tree_find(tree, lock_path),
	                                        weft_flame_tree_find(tree, worker_path)));
	assert_same_as_folded(m, WEFT_FOLDED_SYNC, tree);
}

static void test_flame_tree_mutex(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_stacks();
	g_autoptr(weft_profile_t) prof = weft_profile_new(m, WEFT_PROFILE_MUTEX, NULL);
	g_autoptr(weft_flame_tree_t) tree = weft_flame_tree_new(prof, 1);
	const char *release[] = {"main", "pthread_mutex_unlock", NULL};

	/* The one wait with a known releaser: worker-2's, charged to main's unlock. */
	g_assert_cmpint(weft_flame_tree_node(tree, 0)->value, ==, 100 * US);
	g_assert_cmpint(find(tree, release)->value, ==, 100 * US);
	assert_same_as_folded(m, WEFT_FOLDED_MUTEX, tree);
}

static void test_flame_tree_allocs(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_stacks();
	g_autoptr(weft_profile_t) heap = weft_profile_new(m, WEFT_PROFILE_HEAP, NULL);
	g_autoptr(weft_profile_t) leak = weft_profile_new(m, WEFT_PROFILE_LEAK, NULL);
	g_autoptr(weft_flame_tree_t) space = weft_flame_tree_new(heap, 1);
	g_autoptr(weft_flame_tree_t) leaked = weft_flame_tree_new(leak, 1);
	const char *worker[] = {"worker_loop", "malloc", NULL};
	const char *main_path[] = {"main", "malloc", NULL};

	g_assert_cmpstr(space->unit, ==, "bytes");
	g_assert_cmpint(weft_flame_tree_node(space, 0)->value, ==, 5120);
	g_assert_cmpint(find(space, worker)->value, ==, 4096);
	g_assert_cmpint(find(space, main_path)->value, ==, 1024);
	/* Only the block never freed. */
	g_assert_cmpint(weft_flame_tree_node(leaked, 0)->value, ==, 4096);
	g_assert_cmpuint(weft_flame_tree_find(leaked, main_path), ==, G_MAXUINT);
	assert_same_as_folded(m, WEFT_FOLDED_ALLOC, space);
	assert_same_as_folded(m, WEFT_FOLDED_LEAK, leaked);
}

/* match's intervals of thread are exactly those i with i % 4 in rest. */
static void assert_matches(const weft_stack_match_t *match, guint thread, const guint *rest,
                           guint n_rest)
{
	const GArray *hits = weft_stack_match_borrow_thread(match, thread);
	guint expected = 0;

	for (guint i = 0; i < 40; i++) {
		gboolean want = FALSE;

		for (guint r = 0; r < n_rest; r++) {
			want = want || i % 4 == rest[r];
		}
		g_assert_cmpint(weft_stack_match_has(match, thread, i), ==, want);
		expected += want;
	}
	g_assert_cmpuint(hits->len, ==, expected);
}

static void test_stack_match(void)
{
	g_autoptr(weft_model_t) m = weft_test_model_stacks();
	g_autoptr(weft_stack_match_t) take = weft_stack_match_new(m, "take_lock");
	g_autoptr(weft_stack_match_t) lock = weft_stack_match_new(m, "pthread_mutex_lock");
	g_autoptr(weft_stack_match_t) worker = weft_stack_match_new(m, "worker_loop");
	g_autoptr(weft_stack_match_t) libfoo = weft_stack_match_new(m, "libfoo.so+0x1234");
	g_autoptr(weft_stack_match_t) none = weft_stack_match_new(m, "no_such_function");
	const guint mutex[] = {1}, condvar[] = {3}, both[] = {1, 3};

	/* take_lock: the workers' mutex waits (in their stacks) and main's
	 * condvar waits (no stack, call site take_lock); not main's mutex waits
	 * (their stack does not hold it, whatever the call site). */
	assert_matches(take, 0, condvar, 1);
	assert_matches(take, 1, mutex, 1);
	assert_matches(take, 2, mutex, 1);
	g_assert_cmpuint(take->n_intervals, ==, 30);
	assert_matches(lock, 0, mutex, 1);
	assert_matches(lock, 1, mutex, 1);
	assert_matches(lock, 2, mutex, 1);
	/* The workers' start routine: every wait of theirs. */
	assert_matches(worker, 0, NULL, 0);
	assert_matches(worker, 1, both, 2);
	assert_matches(worker, 2, both, 2);
	assert_matches(libfoo, 0, mutex, 1);
	assert_matches(libfoo, 1, NULL, 0);
	g_assert_cmpuint(none->n_intervals, ==, 0);
	g_assert_cmpuint(weft_stack_match_borrow_thread(none, 99)->len, ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/viewer/stacks/frames", test_frames);
	g_test_add_func("/viewer/stacks/flame-tree", test_flame_tree);
	g_test_add_func("/viewer/stacks/flame-tree-mutex", test_flame_tree_mutex);
	g_test_add_func("/viewer/stacks/flame-tree-allocs", test_flame_tree_allocs);
	g_test_add_func("/viewer/stacks/match", test_stack_match);
	return g_test_run();
}
