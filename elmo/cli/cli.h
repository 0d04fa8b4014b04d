/* cli.h — subcommands of the elmo tool. Each gets argv[0] = its own name and returns the
 * process exit status. */
#ifndef ELMO_CLI_H
#define ELMO_CLI_H

#include <stddef.h>

/* Exit statuses shared by all subcommands. */
enum {
  ELMO_EXIT_OK = 0,       /* done; for calibrate: usable changes were found */
  ELMO_EXIT_NOTHING = 1,  /* calibrate: nothing usable in the answer */
  ELMO_EXIT_USAGE = 2,    /* bad arguments, unreadable or invalid input files */
  ELMO_EXIT_FAILED = 3    /* an internal or engine error */
};

int elmo_cmd_options(int argc, char **argv);
int elmo_cmd_calibrate(int argc, char **argv);
int elmo_cmd_diff(int argc, char **argv);
int elmo_cmd_overlay(int argc, char **argv);
int elmo_cmd_chat(int argc, char **argv);
int elmo_cmd_trace(int argc, char **argv);
int elmo_cmd_progress_chart(int argc, char **argv);

/* Reads a whole file ("-" = stdin) into a new NUL-terminated buffer; NULL with a message on
 * stderr naming the path when it cannot. Refuses files over max_bytes. */
char *elmo_cli_read_file(const char *path, size_t max_bytes, size_t *len);

/* Prints "elmo <cmd>: <message>" on stderr. */
void elmo_cli_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif /* ELMO_CLI_H */
