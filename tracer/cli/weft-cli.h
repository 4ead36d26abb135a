/* The subcommands of the `weft` command. */
#ifndef WEFT_CLI_H
#define WEFT_CLI_H

int weft_cmd_record(int argc, char **argv);
int weft_cmd_convert(int argc, char **argv);
int weft_cmd_stats(int argc, char **argv);
int weft_cmd_view(int argc, char **argv);

#include <glib.h>
#include <stdint.h>

/*
 * A time relative to the trace start for --from/--to: a number and a unit,
 * ns, us, ms, s or min; a bare number is seconds ("1.5s", "200ms", "0").
 */
gboolean weft_cli_parse_time(const char *s, int64_t *out);

#endif /* WEFT_CLI_H */
