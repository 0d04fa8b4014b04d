// elmo_tune.cc — the db_bench glue of the offline tuner: --elmo_* flags in, elmo_tune_run out.
// All tuning logic is in the C core (elmo/src/tuner*.c); this file only converts flags.
#include "tools/elmo_tune.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "elmo/model.h"
#include "elmo/number.h"
#include "elmo/spec.h"
#include "elmo/tuner.h"
#include "elmo/value.h"
#include "rocksdb/convenience.h"
#include "rocksdb/merge_operator.h"
#include "tools/elmo_base_db.h"
#include "util/gflags_compat.h"

namespace {

// A setting's default from the tuner's settings table (elmo/src/offline/tune_config.c), so the
// flags below do not restate it. A key missing from the table is a bug caught at start-up.
const elmo_tune_setting_info& TuneRow(const char* key) {
  const elmo_tune_setting_info* k = elmo_tune_config_find(key);
  if (k == nullptr) {
    std::fprintf(stderr, "elmotune: %s is not in the settings table\n", key);
    std::abort();
  }
  return *k;
}
double TuneDefault(const char* key) {
  double v = 0;
  if (elmo_value_parse_double(TuneRow(key).default_value, &v, nullptr) != ELMO_OK) std::abort();
  return v;
}
bool TuneDefaultBool(const char* key) {
  int v = 0;
  if (elmo_value_parse_bool(TuneRow(key).default_value, &v, nullptr) != ELMO_OK) std::abort();
  return v != 0;
}

}  // namespace

DEFINE_string(elmo_workload, "readrandom",
              "elmotune: workload preset: fillrandom, readrandom, readrandomwriterandom[:READ%] "
              "(READ% the same as --readwritepercent), mixgraph, ycsb-a .. ycsb-f, sized by "
              "db_bench's --num, --key_size, --value_size, --threads where the preset takes them; "
              "or a workload spec FILE.json (docs/WORKLOAD_SPEC.md), run with "
              "--benchmarks=elmospec and scaled to each trial's length (--duration)");
DEFINE_string(elmo_llm, TuneRow("elmo_llm").default_value,
              "elmotune: advisor: builtin (rule-based, not an LLM), openai:MODEL, anthropic:MODEL, "
              "replay:FILE, manual[:DIR] (a person answers; docs/LLM.md)");
DEFINE_string(elmo_trace, "",
              "elmotune: a RocksDB query trace of the application: characterize it, model it as a "
              "workload spec (OUTPUT_DIR/workload.json, model.md) and tune against that spec");
DEFINE_int32(elmo_trace_threads, 1, "elmotune: client threads of the spec modeled from --elmo_trace");
DEFINE_string(elmo_llm_url, TuneRow("elmo_llm_url").default_value,
              "elmotune: base URL of the LLM API (default: ELMO_BASE_URL)");
DEFINE_string(elmo_playbook, "",
              "elmotune: a playbook for the realtime tuner (elmo_playbook=FILE in [DBOptions]): this run's "
              "entry (the runtime-mutable options of a confirmed best) is merged into it, created when missing");
DEFINE_int32(elmo_iterations, static_cast<int32_t>(TuneDefault("elmo_iterations")), "elmotune: advisor rounds");
DEFINE_double(elmo_budget_sec, TuneDefault("elmo_budget_sec"),
              "elmotune: wall-clock budget of the whole run in seconds, set-up and confirmation included "
              "(0: none): the loop plans the confirmation into it and reports what it cut");
DEFINE_int32(elmo_cpus, 2, "elmotune: CPU limit of every trial (0: no limit)");
DEFINE_string(elmo_memory, "1GiB", "elmotune: memory limit of every trial, e.g. 1GiB (0: none)");
DEFINE_string(elmo_output_dir, "elmotune-out", "elmotune: output directory");
DEFINE_double(elmo_trial_sec, TuneDefault("elmo_trial_sec"),
              "elmotune: measured seconds per trial (the same as --duration)");
DEFINE_double(elmo_warmup_sec, TuneDefault("elmo_warmup_sec"),
              "warm-up seconds left out of the measurement: of each elmotune trial; given to any other "
              "benchmark, of its result line and histograms (not given: nothing is left out)");
DEFINE_int64(elmo_num, 0,
             "elmotune: dataset keys, the same as --num (not given: the preset's); with elmotune, "
             "db_bench's --num, --key_size, --value_size, --threads, --readwritepercent and "
             "--duration (the measured seconds) set the workload, and a workload that cannot take "
             "one refuses it (docs/TUNING.md)");
DEFINE_int32(elmo_value_size, 0, "elmotune: value bytes, the same as --value_size (not given: the preset's)");
DEFINE_bool(elmo_storage_probe, true,
            "elmotune: probe the trials' storage before the baseline (direct random reads, sequential "
            "writes, fsync; at most 4 s, cached per device in the output directory) for the advisor "
            "and the report");
DEFINE_bool(elmo_direct_io, TuneDefaultBool("elmo_direct_io"),
            "elmotune: trials use direct I/O (reads, flush, compaction)");
DEFINE_string(elmo_objective, TuneRow("elmo_objective").default_value,
              "elmotune: throughput, p99 or mixed; or one operation type's: OP (its ops/s), OP-p99 or "
              "OP-mixed, OP one of get, put, seek, delete, merge, multiget (e.g. seek, get-p99)");
DEFINE_string(elmo_protect, "",
              "elmotune: operation types no accepted candidate may slow down (comma-separated: get, "
              "put, seek, delete, merge, multiget), besides those with --elmo_guard_share");
DEFINE_double(elmo_guard_share, TuneDefault("elmo_guard_share"),
              "elmotune: operation types with at least this share of the operations or of the time "
              "are guarded (negative: only --elmo_protect's)");
DEFINE_double(elmo_guard_tolerance, TuneDefault("elmo_guard_tolerance"),
              "elmotune: a guarded operation type may lose at most this fraction of its ops/s");
DEFINE_double(elmo_guard_p99_tolerance, TuneDefault("elmo_guard_p99_tolerance"),
              "elmotune: a protected operation type's p99 may rise at most this fraction");
DEFINE_bool(elmo_guard_p99_all, TuneDefaultBool("elmo_guard_p99_all"),
            "elmotune: judge the p99 of the operation types guarded by --elmo_guard_share too, not "
            "only of --elmo_protect's");
DEFINE_string(elmo_replay, "auto",
              "elmotune: auto (replay-confirm when there is a trace) or never");
DEFINE_int32(elmo_replay_seek_nexts, static_cast<int32_t>(TuneDefault("elmo_replay_seek_nexts")),
             "elmotune: Next calls after each replayed seek (RocksDB's trace records none); -1: "
             "the scan length the model assumed");
DEFINE_string(elmo_rewrite, TuneRow("elmo_rewrite").default_value,
              "elmotune: compact the preloaded data under each trial's options before measuring: "
              "auto (read-mostly workloads), always or never");
DEFINE_double(elmo_p99_weight, TuneDefault("elmo_p99_weight"), "elmotune: weight of p99 in the mixed objective");
DEFINE_string(elmo_strategy, TuneRow("elmo_strategy").default_value,
              "elmotune: prompt strategy: full-history, chunked, last-diff, by-resource (or 1-4)");
DEFINE_int32(elmo_finetune, static_cast<int32_t>(TuneDefault("elmo_finetune")),
             "elmotune: fine-tuning rounds after each gain (-1: none)");
DEFINE_int32(elmo_confirm, static_cast<int32_t>(TuneDefault("elmo_confirm")),
             "elmotune: confirmation runs of best and baseline, each");
DEFINE_int32(elmo_confirm_max, static_cast<int32_t>(TuneDefault("elmo_confirm_max")),
             "elmotune: when the confirmation is inconclusive with a positive mean gain, go on, "
             "doubling the pairs at each look (at most 3 looks), up to this many pairs; 0: four "
             "times --elmo_confirm");
DEFINE_double(elmo_min_gain, TuneDefault("elmo_min_gain"),
              "elmotune: a candidate's gain counts when above this fraction of the best (0: any gain)");
DEFINE_double(elmo_flag_ratio, TuneDefault("elmo_flag_ratio"),
              "elmotune: a trial whose running ops/s stays below this fraction of the best's is aborted "
              "(0: never)");
DEFINE_int32(elmo_patience, static_cast<int32_t>(TuneDefault("elmo_patience")),
             "elmotune: stop after this many rounds without a gain");
DEFINE_double(elmo_recheck_band, TuneDefault("elmo_recheck_band"),
              "elmotune: a candidate within this fraction of the best is measured again, with the "
              "best, before deciding (negative: never)");
DEFINE_int32(elmo_recheck_pairs, static_cast<int32_t>(TuneDefault("elmo_recheck_pairs")),
             "elmotune: a close call runs this many (best, candidate) pairs alternately and the "
             "geometric mean of the paired ratios decides (1 to 8)");
DEFINE_string(elmo_lock, "", "elmotune: options the tuner must not change, comma-separated");
DEFINE_bool(elmo_quiet, TuneDefaultBool("elmo_quiet"), "elmotune: no progress lines");
DEFINE_string(elmo_compare, "",
              "elmotune: instead of tuning, measure these OPTIONS files side by side under the same "
              "limits and data, comma-separated ('defaults' = RocksDB's defaults)");
DEFINE_string(elmo_base_db, "",
              "elmotune: the program's own DB (a copy, or the live one: it is only read): every "
              "trial runs on a clone of it, the workload on its keys; needs --elmo_trace or a spec (with "
              "--elmo_compare, also the DB a run of the preset loaded: OUTPUT_DIR/db/base/db)");
DEFINE_int64(elmo_base_db_keys, 1000000,
             "elmotune: with --elmo_base_db, the most keys sampled from it for the workload");
DEFINE_int32(elmo_compare_runs, 3, "elmotune: runs of each configuration in --elmo_compare");

DECLARE_string(db);
DECLARE_string(options_file);
DECLARE_string(merge_operator);
DECLARE_string(elmo_replay_trace);  // tools/elmo_replay_bench.cc

namespace ROCKSDB_NAMESPACE {
namespace {

volatile int g_cancel = 0;
void OnSignal(int) { g_cancel = 1; }

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "elmotune: %s\n", message.c_str());
  return 1;
}

// The flag's value as text for elmo_tune_config_set (gflags writes doubles with 17 digits).
std::string FlagText(const GFLAGS_NAMESPACE::CommandLineFlagInfo& info) {
  double v = 0;
  if (info.type != "double" || elmo_value_parse_double(info.current_value.c_str(), &v, nullptr) != ELMO_OK) {
    return info.current_value;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// Every flag with a row in the tuner's settings table, under both its names (--elmo_num and
// db_bench's own --num), goes to elmo_tune_config_set_flags with whether the user gave it; the
// core decides what applies, checks the ranges, the two names against each other and the
// workload against its values, and names the flag. texts keeps the strings cfg borrows.
bool ApplyFlags(elmo_tune_config* cfg, std::deque<std::string>* texts, std::string* error) {
  std::vector<elmo_tune_flag> flags;
  for (size_t i = 0; i < elmo_tune_config_key_count(); i++) {
    const elmo_tune_setting_info* k = elmo_tune_config_key_at(i);
    for (const char* name : {k->key, k->alias}) {
      GFLAGS_NAMESPACE::CommandLineFlagInfo info;
      if (name == nullptr || !GFLAGS_NAMESPACE::GetCommandLineFlagInfo(name, &info)) continue;
      texts->push_back(FlagText(info));
      flags.push_back({name, texts->back().c_str(), info.is_default ? 0 : 1});
    }
  }
  elmo_error err;
  if (elmo_tune_config_set_flags(cfg, flags.data(), flags.size(), FLAGS_elmo_trace.empty() ? 0 : 1, &err) !=
      ELMO_OK) {
    *error = std::string("--") + err.message;
    return false;
  }
  return true;
}

}  // namespace

// A confirmation's sentence (elmo_tune_confirmation_text).
std::string Verdict(const elmo_tune_confirmation& c) {
  char buf[512];
  elmo_tune_confirmation_text(&c, buf, sizeof buf);
  return buf;
}

// --elmo_compare: one table row per configuration, ratios against the first.
int Compare(const elmo_tune_config& cfg) {
  std::vector<std::string> files = Split(FLAGS_elmo_compare);
  std::vector<const char*> ptrs;
  for (auto& f : files) ptrs.push_back(f == "defaults" ? "" : f.c_str());
  std::vector<elmo_compare_row> rows(files.size());
  elmo_error err;
  if (elmo_tune_compare(&cfg, ptrs.data(), ptrs.size(), FLAGS_elmo_compare_runs, rows.data(), &err) != ELMO_OK) {
    return Fail(err.message);
  }
  if (!rows.empty() && rows[0].histogram != nullptr) {
    std::printf("measured on the '%s' operations only (the objective's)\n", rows[0].histogram);
  }
  std::printf("%-40s %5s %14s %10s %12s %10s\n", "configuration", "runs", "ops/s", "x first", "p99 us",
              "x first");
  for (size_t i = 0; i < rows.size(); i++) {
    const auto& r = rows[i];
    elmo_number_fprintf(stdout, "%-40s %5d %8.0f ±%-5.0f %10.3f %7.0f ±%-4.0f %10.3f\n", files[i].c_str(), r.runs, r.ops_mean,
                r.ops_sd, rows[0].ops_mean > 0 ? r.ops_mean / rows[0].ops_mean : 0, r.p99_mean, r.p99_sd,
                rows[0].p99_mean > 0 ? r.p99_mean / rows[0].p99_mean : 0);
  }
  return 0;
}

uint64_t ElmoWarmupMicros() {
  static const uint64_t micros =
      GFLAGS_NAMESPACE::GetCommandLineFlagInfoOrDie("elmo_warmup_sec").is_default || !(FLAGS_elmo_warmup_sec > 0)
          ? 0
          : static_cast<uint64_t>(FLAGS_elmo_warmup_sec * 1e6);
  return micros;
}

int ElmoTuneMain(const char* argv0) {
  elmo_tune_config cfg;
  elmo_tune_config_defaults(&cfg);
  std::deque<std::string> texts;  // what cfg's strings point into
  std::string bad;
  if (!ApplyFlags(&cfg, &texts, &bad)) return Fail(bad);
  cfg.engine = elmo_engine_builtin();
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return Fail(std::string("cannot locate the db_bench binary (") + argv0 + ")");
  self[n] = '\0';
  elmo_error err;
  std::vector<std::string> protect = Split(FLAGS_elmo_protect);
  std::vector<const char*> protect_ptrs;
  for (const auto& p : protect) {
    if (elmo_tune_op_histogram(p.c_str()) == nullptr) {
      return Fail("--elmo_protect=" + FLAGS_elmo_protect + ": " + p +
                  " is not an operation type (get, put, seek, delete, merge, multiget)");
    }
    protect_ptrs.push_back(p.c_str());
  }
  if (FLAGS_elmo_replay != "auto" && FLAGS_elmo_replay != "never") {
    return Fail("--elmo_replay=" + FLAGS_elmo_replay + ": expected auto or never");
  }
  if (!FLAGS_elmo_replay_trace.empty() && access(FLAGS_elmo_replay_trace.c_str(), R_OK) != 0) {
    return Fail("--elmo_replay_trace=" + FLAGS_elmo_replay_trace + ": cannot be read");
  }
  if (FLAGS_elmo_base_db_keys < 1) return Fail("--elmo_base_db_keys must be >= 1");
  if (!FLAGS_merge_operator.empty()) {  // the trials' stand-in: one RocksDB itself knows
    ConfigOptions strict;
    strict.ignore_unsupported_options = false;
    std::shared_ptr<MergeOperator> op;
    Status s = MergeOperator::CreateFromString(strict, FLAGS_merge_operator, &op);
    if (!s.ok() || op == nullptr) {
      return Fail("--merge_operator=" + FLAGS_merge_operator +
                  ": not a merge operator RocksDB knows (put, uint64add, max, stringappend, "
                  "bytesxor, sortlist)");
    }
  }
  std::vector<std::string> locks = Split(FLAGS_elmo_lock);
  std::vector<const char*> lock_ptrs;
  for (const auto& l : locks) lock_ptrs.push_back(l.c_str());
  cfg.db_bench = self;
  std::string modeled;  // --elmo_trace: the spec written from the trace
  elmo_model_options mo;
  elmo_model_options_init(&mo);
  if (!FLAGS_elmo_trace.empty()) {
    if (!GFLAGS_NAMESPACE::GetCommandLineFlagInfoOrDie("elmo_workload").is_default) {
      return Fail("--elmo_trace and --elmo_workload both name the workload: give one");
    }
    elmo_model_options_init(&mo);
    mo.threads = FLAGS_elmo_trace_threads;
    mo.rate_policy = ELMO_MODEL_RATE_UNLIMITED;  // tuning measures throughput: the trace's rate would cap it
    char* path = nullptr;
    std::fprintf(stderr, "[elmotune] characterizing %s\n", FLAGS_elmo_trace.c_str());
    if (elmo_model_trace_to_spec(FLAGS_elmo_trace.c_str(), &mo, FLAGS_elmo_llm.c_str(),
                                 FLAGS_elmo_llm_url.empty() ? nullptr : FLAGS_elmo_llm_url.c_str(),
                                 FLAGS_elmo_output_dir.c_str(), &path, &err) != ELMO_OK) {
      return Fail("--elmo_trace=" + FLAGS_elmo_trace + ": " + err.message);
    }
    modeled = path;
    elmo_free(path);
    std::fprintf(stderr, "[elmotune] workload model: %s (report: %s/model.md)\n", modeled.c_str(),
                 FLAGS_elmo_output_dir.c_str());
    cfg.workload = modeled.c_str();
  }
  cfg.base_options = FLAGS_options_file.empty() ? nullptr : FLAGS_options_file.c_str();
  cfg.merge_operator = FLAGS_merge_operator.empty() ? nullptr : FLAGS_merge_operator.c_str();
  std::string key_dict;  // --elmo_base_db: the DB's keys, for the workload
  // --elmo_compare on a preset's own preloaded DB (an earlier run's DB/base/db): the preset's keys
  // are the DB's, so no key sampling, and the data is the preset's, not a program's.
  const bool preset_base = !FLAGS_elmo_base_db.empty() && modeled.empty() && !FLAGS_elmo_compare.empty() &&
                           FLAGS_elmo_workload.find(".json") == std::string::npos;
  if (preset_base) {
    if (access((FLAGS_elmo_base_db + "/CURRENT").c_str(), R_OK) != 0) {
      return Fail("--elmo_base_db=" + FLAGS_elmo_base_db + ": not a RocksDB directory (no CURRENT)");
    }
    cfg.base_db = FLAGS_elmo_base_db.c_str();
  } else if (!FLAGS_elmo_base_db.empty()) {
    if (modeled.empty() && FLAGS_elmo_workload.find(".json") == std::string::npos) {
      return Fail("--elmo_base_db needs a workload that can run on the program's keys: "
                  "--elmo_trace=FILE or --elmo_workload=SPEC.json (or, with --elmo_compare, the DB a run "
                  "of the preset loaded), not the preset " + FLAGS_elmo_workload);
    }
    std::error_code ec;
    std::filesystem::create_directories(FLAGS_elmo_output_dir, ec);
    if (ec) return Fail("--elmo_output_dir=" + FLAGS_elmo_output_dir + ": " + ec.message());
    key_dict = FLAGS_elmo_output_dir + "/base-keys.hex";
    size_t sampled = 0;
    Status s = ElmoSampleKeys(FLAGS_elmo_base_db, static_cast<size_t>(FLAGS_elmo_base_db_keys), key_dict,
                              &sampled);
    if (!s.ok()) return Fail(s.ToString());
    std::fprintf(stderr, "[elmotune] %zu keys of %s: %s\n", sampled, FLAGS_elmo_base_db.c_str(),
                 key_dict.c_str());
    cfg.base_db = FLAGS_elmo_base_db.c_str();
    cfg.key_dict = key_dict.c_str();
  }
  std::string db_dir = FLAGS_db.empty() ? "" : FLAGS_db + "/elmotune";
  cfg.db_dir = db_dir.empty() ? nullptr : db_dir.c_str();
  // A program's workload (its trace, its DB): its data exists, laid out under its current options.
  cfg.existing_data = !FLAGS_elmo_trace.empty() || (!FLAGS_elmo_base_db.empty() && !preset_base);
  cfg.objective_unpaced = GFLAGS_NAMESPACE::GetCommandLineFlagInfoOrDie("elmo_objective").is_default;
  cfg.protect = protect_ptrs.data();
  cfg.n_protect = protect_ptrs.size();
  // The replay confirmation: the program's own trace, when there is one.
  const std::string& replay = !FLAGS_elmo_replay_trace.empty() ? FLAGS_elmo_replay_trace : FLAGS_elmo_trace;
  if (FLAGS_elmo_replay == "auto" && !replay.empty()) cfg.replay_trace = replay.c_str();
  if (cfg.replay_seek_nexts < 0 && !modeled.empty()) cfg.replay_seek_nexts = static_cast<int>(mo.scan_length);
  cfg.locks = lock_ptrs.data();
  cfg.n_locks = lock_ptrs.size();
  cfg.cancel = &g_cancel;
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  if (!FLAGS_elmo_compare.empty()) return Compare(cfg);
  elmo_tune_summary sum;
  elmo_rc rc = elmo_tune_run(&cfg, &sum, &err);
  if (rc != ELMO_OK) {
    std::fprintf(stderr, "elmotune: %s\n", err.message);
  }
  if (sum.n_records > 0) {
    std::printf("elmotune: %zu trials, stopped: %s. Best vs baseline on the model: %s.\n", sum.n_records,
                sum.stop_reason ? sum.stop_reason : "-",
                sum.best_index == 0 ? "no candidate beat the baseline" : Verdict(sum.confirm).c_str());
    if (sum.replay_state == ELMO_REPLAY_RAN) {
      std::printf("elmotune: on the program's own trace (replay): %s.\n", Verdict(sum.replay).c_str());
    } else if (sum.replay_state == ELMO_REPLAY_FAILED) {
      std::printf("elmotune: the replay confirmation could not run: %s\n", sum.replay_note ? sum.replay_note : "-");
    }
    std::printf("elmotune: best.ini holds the %s. Report %s/report.md, best options %s\n",
                sum.shipped_best ? "best configuration" : "baseline (no gain confirmed)",
                FLAGS_elmo_output_dir.c_str(), sum.best_options_path ? sum.best_options_path : "(not written)");
  }
  elmo_tune_summary_clear(&sum);
  return rc == ELMO_OK ? 0 : 1;
}

}  // namespace ROCKSDB_NAMESPACE
