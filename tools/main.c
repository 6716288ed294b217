/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * prodgate: the userspace side. One file per subcommand; this file only
 * dispatches.
 */
#include <stdio.h>
#include <string.h>

#include "tools/commands.h"

static const struct pg_command commands[] = {
        { "version", "print the version", cmd_version },
        { "manifest", "sign, verify and show signed release manifests", cmd_manifest },
        { "eventlog", "decode and replay the firmware TPM event log", cmd_eventlog },
        { "handoff", "decode the handoff blob the EFI stage left", cmd_handoff },
        { "status", "evaluate the ten gates and production readiness", cmd_status },
        { "provision", "define the TPM anti-rollback index and write its floor", cmd_provision },
        { "measure", "evaluate, then extend the runtime results into the gates PCR", cmd_measure },
        { "verify", "verify a TPM quote and the event logs, as an attestation server", cmd_verify },
        { "predict", "print the gates PCR values a passing boot leaves", cmd_predict },
};

static void usage(FILE *out)
{
        fprintf(out, "usage: prodgate COMMAND [ARGS]\n\ncommands:\n");
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
        fprintf(out, "\n'prodgate COMMAND --help' describes a command's options.\n");
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                usage(stderr);
                return PG_EXIT_USAGE;
        }
        if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
                usage(stdout);
                return 0;
        }
        if (!strcmp(argv[1], "--version"))
                return cmd_version(argc - 1, argv + 1);
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (!strcmp(argv[1], commands[i].name))
                        return commands[i].run(argc - 1, argv + 1);
        fprintf(stderr, "prodgate: unknown command '%s'; run 'prodgate --help' for the list\n",
                argv[1]);
        return PG_EXIT_USAGE;
}
