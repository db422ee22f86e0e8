// Subcommands of the `ladder` executable. Each lives in its own cmd_*.cpp and
// is added to the CLI by main.cpp; a subcommand parses its options, runs, and
// sets the process exit code through the returned callback's result.
#pragma once

#include <CLI/CLI.hpp>

namespace ladder::app {

// Exit code the selected subcommand wants the process to return.
int& exit_code();

void add_bench_command(CLI::App& app);
void add_chaind_command(CLI::App& app);

}  // namespace ladder::app
