// report_svg_test.cc — the SVG charts alone: the trial chart (elmo_report_svg_chart) read back for
// its markers, step line, pairs, legend and notes, and the progress chart (elmo_report_svg_progress).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "comma_locale.h"
#include "elmo/tuner.h"
#include "handles.h"
#include "svg_check.h"

namespace {

using elmo_test::Attr;
using elmo_test::Count;
using elmo_test::ExpectValidSvg;
using elmo_test::LegendLabels;
using elmo_test::Mark;
using elmo_test::Marks;
using elmo_test::Near;
using elmo_test::Num;
using elmo_test::PathPoints;
using elmo_test::Point;
using elmo_test::Tags;
using elmo_test::Take;

const double kNaN = std::numeric_limits<double>::quiet_NaN();

elmo_chart_trial T(int trial, elmo_record_kind kind, double value, int pair = 0, int became = 0, int best = 0,
                   int of_best = 0) {
  elmo_chart_trial t{};
  t.trial = trial, t.kind = kind, t.value = value, t.pair = pair, t.became_best = became, t.is_best = best;
  t.recheck_of_best = of_best;
  return t;
}

std::string Chart(const std::vector<elmo_chart_trial>& t, const std::vector<const char*>& notes = {},
                  const char* title = "t", const char* y_label = "ops/s", const char* best_label = nullptr) {
  elmo_trial_chart c{};
  c.title = title, c.y_label = y_label, c.best_label = best_label;
  c.trials = t.empty() ? nullptr : t.data(), c.n_trials = t.size();
  c.notes = notes.empty() ? nullptr : notes.data(), c.n_notes = notes.size();
  return Take(elmo_report_svg_chart(&c));
}

// A run as the tuner records one: a rejected tune, two accepted bests, a failed fine-tune, a close
// call with its rechecks, a failed tune, then two confirmation pairs (baseline run first).
const std::vector<elmo_chart_trial> kStory = {
    T(0, ELMO_RECORD_BASELINE, 100000, 0, 1),
    T(1, ELMO_RECORD_TUNE, 90000),
    T(2, ELMO_RECORD_TUNE, 120000, 0, 1),
    T(3, ELMO_RECORD_FINETUNE, 131000, 0, 1, 1),
    T(4, ELMO_RECORD_FINETUNE, kNaN),
    T(5, ELMO_RECORD_TUNE, 128000),
    T(6, ELMO_RECORD_RECHECK, 129000, 0, 0, 0, 1),
    T(7, ELMO_RECORD_RECHECK, 127000),
    T(8, ELMO_RECORD_TUNE, kNaN),
    T(9, ELMO_RECORD_CONFIRM_BASE, 101000, 1),
    T(10, ELMO_RECORD_CONFIRM_BEST, 130000, 1),
    T(11, ELMO_RECORD_CONFIRM_BASE, 99000, 2),
    T(12, ELMO_RECORD_CONFIRM_BEST, 133000, 2),
};

// The plot area's bottom (the x axis), from the axes' path "M<l> <top>V<bottom>H<r>".
double AxisY(const std::string& svg) {
  std::vector<std::string> axes = Tags(svg, "<path class=\"axes\"");
  EXPECT_EQ(axes.size(), 1u);
  return axes.empty() ? NAN : PathPoints(Attr(axes[0], "d"))[1].second.y;
}

const Mark* MarkOf(const std::vector<Mark>& marks, int trial) {
  std::string prefix = "trial " + std::to_string(trial) + " (";
  for (const Mark& m : marks) {
    if (m.title.rfind(prefix, 0) == 0) return &m;
  }
  return nullptr;
}

// ---- the trial chart ----------------------------------------------------------------------------

TEST(ReportSvgChart, EachOkTrialIsOnePointWithItsKindsMarker) {
  std::string svg = Chart(kStory);
  ExpectValidSvg(svg, "story");
  std::vector<Mark> marks = Marks(svg);
  std::vector<std::string> kinds;
  for (const Mark& m : marks) kinds.push_back(m.kind);
  EXPECT_EQ(kinds, (std::vector<std::string>{"baseline", "tune", "tune", "finetune", "tune", "recheck", "recheck",
                                             "confirm-base", "confirm-best", "confirm-base", "confirm-best"}));
  for (const elmo_chart_trial& t : kStory) {
    if (std::isnan(t.value)) continue;
    const Mark* m = MarkOf(marks, t.trial);
    ASSERT_NE(m, nullptr) << "trial " << t.trial;
    EXPECT_EQ(m->kind, elmo_record_kind_name(t.kind)) << m->title;
  }
  EXPECT_EQ(MarkOf(marks, 3)->title, "trial 3 (fine-tune): 131k, the best");
  EXPECT_EQ(MarkOf(marks, 2)->title, "trial 2 (tune): 120k, best so far");
  // A close call's rechecks: the best's re-measure drawn apart from the candidate's.
  EXPECT_EQ(MarkOf(marks, 6)->title, "trial 6 (recheck: the best): 129k");
  EXPECT_EQ(MarkOf(marks, 6)->cls, "recheck of-best");
  EXPECT_EQ(MarkOf(marks, 7)->title, "trial 7 (recheck: the candidate): 127k");
  EXPECT_EQ(MarkOf(marks, 7)->cls, "recheck");
  EXPECT_NE(MarkOf(marks, 6)->shape, MarkOf(marks, 7)->shape);
  // Points further right are later trials; higher values sit higher.
  for (size_t i = 1; i < marks.size(); i++) EXPECT_GT(marks[i].at.x, marks[i - 1].at.x);
  EXPECT_LT(MarkOf(marks, 3)->at.y, MarkOf(marks, 2)->at.y);
  EXPECT_GT(MarkOf(marks, 1)->at.y, MarkOf(marks, 0)->at.y);
  // The two trials without a result: red crosses on the x axis, between their neighbours.
  std::vector<std::string> failed = Tags(svg, "<path class=\"failed\"");
  ASSERT_EQ(failed.size(), 2u);
  double axis = AxisY(svg);
  for (size_t i = 0; i < failed.size(); i++) {
    auto pts = PathPoints(Attr(failed[i], "d"));
    ASSERT_EQ(pts.size(), 4u);
    Point mid{(pts[0].second.x + pts[1].second.x) / 2, (pts[0].second.y + pts[1].second.y) / 2};
    EXPECT_NEAR(mid.y, axis, 0.06);
    int trial = i == 0 ? 4 : 8;
    EXPECT_GT(mid.x, MarkOf(marks, trial - 1)->at.x);
    EXPECT_LT(mid.x, MarkOf(marks, trial + 1)->at.x);
    EXPECT_NE(failed[i].find("#d62728"), std::string::npos);
  }
  EXPECT_NE(svg.find("<title>trial 4 (fine-tune): no result</title>"), std::string::npos);
}

// No path or line goes through the points of trials that never became best: the trials are not
// one series (a recheck of the best would read as a regression).
TEST(ReportSvgChart, NoLineJoinsTheTrials) {
  std::string svg = Chart(kStory);
  std::vector<Mark> marks = Marks(svg);
  EXPECT_EQ(Count(svg, "class=\"series\""), 0u);
  std::set<int> became;
  for (const elmo_chart_trial& t : kStory) {
    if (t.became_best) became.insert(t.trial);
  }
  for (const std::string& tag : Tags(svg, "<path")) {
    for (const auto& p : PathPoints(Attr(tag, "d"))) {
      for (const elmo_chart_trial& t : kStory) {
        const Mark* m = MarkOf(marks, t.trial);
        if (m == nullptr || became.count(t.trial)) continue;
        EXPECT_FALSE(Near(p.second, m->at)) << tag << " passes through trial " << t.trial;
      }
    }
  }
  // The only lines between two points are the confirmation pairs.
  size_t joining = 0;
  for (const std::string& tag : Tags(svg, "<line")) {
    Point a{Num(Attr(tag, "x1")), Num(Attr(tag, "y1"))}, b{Num(Attr(tag, "x2")), Num(Attr(tag, "y2"))};
    int ends = 0;
    for (const Mark& m : marks) ends += Near(a, m.at) + Near(b, m.at);
    if (ends > 0) {
      EXPECT_EQ(ends, 2) << tag;
      EXPECT_NE(tag.find("class=\"pair "), std::string::npos) << tag;
      joining++;
    }
  }
  EXPECT_EQ(joining, 2u);
}

TEST(ReportSvgChart, TheStepLineTurnsAtTheAcceptedBests) {
  std::string svg = Chart(kStory, {}, "t", "ops/s", "best so far");
  std::vector<Mark> marks = Marks(svg);
  std::vector<std::string> steps = Tags(svg, "<path class=\"best-so-far\"");
  ASSERT_EQ(steps.size(), 1u);
  auto pts = PathPoints(Attr(steps[0], "d"));
  std::vector<Point> corners;
  for (size_t i = 0; i < pts.size(); i++) {
    EXPECT_NE(std::string("MHV").find(pts[i].first), std::string::npos) << "only level and upright moves";
    if (pts[i].first == 'M' || pts[i].first == 'V') corners.push_back(pts[i].second);
  }
  std::vector<int> expected = {0, 2, 3};
  ASSERT_EQ(corners.size(), expected.size()) << Attr(steps[0], "d");
  for (size_t i = 0; i < expected.size(); i++) {
    EXPECT_TRUE(Near(corners[i], MarkOf(marks, expected[i])->at)) << "corner " << i;
  }
  // Level to the search's last trial (the failed trial 8), not into the confirmation.
  const Point end = pts.back().second;
  EXPECT_EQ(pts.back().first, 'H');
  EXPECT_GT(end.x, MarkOf(marks, 7)->at.x);
  EXPECT_LT(end.x, MarkOf(marks, 9)->at.x);
  EXPECT_NEAR(end.y, MarkOf(marks, 3)->at.y, 0.06);
  // The last best is ringed and labelled; the search and the confirmation are divided.
  EXPECT_EQ(Count(svg, "class=\"best\""), 1u);
  EXPECT_NE(svg.find(">best: 131k</text>"), std::string::npos);
  std::vector<std::string> divider = Tags(svg, "<path class=\"divider\"");
  ASSERT_EQ(divider.size(), 1u);
  double x = PathPoints(Attr(divider[0], "d"))[0].second.x;
  EXPECT_GT(x, MarkOf(marks, 7)->at.x);
  EXPECT_LT(x, MarkOf(marks, 9)->at.x);
}

TEST(ReportSvgChart, ConfirmationPairsJoinTheBaselineRunToTheBestRun) {
  struct Case {
    const char* name;
    std::vector<elmo_chart_trial> trials;
    std::vector<std::pair<int, int>> joined;  // (baseline run, best run)
    const char* family;
  } cases[] = {
      {"story", kStory, {{9, 10}, {11, 12}}, "confirm"},
      {"a failed best run leaves its baseline run alone",
       {T(0, ELMO_RECORD_BASELINE, 10, 0, 1), T(1, ELMO_RECORD_TUNE, 20, 0, 1, 1),
        T(2, ELMO_RECORD_CONFIRM_BASE, 11, 1),
        T(3, ELMO_RECORD_CONFIRM_BEST, kNaN, 1), T(4, ELMO_RECORD_CONFIRM_BASE, 9, 2),
        T(5, ELMO_RECORD_CONFIRM_BEST, 19, 2)},
       {{4, 5}},
       "confirm"},
      {"a repeated pair number pairs in order",
       {T(0, ELMO_RECORD_CONFIRM_BEST, 20, 2), T(1, ELMO_RECORD_CONFIRM_BASE, 10, 2),
        T(2, ELMO_RECORD_CONFIRM_BEST, 21, 2), T(3, ELMO_RECORD_CONFIRM_BASE, 11, 2)},
       {{1, 0}, {3, 2}},
       "confirm"},
      {"replay pairs", {T(0, ELMO_RECORD_REPLAY_BASE, 5, 1), T(1, ELMO_RECORD_REPLAY_BEST, 7, 1)}, {{0, 1}}, "replay"},
      {"migration pairs",
       {T(0, ELMO_RECORD_MIGRATE_BASE, 5, 1), T(1, ELMO_RECORD_MIGRATE_BEST, 7, 1),
        T(2, ELMO_RECORD_REPLAY_BEST, 7, 1)},
       {{0, 1}},
       "migrate"},
      {"no pair numbers, no pairs", {T(0, ELMO_RECORD_CONFIRM_BASE, 5), T(1, ELMO_RECORD_CONFIRM_BEST, 7)}, {}, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string svg = Chart(c.trials);
    ExpectValidSvg(svg, c.name);
    std::vector<Mark> marks = Marks(svg);
    std::vector<std::string> lines = Tags(svg, "<line class=\"pair");
    ASSERT_EQ(lines.size(), c.joined.size());
    for (size_t i = 0; i < lines.size(); i++) {
      EXPECT_EQ(Attr(lines[i], "class"), std::string("pair ") + c.family);
      Point a{Num(Attr(lines[i], "x1")), Num(Attr(lines[i], "y1"))};
      Point b{Num(Attr(lines[i], "x2")), Num(Attr(lines[i], "y2"))};
      EXPECT_TRUE(Near(a, MarkOf(marks, c.joined[i].first)->at)) << lines[i];
      EXPECT_TRUE(Near(b, MarkOf(marks, c.joined[i].second)->at)) << lines[i];
    }
  }
}

TEST(ReportSvgChart, EachKindHasItsOwnMarkerAndLegendEntry) {
  std::vector<elmo_chart_trial> t;
  const elmo_record_kind kinds[] = {ELMO_RECORD_BASELINE,     ELMO_RECORD_TUNE,         ELMO_RECORD_FINETUNE,
                                    ELMO_RECORD_CONFIRM_BEST, ELMO_RECORD_CONFIRM_BASE, ELMO_RECORD_RECHECK,
                                    ELMO_RECORD_REPLAY_BEST,  ELMO_RECORD_REPLAY_BASE,  ELMO_RECORD_MIGRATE_BEST,
                                    ELMO_RECORD_MIGRATE_BASE};
  for (elmo_record_kind k : kinds) {
    t.push_back(T((int)t.size(), k, 100.0 + (double)t.size(), 0, k == ELMO_RECORD_BASELINE));
  }
  t.push_back(T((int)t.size(), ELMO_RECORD_RECHECK, 90, 0, 0, 0, 1));
  t.push_back(T((int)t.size(), ELMO_RECORD_TUNE, kNaN));
  std::string svg = Chart(t, {}, "t", "ops/s", "best so far (objective)");
  ExpectValidSvg(svg, "every kind");
  std::vector<Mark> marks = Marks(svg);
  ASSERT_EQ(marks.size(), 11u);
  std::set<std::string> shapes;
  for (const Mark& m : marks) shapes.insert(m.shape);
  EXPECT_EQ(shapes.size(), 11u) << "a shape, colour or fill of its own for each kind";
  // The legend shows each kind's marker as drawn, in the story's order.
  EXPECT_EQ(LegendLabels(svg),
            (std::vector<std::string>{"baseline", "tune", "fine-tune", "recheck: the candidate", "recheck: the best",
                                      "confirmation: best", "confirmation: baseline", "replay: best",
                                      "replay: baseline", "migration: best", "migration: baseline",
                                      "best so far (objective)", "failed / aborted"}));
  for (const Mark& m : marks) {
    std::string entry = "<g class=\"legend-entry " + m.cls + "\"";
    size_t p = svg.find(entry);
    ASSERT_NE(p, std::string::npos) << m.kind;
    EXPECT_EQ(svg.compare(svg.find('>', p) + 1, m.shape.size(), m.shape), 0) << m.kind;
  }
  // Only what appears is in the legend.
  EXPECT_EQ(LegendLabels(Chart({T(0, ELMO_RECORD_TUNE, 5)})), std::vector<std::string>{"tune"});
}

TEST(ReportSvgChart, NotesGoUnderTheTitleEscaped) {
  std::string plain = Chart(kStory);
  std::string svg = Chart(kStory, {"confirmation (objective: throughput): +29.5% [+25.0%, +34.0%] over 2 pairs, a gain",
                                   "replay <trace> & co"});
  ExpectValidSvg(svg, "notes");
  std::vector<std::string> notes = Tags(svg, "<text class=\"note\"");
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_NE(svg.find(">confirmation (objective: throughput): +29.5% [+25.0%, +34.0%] over 2 pairs, a gain</text>"),
            std::string::npos);
  EXPECT_NE(svg.find(">replay &lt;trace&gt; &amp; co</text>"), std::string::npos);
  // The plot moves down to make room, and the notes sit above it.
  auto top = [](const std::string& s) { return PathPoints(Attr(Tags(s, "<path class=\"axes\"")[0], "d"))[0].second.y; };
  EXPECT_GT(top(svg), top(plain));
  for (const std::string& n : notes) EXPECT_LT(Num(Attr(n, "y")), top(svg));
  std::vector<const char*> many(9, "x");
  EXPECT_EQ(Count(Chart(kStory, many), "class=\"note\""), 6u);
}

TEST(ReportSvgChart, EdgeCasesGiveValidCharts) {
  const double kInf = std::numeric_limits<double>::infinity();
  struct Case {
    const char* name;
    std::vector<double> values;
    std::vector<int> best;  // is_best (and became_best) per value; empty: none
    size_t marks, failed, ringed;
  } cases[] = {
      {"n=0", {}, {}, 0, 0, 0},
      {"n=1", {1234.0}, {1}, 1, 0, 1},
      {"n=1 NaN", {kNaN}, {1}, 0, 1, 0},
      {"all NaN", {kNaN, kNaN, kNaN}, {}, 0, 3, 0},
      {"all equal", {5.0, 5.0, 5.0, 5.0}, {0, 0, 1, 0}, 4, 0, 1},
      {"all zero", {0.0, 0.0}, {}, 2, 0, 0},
      {"unbounded values are failures", {1.0, kInf, 3.0, -kInf}, {}, 2, 2, 0},
      {"negative", {-20.0, 10.0, -5.0}, {}, 3, 0, 0},
      {"huge", {1e12, 3e12, 2.5e12}, {0, 1, 0}, 3, 0, 1},
      {"tiny", {1e-9, 2e-9}, {}, 2, 0, 0},
      {"gap in the middle", {100.0, kNaN, 300.0, 250.0}, {0, 0, 1, 0}, 3, 1, 1},
  };
  for (const Case& c : cases) {
    std::vector<elmo_chart_trial> t;
    for (size_t i = 0; i < c.values.size(); i++) {
      int b = c.best.empty() ? 0 : c.best[i];
      t.push_back(T((int)i, i == 0 ? ELMO_RECORD_BASELINE : ELMO_RECORD_TUNE, c.values[i], 0, b, b));
    }
    std::string svg = Chart(t, {}, c.name);
    ExpectValidSvg(svg, c.name);
    EXPECT_EQ(Marks(svg).size(), c.marks) << c.name;
    EXPECT_EQ(Count(svg, "class=\"failed\""), c.failed) << c.name;
    EXPECT_EQ(Count(svg, "class=\"best\""), c.ringed) << c.name;
    EXPECT_EQ(Count(svg, ">best: "), c.ringed) << c.name;
    EXPECT_EQ(Count(svg, "class=\"best-so-far\""), c.ringed) << c.name;
    if (c.marks == 0) {
      EXPECT_NE(svg.find(c.values.empty() ? ">no trials<" : ">no successful trial<"), std::string::npos);
    }
  }
  EXPECT_EQ(elmo_report_svg_chart(nullptr), nullptr);
  elmo_trial_chart empty{};  // every pointer NULL
  ExpectValidSvg(Take(elmo_report_svg_chart(&empty)), "all NULL");
}

std::vector<std::string> YTicks(const std::string& svg) {
  size_t a = svg.find("class=\"y-axis\""), b = svg.find("</g>", a);
  std::string axis = svg.substr(a, b - a);
  std::vector<std::string> got;
  for (size_t p = axis.find("<text"); p != std::string::npos; p = axis.find("<text", p + 1)) {
    size_t s = axis.find('>', p) + 1;
    got.push_back(axis.substr(s, axis.find('<', s) - s));
  }
  return got;
}

// The y axis starts at 0 (a gain of 5% looks like 5%), in nice steps with a suffix.
TEST(ReportSvgChart, NiceTicksFromZeroWithSuffixes) {
  struct Case {
    std::vector<double> values;
    std::vector<std::string> ticks;  // every y tick label, bottom up
  } cases[] = {
      {{100000, 130000, 90000}, {"0", "50k", "100k", "150k"}},
      {{1.2e6, 2.4e6}, {"0", "0.5M", "1.0M", "1.5M", "2.0M", "2.5M"}},
      {{7, 9}, {"0", "2", "4", "6", "8", "10"}},
      {{0.3}, {"0", "0.1", "0.2", "0.3"}},
      {{kNaN}, {"0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
      {{-20, 10}, {"-20", "-10", "0", "10"}},
  };
  for (const Case& c : cases) {
    std::vector<elmo_chart_trial> t;
    for (double v : c.values) t.push_back(T((int)t.size(), ELMO_RECORD_TUNE, v));
    std::vector<std::string> got = YTicks(Chart(t));
    EXPECT_EQ(got, c.ticks) << "first value " << c.values[0];
  }
}

TEST(ReportSvgChart, EscapesTextAndIsDeterministic) {
  std::vector<elmo_chart_trial> t = {T(0, ELMO_RECORD_BASELINE, 10, 0, 1), T(1, ELMO_RECORD_TUNE, 20, 0, 1, 1),
                                     T(2, ELMO_RECORD_TUNE, kNaN), T(3, ELMO_RECORD_TUNE, 15)};
  std::string a = Chart(t, {"n<1>"}, "a<b & \"c\" 'd'", "p99 <\xC2\xB5s>", "best & so <far>");
  std::string b = Chart(t, {"n<1>"}, "a<b & \"c\" 'd'", "p99 <\xC2\xB5s>", "best & so <far>");
  ExpectValidSvg(a, "escaping");
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("<title>a&lt;b &amp; &quot;c&quot; &apos;d&apos;</title>"), std::string::npos) << a;
  EXPECT_NE(a.find(">p99 &lt;\xC2\xB5s&gt;</text>"), std::string::npos);
  EXPECT_NE(a.find(">best &amp; so &lt;far&gt;</text>"), std::string::npos);
  EXPECT_NE(a.find(">n&lt;1&gt;</text>"), std::string::npos);
  EXPECT_EQ(a.find("a<b"), std::string::npos);
  EXPECT_NE(a.find(">best: 20.0</text>"), std::string::npos) << a;
}

TEST(ReportSvgChart, ManyTrialsThinTheXLabelsToRoundNumbers) {
  std::vector<elmo_chart_trial> t;
  for (int i = 0; i < 100; i++) t.push_back(T(i, ELMO_RECORD_TUNE, 1000.0 + (double)(i % 7) * 10.0));
  std::string svg = Chart(t);
  ExpectValidSvg(svg, "many");
  size_t a = svg.find("class=\"x-axis\""), b = svg.find("</g>", a);
  std::string axis = svg.substr(a, b - a);
  EXPECT_GE(Count(axis, "<text"), 10u);
  EXPECT_LE(Count(axis, "<text"), 15u);
  EXPECT_NE(axis.find(">10</text>"), std::string::npos);
  EXPECT_EQ(axis.find(">7</text>"), std::string::npos);
}

// ---- the progress chart -------------------------------------------------------------------------

struct Dot {
  std::string series;
  int trial;
  Point at;
};

// The improvement dots: <circle class="improvement" cx cy ...><title>NAME, trial J: V</title>.
std::vector<Dot> Dots(const std::string& svg) {
  std::vector<Dot> out;
  const std::string open = "<circle class=\"improvement\"";
  for (size_t p = svg.find(open); p != std::string::npos; p = svg.find(open, p + 1)) {
    std::string tag = svg.substr(p, svg.find('>', p) - p + 1);
    size_t t0 = svg.find("<title>", p) + 7, t1 = svg.find("</title>", t0);
    std::string title = svg.substr(t0, t1 - t0);
    size_t comma = title.rfind(", trial ");
    Point at{Num(Attr(tag, "cx")), Num(Attr(tag, "cy"))};
    out.push_back({title.substr(0, comma), std::stoi(title.substr(comma + 8)), at});
  }
  return out;
}

TEST(ReportSvgProgress, EachSeriesIsAStepLineOfItsOwnColour) {
  const double a[] = {100, 100, 120, 120, 150};
  const double b[] = {kNaN, 90, 90, 140};
  const double c[] = {80};
  const double* series[] = {a, b, c};
  const size_t lengths[] = {5, 4, 1};
  const char* names[] = {"ELMo", "defaults <x>", nullptr};
  std::string svg = Take(elmo_report_svg_progress("Best so far", "ops/s", series, lengths, names, 3));
  ExpectValidSvg(svg, "progress");
  std::vector<std::string> paths = Tags(svg, "<path class=\"progress\"");
  ASSERT_EQ(paths.size(), 3u);
  std::set<std::string> colours;
  for (const std::string& p : paths) colours.insert(Attr(p, "stroke"));
  EXPECT_EQ(colours.size(), 3u);
  EXPECT_EQ(LegendLabels(svg), (std::vector<std::string>{"ELMo", "defaults &lt;x&gt;", "series 2"}));
  // A dot where each series reached a new value, and the step line turns exactly there.
  std::vector<Dot> dots = Dots(svg);
  std::vector<std::pair<std::string, int>> where;
  for (const Dot& d : dots) where.push_back({d.series, d.trial});
  EXPECT_EQ(where, (std::vector<std::pair<std::string, int>>{
                       {"ELMo", 0},
                       {"ELMo", 2},
                       {"ELMo", 4},
                       {"defaults &lt;x&gt;", 1},
                       {"defaults &lt;x&gt;", 3},
                       {"series 2", 0}}));
  size_t next = 0;
  for (const std::string& p : paths) {
    for (const auto& pt : PathPoints(Attr(p, "d"))) {
      if (pt.first == 'H') continue;
      ASSERT_LT(next, dots.size());
      EXPECT_TRUE(Near(pt.second, dots[next++].at)) << Attr(p, "d");
    }
  }
  EXPECT_EQ(next, dots.size());
  // One x scale for all: trial 0 of ELMo and of series 2 line up; higher is higher.
  EXPECT_NEAR(dots[0].at.x, dots[5].at.x, 0.06);
  EXPECT_LT(dots[2].at.y, dots[1].at.y);
  // A series ends where its trials end: ELMo's line reaches trial 4, the others' do not.
  EXPECT_GT(PathPoints(Attr(paths[0], "d")).back().second.x, PathPoints(Attr(paths[1], "d")).back().second.x);
}

TEST(ReportSvgProgress, EdgeCasesGiveValidCharts) {
  ExpectValidSvg(Take(elmo_report_svg_progress(nullptr, nullptr, nullptr, nullptr, nullptr, 0)), "nothing");
  std::string none = Take(elmo_report_svg_progress("t", "y", nullptr, nullptr, nullptr, 0));
  EXPECT_NE(none.find(">no data<"), std::string::npos);
  const double nan2[] = {kNaN, kNaN};
  const double gap[] = {1, 2, kNaN, kNaN, 3};
  const double* series[] = {nullptr, nan2, gap};
  const size_t lengths[] = {4, 2, 5};
  std::string svg = Take(elmo_report_svg_progress("t", "y", series, lengths, nullptr, 3));
  ExpectValidSvg(svg, "NULL, all-NaN and gapped series");
  std::vector<std::string> paths = Tags(svg, "<path class=\"progress\"");
  ASSERT_EQ(paths.size(), 1u) << "only the series with values are drawn";
  EXPECT_EQ(Count(Attr(paths[0], "d"), "M"), 2u) << "a NaN lifts the pen";
  EXPECT_EQ(LegendLabels(svg).size(), 3u);
  // Beyond ten series the colours repeat with a dash pattern of their own.
  std::vector<std::vector<double>> many(12, std::vector<double>{1, 2});
  std::vector<const double*> ptrs;
  std::vector<size_t> lens;
  for (auto& v : many) ptrs.push_back(v.data()), lens.push_back(v.size());
  svg = Take(elmo_report_svg_progress("t", "y", ptrs.data(), lens.data(), nullptr, ptrs.size()));
  ExpectValidSvg(svg, "12 series");
  paths = Tags(svg, "<path class=\"progress\"");
  ASSERT_EQ(paths.size(), 12u);
  std::set<std::string> styles;
  for (const std::string& p : paths) styles.insert(Attr(p, "stroke") + "/" + Attr(p, "stroke-dasharray"));
  EXPECT_EQ(styles.size(), 12u);
  EXPECT_EQ(Attr(paths[0], "stroke"), Attr(paths[10], "stroke"));
}

// ---- numbers ------------------------------------------------------------------------------------

// A host that called setlocale(LC_ALL, "") under a decimal-comma locale gets the very same charts.
TEST(ReportSvgLocale, ChartsAreTheSameUnderADecimalCommaLocale) {
  const double a[] = {1.5, 2.25, 2.25, 3.125};
  const double* series[] = {a};
  const size_t lengths[] = {4};
  std::vector<elmo_chart_trial> small = {T(0, ELMO_RECORD_BASELINE, 0.5, 0, 1), T(1, ELMO_RECORD_TUNE, 0.75, 0, 1, 1),
                                         T(2, ELMO_RECORD_CONFIRM_BASE, 0.55, 1),
                                         T(3, ELMO_RECORD_CONFIRM_BEST, 0.7, 1)};
  std::vector<std::string> in_c = {Chart(kStory, {"+12.5%"}), Chart(small),
                                   Take(elmo_report_svg_progress("p", "y", series, lengths, nullptr, 1))};
  std::vector<std::string> in_comma;
  {
    ELMO_IN_COMMA_LOCALE(loc);
    in_comma = {Chart(kStory, {"+12.5%"}), Chart(small),
                Take(elmo_report_svg_progress("p", "y", series, lengths, nullptr, 1))};
  }
  const std::regex comma_number("[0-9],[0-9]");
  for (size_t i = 0; i < in_c.size(); i++) {
    EXPECT_EQ(in_comma[i], in_c[i]) << "chart " << i;
    EXPECT_FALSE(std::regex_search(in_comma[i], comma_number)) << in_comma[i];
    EXPECT_NE(in_comma[i].find(".5"), std::string::npos);
  }
  EXPECT_NE(in_comma[1].find(">best: 0.75</text>"), std::string::npos);
}

}  // namespace
