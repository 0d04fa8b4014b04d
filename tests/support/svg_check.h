// svg_check.h — reading back the report's SVG charts in tests: well-formedness, the trial markers
// with their positions, path vertices, attributes. Numbers are read in the classic locale.
#ifndef ELMO_TESTS_SVG_CHECK_H
#define ELMO_TESTS_SVG_CHECK_H

#include <gtest/gtest.h>

#include <cmath>
#include <locale>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace elmo_test {

inline size_t Count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) n++;
  return n;
}

// Checks that every element is closed in order, attributes are quoted and no raw '&' appears
// outside an entity. Returns "" when well formed, else what is wrong.
inline std::string XmlProblem(const std::string& x) {
  std::vector<std::string> stack;
  for (size_t i = 0; i < x.size(); i++) {
    if (x[i] == '&') {
      size_t semi = x.find(';', i);
      if (semi == std::string::npos || semi - i > 8) return "raw & at " + std::to_string(i);
      continue;
    }
    if (x[i] != '<') continue;
    size_t end = i + 1;
    for (bool quoted = false; end < x.size() && (quoted || x[end] != '>'); end++) {
      if (x[end] == '"') quoted = !quoted;
      if (!quoted && x[end] == '<') return "'<' inside a tag at " + std::to_string(end);
    }
    if (end >= x.size()) return "unterminated tag at " + std::to_string(i);
    std::string tag = x.substr(i + 1, end - i - 1);
    std::string name = tag.substr(tag[0] == '/' ? 1 : 0, tag.find_first_of(" />", 1) - (tag[0] == '/'));
    if (tag[0] == '/') {
      if (stack.empty() || stack.back() != name) return "mismatched </" + name + ">";
      stack.pop_back();
    } else if (tag.back() != '/') {
      stack.push_back(name);
    }
    i = end;
  }
  return stack.empty() ? "" : "unclosed <" + stack.back() + ">";
}

// A number written with '.', read whatever the process locale.
inline double Num(const std::string& s) {
  std::istringstream in(s);
  in.imbue(std::locale::classic());
  double v = NAN;
  in >> v;
  return v;
}

// The start tags (up to and including '>') that begin with prefix, e.g. "<line class=\"pair".
inline std::vector<std::string> Tags(const std::string& svg, const std::string& prefix) {
  std::vector<std::string> out;
  for (size_t p = svg.find(prefix); p != std::string::npos; p = svg.find(prefix, p + 1)) {
    out.push_back(svg.substr(p, svg.find('>', p) - p + 1));
  }
  return out;
}

// The value of attribute name in tag, or "" when it has none.
inline std::string Attr(const std::string& tag, const std::string& name) {
  std::string key = " " + name + "=\"";
  size_t p = tag.find(key);
  if (p == std::string::npos) return "";
  p += key.size();
  return tag.substr(p, tag.find('"', p) - p);
}

struct Point {
  double x, y;
};

inline bool Near(Point a, Point b) { return std::fabs(a.x - b.x) < 0.06 && std::fabs(a.y - b.y) < 0.06; }

// The points an SVG path's M, L, H and V commands move to, with each command's letter.
inline std::vector<std::pair<char, Point>> PathPoints(const std::string& d) {
  std::istringstream in(d);
  in.imbue(std::locale::classic());
  std::vector<std::pair<char, Point>> out;
  Point at{0, 0};
  char c;
  while (in >> c) {
    if (c == 'M' || c == 'L') in >> at.x >> at.y;
    else if (c == 'H') in >> at.x;
    else if (c == 'V') in >> at.y;
    else continue;  // Z
    out.push_back({c, at});
  }
  return out;
}

// A trial's marker: <g class="mark KIND[ MORE]" transform="translate(X Y)"><title>TITLE</title>SHAPE</g>.
struct Mark {
  std::string kind, cls, title, shape;  // kind: the record kind's name; cls: "KIND[ MORE]"
  Point at;
};

inline std::vector<Mark> Marks(const std::string& svg) {
  std::vector<Mark> out;
  const std::string open = "<g class=\"mark ";
  for (size_t p = svg.find(open); p != std::string::npos; p = svg.find(open, p + 1)) {
    size_t k = p + open.size(), tr = svg.find("translate(", p) + 10, sp = svg.find(' ', tr);
    size_t t0 = svg.find("<title>", p) + 7, t1 = svg.find("</title>", t0), end = svg.find("</g>", t1);
    Mark m;
    m.cls = svg.substr(k, svg.find('"', k) - k);
    m.kind = m.cls.substr(0, m.cls.find(' '));
    m.at = {Num(svg.substr(tr, sp - tr)), Num(svg.substr(sp + 1, svg.find(')', sp) - sp - 1))};
    m.title = svg.substr(t0, t1 - t0);
    m.shape = svg.substr(t1 + 8, end - t1 - 8);
    out.push_back(m);
  }
  return out;
}

// The texts of the legend's entries, top down.
inline std::vector<std::string> LegendLabels(const std::string& svg) {
  std::vector<std::string> out;
  const std::string open = "<g class=\"legend-entry";
  for (size_t p = svg.find(open); p != std::string::npos; p = svg.find(open, p + 1)) {
    size_t t = svg.find("<text", p), s = svg.find('>', t) + 1;
    out.push_back(svg.substr(s, svg.find("</text>", s) - s));
  }
  return out;
}

inline void ExpectValidSvg(const std::string& svg, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_GE(svg.size(), 10u) << svg;
  EXPECT_EQ(svg.rfind("<svg", 0), 0u) << svg.substr(0, 80);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_EQ(Count(svg, "nan"), 0u) << "a non-finite coordinate";
  EXPECT_EQ(Count(svg, "inf"), 0u) << "a non-finite coordinate";
  EXPECT_EQ(Count(svg, "http://"), 1u) << "only the SVG namespace; nothing external";
  EXPECT_EQ(Count(svg, "<script"), 0u);
  EXPECT_EQ(Count(svg, "<polyline"), 0u);
}

}  // namespace elmo_test

#endif  // ELMO_TESTS_SVG_CHECK_H
