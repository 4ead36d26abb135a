/* The subcommands of the `weft` command. */
#ifndef WEFT_CLI_H
#define WEFT_CLI_H

int weft_cmd_record(int argc, char **argv);
int weft_cmd_convert(int argc, char **argv);
int weft_cmd_stats(int argc, char **argv);
int weft_cmd_view(int argc, char **argv);
int weft_cmd_pprof(int argc, char **argv);

#include <glib.h>
#include <stdint.h>

#endif /* WEFT_CLI_H */
