// ladder — SuperScalar channel factories built around client migration.
#include <iostream>

#include "commands.h"

namespace ladder::app {
int& exit_code() {
  static int code = 0;
  return code;
}
}  // namespace ladder::app

int main(int argc, char** argv) {
  CLI::App app{"ladder: SuperScalar channel factories for Lightning Service Providers, built around client migration"};
  app.require_subcommand(1);
  ladder::app::add_bench_command(app);
  ladder::app::add_chaind_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return ladder::app::exit_code();
}
