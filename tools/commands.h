/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef PG_TOOLS_COMMANDS_H
#define PG_TOOLS_COMMANDS_H

/* Exit statuses shared by all subcommands; docs/cli.md lists them. */
enum {
        PG_EXIT_OK = 0,
        PG_EXIT_FAIL = 1,       /* the command ran and the result is negative */
        PG_EXIT_USAGE = 2,      /* bad command line */
        PG_EXIT_ERROR = 3,      /* could not evaluate: unreadable input, I/O error */
        PG_EXIT_VERIFY_FAILED = 4,      /* prodgate verify: the evidence did not verify */
};

struct pg_command {
        const char *name;
        const char *summary;
        int (*run)(int argc, char **argv);
};

int cmd_version(int argc, char **argv);
int cmd_manifest(int argc, char **argv);
int cmd_eventlog(int argc, char **argv);
int cmd_handoff(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_provision(int argc, char **argv);
int cmd_measure(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_predict(int argc, char **argv);

#endif
