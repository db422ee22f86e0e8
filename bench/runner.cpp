#include "bench/runner.h"

#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/utsname.h>

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

namespace ladder::bench {

namespace {

struct SuiteEntry {
  std::string description;
  SuiteRegistrar registrar;
};

std::map<std::string, SuiteEntry>& registry() {
  static std::map<std::string, SuiteEntry> r;
  return r;
}

// Collects every repetition's per-iteration real time and counters.
class Collector : public benchmark::BenchmarkReporter {
 public:
  struct Samples {
    std::vector<double> seconds;
    std::vector<double> cpu_seconds;
    std::map<std::string, double> counters;
  };
  bool ReportContext(const Context&) override { return true; }
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const auto& r : runs) {
      if (r.run_type != Run::RT_Iteration) continue;
      if (r.error_occurred) {
        errors.push_back(r.benchmark_name() + ": " + r.error_message);
        continue;
      }
      std::string name = r.run_name.function_name + (r.run_name.args.empty() ? "" : "/" + r.run_name.args);
      auto& s = samples[name];
      if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
      double per_iter = r.real_accumulated_time / static_cast<double>(std::max<int64_t>(1, r.iterations));
      s.seconds.push_back(per_iter);
      s.cpu_seconds.push_back(r.cpu_accumulated_time / static_cast<double>(std::max<int64_t>(1, r.iterations)));
      for (const auto& [k, c] : r.counters) s.counters[k] = c.value;
      if (!quiet) std::cerr << "  " << name << ": " << per_iter * 1e6 << " us\n";
    }
  }
  std::map<std::string, Samples> samples;
  std::vector<std::string> order;
  std::vector<std::string> errors;
  bool quiet = true;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  if (n == 0) return 0;
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string machine_description() {
  std::string cpu;
  std::ifstream f("/proc/cpuinfo");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  utsname u{};
  uname(&u);
  return cpu + ", " + std::to_string(std::thread::hardware_concurrency()) + " cpus, " + u.sysname + " " + u.machine;
}

}  // namespace

bool add_suite(const std::string& name, std::string description, SuiteRegistrar registrar) {
  registry()[name] = SuiteEntry{std::move(description), std::move(registrar)};
  return true;
}

std::vector<std::pair<std::string, std::string>> suites() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [k, v] : registry()) out.emplace_back(k, v.description);
  return out;
}

double peak_rss_mb() {
  std::ifstream f("/proc/self/status");
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

bool reset_peak_rss() {
  malloc_trim(0);  // return freed heap first, so the mark starts from what is live
  std::ofstream f("/proc/self/clear_refs");
  if (!f) return false;
  f << "5";
  return static_cast<bool>(f);
}

int run(const std::string& suite, const Options& opts, std::ostream& out) {
  auto it = registry().find(suite);
  if (it == registry().end()) {
    std::cerr << "unknown benchmark suite '" << suite << "'; suites:";
    for (const auto& [k, v] : registry()) std::cerr << ' ' << k;
    std::cerr << '\n';
    return 2;
  }
  it->second.registrar(opts);

  std::string reps = "--benchmark_repetitions=" + std::to_string(opts.repetitions);
  // --param filter=REGEX narrows the suite to matching case names.
  auto pf = opts.params.find("filter");
  std::string filter = "--benchmark_filter=^" + suite + "/" + (pf == opts.params.end() ? "" : ".*" + pf->second);
  // Interleave repetitions of different cases so that load drifting during
  // the run affects a Ladder operation and its raw floor alike.
  const char* argv_c[] = {"ladder-bench", reps.c_str(), filter.c_str(), "--benchmark_enable_random_interleaving=true"};
  int argc = 4;
  benchmark::Initialize(&argc, const_cast<char**>(argv_c));

  Collector collector;
  collector.quiet = opts.json;
  benchmark::RunSpecifiedBenchmarks(&collector);
  benchmark::ClearRegisteredBenchmarks();

  // Floors and ratios use CPU time: these cases are single-threaded, and CPU
  // time is what other processes on a shared machine disturb least. Wall
  // time is reported beside it.
  std::map<std::string, double> raw;
  const std::string raw_prefix = suite + "/raw/";
  for (const auto& name : collector.order)
    if (name.rfind(raw_prefix, 0) == 0) raw[name.substr(raw_prefix.size())] = median(collector.samples[name].cpu_seconds);

  // Interleaving shuffles the order cases first ran in: report raw
  // operations first, then the rest, each by name.
  std::vector<std::string> names = collector.order;
  std::sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    bool ra = a.rfind(raw_prefix, 0) == 0, rb = b.rfind(raw_prefix, 0) == 0;
    return ra != rb ? ra : a < b;
  });
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const auto& name : names) {
    const auto& s = collector.samples[name];
    nlohmann::ordered_json r;
    r["name"] = name.substr(suite.size() + 1);
    double med = median(s.seconds);
    double cpu = median(s.cpu_seconds);
    r["median_seconds"] = med;
    r["cpu_median_seconds"] = cpu;
    double floor = 0;
    nlohmann::ordered_json floor_ops = nlohmann::ordered_json::object();
    bool has_floor = false, floor_complete = true;
    for (const auto& [k, v] : s.counters) {
      if (k.rfind("floor:", 0) != 0) continue;
      std::string op = k.substr(6);
      has_floor = true;
      floor_ops[op] = v;
      auto rit = raw.find(op);
      if (rit == raw.end()) floor_complete = false;
      else floor += v * rit->second;
    }
    if (has_floor && floor_complete) {
      r["floor_seconds"] = floor;
      r["ratio"] = floor > 0 ? cpu / floor : 0.0;
    }
    if (med > 0) r["per_second"] = (s.counters.count("items") ? s.counters.at("items") : 1.0) / med;
    if (has_floor) r["floor_ops"] = floor_ops;
    for (const auto& [k, v] : s.counters) {
      if (k.rfind("floor:", 0) == 0 || k == "items") continue;
      r[k] = v;
    }
    results.push_back(r);
  }

  if (opts.json) {
    nlohmann::ordered_json doc;
    doc["suite"] = suite;
    doc["machine"] = machine_description();
    doc["results"] = results;
    if (!collector.errors.empty()) doc["errors"] = collector.errors;
    out << doc.dump(2) << '\n';
  } else {
    out << "suite " << suite << " on " << machine_description() << "\n";
    out << std::left << std::setw(44) << "name" << std::right << std::setw(14) << "median" << std::setw(14) << "cpu"
        << std::setw(14) << "floor"
        << std::setw(9) << "ratio" << std::setw(14) << "per second" << '\n';
    auto fmt_time = [](double s) {
      std::ostringstream o;
      o << std::fixed << std::setprecision(s < 1e-3 ? 2 : 3);
      if (s < 1e-3) o << s * 1e6 << " us";
      else if (s < 1) o << s * 1e3 << " ms";
      else o << s << " s";
      return o.str();
    };
    for (const auto& r : results) {
      out << std::left << std::setw(44) << r["name"].get<std::string>() << std::right << std::setw(14)
          << fmt_time(r["median_seconds"].get<double>()) << std::setw(14) << fmt_time(r["cpu_median_seconds"].get<double>());
      if (r.contains("floor_seconds")) {
        std::ostringstream ratio;
        ratio << std::fixed << std::setprecision(2) << r["ratio"].get<double>() << "x";
        out << std::setw(14) << fmt_time(r["floor_seconds"].get<double>()) << std::setw(9) << ratio.str();
      } else {
        out << std::setw(14) << "-" << std::setw(9) << "-";
      }
      if (r.contains("per_second")) out << std::setw(14) << std::fixed << std::setprecision(1) << r["per_second"].get<double>();
      if (r.contains("peak_rss_mb")) out << "  rss " << std::setprecision(1) << r["peak_rss_mb"].get<double>() << " MB";
      out << '\n';
    }
    for (const auto& e : collector.errors) out << "error: " << e << '\n';
  }
  return collector.errors.empty() ? 0 : 1;
}

}  // namespace ladder::bench
