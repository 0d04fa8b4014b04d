// dropin_symbols.cc — template instances Debian's librocksdb.so.7.8 happens to export and ELMo's
// hooks would otherwise make the compiler inline away.
//
// The drop-in promise (tests/dropin/check_symbols.sh) is that every dynamic symbol of Debian's
// library is defined by ours. Some are weak instances of standard templates that only exist
// because GCC chose not to inline a call in an upstream file; ELMo's hook in DBImpl::Open changed
// that choice for the one below (std::move_backward over DBImpl's deque of log writers). No
// program can depend on it in practice, but the check is exact, so the instance is made here
// explicitly. Access checks do not apply to explicit instantiations, so the private
// DBImpl::LogWriterNumber may be named.

#include <algorithm>
#include <deque>

#include "db/db_impl/db_impl.h"

// Spelled out, not through an alias: an alias would be access-checked.
#define ELMO_LOG_WRITER_IT std::deque<ROCKSDB_NAMESPACE::DBImpl::LogWriterNumber>::iterator
template ELMO_LOG_WRITER_IT std::move_backward<ELMO_LOG_WRITER_IT, ELMO_LOG_WRITER_IT>(
    ELMO_LOG_WRITER_IT, ELMO_LOG_WRITER_IT, ELMO_LOG_WRITER_IT);
#undef ELMO_LOG_WRITER_IT
