/*
 * weft-pprof.h - write a profile (weft-profile.h) as pprof's
 * profile.proto, gzip'd, as `go tool pprof`, Pyroscope and Parca read it.
 * The protobuf code is generated at build time by protoc-c from the
 * profile.proto Debian ships (golang-github-google-pprof-dev).
 *
 * Value types, period and duration are those Go writes for the same
 * profile; every call-stack frame becomes a Location with its Mapping
 * (binary path and GNU build id), inline frames become several Lines of
 * one Location (innermost first), addresses of non-leaf frames point into
 * the call instruction (return address - 1), and each sample carries the
 * labels thread (name), tid and pid. docs/pprof.md describes the output.
 *
 * Needs only GLib in this header.
 */
#ifndef WEFT_PPROF_H
#define WEFT_PPROF_H

#include <glib.h>

#include "weft-profile.h"

G_BEGIN_DECLS

/*
 * profile as a gzip'd profile.proto; default_value (an index into its
 * sample types) becomes default_sample_type.
 */
GBytes *weft_pprof_encode(const weft_profile_t *profile, guint default_value);

/*
 * Writes weft_pprof_encode() to path ("-": stdout). On error returns FALSE
 * with error set (WEFT_PROFILE_ERROR_WRITE), worded
 * `Failed to write profile: path="…", reason="…"`.
 */
gboolean weft_pprof_write_file(const weft_profile_t *profile, guint default_value, const char *path,
                               GError **error);

G_END_DECLS

#endif /* WEFT_PPROF_H */
