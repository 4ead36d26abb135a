/*
 * Colors; see weft-palette.h and docs/viewer.md.
 */
#include "weft-palette.h"

#include <math.h>

#define RGB(hex)                                                                                  \
	{                                                                                         \
		((hex) >> 16 & 0xff) / 255.f, ((hex) >> 8 & 0xff) / 255.f, ((hex) &0xff) / 255.f, \
		    1.f                                                                           \
	}

static const GdkRGBA state_colors[WEFT_STATE_COUNT] = {
    [WEFT_STATE_RUNNING] = RGB(0x009E73),        /* Okabe-Ito bluish green */
    [WEFT_STATE_MUTEX] = RGB(0xD55E00),          /* Okabe-Ito vermillion */
    [WEFT_STATE_RWLOCK_READ] = RGB(0xE69F00),    /* Okabe-Ito orange */
    [WEFT_STATE_RWLOCK_WRITE] = RGB(0x8F3F00),   /* dark vermillion */
    [WEFT_STATE_SPIN] = RGB(0xF0E442),           /* Okabe-Ito yellow */
    [WEFT_STATE_LOCK_CUSTOM] = RGB(0xEE9E80),    /* light vermillion */
    [WEFT_STATE_CONDVAR] = RGB(0xCC79A7),        /* Okabe-Ito reddish purple */
    [WEFT_STATE_SEMAPHORE] = RGB(0x882255),      /* Tol wine */
    [WEFT_STATE_BARRIER] = RGB(0xAA4499),        /* Tol purple */
    [WEFT_STATE_JOIN] = RGB(0x0072B2),           /* Okabe-Ito blue */
    [WEFT_STATE_SYSCALL] = RGB(0x56B4E9),        /* Okabe-Ito sky blue */
    [WEFT_STATE_SLEEP] = RGB(0x88CCEE),          /* Tol cyan */
    [WEFT_STATE_BLOCK_CUSTOM] = RGB(0x999933),   /* Tol olive */
    [WEFT_STATE_RUNNABLE] = RGB(0xDDCC77),       /* Tol sand */
    [WEFT_STATE_BLOCKED_KERNEL] = RGB(0x7F7F7F), /* grey */
    [WEFT_STATE_DATA_LOST] = RGB(0x3B3B3B),      /* drawn hatched */
};

/* Slice colors: light tints so black labels read on them in any style. */
static const GdkRGBA hash_colors[] = {
    RGB(0x9ECAE9), RGB(0xF5C26B), RGB(0xC5B0D5), RGB(0xE7B4CF),
    RGB(0xC6DBEF), RGB(0xF2D98C), RGB(0xB7C7E8), RGB(0xD9B99B),
};

static const GdkRGBA flow_colors[WEFT_FLOW_COUNT] = {
    [WEFT_FLOW_THREAD_CREATE] = RGB(0x0072B2), [WEFT_FLOW_LOCK_HANDOFF] = RGB(0xD55E00),
    [WEFT_FLOW_COND_WAKE] = RGB(0xCC79A7),     [WEFT_FLOW_SEM_WAKE] = RGB(0x882255),
    [WEFT_FLOW_USER] = RGB(0x009E73),          [WEFT_FLOW_TASK] = RGB(0xE69F00),
    [WEFT_FLOW_JOIN] = RGB(0x56B4E9),
};

static const GdkRGBA black = {0.f, 0.f, 0.f, 1.f};
static const GdkRGBA white = {1.f, 1.f, 1.f, 1.f};
static const GdkRGBA merged = RGB(0x6A8CAF);
static const GdkRGBA lost = {0.45f, 0.45f, 0.45f, 0.85f};
static const GdkRGBA selection = {0.95f, 0.27f, 0.05f, 1.f};
static const GdkRGBA match = {1.f, 0.85f, 0.f, 1.f};
static const GdkRGBA highlight = RGB(0xFF00D4);
static const GdkRGBA critical = RGB(0x00D0FF);

const GdkRGBA *weft_palette_state(weft_state_t state)
{
	if ((unsigned) state >= WEFT_STATE_COUNT) {
		state = WEFT_STATE_BLOCKED_KERNEL;
	}
	return &state_colors[state];
}

const GdkRGBA *weft_palette_hash(guint32 key)
{
	/* Spread neighbouring ids (interned strings) over the palette. */
	return &hash_colors[(key * 2654435761u) >> 29];
}

/*
 * Regions (slices, tasks): twelve hues 30 degrees apart, pale and muted
 * (HSL lightness 0.88, saturation 0.45), so they never read as one of the
 * saturated state colors and black labels read on them.
 */
#define REGION_HUES 12

static void hsl_to_rgb(double h, double s, double l, GdkRGBA *out)
{
	double c = (1 - fabs(2 * l - 1)) * s, hp = h / 60, x = c * (1 - fabs(fmod(hp, 2) - 1));
	double m = l - c / 2, r = 0, g = 0, b = 0;

	if (hp < 1) {
		r = c, g = x;
	} else if (hp < 2) {
		r = x, g = c;
	} else if (hp < 3) {
		g = c, b = x;
	} else if (hp < 4) {
		g = x, b = c;
	} else if (hp < 5) {
		r = x, b = c;
	} else {
		r = c, b = x;
	}
	*out = (GdkRGBA){(float) (r + m), (float) (g + m), (float) (b + m), 1.f};
}

const GdkRGBA *weft_palette_region(const char *name)
{
	static GdkRGBA colors[REGION_HUES];
	static gsize init;

	if (g_once_init_enter(&init)) {
		for (int i = 0; i < REGION_HUES; i++) {
			hsl_to_rgb(i * 360.0 / REGION_HUES + 15, 0.45, 0.88, &colors[i]);
		}
		g_once_init_leave(&init, 1);
	}
	return &colors[g_str_hash(name ? name : "") % REGION_HUES];
}

const GdkRGBA *weft_palette_text_on(const GdkRGBA *bg)
{
	double l = 0.2126 * bg->red + 0.7152 * bg->green + 0.0722 * bg->blue;

	return l > 0.45 ? &black : &white;
}

const GdkRGBA *weft_palette_merged(void)
{
	return &merged;
}

const GdkRGBA *weft_palette_flow(weft_flow_kind_t kind)
{
	if ((unsigned) kind >= WEFT_FLOW_COUNT) {
		kind = WEFT_FLOW_USER;
	}
	return &flow_colors[kind];
}

const GdkRGBA *weft_palette_lost(void)
{
	return &lost;
}

const GdkRGBA *weft_palette_selection(void)
{
	return &selection;
}

const GdkRGBA *weft_palette_match(void)
{
	return &match;
}

const GdkRGBA *weft_palette_highlight(void)
{
	return &highlight;
}

const GdkRGBA *weft_palette_critical(void)
{
	return &critical;
}

GdkRGBA weft_palette_flame(const char *name)
{
	guint h = g_str_hash(name ? name : "");
	float v1 = (float) (h & 0xff) / 255.f, v2 = (float) ((h >> 8) & 0xff) / 255.f,
	      v3 = (float) ((h >> 16) & 0xff) / 255.f;

	/* flamegraph.pl: red 205-255, green 0-230, blue 0-55; green kept
	 * above 90 here so that black labels stay readable on every box. */
	return (GdkRGBA){(205.f + 50.f * v3) / 255.f, (90.f + 140.f * v1) / 255.f,
	                 (55.f * v2) / 255.f, 1.f};
}
