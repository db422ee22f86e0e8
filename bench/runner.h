// The benchmark runner behind `ladder bench SUITE [--json]`.
//
// A suite registers Google Benchmark cases named "<suite>/<op>". Raw
// libsecp256k1 (or other primitive) costs are cases named "<suite>/raw/<op>".
// A Ladder operation states the raw operations it is built from by setting
// counters named "floor:<op>" to their counts; the runner then reports the
// operation's median next to the "floor" (sum of count × median raw cost,
// all measured in the same run) and the ratio of the two. A counter named
// "peak_rss_mb" is reported as such; every other counter is passed through.
// Repetitions of all cases are interleaved; medians are reported in wall
// time ("median_seconds") and CPU time ("cpu_median_seconds"), and floors and
// ratios use CPU time (single-threaded cases on a shared, loaded machine).
//
// Output (JSON): {"suite", "machine", "results": [{"name", "median_seconds", "cpu_median_seconds",
// "floor_seconds", "ratio", "per_second", "peak_rss_mb", "floor_ops", ...}]}.
#pragma once

#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

namespace ladder::bench {

struct Options {
  bool json = false;
  int repetitions = 5;
  std::vector<int> clients;            // suite-specific sizes (ceremony, migrate)
  std::map<std::string, std::string> params;  // any further suite parameters
};

using SuiteRegistrar = std::function<void(const Options&)>;

// Registers a suite; called from static initializers of the suite's file.
bool add_suite(const std::string& name, std::string description, SuiteRegistrar registrar);

// Names and descriptions of all suites.
std::vector<std::pair<std::string, std::string>> suites();

// Runs one suite and writes the report to `out`. Returns a process exit code.
int run(const std::string& suite, const Options& opts, std::ostream& out);

// Peak resident set size of this process so far, in MiB (VmHWM).
double peak_rss_mb();

// Resets the peak RSS mark so that a benchmark can measure its own peak
// (writes "5" to /proc/self/clear_refs). Returns false where unsupported.
bool reset_peak_rss();

}  // namespace ladder::bench
