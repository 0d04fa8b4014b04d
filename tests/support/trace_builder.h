// trace_builder.h — builds RocksDB query traces (format 0.2) byte by byte for tests: the
// encoder helpers of tests/core/trace_test.cc, shared (header-only) without its expectations.
#ifndef ELMO_TESTS_TRACE_BUILDER_H
#define ELMO_TESTS_TRACE_BUILDER_H

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

namespace elmo_test {

inline void PutFixed32(std::string* s, uint32_t v) {
  for (int i = 0; i < 4; i++) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
inline void PutFixed64(std::string* s, uint64_t v) {
  for (int i = 0; i < 8; i++) s->push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}
inline void PutVarint32(std::string* s, uint32_t v) {
  while (v >= 0x80) {
    s->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  s->push_back(static_cast<char>(v));
}
inline void PutSlice(std::string* s, const std::string& v) {
  PutVarint32(s, static_cast<uint32_t>(v.size()));
  s->append(v);
}
inline uint64_t Bits(std::initializer_list<int> bits) {
  uint64_t m = 0;
  for (int b : bits) m |= uint64_t{1} << b;
  return m;
}

// A WriteBatch rep: 12-byte header (sequence, count), then tagged entries (default CF).
class Batch {
 public:
  Batch& Put(const std::string& k, const std::string& v) { return KeyValue(0x01, k, v); }
  Batch& Merge(const std::string& k, const std::string& v) { return KeyValue(0x02, k, v); }
  Batch& DeleteRange(const std::string& b, const std::string& e) { return KeyValue(0x0F, b, e); }
  Batch& Delete(const std::string& k) { return KeyOnly(0x00, k); }
  Batch& SingleDelete(const std::string& k) { return KeyOnly(0x07, k); }
  std::string Rep() const {
    std::string rep;
    PutFixed64(&rep, 77);
    PutFixed32(&rep, count_);
    return rep + body_;
  }

 private:
  Batch& KeyValue(int tag, const std::string& k, const std::string& v) {
    body_.push_back(static_cast<char>(tag));
    PutSlice(&body_, k);
    PutSlice(&body_, v);
    count_++;
    return *this;
  }
  Batch& KeyOnly(int tag, const std::string& k) {
    body_.push_back(static_cast<char>(tag));
    PutSlice(&body_, k);
    count_++;
    return *this;
  }
  std::string body_;
  uint32_t count_ = 0;
};

// Records appended to bytes; Begin first, End optional.
class TraceBuilder {
 public:
  std::string bytes;

  TraceBuilder& Begin(uint64_t ts = 1000) {
    return Record(ts, 1,
                  "feedcafedeadbeef\tTrace Version: 0.2\tRocksDB Version: 7.8\tFormat: Timestamp "
                  "OpType Payload\n");
  }
  TraceBuilder& End(uint64_t ts) { return Record(ts, 2, ""); }
  TraceBuilder& Get(uint64_t ts, const std::string& key, uint32_t cf = 0) {
    std::string p;
    PutFixed64(&p, Bits({2, 3}));
    PutFixed32(&p, cf);
    PutSlice(&p, key);
    return Record(ts, 4, p);
  }
  TraceBuilder& Seek(uint64_t ts, bool for_prev, const std::string& key, uint32_t cf = 0) {
    std::string p;
    PutFixed64(&p, Bits({4, 5}));
    PutFixed32(&p, cf);
    PutSlice(&p, key);
    return Record(ts, for_prev ? 6 : 5, p);
  }
  TraceBuilder& MultiGet(uint64_t ts, const std::vector<std::string>& keys) {
    std::string p, cfs, ks;
    for (const auto& k : keys) {
      PutFixed32(&cfs, 0);
      PutSlice(&ks, k);
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
    return Record(ts, 3, p);
  }
  TraceBuilder& Record(uint64_t ts, int type, const std::string& payload) {
    PutFixed64(&bytes, ts);
    bytes.push_back(static_cast<char>(type));
    PutFixed32(&bytes, static_cast<uint32_t>(payload.size()));
    bytes += payload;
    return *this;
  }
};

}  // namespace elmo_test

#endif  // ELMO_TESTS_TRACE_BUILDER_H
