// trace_test.cc — the RocksDB query-trace reader (format 0.2) and the bounded-memory
// characterizer: traces built byte by byte, truncation at every byte, corrupt records, bad
// headers, exact QPS windows and histograms, and sketch guarantees on a skewed stream.
#include "elmo/trace.h"

#include <cjson/cJSON.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "trace_builder.h"
#include "file_text.h"
#include "handles.h"

namespace {

using elmo_test::WriteFile;

// ---- an encoder for test traces -----------------------------------------------------------

// The byte encoders are shared with the model tests (tests/support/trace_builder.h); the Batch
// and TraceBuilder below also record the ops each record should decode to.
using elmo_test::Bits;
using elmo_test::PutFixed32;
using elmo_test::PutFixed64;
using elmo_test::PutSlice;
using elmo_test::PutVarint32;

// What the reader should hand out.
struct Expect {
  elmo_trace_kind kind;
  uint64_t ts;
  uint32_t cf;
  std::string key, value, end_key;
  uint64_t offset;
  uint32_t index, n;
  bool has_lower = false, has_upper = false;
  std::string lower{}, upper{};
};

// A WriteBatch rep: 12-byte header, then tagged entries.
class Batch {
 public:
  Batch& Put(const std::string& k, const std::string& v, uint32_t cf = 0) {
    return KeyValue(cf ? 0x05 : 0x01, cf, k, v, ELMO_TRACE_PUT);
  }
  Batch& Merge(const std::string& k, const std::string& v, uint32_t cf = 0) {
    return KeyValue(cf ? 0x06 : 0x02, cf, k, v, ELMO_TRACE_MERGE);
  }
  Batch& DeleteRange(const std::string& b, const std::string& e, uint32_t cf = 0) {
    return KeyValue(cf ? 0x0E : 0x0F, cf, b, e, ELMO_TRACE_DELETE_RANGE);
  }
  Batch& Delete(const std::string& k, uint32_t cf = 0) {
    return KeyOnly(cf ? 0x04 : 0x00, cf, k, ELMO_TRACE_DELETE);
  }
  Batch& SingleDelete(const std::string& k, uint32_t cf = 0) {
    return KeyOnly(cf ? 0x08 : 0x07, cf, k, ELMO_TRACE_SINGLE_DELETE);
  }
  Batch& Raw(const std::string& bytes) {  // markers and broken entries: no op expected
    body_ += bytes;
    return *this;
  }
  std::string Rep(int count_adjust = 0) const {
    std::string rep;
    PutFixed64(&rep, 77);  // sequence
    PutFixed32(&rep, static_cast<uint32_t>(static_cast<int>(ops_.size()) + count_adjust));
    return rep + body_;
  }
  const std::vector<Expect>& ops() const { return ops_; }

 private:
  Batch& Tag(int tag, uint32_t cf) {
    body_.push_back(static_cast<char>(tag));
    if (cf) PutVarint32(&body_, cf);
    return *this;
  }
  Batch& KeyValue(int tag, uint32_t cf, const std::string& k, const std::string& v,
                  elmo_trace_kind kind) {
    Tag(tag, cf);
    PutSlice(&body_, k);
    PutSlice(&body_, v);
    Expect e{kind, 0, cf, k, "", "", 0, 0, 0};
    (kind == ELMO_TRACE_DELETE_RANGE ? e.end_key : e.value) = v;
    ops_.push_back(e);
    return *this;
  }
  Batch& KeyOnly(int tag, uint32_t cf, const std::string& k, elmo_trace_kind kind) {
    Tag(tag, cf);
    PutSlice(&body_, k);
    ops_.push_back(Expect{kind, 0, cf, k, "", "", 0, 0, 0});
    return *this;
  }
  std::string body_;
  std::vector<Expect> ops_;
};

class TraceBuilder {
 public:
  std::string bytes;
  std::vector<Expect> ops;
  std::set<size_t> boundaries;  // offsets where a record ends

  TraceBuilder& Begin(const std::string& version = "0.2", uint64_t ts = 1000) {
    return Record(ts, 1,
                  "feedcafedeadbeef\tTrace Version: " + version +
                      "\tRocksDB Version: 7.8\tFormat: Timestamp OpType Payload\n");
  }
  TraceBuilder& End(uint64_t ts) { return Record(ts, 2, ""); }
  TraceBuilder& Get(uint64_t ts, uint32_t cf, const std::string& key) {
    std::string p;
    PutFixed64(&p, Bits({2, 3}));
    PutFixed32(&p, cf);
    PutSlice(&p, key);
    ops.push_back(Expect{ELMO_TRACE_GET, ts, cf, key, "", "", bytes.size(), 0, 1});
    return Record(ts, 4, p);
  }
  TraceBuilder& Seek(uint64_t ts, bool for_prev, uint32_t cf, const std::string& key,
                     const std::string* lower, const std::string* upper) {
    std::string p;
    PutFixed64(&p, Bits({4, 5}) | (lower ? Bits({6}) : 0) | (upper ? Bits({7}) : 0));
    PutFixed32(&p, cf);
    PutSlice(&p, key);
    if (lower) PutSlice(&p, *lower);
    if (upper) PutSlice(&p, *upper);
    Expect e{for_prev ? ELMO_TRACE_SEEK_FOR_PREV : ELMO_TRACE_SEEK,
             ts,
             cf,
             key,
             "",
             "",
             bytes.size(),
             0,
             1};
    e.has_lower = lower != nullptr, e.has_upper = upper != nullptr;
    if (lower) e.lower = *lower;
    if (upper) e.upper = *upper;
    ops.push_back(e);
    return Record(ts, for_prev ? 6 : 5, p);
  }
  TraceBuilder& MultiGet(uint64_t ts, const std::vector<std::pair<uint32_t, std::string>>& keys) {
    std::string p, cfs, ks;
    for (size_t i = 0; i < keys.size(); i++) {
      PutFixed32(&cfs, keys[i].first);
      PutSlice(&ks, keys[i].second);
      ops.push_back(Expect{ELMO_TRACE_MULTIGET, ts, keys[i].first, keys[i].second, "", "",
                           bytes.size(), static_cast<uint32_t>(i),
                           static_cast<uint32_t>(keys.size())});
    }
    PutFixed64(&p, Bits({8, 9, 10}));
    PutFixed32(&p, static_cast<uint32_t>(keys.size()));
    PutSlice(&p, cfs);
    PutSlice(&p, ks);
    return Record(ts, 13, p);
  }
  TraceBuilder& Write(uint64_t ts, const Batch& b) {
    std::string p;
    PutFixed64(&p, Bits({1}));
    PutSlice(&p, b.Rep());
    for (size_t i = 0; i < b.ops().size(); i++) {
      Expect e = b.ops()[i];
      e.ts = ts, e.offset = bytes.size();
      e.index = static_cast<uint32_t>(i), e.n = static_cast<uint32_t>(b.ops().size());
      ops.push_back(e);
    }
    return Record(ts, 3, p);
  }
  TraceBuilder& Record(uint64_t ts, int type, const std::string& payload) {
    PutFixed64(&bytes, ts);
    bytes.push_back(static_cast<char>(type));
    PutFixed32(&bytes, static_cast<uint32_t>(payload.size()));
    bytes += payload;
    boundaries.insert(bytes.size());
    return *this;
  }
};

// The trace every reader test starts from: every kind, column families, markers, bounds.
TraceBuilder FullTrace() {
  std::string lo = "a", hi = "zz";
  std::string marker;
  marker.push_back(0x0D);  // Noop
  marker.push_back(0x03);  // LogData blob
  PutSlice(&marker, "blob!");
  TraceBuilder t;
  t.Begin()
      .Get(2000, 0, "key1")
      .Write(2100, Batch()
                       .Put("p1", "value-1")
                       .Raw(marker)
                       .Put("p2", std::string(300, 'v'), 3)
                       .Delete("d1")
                       .Delete("d2", 2)
                       .SingleDelete("s1")
                       .SingleDelete("s2", 4)
                       .DeleteRange("r1", "r9")
                       .DeleteRange("q1", "q9", 5)
                       .Merge("m1", "+1")
                       .Merge("m2", "+22", 6))
      .Seek(2200, false, 1, "seek", &lo, &hi)
      .Seek(2300, true, 0, "prev", nullptr, nullptr)
      .Record(2350, 99, "whatever the future holds")
      .MultiGet(2400, {{0, "mg1"}, {7, "mg2"}, {0, ""}})
      .Get(2500, 300, std::string("\0bin\xff", 5))
      .End(2600);
  return t;
}

std::string Str(const char* p, size_t n) { return p ? std::string(p, n) : std::string(); }

std::vector<elmo_trace_op> ReadAll(elmo_trace_reader* r, std::vector<std::string>* keys,
                                   elmo_rc* rc, elmo_error* err) {
  std::vector<elmo_trace_op> out;
  for (;;) {
    elmo_trace_op op;
    *rc = elmo_trace_reader_next(r, &op, err);
    if (*rc != ELMO_OK || op.kind == ELMO_TRACE_END) return out;
    out.push_back(op);
    if (keys) keys->push_back(Str(op.key, op.key_len));
  }
}

void ExpectOps(elmo_trace_reader* r, const std::vector<Expect>& want) {
  for (size_t i = 0; i < want.size(); i++) {
    SCOPED_TRACE("op " + std::to_string(i) + " key " + want[i].key);
    elmo_trace_op op;
    elmo_error err;
    ASSERT_EQ(ELMO_OK, elmo_trace_reader_next(r, &op, &err)) << err.message;
    EXPECT_EQ(want[i].kind, op.kind);
    EXPECT_EQ(want[i].ts, op.timestamp_us);
    EXPECT_EQ(want[i].cf, op.cf_id);
    EXPECT_EQ(want[i].key, Str(op.key, op.key_len));
    EXPECT_EQ(want[i].value, Str(op.value, op.value_len));
    EXPECT_EQ(want[i].value.size(), op.value_len);
    EXPECT_EQ(want[i].end_key, Str(op.end_key, op.end_key_len));
    EXPECT_EQ(want[i].offset, op.record_offset);
    EXPECT_EQ(want[i].index, op.index_in_record);
    EXPECT_EQ(want[i].n, op.ops_in_record);
    EXPECT_EQ(want[i].has_lower, op.lower_bound != nullptr);
    EXPECT_EQ(want[i].has_upper, op.upper_bound != nullptr);
    EXPECT_EQ(want[i].lower, Str(op.lower_bound, op.lower_bound_len));
    EXPECT_EQ(want[i].upper, Str(op.upper_bound, op.upper_bound_len));
  }
  elmo_trace_op op;
  for (int again = 0; again < 2; again++) {  // END, and END again
    ASSERT_EQ(ELMO_OK, elmo_trace_reader_next(r, &op, nullptr));
    EXPECT_EQ(ELMO_TRACE_END, op.kind);
  }
}

std::string WorkPath(const std::string& name) {
#ifdef ELMO_TEST_WORK
  return std::string(ELMO_TEST_WORK) + "/" + name;
#else
  return "/tmp/" + name;
#endif
}

// ---- reader ---------------------------------------------------------------------------------

TEST(TraceReader, DecodesEveryKind) {
  TraceBuilder t = FullTrace();
  elmo_trace_reader* r = nullptr;
  elmo_error err;
  ASSERT_EQ(ELMO_OK, elmo_trace_reader_open_mem(t.bytes.data(), t.bytes.size(), nullptr, &r, &err))
      << err.message;
  const elmo_trace_header* h = elmo_trace_reader_header(r);
  EXPECT_EQ(0, h->trace_major);
  EXPECT_EQ(2, h->trace_minor);
  EXPECT_EQ(7, h->db_major);
  EXPECT_EQ(8, h->db_minor);
  EXPECT_EQ(1000u, h->begin_timestamp_us);
  ASSERT_EQ(17u, t.ops.size());
  ExpectOps(r, t.ops);
  elmo_trace_counters c = elmo_trace_reader_counters(r);
  EXPECT_EQ(9u, c.records);  // Begin, Get, Write, Seek, SeekForPrev, 99, MultiGet, Get, End
  EXPECT_EQ(1u, c.unknown_records);
  EXPECT_EQ(17u, c.ops);
  EXPECT_EQ(t.bytes.size(), c.bytes_read);
  EXPECT_EQ(1, c.end_seen);
  elmo_trace_reader_destroy(r);
  elmo_trace_reader_destroy(nullptr);
}

TEST(TraceReader, FileMatchesMemoryWithSmallBuffers) {
  TraceBuilder t = FullTrace();
  std::string big(200000, 'B');         // larger than the stdio buffer
  t.bytes.resize(t.bytes.size() - 13);  // drop End (it yields no op), append more, end again
  t.Write(2700, Batch().Put("big", big)).End(2800);
  Expect last = t.ops.back();
  std::string path = WorkPath("trace_test_small_buffers.trace");
  WriteFile(path, t.bytes);
  elmo_trace_reader_config cfg = {1 << 20, 4096};
  elmo_trace_reader* r = nullptr;
  elmo_error err;
  ASSERT_EQ(ELMO_OK, elmo_trace_reader_open(path.c_str(), &cfg, &r, &err)) << err.message;
  ExpectOps(r, t.ops);
  EXPECT_EQ(t.bytes.size(), elmo_trace_reader_counters(r).bytes_read);
  elmo_trace_reader_destroy(r);
  EXPECT_EQ(big, last.value);
  std::remove(path.c_str());
}

TEST(TraceReader, MissingFileNamesThePath) {
  elmo_trace_reader* r = reinterpret_cast<elmo_trace_reader*>(1);
  elmo_error err;
  EXPECT_EQ(ELMO_EIO, elmo_trace_reader_open("/nonexistent/x.trace", nullptr, &r, &err));
  EXPECT_EQ(nullptr, r);
  EXPECT_NE(nullptr, std::strstr(err.message, "/nonexistent/x.trace")) << err.message;
  EXPECT_EQ(ELMO_EINVAL, elmo_trace_reader_open(nullptr, nullptr, &r, nullptr));
}

TEST(TraceReader, TraceWithoutEndStopsCleanly) {
  TraceBuilder t;
  t.Begin().Get(5, 0, "k");
  elmo_trace_reader* r = nullptr;
  ASSERT_EQ(ELMO_OK,
            elmo_trace_reader_open_mem(t.bytes.data(), t.bytes.size(), nullptr, &r, nullptr));
  ExpectOps(r, t.ops);
  EXPECT_EQ(0, elmo_trace_reader_counters(r).end_seen);
  elmo_trace_reader_destroy(r);
}

// Every prefix of a valid trace (a writer killed at any byte): the ops of the complete records,
// then the end; a cut inside a record is counted, not an error. Only a cut inside the Begin
// record is (it is no trace yet). Never a crash (ASan watches).
TEST(TraceReader, TruncatedAtEveryByte) {
  TraceBuilder t = FullTrace();
  size_t begin_end = *t.boundaries.begin();
  for (size_t len = 0; len < t.bytes.size(); len++) {
    SCOPED_TRACE("prefix of " + std::to_string(len) + " bytes");
    std::vector<char> copy(t.bytes.begin(), t.bytes.begin() + static_cast<long>(len));
    elmo_trace_reader* r = nullptr;
    elmo_error err;
    elmo_rc rc = elmo_trace_reader_open_mem(copy.data(), copy.size(), nullptr, &r, &err);
    if (len < begin_end) {
      EXPECT_EQ(ELMO_EPARSE, rc);
      EXPECT_NE(nullptr, std::strstr(err.message, "offset 0")) << err.message;
      continue;
    }
    ASSERT_EQ(ELMO_OK, rc) << err.message;
    std::vector<elmo_trace_op> ops = ReadAll(r, nullptr, &rc, &err);
    size_t complete = 0;  // ops of the records that end inside the prefix
    for (const Expect& e : t.ops) complete += *t.boundaries.upper_bound(e.offset) <= len;
    EXPECT_EQ(ELMO_OK, rc) << err.message;
    EXPECT_EQ(complete, ops.size());
    const size_t last_boundary = *std::prev(t.boundaries.upper_bound(len));
    EXPECT_EQ(len - last_boundary, elmo_trace_reader_counters(r).truncated_tail);
    elmo_trace_op op;
    EXPECT_EQ(ELMO_OK, elmo_trace_reader_next(r, &op, nullptr));  // the end stays the end
    EXPECT_EQ(ELMO_TRACE_END, op.kind);
    elmo_trace_reader_destroy(r);
  }
}

struct CorruptCase {
  const char* name;
  std::string record;  // appended after a valid Begin record
  elmo_rc rc;
  std::string needle;  // expected in the message
};

std::string RecordBytes(int type, const std::string& payload, uint32_t len_override = 0) {
  std::string s;
  PutFixed64(&s, 9);
  s.push_back(static_cast<char>(type));
  PutFixed32(&s, len_override ? len_override : static_cast<uint32_t>(payload.size()));
  return s + payload;
}

// A last record whose length says more than the input holds is a writer killed mid-record: the
// trace ends before it, and its bytes are counted.
TEST(TraceReader, APayloadCutShortEndsTheTrace) {
  TraceBuilder t = FullTrace();
  // Every record but the End one, then the cut-short record.
  const size_t before_end = *std::prev(std::prev(t.boundaries.end()));
  std::string bytes(t.bytes.begin(), t.bytes.begin() + static_cast<long>(before_end));
  const std::string tail = RecordBytes(4, "abc", 1000);
  bytes += tail;
  elmo_trace_reader* r = nullptr;
  ASSERT_EQ(ELMO_OK, elmo_trace_reader_open_mem(bytes.data(), bytes.size(), nullptr, &r, nullptr));
  elmo_rc rc = ELMO_OK;
  elmo_error err;
  EXPECT_EQ(t.ops.size(), ReadAll(r, nullptr, &rc, &err).size());
  EXPECT_EQ(ELMO_OK, rc) << err.message;
  EXPECT_EQ(tail.size(), elmo_trace_reader_counters(r).truncated_tail);
  elmo_trace_reader_destroy(r);
}

std::string GetPayload(uint64_t map, const std::string& tail) {
  std::string p;
  PutFixed64(&p, map);
  return p + tail;
}

std::string WritePayload(const std::string& rep) {
  std::string p;
  PutFixed64(&p, Bits({1}));
  PutSlice(&p, rep);
  return p;
}

std::vector<CorruptCase> CorruptCases(size_t at) {
  const std::string at_s = std::to_string(at);
  std::string cf_key;
  PutFixed32(&cf_key, 0);
  PutSlice(&cf_key, "key");
  std::string unknown_tag_rep = Batch().Put("a", "b").Rep(1) + std::string(1, '\x14') + "xx";
  // record header 13 + field map 8 + rep length varint 1 + batch header 12 + Put entry 5
  std::string tag_at = std::to_string(at + 13 + 8 + 1 + 12 + 5);
  std::string mg_bad_cfs;
  PutFixed64(&mg_bad_cfs, Bits({8, 9, 10}));
  PutFixed32(&mg_bad_cfs, 2);
  PutSlice(&mg_bad_cfs, std::string(4, '\0'));
  PutSlice(&mg_bad_cfs, std::string("\x01"
                                    "a"
                                    "\x01"
                                    "b",
                                    4));
  std::string mg_zero;
  PutFixed64(&mg_zero, Bits({8, 9, 10}));
  PutFixed32(&mg_zero, 0);
  PutSlice(&mg_zero, "");
  PutSlice(&mg_zero, "");
  std::string mg_extra;
  PutFixed64(&mg_extra, Bits({8, 9, 10}));
  PutFixed32(&mg_extra, 1);
  PutSlice(&mg_extra, std::string(4, '\0'));
  PutSlice(&mg_extra, std::string("\x01"
                                  "a"
                                  "zz",
                                  4));
  return {
      {"payload over the limit", RecordBytes(4, "", 2000), ELMO_ETOOBIG, "offset " + at_s},
      {"no field map", RecordBytes(4, "abc"), ELMO_EPARSE, "offset " + at_s},
      {"unknown field bit", RecordBytes(4, GetPayload(Bits({2, 3, 11}), cf_key)), ELMO_EPARSE,
       "unknown field bit 11"},
      {"Get without key", RecordBytes(4, GetPayload(Bits({2}), std::string(4, '\0'))), ELMO_EPARSE,
       "lacks a required field"},
      {"key past the payload", RecordBytes(4, GetPayload(Bits({2, 3}), cf_key.substr(0, 6))),
       ELMO_EPARSE, "field 3 at offset " + std::to_string(at + 13 + 8 + 4)},
      {"bytes after the fields", RecordBytes(4, GetPayload(Bits({2, 3}), cf_key + "!")),
       ELMO_EPARSE, "unexpected bytes"},
      {"varint too long", RecordBytes(4, GetPayload(Bits({3}), "\xff\xff\xff\xff\xff\x01")),
       ELMO_EPARSE, "offset " + at_s},
      {"short WriteBatch", RecordBytes(3, WritePayload("12345")), ELMO_EPARSE, "shorter than"},
      {"WriteBatch count off", RecordBytes(3, WritePayload(Batch().Put("a", "b").Rep(2))),
       ELMO_EPARSE, "says 3 entries but it holds 1"},
      {"unknown WriteBatch tag", RecordBytes(3, WritePayload(unknown_tag_rep)), ELMO_EPARSE,
       "entry at offset " + tag_at + " (tag 0x14)"},
      {"truncated WriteBatch entry",
       RecordBytes(3, WritePayload(Batch().Rep(1) + "\x01\x05"
                                                    "ab")),
       ELMO_EPARSE, "truncated"},
      {"MultiGet cf ids short", RecordBytes(13, mg_bad_cfs), ELMO_EPARSE, "2 keys but 4 bytes"},
      {"MultiGet of nothing", RecordBytes(13, mg_zero), ELMO_EPARSE, "0 keys"},
      {"MultiGet extra bytes", RecordBytes(13, mg_extra), ELMO_EPARSE, "2 bytes after its 1 keys"},
      {"second Begin", RecordBytes(1, "feedcafedeadbeef"), ELMO_EPARSE,
       "second Begin record at offset " + at_s},
  };
}

TEST(TraceReader, CorruptRecordsNameTheirOffset) {
  TraceBuilder base;
  base.Begin().Get(5, 0, "ok");
  size_t at = base.bytes.size();
  elmo_trace_reader_config cfg = {1024, 0};
  for (const CorruptCase& c : CorruptCases(at)) {
    SCOPED_TRACE(c.name);
    std::string bytes = base.bytes + c.record + RecordBytes(4, GetPayload(Bits({3}), "\x01z"));
    elmo_trace_reader* r = nullptr;
    elmo_error err;
    ASSERT_EQ(ELMO_OK, elmo_trace_reader_open_mem(bytes.data(), bytes.size(), &cfg, &r, &err));
    elmo_rc rc;
    std::vector<elmo_trace_op> ops = ReadAll(r, nullptr, &rc, &err);
    EXPECT_EQ(1u, ops.size());  // the good Get before, nothing of the bad record
    EXPECT_EQ(c.rc, rc) << err.message;
    EXPECT_EQ(c.rc, err.code);
    EXPECT_NE(nullptr, std::strstr(err.message, c.needle.c_str())) << err.message;
    elmo_trace_reader_destroy(r);
  }
}

TEST(TraceReader, WriteBatchMarkersAndOtherPutsAreDecoded) {
  std::string raw;
  raw.push_back(0x09);  // begin prepare
  raw.push_back(0x0A);  // end prepare + xid
  PutSlice(&raw, "xid");
  raw.push_back(0x15);  // commit with timestamp: ts, xid
  PutSlice(&raw, "ts");
  PutSlice(&raw, "xid");
  raw.push_back(0x16);  // wide-column entity: key, entity
  PutSlice(&raw, "wide");
  PutSlice(&raw, "entity");
  raw.push_back(0x10);  // blob index in cf 9
  PutVarint32(&raw, 9);
  PutSlice(&raw, "blobkey");
  PutSlice(&raw, "idx");
  std::string rep;
  PutFixed64(&rep, 1);
  PutFixed32(&rep, 2);
  TraceBuilder t;
  t.Begin().Record(10, 3, WritePayload(rep + raw));
  elmo_trace_reader* r = nullptr;
  ASSERT_EQ(ELMO_OK,
            elmo_trace_reader_open_mem(t.bytes.data(), t.bytes.size(), nullptr, &r, nullptr));
  size_t off = *t.boundaries.begin();
  ExpectOps(r, {{ELMO_TRACE_PUT, 10, 0, "wide", "entity", "", off, 0, 2},
                {ELMO_TRACE_PUT, 10, 9, "blobkey", "idx", "", off, 1, 2}});
  elmo_trace_reader_destroy(r);
}

struct HeaderCase {
  std::string payload;
  int type;
  elmo_rc rc;
  const char* needle;
};

TEST(TraceReader, HeaderVersionsAndMagic) {
  const std::string m = "feedcafedeadbeef\t";
  const std::string tail = "\tRocksDB Version: 7.8\tFormat: Timestamp OpType Payload\n";
  const HeaderCase cases[] = {
      {m + "Trace Version: 0.2" + tail, 1, ELMO_OK, ""},
      {m + "Trace Version: 0.3" + tail, 1, ELMO_OK, ""},
      {m + "Trace Version: 0.1" + tail, 1, ELMO_ERANGE, "trace version 0.1"},
      {m + "Trace Version: 1.0" + tail, 1, ELMO_ERANGE, "0.2 and later 0.x"},
      {m + "Trace Version: 0.x" + tail, 1, ELMO_EPARSE, "Trace Version"},
      {m + "Trace Version: 0.2", 1, ELMO_EPARSE, "RocksDB Version"},
      {"Trace Version: 0.2" + tail, 1, ELMO_EPARSE, "magic"},
      {m + "Trace Version: 0.2" + tail, 4, ELMO_EPARSE, "not Begin"},
  };
  for (const HeaderCase& c : cases) {
    SCOPED_TRACE(c.payload);
    std::string bytes = RecordBytes(c.type, c.payload);
    elmo_trace_reader* r = nullptr;
    elmo_error err;
    elmo_error_clear(&err);
    EXPECT_EQ(c.rc, elmo_trace_reader_open_mem(bytes.data(), bytes.size(), nullptr, &r, &err));
    EXPECT_NE(nullptr, std::strstr(err.message, c.needle)) << err.message;
    EXPECT_EQ(c.rc == ELMO_OK, r != nullptr);
    elmo_trace_reader_destroy(r);
  }
  elmo_trace_reader* r = nullptr;
  elmo_error err;
  EXPECT_EQ(ELMO_EPARSE, elmo_trace_reader_open_mem("", 0, nullptr, &r, &err));
  EXPECT_NE(nullptr, std::strstr(err.message, "empty trace")) << err.message;
}

TEST(TraceReader, ConfigOutOfRangeIsRejected) {
  TraceBuilder t;
  t.Begin();
  const elmo_trace_reader_config bad[] = {{5, 0}, {uint64_t{2} << 30, 0}, {0, 100}, {0, 1u << 30}};
  for (const elmo_trace_reader_config& c : bad) {
    elmo_trace_reader* r = nullptr;
    elmo_error err;
    EXPECT_EQ(ELMO_ERANGE,
              elmo_trace_reader_open_mem(t.bytes.data(), t.bytes.size(), &c, &r, &err));
    EXPECT_NE(nullptr, std::strstr(err.message, "out of range")) << err.message;
  }
}

// ---- characterizer --------------------------------------------------------------------------

// An op borrowing key: key must outlive the op (string literals and named strings only).
elmo_trace_op Op(elmo_trace_kind kind, uint64_t ts, const char* key, size_t key_len) {
  elmo_trace_op op;
  std::memset(&op, 0, sizeof(op));
  op.kind = kind, op.timestamp_us = ts, op.ops_in_record = 1;
  op.key = key, op.key_len = key_len;
  return op;
}
elmo_trace_op Op(elmo_trace_kind kind, uint64_t ts, const char* literal) {
  return Op(kind, ts, literal, std::strlen(literal));
}
elmo_trace_op Op(elmo_trace_kind kind, uint64_t ts, const std::string& key) {
  return Op(kind, ts, key.data(), key.size());
}
elmo_trace_op Op(elmo_trace_kind kind, uint64_t ts, std::string&& key) = delete;

elmo_test::Stats NewStats(const elmo_trace_stats_config& cfg) {
  elmo_trace_stats* s = nullptr;
  elmo_error err;
  EXPECT_EQ(ELMO_OK, elmo_trace_stats_create(&cfg, &s, &err)) << err.message;
  return elmo_test::Stats(s);
}

elmo_test::Summary Summarize(const elmo_trace_stats* s) {
  elmo_trace_summary* sum = nullptr;
  elmo_error err;
  EXPECT_EQ(ELMO_OK, elmo_trace_stats_summarize(s, &sum, &err)) << err.message;
  return elmo_test::Summary(sum);
}

TEST(TraceStats, ConfigTableDefaultsAndRanges) {
  elmo_trace_stats_config d;
  elmo_trace_stats_config_default(&d);
  EXPECT_EQ(10u, d.window_sec);
  EXPECT_EQ(1u << 20, d.exact_key_limit);
  EXPECT_EQ(14u, d.hll_precision);
  struct {
    elmo_trace_stats_config cfg;
    const char* field;
  } bad[] = {
      {{100000, 0, 0, 0, 0, 0, 0, 0}, "window_sec"},
      {{0, 8, 0, 0, 0, 0, 0, 0}, "max_windows"},
      {{0, 0, 4, 0, 0, 0, 0, 0}, "exact_key_limit"},
      {{0, 0, 0, 70000, 0, 0, 0, 0}, "top_k"},
      {{0, 0, 0, 0, 1000, 0, 0, 0}, "power of two"},
      {{0, 0, 0, 0, 0, 9, 0, 0}, "cms_depth"},
      {{0, 0, 0, 0, 0, 0, 3, 0}, "hll_precision"},
      {{0, 0, 0, 0, 0, 0, 0, 100}, "keyspace_buckets"},
  };
  for (const auto& c : bad) {
    elmo_trace_stats* s = reinterpret_cast<elmo_trace_stats*>(1);
    elmo_error err;
    EXPECT_EQ(ELMO_ERANGE, elmo_trace_stats_create(&c.cfg, &s, &err)) << c.field;
    EXPECT_EQ(nullptr, s);
    EXPECT_NE(nullptr, std::strstr(err.message, c.field)) << err.message;
  }
  elmo_trace_stats* s = nullptr;
  ASSERT_EQ(ELMO_OK, elmo_trace_stats_create(nullptr, &s, nullptr));
  elmo_trace_op end = Op(ELMO_TRACE_END, 0, "k");
  EXPECT_EQ(ELMO_EINVAL, elmo_trace_stats_add(s, &end, nullptr));
  elmo_trace_stats_destroy(s);
  elmo_trace_stats_destroy(nullptr);
}

TEST(TraceStats, WindowsAreExact) {
  elmo_trace_stats_config cfg = {};
  cfg.window_sec = 1;
  elmo_test::Stats s = NewStats(cfg);
  const uint64_t t0 = 5000000;
  const struct {
    elmo_trace_kind kind;
    uint64_t ts;
  } ops[] = {{ELMO_TRACE_GET, t0},           {ELMO_TRACE_PUT, t0 + 500000},
             {ELMO_TRACE_GET, t0 + 999999},  {ELMO_TRACE_SEEK, t0 + 1000000},
             {ELMO_TRACE_GET, t0 + 3900000}, {ELMO_TRACE_GET, t0 - 10}};
  for (const auto& o : ops) {
    elmo_trace_op op = Op(o.kind, o.ts, "k");
    ASSERT_EQ(ELMO_OK, elmo_trace_stats_add(s.get(), &op, nullptr));
  }
  elmo_test::Summary sum = Summarize(s.get());
  ASSERT_EQ(4u, sum->n_windows);
  EXPECT_EQ(1000000u, sum->window_us);
  EXPECT_EQ(0u, sum->window_merges);
  const uint64_t totals[] = {4, 1, 0, 1}, gets[] = {3, 0, 0, 1};
  for (size_t i = 0; i < 4; i++) {
    EXPECT_EQ(i * 1000000, sum->windows[i].start_us);
    EXPECT_EQ(totals[i], sum->windows[i].total) << i;
    EXPECT_EQ(gets[i], sum->windows[i].counts[ELMO_TRACE_GET]) << i;
  }
  EXPECT_EQ(1u, sum->windows[0].counts[ELMO_TRACE_PUT]);
  EXPECT_EQ(1u, sum->windows[1].counts[ELMO_TRACE_SEEK]);
  EXPECT_EQ(1u, sum->ts_before_first);
  EXPECT_EQ(3900000u, sum->duration_us);
  EXPECT_EQ(6u, sum->ops);
  EXPECT_EQ(4u, sum->counts[ELMO_TRACE_GET]);
  EXPECT_DOUBLE_EQ(4.0 / 6.0, sum->fractions[ELMO_TRACE_GET]);
}

TEST(TraceStats, WindowsMergeWhenTheCapIsReached) {
  elmo_trace_stats_config cfg = {};
  cfg.window_sec = 1, cfg.max_windows = 17;  // odd on purpose: the last window must survive
  elmo_test::Stats s = NewStats(cfg);
  for (uint64_t sec : {0, 1, 2, 3, 16, 40}) {
    elmo_trace_op op = Op(ELMO_TRACE_GET, sec * 1000000, "k");
    ASSERT_EQ(ELMO_OK, elmo_trace_stats_add(s.get(), &op, nullptr));
  }
  elmo_test::Summary sum = Summarize(s.get());
  // 40 s needs 41 one-second windows: 1 s -> 2 s (21 windows) -> 4 s (11 windows).
  EXPECT_EQ(2u, sum->window_merges);
  EXPECT_EQ(4000000u, sum->window_us);
  ASSERT_EQ(11u, sum->n_windows);
  EXPECT_EQ(4u, sum->windows[0].total);
  EXPECT_EQ(1u, sum->windows[4].total);
  EXPECT_EQ(1u, sum->windows[10].total);
  uint64_t total = 0;
  for (size_t i = 0; i < sum->n_windows; i++) total += sum->windows[i].total;
  EXPECT_EQ(6u, total);
}

TEST(TraceStats, FullTraceThroughTheReader) {
  TraceBuilder t = FullTrace();
  elmo_trace_reader* r = nullptr;
  ASSERT_EQ(ELMO_OK,
            elmo_trace_reader_open_mem(t.bytes.data(), t.bytes.size(), nullptr, &r, nullptr));
  elmo_test::Stats s = NewStats(elmo_trace_stats_config{});
  for (;;) {
    elmo_trace_op op;
    ASSERT_EQ(ELMO_OK, elmo_trace_reader_next(r, &op, nullptr));
    if (op.kind == ELMO_TRACE_END) break;
    ASSERT_EQ(ELMO_OK, elmo_trace_stats_add(s.get(), &op, nullptr));
  }
  elmo_trace_reader_destroy(r);
  elmo_test::Summary sum = Summarize(s.get());
  const uint64_t want[ELMO_TRACE_KIND_COUNT] = {0, 2, 3, 1, 1, 2, 2, 2, 2, 2};
  for (int k = 0; k < ELMO_TRACE_KIND_COUNT; k++) EXPECT_EQ(want[k], sum->counts[k]) << k;
  EXPECT_EQ(17u, sum->ops);
  // Values: "value-1" 7, 300 v's, "+1" 2, "+22" 3.
  EXPECT_EQ(4u, sum->value_size.count);
  EXPECT_EQ(2u, sum->value_size.min);
  EXPECT_EQ(300u, sum->value_size.max);
  EXPECT_DOUBLE_EQ((7 + 300 + 2 + 3) / 4.0, sum->value_size.mean);
  ASSERT_EQ(4u, sum->value_size.n_buckets);
  EXPECT_EQ(288u, sum->value_size.buckets[3].lo);  // 256..511 in eighths: [288, 319]
  EXPECT_EQ(319u, sum->value_size.buckets[3].hi);
  EXPECT_EQ(0u, sum->key_size.min);  // MultiGet's empty key
  EXPECT_EQ(5u, sum->key_size.max);
  EXPECT_EQ(1u, sum->batch_ops.count);
  EXPECT_EQ(10u, sum->batch_ops.max);
  EXPECT_EQ(1u, sum->multiget_keys.count);
  EXPECT_EQ(3u, sum->multiget_keys.min);
  EXPECT_EQ(1u, sum->seeks_with_lower);
  EXPECT_EQ(1u, sum->seeks_with_upper);
  EXPECT_EQ(5u, sum->classes[ELMO_TRACE_CLASS_READ].accesses);
  EXPECT_EQ(10u, sum->classes[ELMO_TRACE_CLASS_WRITE].accesses);
  EXPECT_EQ(2u, sum->classes[ELMO_TRACE_CLASS_SCAN].accesses);
  EXPECT_EQ(17u, sum->classes[ELMO_TRACE_CLASS_ALL].distinct);
  EXPECT_EQ(1, sum->classes[ELMO_TRACE_CLASS_ALL].exact);
}

TEST(TraceStats, ExactFrequenciesRanksAndKeySpace) {
  elmo_test::Stats s = NewStats(elmo_trace_stats_config{});
  // Key i (8-byte big-endian, db_bench style) is read i+1 times, i = 0..99.
  auto key = [](uint64_t v) {
    std::string k(8, '\0');
    for (int i = 0; i < 8; i++) k[i] = static_cast<char>(v >> (56 - 8 * i));
    return k;
  };
  uint64_t n = 0;
  for (uint64_t i = 0; i < 100; i++) {
    std::string k = key(i * 1000);
    for (uint64_t j = 0; j <= i; j++, n++) {
      elmo_trace_op op = Op(ELMO_TRACE_GET, n, k);
      ASSERT_EQ(ELMO_OK, elmo_trace_stats_add(s.get(), &op, nullptr));
    }
  }
  EXPECT_EQ(42u, elmo_trace_stats_key_count(s.get(), ELMO_TRACE_CLASS_READ, key(41000).data(), 8));
  EXPECT_EQ(0u, elmo_trace_stats_key_count(s.get(), ELMO_TRACE_CLASS_SCAN, key(41000).data(), 8));
  elmo_test::Summary sum = Summarize(s.get());
  const elmo_trace_class_summary& c = sum->classes[ELMO_TRACE_CLASS_READ];
  EXPECT_EQ(1, c.exact);
  EXPECT_EQ(100u, c.distinct);
  EXPECT_EQ(0.0, c.distinct_rel_error);
  ASSERT_EQ(100u, c.n_ranked);
  for (size_t i = 0; i < 100; i++) EXPECT_EQ(100 - i, c.ranked[i]);
  ASSERT_EQ(100u, c.freq.count);  // one key for each access count 1..100
  EXPECT_EQ(1u, c.freq.min);
  EXPECT_EQ(100u, c.freq.max);
  ASSERT_EQ(100u, c.n_hitters);
  EXPECT_EQ(100u, c.hitters[0].count);
  EXPECT_EQ(key(99000), std::string(c.hitters[0].key, 8));
  EXPECT_EQ(8u, c.hitters[0].key_len);
  EXPECT_EQ(0u, c.key_prefix_min);
  EXPECT_EQ(99000u, c.key_prefix_max);
  // Every access lands in the bucket its prefix names.
  uint64_t total = 0;
  for (size_t b = 0; b < c.n_keyspace; b++) total += c.keyspace[b];
  EXPECT_EQ(n, total);
  for (uint64_t i = 0; i < 100; i++) {
    uint64_t v = i * 1000;
    ASSERT_GE(v, c.keyspace_lo);
    uint64_t b = (v - c.keyspace_lo) / c.keyspace_width;
    ASSERT_LT(b, c.n_keyspace);
    EXPECT_GE(c.keyspace[b], i + 1);
  }
  EXPECT_LE(c.keyspace_width * c.n_keyspace, 4 * 99000u);  // no more than 4x the needed range
}

TEST(TraceStats, KeySpaceCoversAllPrefixesWhenItMustWiden) {
  elmo_trace_stats_config cfg = {};
  cfg.keyspace_buckets = 16;
  elmo_test::Stats s = NewStats(cfg);
  const uint64_t values[] = {UINT64_C(1) << 63, 5, UINT64_MAX, 0, UINT64_C(1) << 40};
  for (uint64_t v : values) {
    std::string k(8, '\0');
    for (int i = 0; i < 8; i++) k[i] = static_cast<char>(v >> (56 - 8 * i));
    elmo_trace_op op = Op(ELMO_TRACE_PUT, 1, k);
    ASSERT_EQ(ELMO_OK, elmo_trace_stats_add(s.get(), &op, nullptr));
  }
  elmo_test::Summary sum = Summarize(s.get());
  const elmo_trace_class_summary& c = sum->classes[ELMO_TRACE_CLASS_WRITE];
  EXPECT_EQ(0u, c.keyspace_lo);
  EXPECT_EQ(UINT64_C(1) << 60, c.keyspace_width);
  EXPECT_EQ(3u, c.keyspace[0]);
  EXPECT_EQ(1u, c.keyspace[8]);
  EXPECT_EQ(1u, c.keyspace[15]);
  EXPECT_EQ(UINT64_MAX, c.key_prefix_max);
}

// ---- sketches -------------------------------------------------------------------------------

TEST(TraceSketch, HllWithinThreePercentAtEveryScale) {
  const uint64_t sizes[] = {0, 1, 10, 100, 1000, 10000, 30000, 60000, 100000, 1000000};
  elmo_trace_hll* h = nullptr;
  ASSERT_EQ(ELMO_OK, elmo_trace_hll_create(14, &h, nullptr));
  uint64_t added = 0;
  for (uint64_t n : sizes) {
    for (; added < n; added++) elmo_trace_hll_add(h, elmo_trace_hash(&added, sizeof(added), 7));
    double est = elmo_trace_hll_estimate(h);
    EXPECT_NEAR(static_cast<double>(n), est, std::max(1.0, 0.03 * static_cast<double>(n))) << n;
  }
  EXPECT_NEAR(0.0081, elmo_trace_hll_rel_error(h), 0.0001);
  elmo_trace_hll_destroy(h);
  EXPECT_EQ(ELMO_ERANGE, elmo_trace_hll_create(19, &h, nullptr));
}

TEST(TraceSketch, TopKKeepsSpaceSavingInvariants) {
  for (uint32_t k : {1u, 3u, 8u, 64u}) {
    SCOPED_TRACE("k=" + std::to_string(k));
    elmo_trace_topk* t = nullptr;
    ASSERT_EQ(ELMO_OK, elmo_trace_topk_create(k, &t, nullptr));
    std::mt19937_64 rng(k);
    std::unordered_map<uint64_t, uint64_t> truth;
    const uint64_t n = 20000;
    for (uint64_t i = 0; i < n; i++) {
      uint64_t v = (rng() % 4 == 0) ? rng() % 3 : rng() % 500;  // three hot keys
      std::string key = "k" + std::to_string(v);
      truth[v]++;
      elmo_trace_topk_add(t, elmo_trace_hash(key.data(), key.size(), 0), key.data(), key.size());
    }
    size_t m;
    const elmo_trace_topk_entry* e = elmo_trace_topk_entries(t, &m);
    ASSERT_EQ(k, m);
    uint64_t sum = 0;
    std::set<uint64_t> seen;
    for (size_t i = 0; i < m; i++) {
      std::string key(e[i].key, e[i].key_len);
      uint64_t v = std::stoull(key.substr(1));
      EXPECT_TRUE(seen.insert(v).second) << "monitored twice: " << key;
      EXPECT_LE(e[i].count - e[i].error, truth[v]) << key;
      EXPECT_GE(e[i].count, truth[v]) << key;
      sum += e[i].count;
    }
    EXPECT_EQ(n, sum);  // space-saving counts always add up to the stream length
    for (const auto& kv : truth) {
      if (kv.second > n / k) {
        EXPECT_TRUE(seen.count(kv.first)) << kv.first;
      }
    }
    elmo_trace_topk_destroy(t);
  }
}

// 3M accesses, log-uniform over 5M ranks (zipf with s = 1), exact tracking capped at 1000 keys.
TEST(TraceSketch, SkewedStreamFindsHeavyHittersWithinTheBound) {
  elmo_trace_stats_config cfg = {};
  cfg.exact_key_limit = 1000;
  elmo_test::Stats s = NewStats(cfg);
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double log_n = std::log(5e6);
  const uint64_t accesses = 3000000;
  std::vector<uint32_t> truth(5000000);  // accesses by rank
  char key[32];
  for (uint64_t i = 0; i < accesses; i++) {
    uint64_t rank = static_cast<uint64_t>(std::exp(u(rng) * log_n));
    truth[rank]++;
    std::snprintf(key, sizeof(key), "user%011llu", static_cast<unsigned long long>(rank));
    std::string k(key, 15);
    elmo_trace_op op = Op(ELMO_TRACE_GET, i, k);
    ASSERT_EQ(ELMO_OK, elmo_trace_stats_add(s.get(), &op, nullptr));
  }
  elmo_test::Summary sum = Summarize(s.get());
  const elmo_trace_class_summary& c = sum->classes[ELMO_TRACE_CLASS_READ];
  EXPECT_EQ(0, c.exact);
  EXPECT_EQ(accesses, c.accesses);
  size_t distinct = 0;
  for (uint32_t n : truth) distinct += n > 0;
  EXPECT_NEAR(static_cast<double>(distinct), static_cast<double>(c.distinct), 0.03 * distinct);
  EXPECT_NEAR(0.0081, c.distinct_rel_error, 0.0001);
  uint64_t bound = c.count_error_bound;
  EXPECT_EQ(static_cast<uint64_t>(std::ceil(std::exp(1.0) / 32768 * accesses)), bound);
  EXPECT_EQ(0u, c.freq.count);  // not exact: no frequency-of-frequency histogram
  // Every key above N/k is a hitter; every hitter's estimate is within the bound.
  std::unordered_map<uint64_t, const elmo_trace_hitter*> by_rank;
  for (size_t i = 0; i < c.n_hitters; i++) {
    const elmo_trace_hitter& h = c.hitters[i];
    uint64_t rank = std::stoull(std::string(h.key + 4, h.key_len - 4));
    by_rank[rank] = &h;
    uint64_t t = truth[rank];
    EXPECT_GE(h.count, t) << rank;
    EXPECT_LE(h.count, t + bound) << rank;
    EXPECT_LE(h.count_lower, t) << rank;
    if (i > 0) {
      EXPECT_GE(c.hitters[i - 1].count, h.count);
    }
  }
  for (uint64_t rank = 0; rank < truth.size(); rank++) {
    if (truth[rank] > accesses / 1024) {
      EXPECT_TRUE(by_rank.count(rank)) << rank;
    }
  }
  for (uint64_t rank = 1; rank <= 10; rank++) EXPECT_TRUE(by_rank.count(rank)) << rank;
  ASSERT_GE(c.n_ranked, 10u);
  EXPECT_GE(c.ranked[0], truth[1]);
  // Count-min on random keys: never under, over by more than the bound rarely (delta).
  size_t over = 0, tried = 0;
  for (uint64_t rank = 1; rank < truth.size() && tried < 20000; rank += 37) {
    if (truth[rank] == 0) continue;
    tried++;
    std::snprintf(key, sizeof(key), "user%011llu", static_cast<unsigned long long>(rank));
    uint64_t est = elmo_trace_stats_key_count(s.get(), ELMO_TRACE_CLASS_READ, key, 15);
    ASSERT_GE(est, truth[rank]);
    over += est > truth[rank] + bound;
  }
  EXPECT_GT(tried, 10000u);  // about 20000 sampled ranks that were accessed
  EXPECT_LE(static_cast<double>(over), c.count_error_delta * static_cast<double>(tried));
}

TEST(TraceSketch, CountMinNeverUnderestimates) {
  elmo_trace_cms* c = nullptr;
  ASSERT_EQ(ELMO_OK, elmo_trace_cms_create(256, 2, &c, nullptr));
  for (uint64_t i = 0; i < 5000; i++) elmo_trace_cms_add(c, elmo_trace_hash(&i, 8, 0), i % 3 + 1);
  for (uint64_t i = 0; i < 5000; i++)
    EXPECT_GE(elmo_trace_cms_estimate(c, elmo_trace_hash(&i, 8, 0)), i % 3 + 1);
  EXPECT_EQ(9999u, elmo_trace_cms_total(c));  // sum of i % 3 + 1 over 0..4999
  elmo_trace_cms_destroy(c);
  EXPECT_EQ(ELMO_ERANGE, elmo_trace_cms_create(300, 2, &c, nullptr));
  EXPECT_EQ(ELMO_ERANGE, elmo_trace_cms_create(256, 0, &c, nullptr));
}

// ---- JSON and the one-call path -------------------------------------------------------------

TEST(TraceSummary, JsonAndCharacterizeFile) {
  TraceBuilder t = FullTrace();
  std::string path = WorkPath("trace_test_characterize.trace");
  WriteFile(path, t.bytes);
  elmo_trace_summary* sum = nullptr;
  elmo_error err;
  ASSERT_EQ(ELMO_OK, elmo_trace_characterize(path.c_str(), nullptr, nullptr, &sum, &err))
      << err.message;
  std::remove(path.c_str());
  char* text = nullptr;
  ASSERT_EQ(ELMO_OK, elmo_trace_summary_to_json(sum, &text, &err));
  cJSON* root = cJSON_Parse(text);
  ASSERT_NE(nullptr, root) << text;
  EXPECT_EQ(17, cJSON_GetObjectItem(root, "ops")->valueint);
  EXPECT_EQ(3, cJSON_GetObjectItem(cJSON_GetObjectItem(root, "counts"), "multiget")->valueint);
  cJSON* read = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "classes"), "read");
  ASSERT_NE(nullptr, read);
  EXPECT_TRUE(cJSON_IsTrue(cJSON_GetObjectItem(read, "exact")));
  EXPECT_EQ(5, cJSON_GetObjectItem(read, "distinct")->valueint);
  cJSON* hitters = cJSON_GetObjectItem(read, "hitters");
  ASSERT_EQ(5, cJSON_GetArraySize(hitters));
  std::set<std::string> hex;
  for (int i = 0; i < 5; i++)
    hex.insert(cJSON_GetObjectItem(cJSON_GetArrayItem(hitters, i), "key_hex")->valuestring);
  EXPECT_TRUE(hex.count("0062696eff")) << text;  // "\0bin\xff"
  EXPECT_TRUE(hex.count("6b657931"));            // "key1"
  cJSON* ks = cJSON_GetObjectItem(read, "keyspace");
  EXPECT_STREQ("0x0000000000000000", cJSON_GetObjectItem(ks, "prefix_min")->valuestring);
  cJSON_Delete(root);
  elmo_free(text);
  elmo_trace_summary_destroy(sum);
  EXPECT_EQ(ELMO_EIO, elmo_trace_characterize("/nonexistent/t", nullptr, nullptr, &sum, &err));
  EXPECT_EQ(nullptr, sum);
}

}  // namespace
