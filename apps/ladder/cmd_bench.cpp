// `ladder bench SUITE [--json] [--clients N ...] [--repetitions R]`
#include <iostream>

#include "bench/runner.h"
#include "commands.h"

namespace ladder::app {

void add_bench_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("bench", "Run a benchmark suite (medians, crypto floors and ratios measured in one run)");
  struct Args {
    std::string suite;
    bench::Options opts;
    std::vector<std::string> params;
    bool list = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("suite", args->suite, "suite name (see --list)");
  cmd->add_flag("--json", args->opts.json, "print one JSON object");
  cmd->add_flag("--list", args->list, "list the suites");
  cmd->add_option("--clients", args->opts.clients, "client counts (suites that take sizes)");
  cmd->add_option("--repetitions", args->opts.repetitions, "repetitions per case (median is reported)")->check(CLI::Range(1, 1000));
  cmd->add_option("--param", args->params, "suite parameter KEY=VALUE (repeatable)");
  cmd->callback([args] {
    if (args->list || args->suite.empty()) {
      for (const auto& [name, desc] : bench::suites()) std::cout << name << "\t" << desc << '\n';
      exit_code() = args->suite.empty() && !args->list ? 2 : 0;
      return;
    }
    for (const auto& p : args->params) {
      auto eq = p.find('=');
      if (eq == std::string::npos) throw CLI::ValidationError("--param", "expected KEY=VALUE, got '" + p + "'");
      args->opts.params[p.substr(0, eq)] = p.substr(eq + 1);
    }
    exit_code() = bench::run(args->suite, args->opts, std::cout);
  });
}

}  // namespace ladder::app
