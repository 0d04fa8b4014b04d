/*
 * prompt_templates.c — every sentence the advisor reads, in one place.
 *
 * A template is plain text with named slots, ${name}, filled by elmo_prompt_buf_fill
 * (prompt_text.c). Slots used here:
 *   ${v}            the one value of a one-slot template
 *   ${max_changes}  how many options one answer may change
 *   ${objective}    what to optimise ("throughput", "p99 latency", ...)
 *   ${chunk} ${chunks}   CHUNKED: this request's chunk (1-based) and the chunk count
 *   ${pins_rule} ${memory_rule} ${realtime_rule} ${chunk_rule}   whole rule lines, or ""
 *   ${min} ${max}   an option's range;  ${key} ${value} ${reason}   one rejected change
 * Headings are markdown; the answer format matches what answer.c and calibrate.c read best.
 */
#include "prompt_internal.h"

/* ---- the system message --------------------------------------------------------------------- */

const char elmo_prompt_tpl_system[] =
    "You are a RocksDB 7.8.3 performance-tuning expert. You advise an automatic tuner: it runs a\n"
    "benchmark with the configuration you propose, under the limits it tells you, measures the\n"
    "result and comes back to you with the numbers.\n"
    "\n"
    "Rules:\n"
    "- Change at most ${max_changes} options in one answer; a few well-founded changes beat\n"
    "  many guesses.\n"
    "- Use only options that exist in RocksDB 7.8.3, named as in an OPTIONS file. Names from\n"
    "  other versions, db_bench flags and invented names are rejected.\n"
    "- Options that guard correctness and durability (WAL recovery mode, checksums, comparator,\n"
    "  merge operator, paranoid checks and the like) are locked: never change them.\n"
    "${pins_rule}"
    "${memory_rule}"
    "${realtime_rule}"
    "${chunk_rule}"
    "- Write values in plain units: sizes as integer bytes (134217728, not 128MB), booleans as\n"
    "  true or false, enum values spelled as listed (kLZ4Compression).\n"
    "\n"
    "Answer format: first explain your reasoning briefly, in a few sentences. Then give\n"
    "exactly one fenced ```ini block in RocksDB OPTIONS-file format that holds only the\n"
    "options you change, each under its own section; leave out the sections you do not touch.\n"
    "The block below shows the format only, not advice:\n"
    "\n"
    "```ini\n"
    "[DBOptions]\n"
    "max_background_jobs=4\n"
    "\n"
    "[CFOptions \"default\"]\n"
    "write_buffer_size=134217728\n"
    "\n"
    "[TableOptions/BlockBasedTable \"default\"]\n"
    "block_size=16384\n"
    "```\n"
    "\n"
    "Do not write any other code block, and do not repeat options you leave unchanged.\n";

const char elmo_prompt_tpl_rule_pins[] =
    "- The user pinned these options; they are locked as well: ${v}.\n";

const char elmo_prompt_tpl_rule_memory[] =
    "- Everything must fit in a memory limit of ${v}: block cache, memtables (write_buffer_size x\n"
    "  max_write_buffer_number per column family), table readers, index and filter blocks\n"
    "  together. A change that breaks the limit is rejected.\n";

const char elmo_prompt_tpl_rule_no_memory[] =
    "- Keep memory use in proportion to the machine.\n";

const char elmo_prompt_tpl_rule_realtime[] =
    "- The database is live: only runtime-mutable options (applied with SetOptions or\n"
    "  SetDBOptions) may change now. An option that needs a reopen is rejected.\n";

const char elmo_prompt_tpl_rule_chunk[] =
    "- Each request covers one chunk of the options: change only options listed in it.\n";

/* ---- user message: the machine, the workload, the goal --------------------------------------- */

const char elmo_prompt_tpl_h_system[] = "## System\n";
const char elmo_prompt_tpl_fact_cpus[] = "- CPUs: ${v}\n";
const char elmo_prompt_tpl_fact_memory[] = "- Memory limit: ${v}\n";
const char elmo_prompt_tpl_fact_storage[] = "- Storage: ${v}\n";
const char elmo_prompt_tpl_fact_throughput[] = "- Measured sequential throughput: ${v}\n";
const char elmo_prompt_tpl_fact_read[] = "read ${v} MB/s";
const char elmo_prompt_tpl_fact_write[] = "write ${v} MB/s";
const char elmo_prompt_tpl_fact_io_mode[] = "- I/O mode: ${v}\n";
const char elmo_prompt_tpl_fact_dataset[] = "- Data set size: ${v}\n";
const char elmo_prompt_tpl_fact_none[] = "(no facts about the machine were given)\n";

const char elmo_prompt_tpl_h_workload[] = "\n## Workload\n";
const char elmo_prompt_tpl_h_objective[] = "\n## Objective\n";
const char elmo_prompt_tpl_objective[] =
    "Optimise ${v}, staying within the limits above.\n";
const char elmo_prompt_tpl_default_objective[] = "throughput (operations per second)";

/* ---- user message: the option list ----------------------------------------------------------- */

const char elmo_prompt_tpl_h_options[] = "\n## Current options\n";
const char elmo_prompt_tpl_options_tune[] =
    "Values for column family \"default\"; where the current file sets nothing, the engine\n"
    "default is shown. Each line: name=value (range, whether it changes at runtime or needs a\n"
    "reopen).\n";
const char elmo_prompt_tpl_options_grouped[] =
    "Grouped by the resource each option mostly uses. Values for column family \"default\"; where\n"
    "the current file sets nothing, the engine default is shown.\n";
const char elmo_prompt_tpl_options_chunk[] =
    "Chunk ${chunk} of ${chunks}: the options this request is about. Values for column family\n"
    "\"default\"; where the current file sets nothing, the engine default is shown.\n";
const char elmo_prompt_tpl_options_realtime[] =
    "Only runtime-mutable options are listed: the database is running and cannot be reopened\n"
    "now. Values for column family \"default\".\n";
const char elmo_prompt_tpl_options_finetune[] =
    "The options changed in this iteration, with their values before the change:\n";
const char elmo_prompt_tpl_options_drop[] =
    "These changes preceded a drop in throughput (value now, and the value before):\n";
const char elmo_prompt_tpl_options_cut[] =
    "(${v} less relevant option(s) left out to fit the prompt budget.)\n";
const char elmo_prompt_tpl_options_empty[] = "(no options to list)\n";

/* Before the options of one OPTIONS-file section; ${v} is its header without brackets. */
const char elmo_prompt_tpl_section_label[] = "Section [${v}]:\n";
const char *const elmo_prompt_tpl_section_names[4] = {
    "Version", "DBOptions", "CFOptions \"default\"", "TableOptions/BlockBasedTable \"default\""};

const char elmo_prompt_tpl_group_heading[] = "\n### ${v}\n";
const char *const elmo_prompt_tpl_group_names[4] = {"CPU", "Memory", "Storage", "Advanced"};
const char elmo_prompt_tpl_use_line[] = "Utilisation: ${v}.\n";
const char elmo_prompt_tpl_use_cpu[] = "${v} CPUs";
const char elmo_prompt_tpl_use_cpu_pct[] = "last run used ${v}% of the CPU limit";
const char elmo_prompt_tpl_use_mem_limit[] = "limit ${v}";
const char elmo_prompt_tpl_use_mem_peak[] = "last run peaked at ${v}";
const char elmo_prompt_tpl_use_stall[] = "writes stalled ${v}% of the time in the last run";
const char elmo_prompt_tpl_use_wamp[] = "write amplification ${v}";

/* Parts of one option line, joined with ", " inside the parentheses. */
const char elmo_prompt_tpl_opt_human[] = " (${v})"; /* a size in human units after a value */
const char elmo_prompt_tpl_opt_mutable[] = "runtime-mutable";
const char elmo_prompt_tpl_opt_reopen[] = "needs reopen";
const char elmo_prompt_tpl_opt_range[] = "range [${min}, ${max}]";
const char elmo_prompt_tpl_opt_enum[] = "one of ${v}";
const char elmo_prompt_tpl_opt_was[] = "before: ${v}";
const char elmo_prompt_tpl_opt_was_unknown[] = "value before unknown";
const char elmo_prompt_tpl_opt_no_decrease[] = "may grow, never shrink";

/* ---- user message: what happened so far ------------------------------------------------------ */

const char elmo_prompt_tpl_h_diff[] = "\n## Changes since the previous configuration\n";
const char elmo_prompt_tpl_diff_none[] = "(no earlier configuration to compare with)\n";
const char elmo_prompt_tpl_diff_same[] = "(the configuration did not change)\n";

const char elmo_prompt_tpl_h_history[] = "\n## Results so far\n";
const char elmo_prompt_tpl_history_head[] =
    "| run | status | ops/s | p99 us | CPU % | peak memory | stall % | changes | reasoning |\n"
    "|---|---|---|---|---|---|---|---|---|\n";
const char elmo_prompt_tpl_history_none[] = "No run has finished yet.\n";
const char elmo_prompt_tpl_history_trimmed[] =
    "(${v} earlier iteration(s) omitted to fit the prompt budget.)\n";
const char elmo_prompt_tpl_history_window[] =
    "(Latest run only; ${v} earlier iteration(s) not shown.)\n";
const char elmo_prompt_tpl_history_baseline[] = "(baseline)";

const char elmo_prompt_tpl_h_rejected[] = "\n## Rejected last time\n";
const char elmo_prompt_tpl_rejected_intro[] =
    "The tuner refused these changes from your previous answer; do not propose them again as\n"
    "they were:\n";
const char elmo_prompt_tpl_rejected_item[] = "- ${key}=${value}: ${reason}\n";
const char elmo_prompt_tpl_rejected_more[] = "- (${v} more rejected changes not shown)\n";

const char elmo_prompt_tpl_h_telemetry[] = "\n## Telemetry\n";
const char elmo_prompt_tpl_telemetry_none[] = "(no telemetry was collected)\n";

/* ---- user message: the task, one per kind/strategy ------------------------------------------- */

const char elmo_prompt_tpl_h_task[] = "\n## Task\n";

const char elmo_prompt_tpl_task_full_history[] =
    "Using the options and the results of every iteration above, propose the changes most likely\n"
    "to improve ${objective} in the next run (at most ${max_changes}). Keep what helped, and undo\n"
    "or avoid what hurt.\n";

const char elmo_prompt_tpl_task_chunked[] =
    "This is chunk ${chunk} of ${chunks}. Consider only the options listed in this chunk and\n"
    "propose changes to them alone (at most ${max_changes}) that should improve ${objective}; the\n"
    "other chunks are asked about in separate requests.\n";

const char elmo_prompt_tpl_task_last_diff[] =
    "Above are the latest run and the changes that led to it. Judge whether those changes\n"
    "helped, then propose the next changes (at most ${max_changes}) to improve ${objective}.\n";

const char elmo_prompt_tpl_task_by_resource[] =
    "Compare each resource's utilisation with its limit. Find the resource that is the\n"
    "bottleneck or is left idle, and propose changes to the options of that group (at most\n"
    "${max_changes}) that put the machine to better use for ${objective}.\n";

const char elmo_prompt_tpl_task_finetune[] =
    "Refine only the options listed above, in small steps (for example at most a factor of two\n"
    "either way), so that they use the machine better for ${objective}. Do not change any other\n"
    "option.\n";

const char elmo_prompt_tpl_task_drop[] =
    "Throughput dropped after the changes listed above. For each of them decide whether to revert\n"
    "it (give its value before) or to adjust it, and change nothing else.\n";

const char elmo_prompt_tpl_task_realtime[] =
    "The workload of the running database has shifted (see Telemetry). Propose changes to\n"
    "runtime-mutable options only (at most ${max_changes}) that keep ${objective} up under the\n"
    "new pattern; they are applied without a restart.\n";
